"""Rules register themselves here; a profile selects which run and at what severity."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .document import Document
from .finding import Category, Hit, Severity

RuleFunc = Callable[[Document, "RuleContext"], Iterable[Hit]]


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the document: the profile's dictionaries and settings."""

    dictionaries: dict[str, object]
    options: dict[str, object]


@dataclass(frozen=True)
class Rule:
    id: str
    category: Category
    severity: Severity
    title: str  # short Chinese name shown in lists and settings
    func: RuleFunc
    enabled_by_default: bool = True


_RULES: dict[str, Rule] = {}
_loaded = False


def rule(
    rule_id: str,
    *,
    category: Category,
    severity: Severity,
    title: str,
    enabled_by_default: bool = True,
) -> Callable[[RuleFunc], RuleFunc]:
    """Declare a rule: `@rule("PUN-10", category=Category.PUNCTUATION, severity=Severity.ERROR, title=…)`."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _RULES and _RULES[rule_id].func is not func:
            raise ValueError(f"rule {rule_id} declared twice")
        _RULES[rule_id] = Rule(rule_id, category, severity, title, func, enabled_by_default)
        return func

    return register


def rules() -> dict[str, Rule]:
    """Every rule, after importing the rule modules (once per process)."""
    global _loaded
    if not _loaded:
        from . import rules as rule_modules

        rule_modules.load_all()
        _loaded = True
    return _RULES
