"""Running the rules over a text: `check(text, profile=…, doc_type=…) -> list[Finding]`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from .document import Document
from .finding import Category, Finding, Severity
from .profile import Profile
from .registry import RuleContext, rules


def check(
    text: str,
    *,
    profile: Profile | None = None,
    doc_type: str | None = None,
    attachments: list[str] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every finding in `text`, ordered by position; nothing in the text is changed. `today` decides which
    dated 规范表述 are in force (the library reads no clock; callers pass their own)."""
    profile = profile or Profile.default()
    document = Document(text=text, doc_type=doc_type, attachments=list(attachments or []))
    return check_document(document, profile=profile, today=today)


def check_document(
    document: Document, *, profile: Profile | None = None, today: dt.date | None = None
) -> list[Finding]:
    profile = profile or Profile.default()
    # Dictionaries named in a profile file arrive as paths; ones handed over by the app are already loaded.
    dictionaries: dict[str, object] = {**profile.dictionary_paths, **profile.dictionaries}
    for key in ("local_names", "unit_names"):
        names = _names_from(dictionaries.get(key)) + tuple(getattr(profile, key))
        dictionaries[key] = tuple(dict.fromkeys(name for name in names if name))
    if profile.extra_stats is not None:
        dictionaries["slips_stats"] = profile.extra_stats
    options: dict[str, object] = dict(profile.options)
    if today is not None:
        options["today"] = today
    context = RuleContext(dictionaries=dictionaries, options=options)
    findings: list[Finding] = []
    for rule in list(rules().values()):
        if not profile.runs(rule.id, rule.enabled_by_default):
            continue
        severity = profile.severity.get(rule.id)
        for hit in rule.func(document, context):
            paragraph, offset = document.paragraph_of(hit.start)
            findings.append(
                Finding(
                    start=hit.start,
                    end=hit.end,
                    rule=rule.id,
                    category=rule.category,
                    severity=severity or hit.severity or rule.severity,
                    message=hit.message,
                    suggestion=hit.suggestion,
                    evidence=hit.evidence,
                    paragraph=paragraph,
                    paragraph_offset=offset,
                    extra={"original": document.text[hit.start : hit.end]},
                )
            )
    names = tuple(dictionaries["local_names"]) + tuple(dictionaries["unit_names"])  # type: ignore[arg-type]
    if names:
        findings = _outside_names(document.text, findings, names)
    return merge_overlaps(findings)


# When two findings claim the same span with the same suggestion, the rule that knows more of the context
# stays (W2's hand-written collocation before W3's statistics, DATE-01 before NUM-03); with different
# suggestions the more severe one stays, then the more specific (NUM-05 "15~30%" before PUN-07 "~").
# Prefixes are matched on the rule id.
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
PRECEDENCE = ("C-", "TL-", "ORG-", "W4", "DATE-", "NUM-", "W2", "W1", "W-DUP", "W3", "PUN-", "JUNK-")


def _rank(rule_id: str) -> int:
    for index, prefix in enumerate(PRECEDENCE):
        if rule_id == prefix or rule_id.startswith(prefix):
            return index
    return len(PRECEDENCE)


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Findings ordered by position, without two on the same span: of findings with an identical span
    one stays (see PRECEDENCE); a finding inside another one whose suggestion still
    holds its text is folded into that suggestion (NUM-05 "15%~30%" + PUN-07 "～" → "15%～30%").
    The rules merged away are listed in `extra["merged"]`."""
    by_span: dict[tuple[int, int], Finding] = {}
    for finding in sorted(findings, key=lambda f: _rank(f.rule)):
        span = (finding.start, finding.end)
        kept = by_span.get(span)
        if kept is None:
            by_span[span] = finding
            continue
        if kept.suggestion != finding.suggestion and (_SEVERITY_RANK[finding.severity] < _SEVERITY_RANK[kept.severity]):
            kept, finding = finding, kept
            by_span[span] = kept
        kept.extra.setdefault("merged", []).append(finding.rule)
    ordered = sorted(by_span.values(), key=lambda f: (f.start, -f.end, _rank(f.rule)))
    result: list[Finding] = []
    open_outer: list[int] = []  # indexes in result of findings that may contain the next ones
    for finding in ordered:
        open_outer = [i for i in open_outer if result[i].end > finding.start]
        folded = False
        for index in open_outer:
            outer = result[index]
            if not (outer.start <= finding.start and finding.end <= outer.end):
                continue
            if outer.suggestion is None or finding.suggestion is None or _rank(outer.rule) > _rank(finding.rule):
                continue
            relative = finding.start - outer.start
            original = outer.extra.get("original")
            if not isinstance(original, str):
                continue
            piece = original[relative : relative + finding.end - finding.start]
            if outer.suggestion.count(piece) != 1:
                continue
            suggestion = outer.suggestion.replace(piece, finding.suggestion)
            merged = [*outer.extra.get("merged", []), finding.rule]
            result[index] = replace(outer, suggestion=suggestion, extra={**outer.extra, "merged": merged})
            folded = True
            break
        if not folded:
            result.append(finding)
            open_outer.append(len(result) - 1)
    result.sort(key=lambda f: (f.start, f.end, f.rule))
    for finding in result:
        finding.extra.pop("original", None)
    return result


def _names_from(value: object) -> tuple[str, ...]:
    """Names given as a list or as a file (one name a line, # starts a comment)."""
    if value is None:
        return ()
    if isinstance(value, str | Path):
        return _names_file(Path(value))
    return tuple(str(name).strip() for name in value)  # type: ignore[attr-defined]


def _names_file(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _outside_names(text: str, findings: list[Finding], names: tuple[str, ...]) -> list[Finding]:
    """Drop wording findings (文字, 规范表述 except ORG-01) that overlap a registered name."""
    from .rules.slips import protected_spans

    spans = protected_spans(text, names)
    if not spans:
        return findings
    kept = []
    for finding in findings:
        wording = finding.category in (Category.CHARACTER, Category.STANDARD_WORDING) and finding.rule != "ORG-01"
        if wording and any(finding.start < end and start < finding.end for start, end in spans):
            continue
        kept.append(finding)
    return kept
