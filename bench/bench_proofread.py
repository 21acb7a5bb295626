"""Benchmark of the text checker (zhongshu.proofread, pure Python, no database): speed, memory, cold start.

    .venv/bin/python bench/bench_proofread.py [--repeat 20] [--no-quality]

Documents are built from the evaluation texts (bench/proofread/cases/*.jsonl), paragraph after paragraph,
to a number of pages of 616 characters (GB/T 9704: 22 lines of 28 characters). Prints Markdown tables with
the targets beside the figures:
- characters per second of the full rule set (default profile) on a 10-page and a 200-page document
  (median of several runs, after a first check has loaded the rules' tables), and the time of one
  sentence (the fixed cost of a call, which the editor panel pays on every re-check);
- the slowest rules on the 200-page document;
- memory: tracemalloc peak of one check at three sizes (flat per character means no growth beyond the text
  and its findings);
- first check in a fresh process (import + check of 10 pages), timed inside a subprocess, and the wall time
  of the whole subprocess (interpreter start included);
- then, unless --no-quality, the evaluation of bench/proofread/evaluate.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhongshu.proofread import Profile, check  # noqa: E402
from zhongshu.proofread.document import Document  # noqa: E402
from zhongshu.proofread.registry import RuleContext, rules  # noqa: E402

CASES = ROOT / "bench" / "proofread" / "cases"
PAGE = 22 * 28  # characters on a GB/T 9704 page
TARGET_RATE = 300_000  # characters per second
TARGET_10_PAGES_MS = 50.0
TARGET_FIRST_CHECK_S = 1.0
FALLBACK = (
    "关于做好2026年汛期安全生产工作的通知\n各镇人民政府、街道办事处，区政府各委、办、局：\n"
    "当前我区已全面进入主汛期。为切实做好汛期安全生产工作，保障人民群众生命财产安全，经区政府同意，"
    "现将有关事项通知如下。\n一、压实防汛责任。各镇街要落实行政首长负责制，于6月15日前将责任人名单报区防汛办。"
)

COLD_START = """
import json, sys, time
started = time.perf_counter()
from zhongshu.proofread import check
imported = time.perf_counter()
text = sys.stdin.read()
check(text)
first = time.perf_counter()
check(text)
second = time.perf_counter()
print(json.dumps({"import": imported - started, "first": first - imported, "second": second - first}))
"""


def paragraphs() -> list[str]:
    found: list[str] = []
    for path in sorted(CASES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.extend(p for p in json.loads(line)["text"].split("\n") if p.strip())
    return found or FALLBACK.split("\n")


def build(pages: int, source: list[str]) -> str:
    """A document of about `pages` pages: the source paragraphs in turn, cut at a paragraph's end."""
    target = pages * PAGE
    parts: list[str] = []
    size = 0
    index = 0
    while size < target:
        paragraph = source[index % len(source)]
        parts.append(paragraph)
        size += len(paragraph) + 1
        index += 1
    return "\n".join(parts)


