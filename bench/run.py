"""Run every benchmark under bench/ and write their output to BENCHMARKS.md.

Each bench_*.py is a standalone script that prints a Markdown section (a heading and a table). Every
script runs on SQLite, and again on PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) names a server
(the scripts create and drop their own throw-away database there).
Usage: `make bench` or `.venv/bin/python bench/run.py [name ...]`.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if postgres_url.startswith("postgres"):
        databases.append(("PostgreSQL", postgres_url))
    sections: list[str] = []
    failed = 0
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        targets = databases if "django" in source else [("no database", None)]
        for database, url in targets:
            print(f"== {script.name} on {database}", flush=True)
            env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
            if url:
                env["DATABASE_URL"] = url
            started = time.monotonic()
            result = subprocess.run(  # noqa: S603 — our own scripts
                [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=env
            )
            took = time.monotonic() - started
            print(result.stdout)
            if result.returncode != 0:
                failed += 1
                print(result.stderr, file=sys.stderr)
                sections.append(f"## {script.stem} ({database})\n\nFAILED (exit {result.returncode})\n")
            else:
                output = result.stdout.strip()
                if not output.startswith("#"):  # plain text output: give it a heading, keep its layout
                    output = f"## {script.stem} ({database})\n\n```text\n{output}\n```"
                sections.append(output + f"\n\n_{script.name} on {database} ran in {took:.1f} s._\n")
    names = " and ".join(name for name, _ in databases)
    header = (
        "# Benchmarks\n\n"
        f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, on {names}. "
        "Figures are measured, not asserted; tests never time anything.\n\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(header + "\n".join(sections))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
