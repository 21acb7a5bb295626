"""POST /api/v1/proofread: the text checker for any signed-in person (the editor panel calls it)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zhongshu.core import clock
from zhongshu.proofread import check

router = Router(tags=["校对"])

MAX_CHARS = 200_000

DocType = Literal[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见",
    "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
]  # fmt: skip


class ProofreadIn(Schema):
    text: str = Field(..., max_length=MAX_CHARS, description=f"待检查的文字，最多 {MAX_CHARS} 个字符")
    doc_type: DocType | None = Field(None, description="文种（可选），用于行文规则（如请示一文一事）")
    attachments: list[str] = Field(default_factory=list, description="附件标题（可选），用于核对附件说明")


class FindingOut(Schema):
    start: int
    end: int
    line: int
    column: int
    paragraph: int
    paragraph_offset: int
    rule: str
    category: str
    severity: str
    message: str
    suggestion: str | None
    evidence: str | None


class ProofreadOut(Schema):
    findings: list[FindingOut]
    counts: dict[str, int]


@router.post("", response=ProofreadOut, summary="检查文字（文字关、校核关）")
def proofread(request: HttpRequest, payload: ProofreadIn) -> dict[str, object]:
    findings = check(payload.text, doc_type=payload.doc_type, attachments=payload.attachments, today=clock.today())
    counts = {"error": 0, "warning": 0, "info": 0}
    rows = []
    for finding in findings:
        counts[str(finding.severity)] += 1
        row = finding.as_dict()
        row["line"] = finding.paragraph + 1
        row["column"] = finding.paragraph_offset + 1
        rows.append(row)
    return {"findings": rows, "counts": counts}