def median_seconds(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        check(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_memory(text: str) -> tuple[int, int]:
    """(tracemalloc peak in bytes during one check, number of findings)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    findings = check(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, len(findings)


def cold_start(text: str, runs: int = 3) -> dict[str, float]:
    results = []
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run(  # noqa: S603 — our own interpreter and script
            [sys.executable, "-c", COLD_START],
            input=text,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        figures = json.loads(completed.stdout)
        figures["wall"] = time.perf_counter() - started
        results.append(figures)
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def rule_times(text: str) -> list[tuple[str, float, int]]:
    """(rule id, seconds, hits) of every rule run alone over `text`."""
    profile = Profile.default()
    context = RuleContext(dictionaries=dict(profile.dictionaries), options=dict(profile.options))
    timings = []
    for rule in rules().values():
        started = time.perf_counter()
        hits = list(rule.func(Document(text=text), context))  # a fresh document: no shared caches
        timings.append((rule.id, time.perf_counter() - started, len(hits)))
    return sorted(timings, key=lambda item: -item[1])


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of the 10-page check (the median is shown)")
    parser.add_argument("--no-quality", action="store_true", help="skip the evaluation of the case files")
    args = parser.parse_args()
    source = paragraphs()
    ten, two_hundred = build(10, source), build(200, source)

    check(build(1, source))  # load the rules and their tables once, as a running server would have
    ten_s = median_seconds(ten, args.repeat)
    big_s = median_seconds(two_hundred, max(3, args.repeat // 5))
    ten_rate, big_rate = len(ten) / ten_s, len(two_hundred) / big_s
    findings_ten, findings_big = len(check(ten)), len(check(two_hundred))
    sentence = next((p for p in source if 20 <= len(p) <= 60), source[0])
    sentence_s = median_seconds(sentence, 200)

    print("## Proofreading speed and memory (bench/bench_proofread.py)")
    print()
    print(
        f"Full rule set ({len(rules())} rules, default profile), one core, Python {sys.version.split()[0]}; "
        f"documents built from {len(source)} evaluation paragraphs, {PAGE} characters a page."
    )
    print()
    print("| Document | Characters | Findings | Time (ms) | Characters/s | Target | Met |")
    print("|---|---:|---:|---:|---:|---|:-:|")
    ok_ten = ten_rate >= TARGET_RATE and ten_s * 1000 < TARGET_10_PAGES_MS
    print(
        f"| 10 pages | {len(ten):,} | {findings_ten} | {ten_s * 1000:.1f} | {ten_rate:,.0f} "
        f"| ≥ {TARGET_RATE:,}/s, < {TARGET_10_PAGES_MS:.0f} ms | {mark(ok_ten)} |"
    )
    print(
        f"| 200 pages | {len(two_hundred):,} | {findings_big} | {big_s * 1000:.1f} | {big_rate:,.0f} "
        f"| ≥ {TARGET_RATE:,}/s | {mark(big_rate >= TARGET_RATE)} |"
    )

    print(
        f"| one sentence (the editor panel's re-check) | {len(sentence)} | {len(check(sentence))} "
        f"| {sentence_s * 1000:.2f} | {len(sentence) / sentence_s:,.0f} | (latency; no target) | |"
    )

    print()
    print("| Slowest rules (200 pages, each alone) | Time (ms) | Characters/s | Hits |")
    print("|---|---:|---:|---:|")
    for rule_id, seconds, hits in rule_times(two_hundred)[:10]:
        rate = len(two_hundred) / seconds if seconds else float("inf")
        print(f"| {rule_id} | {seconds * 1000:.1f} | {rate:,.0f} | {hits} |")

    print()
    print("| Memory (one check, tracemalloc peak) | Characters | Findings | Peak (KiB) | Bytes per character |")
    print("|---|---:|---:|---:|---:|")
    for pages in (10, 100, 500):
        text = build(pages, source)
        peak, count = peak_memory(text)
        print(f"| {pages} pages | {len(text):,} | {count} | {peak / 1024:,.0f} | {peak / len(text):.1f} |")

    cold = cold_start(ten)
    first = cold["import"] + cold["first"]
    print()
    print("| Fresh process (10 pages, median of 3) | Seconds | Target | Met |")
    print("|---|---:|---|:-:|")
    print(f"| import zhongshu.proofread | {cold['import']:.3f} | | |")
    print(f"| first check (rules and tables loaded) | {cold['first']:.3f} | | |")
    print(f"| import + first check | {first:.3f} | < {TARGET_FIRST_CHECK_S:.0f} s | {mark(first < 1.0)} |")
    print(f"| second check in the same process | {cold['second']:.3f} | | |")
    print(f"| whole subprocess (interpreter start included) | {cold['wall']:.3f} | | |")

    if not args.no_quality:
        sys.path.insert(0, str(ROOT / "bench" / "proofread"))
        import evaluate  # bench/proofread/evaluate.py

        cases, problems = evaluate.load_cases(evaluate.CASES)
        if cases:
            text, _met = evaluate.report(cases, evaluate.evaluate(cases), problems, examples=10)
            print()
            print(text)


if __name__ == "__main__":
    main()
