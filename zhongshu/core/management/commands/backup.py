"""`zhongshu backup PATH`: a consistent copy of the database and the attachments, taken while Zhongshu runs.

PATH is the archive to write (tar.gz), or an existing directory to write a dated archive into. See
zhongshu.core.backup for what the archive holds and docs/operations.md for schedules and retention.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from zhongshu.core.backup import BackupError, create_backup
from zhongshu.core.management.base import CommandError, ZhongshuCommand


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class Command(ZhongshuCommand):
    requires_system_checks: list[str] = []  # a backup must be possible whatever the configuration says
    help = "备份数据库和附件到一个归档文件（运行中也可备份）。PATH 为文件名，或已有目录（自动按时间命名）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="备份文件路径（.tar.gz），或已存在的目录")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            result = create_backup(Path(path).expanduser())
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.exit_code) from exc
        counts = result.manifest["counts"]
        size = result.path.stat().st_size
        self.stdout.write(
            f"已备份到 {result.path}（{human_size(size)}）：数据库 1 个（{result.manifest['engine']}），"
            f"附件 {counts['media_files']} 个（{human_size(counts['media_bytes'])}）。"
        )
