"""Quality of the text checker on the evaluation set: precision, recall and F1 per rule family.

    .venv/bin/python bench/proofread/evaluate.py [--cases DIR] [--examples 10] [--strict]

Reads every `bench/proofread/cases/*.jsonl`; one case a line:
    {"family": "punctuation", "text": "…", "doc_type": null,
     "expected": [{"rule": "PUN-10", "start": 12, "end": 14}]}
(optional "attachments": ["…"]). Runs `check()` on each text and prints Markdown (appended to BENCHMARKS.md):

- Matching: a finding matches an expected error when their rule families agree (the rule id up to the first
  "-": PUN-10 ~ PUN-01, W1 ~ W1; DATE- counts as NUM-; a finding into which the engine merged others on the
  same span, listed in its extra["merged"], has their families too) and their spans overlap (an empty span overlaps
  what touches it). Recall = expected errors matched by a finding; precision = findings that match an
  expected error, over all error- and warning-level findings (an unmatched info-level finding is a hint,
  not a false claim). Every finding in every text counts, whatever the file's family: texts must be
  labelled completely.
- False alarms: error-level findings per 1,000 characters of the clean texts (those with "expected": []).
- Targets beside the figures: deterministic families P ≥ 0.95 and R ≥ 0.9; W2 and W3 P ≥ 0.8 (recall shown
  as measured); W4 (dictionary content) none; ≤ 0.3 error-level false alarms per 1,000 clean characters.
- The worst misses and false alarms, grouped by rule, with the text around them.

Exit code 0; with --strict, 1 when a target is missed or a case line is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from zhongshu.proofread import Finding, Severity, check  # noqa: E402

CASES = Path(__file__).resolve().parent / "cases"
FAMILY_ALIASES = {"DATE": "NUM"}
FAMILY_NAMES = {
    "PUN": "标点 PUN",
    "NUM": "数字 NUM/DATE",
    "C": "公文格式 C",
    "TL": "行文规则 TL",
    "W1": "非词错字 W1",
    "W2": "易混词 W2",
    "W3": "输入法误字 W3",
    "W4": "规范表述 W4",
    "W": "字词重复 W-DUP",
    "JUNK": "乱码残留 JUNK",
}
SOFT_FAMILIES = {"W2": (0.8, None), "W3": (0.8, None), "W4": (None, None)}  # (precision, recall) targets
DETERMINISTIC = (0.95, 0.9)
FALSE_ALARM_TARGET = 0.3  # error-level findings per 1,000 characters of clean text


def family_of(rule: str) -> str:
    prefix = rule.split("-", 1)[0]
    return FAMILY_ALIASES.get(prefix, prefix)


def families_of(finding: Finding) -> set[str]:
    """The finding's family and those of the findings the engine merged into it (same span)."""
    merged = finding.extra.get("merged", [])
    return {family_of(finding.rule), *(family_of(rule) for rule in merged)}


def targets(family: str) -> tuple[float | None, float | None]:
    return SOFT_FAMILIES.get(family, DETERMINISTIC)


@dataclass
class Expected:
    rule: str
    start: int
    end: int


@dataclass
class Case:
    source: str  # file:line
    family: str
    text: str
    doc_type: str | None
    attachments: list[str]
    expected: list[Expected]
    findings: list[Finding] = field(default_factory=list)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end or b_start == b_end:
        return a_start <= b_end and b_start <= a_end
    return a_start < b_end and b_start < a_end


def load_cases(directory: Path) -> tuple[list[Case], list[str]]:
    cases: list[Case] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{number}"
            try:
                cases.append(parse_case(json.loads(line), source))
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"{source}: {exc}")
    return cases, problems


