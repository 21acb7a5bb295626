"""Run every benchmark under bench/ and write their output to BENCHMARKS.md.

Each bench_*.py is a standalone script that prints a Markdown section (a heading and a table).
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
    sections: list[str] = []
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 — our own scripts
            [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=os.environ.copy()
        )
        took = time.monotonic() - started
        print(result.stdout)
        if result.returncode != 0:
            failed += 1
            print(result.stderr, file=sys.stderr)
            sections.append(f"## {script.stem}\n\nFAILED (exit {result.returncode})\n")
        else:
            sections.append(result.stdout.strip() + f"\n\n_{script.name} ran in {took:.1f} s._\n")
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    header = (
        "# Benchmarks\n\n"
        f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, database {database}. "
        "Figures are measured, not asserted; tests never time anything.\n\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(header + "\n".join(sections))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
