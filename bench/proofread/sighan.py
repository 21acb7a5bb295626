"""Sentence-level detection on the SIGHAN-2015 test set, beside pycorrector's published figures.

    .venv/bin/python bench/proofread/sighan.py [PATH]

PATH is the TSV shipped inside the pycorrector wheel (`pycorrector/data/sighan2015_test.tsv`: one pair a
line, `source<TAB>correct`; 707 pairs, 373 with errors). The data is not in this repository (its
redistribution licence is unknown, see zhongshu/proofread/data/SOURCES.md); get it with

    pip download pycorrector==1.1.4 --no-deps -d /tmp/pyc && unzip -o /tmp/pyc/pycorrector-*.whl \
        'pycorrector/data/sighan2015_test.tsv' -d /tmp/pyc

and pass /tmp/pyc/pycorrector/data/sighan2015_test.tsv. Without PATH the script looks for an installed
pycorrector package (without importing it).

A sentence counts as flagged when the checker reports any finding of the 文字 category (W1, W2, W3,
W-DUP): sentence-level detection as in pycorrector's evaluation (P = flagged sentences with an error /
flagged sentences; R = flagged sentences with an error / sentences with an error). A stricter figure
also requires a finding to cover a changed character. SIGHAN is learners' essays, not official writing:
our domain rules are not expected to win there, but the figure should be known and should rise.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from zhongshu.proofread import Category, check  # noqa: E402

# pycorrector's published sentence-level figures: the README's table is on the 1,100-sentence set; the
# comments of its evaluate_models.py give the 707-sentence subset that its wheel ships (this file).
PUBLISHED = [
    ("pycorrector kenlm (rule + n-gram LM), 1,100 sentences", 0.686, 0.1529, 0.25),
    ("pycorrector MacBERT-CSC, 1,100 sentences", 0.8254, 0.7311, 0.7754),
    ("pycorrector kenlm, 707 sentences", 0.8022, 0.1957, 0.3147),
    ("pycorrector macbert4csc, 707 sentences", 0.9274, 0.7534, 0.8314),
]


def default_path() -> Path | None:
    spec = importlib.util.find_spec("pycorrector")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "sighan2015_test.tsv"
        if candidate.exists():
            return candidate
    return None


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.append((parts[0], parts[1]))
    return pairs


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="sighan2015_test.tsv (source<TAB>correct)")
    args = parser.parse_args()
    path = args.path or default_path()
    if path is None or not path.exists():
        print("SIGHAN-2015 test set not found: pass the path of sighan2015_test.tsv (see --help)", file=sys.stderr)
        return 2
    pairs = read_pairs(path)
    check("预热")
    flagged = flagged_right = located = positives = 0
    rules: dict[str, int] = {}
    started = time.perf_counter()
    for source, correct in pairs:
        wrong_at = {i for i, (a, b) in enumerate(zip(source, correct, strict=False)) if a != b}
        has_error = source != correct
        positives += has_error
        findings = [f for f in check(source) if f.category == Category.CHARACTER]
        if not findings:
            continue
        flagged += 1
        flagged_right += has_error
        if any(any(f.start <= i < f.end for i in wrong_at) for f in findings):
            located += 1
        for finding in findings:
            rules[finding.rule] = rules.get(finding.rule, 0) + 1
    seconds = time.perf_counter() - started
    p, r = ratio(flagged_right, flagged), ratio(flagged_right, positives)
    lp, lr = ratio(located, flagged), ratio(located, positives)
    print("## SIGHAN-2015 sentence-level detection (bench/proofread/sighan.py)")
    print()
    print(
        f"{len(pairs)} sentences ({positives} with errors) from `{path.name}`, checked in {seconds:.1f} s; "
        f"flagged {flagged} (findings by rule: "
        + (", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())) or "none")
        + ")."
    )
    print()
    print("| System | Precision | Recall | F1 |")
    print("|---|---:|---:|---:|")
    print(f"| Zhongshu (any 文字 finding in the sentence) | {p:.3f} | {r:.3f} | {f1(p, r):.3f} |")
    print(f"| Zhongshu (a finding covers a changed character) | {lp:.3f} | {lr:.3f} | {f1(lp, lr):.3f} |")
    for name, pp, rr, ff in PUBLISHED:
        print(f"| {name} (published) | {pp:.3f} | {rr:.3f} | {ff:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
