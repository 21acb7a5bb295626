"""Pages of 督查督办 that produce files: the 督办台账 (download with the board's filters, 第N期 snapshots, the
office's own template), the 督查通报, and the printable ladder notices (三色督办单、催办通知书). Views only call
`ledger`, `bulletin`, the selectors and the services; files come from the pure writers under `exports/`."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError
from zhongshu.org.models import Person, Unit

from . import bulletin as bulletins_mod
from . import ledger as ledger_mod
from . import permissions as perms
from . import selectors
from .choices import NoticeLevel, SourceType, Status
from .exports.rows import NoticeData
from .models import LedgerSnapshot, Notice

SNAPSHOTS_PER_PAGE = 20
REPLY_WORKDAYS = {NoticeLevel.YELLOW: 3, NoticeLevel.RED: 2, NoticeLevel.URGE: 2}
"""Working days the unit has to answer a notice (the blue one, “due soon”, asks for no written reply)."""


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


# Forms ---------------------------------------------------------------------------------------------------


class LedgerForm(forms.Form):
    """The ledger's choices: the board's filters, the period of 交办, the layout and the paper."""

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    status = forms.ChoiceField(
        label="办理状态",
        required=False,
        choices=[("", "全部（不含待交办）"), ("open", "未办结"), *Status.choices],
    )
    source_type = forms.ChoiceField(label="事项来源", required=False, choices=[("", "全部来源"), *SourceType.choices])
    overdue = forms.ChoiceField(
        label="是否超期", required=False, choices=[("", "不限"), ("1", "已超期"), ("0", "未超期")]
    )
    assigned_from = forms.DateField(label="交办日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    assigned_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        label="样式", required=False, choices=[("standard", "标准台账"), ("template", "按本单位模板")]
    )
    paper = forms.ChoiceField(
        label="纸张", required=False, choices=[("A3", "A3 横向"), ("A4", "A4 横向")], initial="A3"
    )

    def __init__(self, actor: Any, *args: Any, has_template: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.order_by("display_order", "id")
        scope = authz.scope_of(actor, perms.ITEM_VIEW)
        field = self.fields["unit"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = units.filter(pk__in=scope) if isinstance(scope, set) else units.filter(active=True)
        if not has_template:
            del self.fields["format"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("assigned_from"), data.get("assigned_to")
        if start and end and start > end:
            self.add_error("assigned_to", "结束日期不能早于开始日期。")
        return data


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="台账模板（XLSX）",
        help_text="在 Excel 或 WPS 中制作好表样，用 {{督办编号}} 等占位符标出要填写的位置，另存为 .xlsx 后上传。",
        error_messages={"required": "请选择要上传的模板文件。"},
    )


class BulletinForm(forms.Form):
    period = forms.ChoiceField(label="通报期间", choices=())
    praise_min = forms.IntegerField(
        label="表扬门槛（期内办结件数不少于）",
        min_value=1,
        max_value=100,
        initial=bulletins_mod.DEFAULT_PRAISE_MIN,
        help_text="期内办结件数达到此数、全部按期办结且当前无超期事项的单位予以表扬。",
        error_messages={"min_value": "表扬门槛至少为 1 件。", "max_value": "表扬门槛最多为 100 件。"},
    )

    def __init__(self, today: dt.date, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        if isinstance(field, forms.ChoiceField):
            field.choices = list(bulletins_mod.period_choices(today))
            field.initial = bulletins_mod.default_period(today).key


# The ledger ------------------------------------------------------------------------------------------------


def _ledger_page(request: HttpRequest, actor: Person, form: LedgerForm, *, status: int = 200) -> HttpResponseBase:
    manage = authz.can(actor, perms.ITEM_MANAGE)
    see_all = ledger_mod.may_see_all(actor)
    today = clock.today()
    page_obj = None
    if see_all:
        page_obj = Paginator(ledger_mod.snapshots(), SNAPSHOTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "can_manage": manage,
        "see_all": see_all,
        "page_obj": page_obj,
        "snapshots": page_obj.object_list if page_obj else [],
        "next_period_no": ledger_mod.next_period_no(today.year) if manage else None,
        "year": today.year,
        "template": ledger_mod.current_template() if see_all else None,
    }
    return render(request, "tracking/ledger.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest) -> HttpResponseBase:
    """The ledger page: choose filters and download; 生成第N期台账; the saved snapshots; the template."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_VIEW)
    if request.method == "POST":
        authz.require(actor, perms.ITEM_MANAGE)
        try:
            snapshot = ledger_mod.take_snapshot(actor, clock.now())
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"已生成{snapshot.year}年第{snapshot.period_no}期台账（共{snapshot.row_count}件事项）。"
            )
        return redirect("tracking:ledger")
    has_template = ledger_mod.may_see_all(actor) and ledger_mod.current_template() is not None
    form = LedgerForm(actor, initial={"paper": "A3", "format": "standard"}, has_template=has_template)
    return _ledger_page(request, actor, form)


