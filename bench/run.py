"""Run every benchmark under bench/ and write their output to BENCHMARKS.md.

Each bench_*.py is a standalone script that prints a Markdown section (a heading and a table). Every
script runs on SQLite, and again on PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) names a server
(the scripts create and drop their own throw-away database there).
Usage: `make bench` or `.venv/bin/python bench/run.py [name ...]`. With names, only those scripts run and only
their sections of BENCHMARKS.md are replaced; the other sections are kept as they were.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TRAILER = re.compile(r"^_(bench_\w+)\.py on [^\n]* ran in [^\n]*_$", re.MULTILINE)
"""The last line of each section: which script wrote it."""


def kept_sections(text: str) -> list[tuple[str, str]]:
    """(script, section) for every section of an existing BENCHMARKS.md, in order."""
    sections = []
    start = text.find("\n## ")
    start = 0 if start < 0 else start
    for match in TRAILER.finditer(text):
        sections.append((match.group(1), text[start : match.end()].strip() + "\n"))
        start = match.end()
    return sections


def merged(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[str]:
    """The old sections with those of the scripts that ran now replaced in place (new scripts at the end)."""
    ran = {script for script, _ in new}
    result: list[str] = []
    placed: set[str] = set()
    for script, section in old:
        if script not in ran:
            result.append(section)
        elif script not in placed:
            result += [s for name, s in new if name == script]
            placed.add(script)
    result += [s for name, s in new if name not in placed]
    return result


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if postgres_url.startswith("postgres"):
        databases.append(("PostgreSQL", postgres_url))
    sections: list[tuple[str, str]] = []
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
                sections.append(
                    (
                        script.stem,
                        f"## {script.stem} ({database})\n\nFAILED (exit {result.returncode})\n\n"
                        f"_{script.name} on {database} ran in {took:.1f} s._\n",
                    )
                )
            else:
                output = result.stdout.strip()
                if not output.startswith("#"):  # plain text output: give it a heading, keep its layout
                    output = f"## {script.stem} ({database})\n\n```text\n{output}\n```"
                sections.append((script.stem, output + f"\n\n_{script.name} on {database} ran in {took:.1f} s._\n"))
    engines = " and ".join(name for name, _ in databases)
    header = (
        "# Benchmarks\n\n"
        f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, on {engines}. "
        "Figures are measured, not asserted; tests never time anything.\n\n"
    )
    target = ROOT / "BENCHMARKS.md"
    if names and target.exists():
        rerun = ", ".join(sorted({script for script, _ in sections}))
        header = header.replace(
            "Figures are measured",
            f"On that date only {rerun} ran; the other sections are from earlier runs. Figures are measured",
        )
        body = merged(kept_sections(target.read_text()), sections)
    else:
        body = [section for _, section in sections]
    target.write_text(header + "\n".join(body))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
