"""The `zhongshu` console command: Django's management commands with Zhongshu's settings.

`zhongshu init`, `serve`, `worker`, `createadmin`, `workdays`, `audit`, `backup`, `restore` and every other
management command; `zhongshu help` lists them, `zhongshu --version` names the installed version.
A configuration error (for example ZHONGSHU_CLOCK without ZHONGSHU_DEBUG=1) prints one line and exits 2.

`zhongshu check FILE…` runs the text checker (zhongshu.proofread) without Django or a database, so it
works outside an installation; `zhongshu check` with no file (or with --deploy, --tag …) stays Django's
system check.
"""

from __future__ import annotations

import os
import sys


def _version() -> str:
    import importlib.metadata

    import django

    try:
        ours = importlib.metadata.version("zhongshu")
    except importlib.metadata.PackageNotFoundError:
        ours = "unknown"
    return f"中枢 {ours}（Django {django.get_version()}）"


def is_proofread_call(args: list[str]) -> bool:
    """`check` followed by files to read (or "-", or the checker's own options), not system-check options."""
    if not args or args[0] != "check":
        return False
    from zhongshu.proofread.cli import is_proofread_check

    return is_proofread_check(args[1:])


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings.base")
    args = list(sys.argv if argv is None else ["zhongshu", *argv])
    args[0] = "zhongshu"
    if args[1:] in (["--version"], ["version"]):
        print(_version())
        return
    if is_proofread_call(args[1:]):
        from zhongshu.proofread.cli import main as proofread_main

        sys.exit(proofread_main(args[2:], prog="zhongshu check"))
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line

        # Load the settings before any command runs, so that a refused configuration is reported once,
        # and not after a command has half started without settings.
        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        print(f"配置错误：{' '.join(str(exc).split())}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
