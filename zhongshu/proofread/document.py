"""The text under check, split into paragraphs, with the document type when known."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

_PARAGRAPH_BREAK = re.compile(r"\n")


@dataclass
class Document:
    """Plain text; paragraphs are the lines of the text (a DOCX paragraph becomes one line)."""

    text: str
    doc_type: str | None = None  # one of the 15 文种 (通知, 请示, 报告 …) when known
    attachments: list[str] = field(default_factory=list)  # titles of attachments given with the document

    @cached_property
    def paragraph_starts(self) -> list[int]:
        starts = [0]
        starts.extend(match.end() for match in _PARAGRAPH_BREAK.finditer(self.text))
        return starts

    def paragraphs(self) -> list[tuple[int, str]]:
        """(offset of the paragraph in the text, paragraph text without its line break)."""
        result = []
        starts = self.paragraph_starts
        for index, start in enumerate(starts):
            end = starts[index + 1] - 1 if index + 1 < len(starts) else len(self.text)
            result.append((start, self.text[start:end]))
        return result

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        """(paragraph index, offset within the paragraph) of a text offset."""
        index = bisect.bisect_right(self.paragraph_starts, offset) - 1
        return index, offset - self.paragraph_starts[index]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a text offset (for the command's output)."""
        index, column = self.paragraph_of(offset)
        return index + 1, column + 1
