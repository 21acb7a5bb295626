"""Chinese labels for event verbs, declared by each app: `verbs.register("org.unit.created", "创建单位")`.

A verb without a label is shown as it is ("<app>.<entity>.<past_verb>"). Pure registry: safe to import from
any app's ready().
"""

from __future__ import annotations

import re

VERB_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")

_LABELS: dict[str, str] = {}


def is_valid(verb: str) -> bool:
    """A verb is "<app>.<entity>.<past_verb>" in lower-case letters, digits and underscores, ≤ 80 chars."""
    return len(verb) <= 80 and bool(VERB_PATTERN.match(verb))


def register(verb: str, label: str) -> str:
    """Declare the Chinese label of a verb; returns the verb (for the app's constants)."""
    if not is_valid(verb):
        raise ValueError(f"audit verb {verb!r} must look like '<app>.<entity>.<past_verb>'")
    if _LABELS.get(verb, label) != label:
        raise ValueError(f"audit verb {verb!r} registered twice with different labels")
    _LABELS[verb] = label
    return verb


def label(verb: str) -> str:
    """The Chinese label of a verb, or the verb itself when none was registered."""
    return _LABELS.get(verb, verb)


def registered() -> dict[str, str]:
    """Every registered verb and its label."""
    return dict(_LABELS)
