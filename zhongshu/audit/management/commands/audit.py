"""`zhongshu audit verify`: check that no event of the audit trail was edited, deleted or reordered.

Exit 0 with the number of events and the tail hash when the chain is intact; exit 1 naming the first bad
event otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhongshu.audit import selectors

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(value: str) -> tuple[int, str]:
    match = _ANCHOR.match(value.strip().lower())
    if not match:
        raise CommandError(f"--anchor 的值“{value}”格式不正确，应为 序号：64位十六进制哈希，如 120:3f2a…")
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = "留痕：verify 校验留痕链是否完整（事件未被修改、删除、调换或伪造）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", title="子命令", metavar="verify", required=True)
        verify = sub.add_parser("verify", help="校验留痕链：完整时退出码 0，否则退出码 1 并指出第一条有问题的事件")
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="序号：哈希",
            help="此前留存在数据库之外的某条事件的哈希（可多次给出），用于发现整段被重算的链",
        )
        verify.add_argument(  # also accepted after the subcommand: `zhongshu audit verify -v 2`
            "-v",
            "--verbosity",
            type=int,
            choices=[0, 1, 2, 3],
            default=argparse.SUPPRESS,
            help="2：另外打印完整的链尾哈希",
        )
        verify.add_argument("--chunk-size", type=int, default=selectors.VERIFY_CHUNK_SIZE, help="每批读取的事件数")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options)

    def verify(self, options: dict[str, Any]) -> None:
        anchors = dict(_anchor(value) for value in options["anchor"])
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size 应为正整数。")
        result = selectors.verify(chunk_size=options["chunk_size"], anchors=anchors)
        if result.ok:
            self.stdout.write(result.message)
            if options["verbosity"] >= 2 and result.count:
                self.stdout.write(f"链尾：第 {result.last_seq} 号事件，哈希 {result.last_hash}")
            return
        self.stderr.write(result.message)
        sys.exit(1)
