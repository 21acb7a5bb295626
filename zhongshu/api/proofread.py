"""POST /api/v1/proofread: the text checker for any signed-in person (the editor panel calls it), with the
installation's profile (its dictionaries, unit and people names, statistics of its approved documents).

With `doc_key` (e.g. "tracking:item:12") the findings that the writers of that document dismissed are
left out and the dismissals are returned; POST /api/v1/proofread/dismissals records one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhongshu.checking import selectors as checking
from zhongshu.checking import services as checking_services
from zhongshu.core import clock
from zhongshu.core.exceptions import NotFound
from zhongshu.core.schemas import InputSchema
from zhongshu.proofread import check

router = Router(tags=["校对"])

MAX_CHARS = 200_000

DocType = Literal[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见",
    "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
]  # fmt: skip


class ProofreadIn(InputSchema):
    text: str = Field(..., max_length=MAX_CHARS, description=f"待检查的文字，最多 {MAX_CHARS} 个字符")
    doc_type: DocType | None = Field(None, description="文种（可选），用于行文规则（如请示一文一事）")
    attachments: list[str] = Field(default_factory=list, description="附件标题（可选），用于核对附件说明")
    doc_key: str | None = Field(
        None, max_length=120, description="文稿标识（可选，如 tracking:item:12）：已忽略的提示不再返回"
    )


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
    text: str


class DismissalOut(Schema):
    id: int
    doc_key: str
    rule: str
    text: str
    message: str
    reason: str
    by: str
    at: dt.datetime


class ProofreadOut(Schema):
    findings: list[FindingOut]
    counts: dict[str, int]
    dismissed: list[DismissalOut]
    dismissed_hidden: int = Field(..., description="本次检查中因已忽略而未返回的提示数")


class DismissIn(InputSchema):
    doc_key: str = Field(..., max_length=120, description="文稿标识")
    rule: str = Field(..., max_length=20, description="规则编号")
    text: str = Field(..., max_length=200, description="提示所指的原文")
    reason: str = Field(..., max_length=200, description="忽略理由")
    message: str = Field("", max_length=500, description="提示内容（供审核人查看）")


def _dismissal(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "doc_key": row.doc_key,
        "rule": row.rule,
        "text": row.text,
        "message": row.message,
        "reason": row.reason,
        "by": row.created_by_name,
        "at": row.created_at,
    }


def _document(request: HttpRequest, doc_key: str) -> None:
    if not checking.may_see_document(request.user, doc_key):
        raise NotFound("未找到该文稿，或您无权查看。")


@router.post("", response=ProofreadOut, summary="检查文字（文字关、校核关）", url_name="proofread")
def proofread(request: HttpRequest, payload: ProofreadIn) -> dict[str, object]:
    dismissed: list[Any] = []
    if payload.doc_key:
        _document(request, payload.doc_key)
        dismissed = checking.dismissals_for([payload.doc_key])
    findings = check(
        payload.text,
        profile=checking.profile(),
        doc_type=payload.doc_type,
        attachments=payload.attachments,
        today=clock.today(),
    )
    skip = {(row.rule, row.text) for row in dismissed}
    counts = {"error": 0, "warning": 0, "info": 0}
    rows = []
    hidden = 0
    for finding in findings:
        span = payload.text[finding.start : finding.end]
        if (finding.rule, span) in skip:
            hidden += 1
            continue
        counts[str(finding.severity)] += 1
        row = finding.as_dict()
        row["line"] = finding.paragraph + 1
        row["column"] = finding.paragraph_offset + 1
        row["text"] = span
        rows.append(row)
    return {
        "findings": rows,
        "counts": counts,
        "dismissed": [_dismissal(row) for row in dismissed],
        "dismissed_hidden": hidden,
    }


@router.post(
    "/dismissals",
    response={201: DismissalOut},
    summary="忽略一条提示（说明理由，对该文稿记住）",
    url_name="proofread_dismiss",
)
def dismiss(request: HttpRequest, payload: DismissIn) -> Status:
    _document(request, payload.doc_key)
    row = checking_services.dismiss(
        actor=request.user,
        doc_key=payload.doc_key,
        rule=payload.rule,
        text=payload.text,
        reason=payload.reason,
        message=payload.message,
    )
    return Status(201, _dismissal(row))


class DismissalsQuery(Schema):
    doc_key: str = Field(..., max_length=120, description="文稿标识")


@router.get(
    "/dismissals", response=list[DismissalOut], summary="一篇文稿已忽略的提示及理由", url_name="proofread_dismissals"
)
def dismissals(request: HttpRequest, query: Query[DismissalsQuery]) -> list[dict[str, Any]]:
    _document(request, query.doc_key)
    return [_dismissal(row) for row in checking.dismissals_for([query.doc_key])]