@login_required
def ledger_download(request: HttpRequest) -> HttpResponseBase:
    """The ledger as XLSX with the chosen filters (the same selector as the board and the API)."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_VIEW)
    has_template = ledger_mod.may_see_all(actor) and ledger_mod.current_template() is not None
    form = LedgerForm(actor, request.GET, has_template=has_template)
    if not form.is_valid():
        return _ledger_page(request, actor, form, status=400)
    data = form.cleaned_data
    filters = selectors.filters_from(request.GET)
    try:
        return ledger_mod.ledger_response(
            actor,
            filters,
            clock.now(),
            assigned_from=data.get("assigned_from"),
            assigned_to=data.get("assigned_to"),
            use_template=data.get("format") == "template",
            paper="A4" if data.get("paper") == "A4" else "A3",
        )
    except ApplicationError as exc:
        exc.add_to_form(form)
        return _ledger_page(request, actor, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_template(request: HttpRequest) -> HttpResponseBase:
    """The office's own ledger template: upload (checked), download the current one, or stop using it."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_MANAGE)
    current = ledger_mod.current_template()
    if request.method == "GET" and request.GET.get("download"):
        if current is None:
            raise Http404("尚未上传台账模板。")
        return FileResponse(
            default_storage.open(ledger_mod.TEMPLATE_PATH, "rb"),
            as_attachment=True,
            filename=current.name if current.name.lower().endswith(".xlsx") else f"{current.name}.xlsx",
            content_type=ledger_mod.XLSX_CONTENT_TYPE,
        )
    if request.method == "POST" and request.POST.get("action") == "delete":
        if ledger_mod.ledger_template_delete(actor=actor):
            messages.success(request, "已停用本单位台账模板，下载台账将使用标准样式。")
        return redirect("tracking:ledger")
    form = TemplateUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > ledger_mod.TEMPLATE_MAX_BYTES:
                raise ApplicationError(
                    f"模板文件不能超过 {ledger_mod.TEMPLATE_MAX_BYTES // 1024 // 1024} MB。", field="file"
                )
            saved = ledger_mod.ledger_template_save(actor=actor, content=upload.read(), name=upload.name)
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            found = "、".join(f"{{{{{name}}}}}" for name in saved.placeholders)
            messages.success(request, f"已启用台账模板“{saved.name}”，识别到占位符：{found}。")
            return redirect("tracking:ledger")
    context = {
        "form": form,
        "current": current,
        "meta_fields": META_PLACEHOLDERS,
        "row_fields": ROW_PLACEHOLDERS,
    }
    return render(request, "tracking/ledger_template.html", context, status=400 if form.errors else 200)


META_PLACEHOLDERS = (
    ("区名", "示范区"),
    ("期数", "第N期的 N（下载时为空，生成第N期台账时为期数）"),
    ("期间", "交办日期的起止，如 2026年1月1日至11月29日"),
    ("截至日期", "2026年11月29日"),
    ("标题", "示范区人民政府办公室督查督办事项台账"),
)
ROW_PLACEHOLDERS = (
    ("序号", "1、2、3……"),
    ("督办编号", "示范督〔2026〕0123号"),
    ("事项来源", "领导批示、会议议定等"),
    ("批示领导", "批示领导姓名"),
    ("批示内容", "批示或交办内容"),
    ("事项名称", "事项标题"),
    ("牵头单位", "牵头单位简称"),
    ("配合单位", "配合单位简称，以顿号分隔"),
    ("交办日期", "日期"),
    ("办结时限", "现行办结时限（日期）"),
    ("原定时限", "延期前的办结时限（日期）"),
    ("进展情况", "逐条进展，如“11月3日：已完成选址。”，最新的在最后"),
    ("办理状态", "待签收、办理中、待核查、已办结、已撤销"),
    ("是否超期", "是／否"),
    ("超期工作日", "数字"),
    ("办结日期", "日期"),
    ("质量评价", "优秀、良好、一般、差"),
    ("备注", "延期、退回重办、退办等说明"),
)


