"""The base class of every `zhongshu` command.

An operator reads one line in Chinese when a command refuses or fails, never a traceback or a
"CommandError:" prefix; the exit code says what kind of failure it was:

    raise CommandError("备份文件不存在:/srv/backup.tar.gz", returncode=2)

Exit codes: 0 done, 1 refused or failed (the default), 2 bad input (wrong arguments, malformed values,
a corrupted file), 130 interrupted with Ctrl+C. Commands called with `call_command` (tests, other code)
still raise `CommandError` as usual.
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management.base import BaseCommand, CommandError, SystemCheckError, handle_default_options
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from zhongshu.core.exceptions import ApplicationError, NotFound

__all__ = ["CommandError", "ZhongshuCommand", "one_line", "pending_migrations"]

USAGE_ERROR = 2

# argparse speaks English; the messages an operator is likely to meet, in Chinese.
_ARGPARSE_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少参数：{0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}"),
    (re.compile(r"^argument (\S+): invalid (\w+) value: (.+)$"), "参数 {0} 的值无效：{2}"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
        "参数 {0} 的取值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 需要一个值"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"^argument (\S+): (.+)$"), "参数 {0}：{1}"),  # e.g. a type converter's own message
]


def one_line(text: object) -> str:
    """A message squeezed onto one line (an operator's terminal and a log line alike)."""
    return " ".join(str(text).split())


def _usage_message(message: str, prog: str) -> str:
    text = one_line(message.removeprefix("Error: "))
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.match(text)
        if match:
            text = template.format(*match.groups())
            break
    return f"参数错误：{text}（用法见 {prog} --help）"


class ZhongshuCommand(BaseCommand):
    """A management command whose failures print one Chinese line to stderr and exit with a code."""

    def run_from_argv(self, argv: list[str]) -> None:
        prog = f"zhongshu {argv[1]}" if len(argv) > 1 else "zhongshu"
        # Parse with errors raised (not printed with the usage text), subcommands included.
        self._called_from_command_line = False
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
        except CommandError as exc:
            self._fail(_usage_message(str(exc), prog), USAGE_ERROR)
        self._called_from_command_line = True
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except SystemCheckError as exc:
            if options.traceback:
                raise
            self.stderr.write(str(exc), lambda text: text)  # the checks' own list, one problem a line
            sys.exit(exc.returncode)
        except CommandError as exc:
            if options.traceback:
                raise
            self._fail(str(exc), exc.returncode)
        except (ApplicationError, NotFound) as exc:
            if options.traceback:
                raise
            self._fail(exc.message, 1)
        except PermissionDenied as exc:
            if options.traceback:
                raise
            self._fail(str(exc) or "无权进行此操作。", 1)
        except DatabaseError as exc:
            if options.traceback:
                raise
            self._fail(f"数据库错误：{exc}（检查 DATABASE_URL 和数据库服务；加 --traceback 查看详情）", 1)
        except KeyboardInterrupt:
            self._fail("已中断。", 130)
        finally:
            with contextlib.suppress(ImproperlyConfigured):
                connections.close_all()

    def _fail(self, message: str, code: int) -> NoReturn:
        self.stderr.write(one_line(message))
        sys.exit(code)


def pending_migrations(using: str = "default") -> list[str]:
    """The migrations not yet applied to the database, as "app.name" (all of them for a new database)."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