def parse_case(data: dict[str, Any], source: str) -> Case:
    text = data["text"]
    if not isinstance(text, str) or not isinstance(data["family"], str):
        raise TypeError("family and text must be strings")
    doc_type = data.get("doc_type")
    if doc_type is not None and not isinstance(doc_type, str):
        raise TypeError("doc_type must be null or a string")
    expected = []
    for item in data["expected"]:
        start, end, rule = item["start"], item["end"], item["rule"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise ValueError(f"span {start}–{end} outside the text (length {len(text)})")
        expected.append(Expected(str(rule), start, end))
    attachments = [str(title) for title in data.get("attachments", [])]
    return Case(source, data["family"], text, doc_type, attachments, expected)


@dataclass
class Tally:
    expected: int = 0
    recalled: int = 0
    counted: int = 0  # error- and warning-level findings, plus matched info-level ones
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.counted if self.counted else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class Results:
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_rule: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_file: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[Case, Expected]] = field(default_factory=list)
    false_alarms: list[tuple[Case, Finding]] = field(default_factory=list)
    clean_chars: int = 0
    clean_errors: int = 0
    clean_warnings: int = 0
    chars: int = 0
    seconds: float = 0.0


def evaluate(cases: list[Case]) -> Results:
    results = Results()
    check(cases[0].text)  # load the rules and their tables first: the timing is of checking only
    started = time.perf_counter()
    for case in cases:
        case.findings = check(case.text, doc_type=case.doc_type, attachments=case.attachments)
    results.seconds = time.perf_counter() - started
    for case in cases:
        results.chars += len(case.text)
        file_tally = results.by_file[case.source.rsplit(":", 1)[0]]
        for item in case.expected:
            family = family_of(item.rule)
            hit = any(
                family in families_of(f) and overlaps(f.start, f.end, item.start, item.end) for f in case.findings
            )
            for tally in (results.by_family[family], results.by_rule[item.rule], file_tally):
                tally.expected += 1
                tally.recalled += hit
            if not hit:
                results.misses.append((case, item))
        for finding in case.findings:
            family = family_of(finding.rule)
            correct = any(
                family_of(item.rule) in families_of(finding)
                and overlaps(finding.start, finding.end, item.start, item.end)
                for item in case.expected
            )
            if not correct and finding.severity == Severity.INFO:
                continue
            for tally in (results.by_family[family], results.by_rule[finding.rule], file_tally):
                tally.counted += 1
                tally.correct += correct
            if not correct:
                results.false_alarms.append((case, finding))
        if not case.expected:
            results.clean_chars += len(case.text)
            results.clean_errors += sum(f.severity == Severity.ERROR for f in case.findings)
            results.clean_warnings += sum(f.severity == Severity.WARNING for f in case.findings)
    return results


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def verdict(value: float | None, target: float | None) -> str:
    if target is None or value is None:
        return ""
    return "✓" if value >= target else "✗"


def excerpt(text: str, start: int, end: int, width: int = 14) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    shown = f"{before}【{text[start:end]}】{after}"
    return shown.replace("\n", "⏎").replace("|", "\\|")


