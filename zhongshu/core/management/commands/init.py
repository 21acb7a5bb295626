"""`zhongshu init [--demo] [--if-new]`: create or upgrade an installation.

Creates the data directory, applies the migrations and collects the static files; with `--demo` it also
loads the demo district — only into a new database (one without units), so demo accounts never appear in
a real installation. `--if-new` makes `make demo` re-runnable: an existing database is only migrated.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import DatabaseError, connections, transaction

from zhongshu.core.management.base import CommandError, ZhongshuCommand, pending_migrations

DEMO_MODULE = "zhongshu.org.demo"
DEMO_MODULES = (DEMO_MODULE, "zhongshu.tracking.demo")
"""The demo loaders, in order: the org app's district first, then what later modules add to it."""

# Labels of the counts that load_demo() returns; unknown keys are printed as they come.
COUNT_LABELS = {
    "units": "单位",
    "people": "人员",
    "accounts": "演示账号",
    "demo_accounts": "演示账号",
    "grants": "角色授权",
    "roles": "角色授权",
    "delegations": "代理关系",
    "calendar_days": "工作日历条目",
    "tracking_items": "督办事项",
    "tracking_open": "未办结事项",
    "tracking_closed": "已办结事项",
    "tracking_entries": "办理记录",
    "tracking_notices": "督办通知",
}


def database_is_new(using: str = "default") -> bool:
    """A database is new while it holds no unit: nothing real has been entered into it yet."""
    from zhongshu.org.models import Unit

    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if Unit._meta.db_table not in tables:
        return True
    return not Unit.objects.using(using).exists()


def describe_database(using: str = "default") -> str:
    """The database in a few words, without its password."""
    config = connections[using].settings_dict
    if connections[using].vendor == "sqlite":
        return f"SQLite {config['NAME']}"
    host = config.get("HOST") or "本机"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"PostgreSQL {config['NAME']}@{host}{port}"


def load_demo() -> dict[str, Any]:
    """Load the demo district: the org app's loader, then each later module's (DEMO_MODULES); returns their
    counts together."""
    counts: dict[str, Any] = {}
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise CommandError(f"找不到演示数据模块 {name}：{exc}") from exc
        counts.update(module.load_demo() or {})
    return counts


class Command(ZhongshuCommand):
    help = "创建或升级数据库：建立数据目录、执行迁移、收集静态文件；--demo 同时载入示范区演示数据（仅限新数据库）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="载入示范区演示数据和演示账号（只能载入新数据库）")
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="与 --demo 同用：数据库已有数据时只执行迁移、保持原样，不报错（供 make demo 重复运行）",
        )

    def handle(self, *args: Any, demo: bool, if_new: bool, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        for directory in (data_dir, Path(settings.MEDIA_ROOT)):
            directory.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"数据目录：{data_dir}")

        try:
            new = database_is_new()
            pending = pending_migrations()
        except DatabaseError as exc:
            raise CommandError(f"无法连接数据库（{describe_database()}）：{exc}") from exc
        if demo and not new and not if_new:
            raise CommandError(
                "数据库中已有数据，演示数据只能载入新数据库，未作任何改动。"
                "如需演示环境，请指定新的数据目录，例如："
                "ZHONGSHU_DATA_DIR=/tmp/zhongshu-demo zhongshu init --demo"
            )

        call_command("migrate", interactive=False, verbosity=0)
        if pending:
            self.stdout.write(f"数据库：{describe_database()}，已执行 {len(pending)} 个迁移。")
        else:
            self.stdout.write(f"数据库：{describe_database()}，结构已是最新。")

        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"静态文件：已收集到 {settings.STATIC_ROOT}。")

        if demo and new:
            with transaction.atomic():
                counts = load_demo()
            summary = "、".join(f"{COUNT_LABELS.get(key, key)} {value}" for key, value in counts.items())
            district = settings.ZHONGSHU_DISTRICT_NAME
            self.stdout.write(f"演示数据：已载入{district}" + (f"（{summary}）。" if summary else "。"))
        elif demo:
            self.stdout.write("演示数据：数据库中已有数据，保持原样，未重复载入。")
        self.stdout.write(self.style.SUCCESS("初始化完成。启动服务：zhongshu serve"))
