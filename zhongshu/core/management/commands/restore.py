"""`zhongshu restore PATH [--force] [--check]`: put a backup back — database and attachments — then migrate.

Stop every `zhongshu serve` and `zhongshu worker` first. The archive is verified completely before anything
changes; a database that already holds data is overwritten only with --force. `--check` only verifies the
archive (every checksum) and describes it, changing nothing: the way to test last night's backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from zhongshu.core.backup import ENGINE_NAMES, BackupError, read_manifest, restore_backup
from zhongshu.core.management.base import CommandError, ZhongshuCommand


class Command(ZhongshuCommand):
    requires_system_checks: list[str] = []  # migrate runs afterwards; nothing else is needed to restore
    help = (
        "从备份文件恢复数据库和附件，然后执行迁移。恢复前请停止所有 zhongshu serve 和 zhongshu worker 进程；"
        "目标数据库已有数据时需加 --force。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="备份文件路径（由 zhongshu backup 生成的 .tar.gz）")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据的数据库和附件")
        parser.add_argument("--check", action="store_true", help="只校验备份文件（清单和全部校验和），不作任何改动")

    def handle(self, *args: Any, path: str, force: bool, check: bool, **options: Any) -> None:
        if check:
            self.check_archive(Path(path).expanduser())
            return
        try:
            result = restore_backup(Path(path).expanduser(), force=force)
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.exit_code) from exc
        manifest = result.manifest
        migrated = f"已执行 {result.migrations_applied} 个新迁移" if result.migrations_applied else "结构已是最新"
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份（中枢 {manifest['zhongshu_version']}）："
            f"数据库 1 个，附件 {manifest['counts']['media_files']} 个；{migrated}。"
        )

    def check_archive(self, path: Path) -> None:
        try:
            manifest = read_manifest(path)
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.exit_code) from exc
        counts = manifest["counts"]
        engine = ENGINE_NAMES.get(manifest["engine"], manifest["engine"])
        self.stdout.write(
            f"备份文件完好：{manifest['created_at']} 由中枢 {manifest['zhongshu_version']} 生成，"
            f"{engine} 数据库 1 个、附件 {counts['media_files']} 个，"
            f"共 {len(manifest['members'])} 个文件校验通过。"
        )