def report(cases: list[Case], results: Results, problems: list[str], examples: int) -> tuple[str, bool]:
    """The Markdown section and whether every target is met."""
    met = not problems
    files = Counter(case.source.rsplit(":", 1)[0] for case in cases)
    with_errors = sum(bool(case.expected) for case in cases)
    clean = len(cases) - with_errors
    expected = sum(len(c.expected) for c in cases)
    lines = [
        "## Proofreading quality (bench/proofread/evaluate.py)",
        "",
        f"{len(cases)} texts from {len(files)} case files ({with_errors} with errors, {clean} clean), "
        f"{expected} expected errors, {results.chars:,} characters, "
        f"checked in {results.seconds * 1000:.0f} ms. "
        "A finding matches an expected error when the rule families agree and the spans overlap; "
        "precision counts error- and warning-level findings.",
        "",
        "| Rule family | Expected | Found | Precision | Recall | F1 | Target P / R | Met |",
        "|---|---:|---:|---:|---:|---:|---|:-:|",
    ]
    for family in sorted(
        results.by_family, key=lambda f: (list(FAMILY_NAMES).index(f) if f in FAMILY_NAMES else 99, f)
    ):
        tally = results.by_family[family]
        p_target, r_target = targets(family)
        marks = [verdict(tally.precision, p_target), verdict(tally.recall, r_target)]
        met = met and "✗" not in marks
        target = f"≥ {p_target} / " + (f"≥ {r_target}" if r_target else "as measured") if p_target else "—"
        name = FAMILY_NAMES.get(family, family)
        lines.append(
            f"| {name} | {tally.expected} | {tally.counted} | {fmt(tally.precision)} | {fmt(tally.recall)} "
            f"| {fmt(tally.f1)} | {target} | {''.join(marks) or '—'} |"
        )
    rate = results.clean_errors / results.clean_chars * 1000 if results.clean_chars else None
    warn_rate = results.clean_warnings / results.clean_chars * 1000 if results.clean_chars else None
    alarm_ok = rate is not None and rate <= FALSE_ALARM_TARGET
    met = met and alarm_ok
    lines += [
        "",
        "| Clean texts | Characters | Error-level findings | Per 1,000 characters | Target | Met "
        "| Warnings per 1,000 |",
        "|---|---:|---:|---:|---|:-:|---:|",
        f"| {clean} | {results.clean_chars:,} | {results.clean_errors} | {fmt(rate)} "
        f"| ≤ {FALSE_ALARM_TARGET} | {'✓' if alarm_ok else '✗'} | {fmt(warn_rate)} |",
        "",
        "| Case file | Texts | Expected | Found | Precision | Recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, tally in sorted(results.by_file.items()):
        lines.append(
            f"| {name} | {files[name]} | {tally.expected} | {tally.counted} | {fmt(tally.precision)} "
            f"| {fmt(tally.recall)} | {fmt(tally.f1)} |"
        )
    lines += [
        "",
        "| Rule | Expected | Recalled | Found | Correct | Precision | Recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for rule, tally in sorted(results.by_rule.items()):
        lines.append(
            f"| {rule} | {tally.expected} | {tally.recalled} | {tally.counted} | {tally.correct} "
            f"| {fmt(tally.precision)} | {fmt(tally.recall)} |"
        )
    lines += ["", f"**Worst misses** (expected errors no finding matched; {len(results.misses)} in all):", ""]
    lines += _worst([(item.rule, case, item.start, item.end, "") for case, item in results.misses], examples) or [
        "- none"
    ]
    lines += [
        "",
        f"**Worst false alarms** (findings no expected error matched; {len(results.false_alarms)} in all):",
        "",
    ]
    lines += _worst(
        [(f.rule, case, f.start, f.end, f" [{f.severity}] {f.message}") for case, f in results.false_alarms],
        examples,
    ) or ["- none"]
    if problems:
        lines += ["", f"**Invalid case lines skipped** ({len(problems)}):", ""]
        lines += [f"- {problem}" for problem in problems]
    lines += ["", f"All targets met: {'yes' if met else 'no'}."]
    return "\n".join(lines), met


def _worst(items: list[tuple[str, Case, int, int, str]], examples: int) -> list[str]:
    """Up to `examples` lines, the rules with the most items first, one example per line."""
    by_rule: dict[str, list[tuple[Case, int, int, str]]] = defaultdict(list)
    for rule, case, start, end, note in items:
        by_rule[rule].append((case, start, end, note))
    ordered = sorted(by_rule.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    lines: list[str] = []
    depth = 0
    while len(lines) < examples and any(len(group) > depth for _, group in ordered):
        for rule, group in ordered:
            if depth < len(group) and len(lines) < examples:
                case, start, end, note = group[depth]
                shown = excerpt(case.text, start, end) + note.replace("|", "/")
                lines.append(f"- {rule} ({len(group)}×) {case.source}: {shown}")
        depth += 1
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Precision, recall and false alarms of the text checker.")
    parser.add_argument("--cases", type=Path, default=CASES, help="directory of *.jsonl case files")
    parser.add_argument("--examples", type=int, default=10, help="how many misses and false alarms to show")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    cases, problems = load_cases(args.cases)
    for problem in problems:
        print(f"invalid case: {problem}", file=sys.stderr)
    if not cases:
        print(f"no cases under {args.cases}", file=sys.stderr)
        return 1
    text, met = report(cases, evaluate(cases), problems, args.examples)
    print(text)
    return 0 if met or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
