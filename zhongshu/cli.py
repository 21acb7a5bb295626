"""The `zhongshu` console command: Django's management commands with Zhongshu's settings.

`zhongshu init`, `serve`, `worker`, `createadmin`, `workdays`, `audit`, `backup`, `restore` and every other
management command; `zhongshu help` lists them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings.base")
    args = list(sys.argv if argv is None else ["zhongshu", *argv])
    args[0] = "zhongshu"
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        print(f"配置错误:{exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
