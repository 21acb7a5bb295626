"""Running the rules over a text: `check(text, profile=…, doc_type=…) -> list[Finding]`."""

from __future__ import annotations

import datetime as dt

from .document import Document
from .finding import Finding
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
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings
