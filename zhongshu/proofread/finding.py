"""What the checker reports: one Finding per problem, with its span, rule, reason and proposed fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Category(StrEnum):
    CHARACTER = "文字"
    PUNCTUATION = "标点"
    NUMBER = "数字"
    FORMAT = "格式"
    STANDARD_WORDING = "规范表述"
    STYLE = "行文"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True)
class Finding:
    """A problem at text[start:end]. `message` says why in Chinese; `suggestion` is the replacement for the
    span (None when the fix needs a person); `evidence` says what made a statistical rule suspicious."""

    start: int
    end: int
    rule: str
    category: Category
    severity: Severity
    message: str
    suggestion: str | None = None
    evidence: str | None = None
    paragraph: int = 0  # index of the paragraph holding `start`
    paragraph_offset: int = 0  # offset of `start` within that paragraph
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_position(self, *, paragraph: int, paragraph_offset: int) -> Finding:
        return replace(self, paragraph=paragraph, paragraph_offset=paragraph_offset)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["category"] = str(self.category)
        data["severity"] = str(self.severity)
        data.pop("extra", None)
        return data


@dataclass(frozen=True)
class Hit:
    """What a rule returns: a span and its reason; the engine adds the rule's id, category and severity."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    evidence: str | None = None
    severity: Severity | None = None  # overrides the rule's default (e.g. a softer variant of the rule)
