"""`zhongshu proofread FILE…` — the text checker as a management command (no database needed).

The same command as `zhongshu check FILE…` and `python -m zhongshu.proofread FILE…` (see
zhongshu/proofread/cli.py): it is named `proofread` so that Django's own `check` (the system checks,
`zhongshu check --deploy`) keeps its name. Exit codes: 0 no error-level finding, 1 error-level findings,
2 a file or the profile cannot be read (or wrong arguments), 3 internal error.
"""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhongshu.proofread import cli


class Command(BaseCommand):
    help = "检查文稿（.txt、.md、.docx）中的文字、标点、数字、格式和规范表述问题，不修改原文"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        # The proofreader parses its own arguments, so that every entry point behaves the same.
        sys.exit(cli.main(argv[2:], prog=f"zhongshu {argv[1]}"))

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("files", nargs="*", help="要检查的文件；“-” 表示标准输入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--profile", help="检查配置（TOML）")
        parser.add_argument("--doc-type", help="文种，如 通知、请示、报告")
        parser.add_argument("--attachment", action="append", default=[], help="附件标题，可多次给出")

    def handle(self, *args: Any, **options: Any) -> None:
        """For `call_command("proofread", path, json=True)`: prints the findings, raises on exit code ≠ 0."""
        argv = list(options["files"])
        if options["json"]:
            argv.append("--json")
        if options["profile"]:
            argv += ["--profile", options["profile"]]
        if options["doc_type"]:
            argv += ["--doc-type", options["doc_type"]]
        for title in options["attachment"]:
            argv += ["--attachment", title]
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(argv, prog="zhongshu proofread", stdout=out, stderr=err)
        self.stdout.write(out.getvalue(), ending="")  # OutputWrapper would add a second line break
        self.stderr.write(err.getvalue(), ending="")
        if code:
            raise CommandError(f"文稿检查结束，退出码 {code}", returncode=code)