@login_required
def snapshot_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A saved 第N期台账 as it was generated (the office only: it lists every unit's items)."""
    actor = _actor(request)
    if not ledger_mod.may_see_all(actor):
        raise Http404("未找到该台账，或您无权查看。")
    snapshot = LedgerSnapshot.objects.filter(pk=pk).first()
    if snapshot is None or not snapshot.file:
        raise Http404("未找到该台账，或您无权查看。")
    return FileResponse(
        snapshot.file.open("rb"),
        as_attachment=True,
        filename=f"督办台账-{snapshot.year}年第{snapshot.period_no}期-{snapshot.as_of:%Y%m%d}.xlsx",
        content_type=ledger_mod.XLSX_CONTENT_TYPE,
    )


# Bulletins -----------------------------------------------------------------------------------------------


def _docx(content: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=bulletins_mod.DOCX_CONTENT_TYPE
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulletins(request: HttpRequest) -> HttpResponseBase:
    """督查通报: choose a week or a month, preview the DOCX, issue it as 第N期, download issued ones."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_MANAGE)
    now = clock.now()
    today = clock.localtime(now).date()
    if request.method == "GET" and (key := request.GET.get("file")):
        issued = bulletins_mod.find_issued(key)
        if issued is None:
            raise Http404("未找到该期通报。")
        return FileResponse(
            default_storage.open(issued.name, "rb"),
            as_attachment=True,
            filename=issued.filename,
            content_type=bulletins_mod.DOCX_CONTENT_TYPE,
        )
    form = BulletinForm(today, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        period = bulletins_mod.parse_period(form.cleaned_data["period"])
        if period is None:  # pragma: no cover — the choices are valid periods
            raise Http404
        praise_min = form.cleaned_data["praise_min"]
        if request.POST.get("action") == "preview":  # a draft to read: nothing is numbered or marked
            number = bulletins_mod.next_number(today.year)
            data = bulletins_mod.bulletin_data(actor, period, now, period_no=number, praise_min=praise_min)
            return _docx(bulletins_mod.render(data), f"督查通报-样稿-{period.label}.docx")
        try:
            issued = bulletins_mod.bulletin_issue(actor=actor, period=period, now=now, praise_min=praise_min)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已印发督查通报{issued.label}（{period.label}）。")
        return redirect("tracking:bulletins")
    pending = bulletins_mod.pending_notices().select_related("item", "unit").order_by("unit__display_order", "id")
    context = {
        "form": form,
        "next_number": bulletins_mod.next_number(today.year),
        "year": today.year,
        "issued": bulletins_mod.issued_bulletins(),
        "pending": list(pending[:200]),
    }
    return render(request, "tracking/bulletins.html", context, status=400 if form.errors else 200)


# Printable notices -----------------------------------------------------------------------------------------


def _person_label(person: Person) -> str:
    """陈副区长 stays as it is; 陈明 with the title 副区长 becomes 副区长陈明."""
    title = (person.title or "").strip()
    return person.name if not title or title in person.name else f"{title}{person.name}"


def notice_data(notice: Notice) -> NoticeData:
    """A ladder step as the pure writer prints it (the urge letter is copied to the unit's 分管区领导)."""
    from zhongshu.workdays.selectors import calendar

    item = notice.item
    issued_on = clock.localtime(notice.issued_at).date()
    workdays = REPLY_WORKDAYS.get(NoticeLevel(notice.level))
    reply_by = calendar().add_workdays(issued_on, workdays).value if workdays else None
    leader = notice.unit.leader_in_charge
    cc = [_person_label(leader)] if notice.level == NoticeLevel.URGE and leader is not None else []
    return NoticeData(
        level=notice.level,  # type: ignore[arg-type]  # bulletin-level notices are refused before
        number=notice.number,
        unit_full_name=notice.unit.full_name,
        item_number=item.number,
        item_title=item.title,
        instruction=item.instruction.strip() or item.content.strip(),
        due_on=clock.localtime(notice.due_at).date() if notice.due_at else None,
        overdue_workdays=notice.overdue_workdays,
        reply_by=reply_by,
        issued_on=issued_on,
        office_name=f"{ledger_mod.district()}人民政府办公室",
        cc=cc,
        reason=notice.reason,
    )


@login_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The printable DOCX of a 三色督办单 or 催办通知书, for those who may see its item (404 otherwise)."""
    actor = _actor(request)
    if authz.scope_of(actor, perms.ITEM_VIEW) is None:
        raise PermissionDenied("您无权查看督办事项。")
    notice = (
        Notice.objects.select_related("item", "unit", "unit__leader_in_charge")
        .filter(pk=pk, item__in=selectors.visible_items(actor))
        .exclude(level=NoticeLevel.BULLETIN)
        .first()
    )
    if notice is None:
        raise Http404("未找到该督办通知，或您无权查看。")
    from .exports.notice import render_notice

    buffer = io.BytesIO()
    render_notice(notice_data(notice), buffer)
    label = NoticeLevel(notice.level).label
    return _docx(buffer.getvalue(), f"{label}-{notice.number or notice.pk}.docx")
