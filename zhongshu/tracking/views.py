"""Pages of 督查督办: the board (督办台), registering and editing items, the item page with the actions the
person may take now, the leader's view (我批示的事项) and the settings. Views read through `selectors` and
change nothing themselves: every change goes through `services`, whose refusals come back on the forms."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, NotFound
from zhongshu.core.htmx import redirect_after_post, render_page_or_partial
from zhongshu.org import selectors as org_selectors
from zhongshu.org.models import Person, Unit

from . import forms, selectors, services
from . import permissions as perms
from .choices import (
    RUNNING_STATUSES,
    Colour,
    DeclineStatus,
    DueMode,
    ExtensionStatus,
    PartRole,
    SourceType,
    Status,
)
from .models import Attachment, Item, Part

PAGE_SIZE = 50
BOARD_FORM_FIELDS = {
    *("unit", "status", "colour", "overdue", "source_type"),
    *("leader", "officer", "sort", "q", "due_this_week"),
}
"""The fields of the board's filter form; other filters in the address (the statistics' drill-down links)
are carried along as hidden fields so that changing a filter keeps them."""
SORT_CHOICES = [
    ("-number", "编号（新的在前）"),
    ("number", "编号（旧的在前）"),
    ("due", "时限（早的在前）"),
    ("-due", "时限（晚的在前）"),
    ("-assigned", "交办时间（新的在前）"),
    ("assigned", "交办时间（旧的在前）"),
    ("unit", "牵头单位"),
]
STATUS_CHOICES = [("open", "未办结"), *Status.choices]
COLOUR_LABELS = {
    Colour.GREEN.value: "正常推进",
    Colour.YELLOW.value: "临近到期或进度滞后",
    Colour.RED.value: "已超期",
    Colour.GREY.value: "已结束",
}
ACTION_LABELS = {
    "assign": "交办",
    "accept": "签收",
    "decline": "退办",
    "decide-decline": "处理退办",
    "progress": "反馈进展",
    "milestone": "报告节点完成",
    "extend": "申请延期",
    "decide-extension": "审批延期",
    "report": "报送办结报告",
    "close": "核查办结",
    "return": "退回重办",
    "cancel": "撤销",
    "remind": "催办",
    "instruct": "再批示",
    "edit": "修改",
    "split": "分解",
}
ERROR_ALIASES = {"due_at": "due_on", "due_in_workdays": "due_workdays", "reassign_to_id": "reassign_to"}


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


def _found(fetch: Callable[[], Any]) -> Any:
    try:
        return fetch()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _put_errors(exc: ApplicationError, form: dj_forms.Form) -> list[str]:
    """Put a service's refusal on the form, next to the field it concerns; returns messages about fields the
    form does not have (the caller shows them elsewhere, e.g. the milestone rows)."""
    leftover: list[str] = []
    for name, problems in exc.field_errors().items():
        name = ERROR_ALIASES.get(name, name)
        target = next((c for c in (name, name.removesuffix("_id")) if c in form.fields), None)
        for problem in problems:
            if target is None and name in {"milestones"}:
                leftover.append(problem)
            else:
                form.add_error(target, problem)
    return leftover


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=False):
        return candidate
    return fallback


@dataclass
class Calc:
    """Working-day figures for a page, with one calendar for the whole page (no query per row)."""

    now: dt.datetime
    cal: Any

    @classmethod
    def load(cls, now: dt.datetime) -> Calc:
        from zhongshu.workdays.selectors import calendar

        return cls(now, calendar())

    def overdue_workdays(self, item: Item) -> int:
        """As selectors.overdue_workdays, with this page's calendar."""
        return selectors.overdue_workdays(item, self.now, self.cal)


# The board ---------------------------------------------------------------------------------------


def _board_options(actor: Person) -> dict[str, Any]:
    """The choices of the board's filter form (three queries whatever the number of items)."""
    units = Unit.objects.filter(active=True).order_by("display_order", "id")
    scope = authz.scope_of(actor, perms.ITEM_VIEW)
    if isinstance(scope, set):  # a liaison filters among their own units
        units = units.filter(pk__in=scope)
    return {
        "units": list(units.values_list("pk", "short_name")),
        "leaders": list(forms.people_with("leader").values_list("pk", "name")),
        "officers": list(forms.people_with("supervisor", "director").values_list("pk", "name")),
        "sources": SourceType.choices,
        "statuses": STATUS_CHOICES,
        "colours": [(c.value, f"{c.label}（{COLOUR_LABELS[c.value]}）") for c in Colour],
        "sorts": SORT_CHOICES,
    }


def _board_context(request: HttpRequest, actor: Person) -> dict[str, Any]:
    now = clock.now()
    filters = selectors.filters_from(request.GET)
    sort = request.GET.get("sort") or "-number"
    if sort not in selectors.SORTS:
        sort = "-number"
    qs = selectors.board(actor, filters, now=now, sort=sort)
    # Colours are computed for open items only (an indexed subset): finished items are all grey. Computing
    # the colour of every finished item of ten years was most of the board's time at 100,000 items.
    total = qs.order_by().count()
    summary = (
        qs.filter(status__in=[*RUNNING_STATUSES, Status.REPORTED])
        .order_by()
        .aggregate(
            red=Count("pk", filter=Q(colour=Colour.RED)),
            yellow=Count("pk", filter=Q(colour=Colour.YELLOW)),
            green=Count("pk", filter=Q(colour=Colour.GREEN)),
        )
    )
    summary["total"] = total
    summary["grey"] = total - summary["red"] - summary["yellow"] - summary["green"]
    co_parts = Part.objects.filter(role=PartRole.CO).select_related("unit").order_by("unit__display_order", "unit_id")
    paginator = Paginator(qs.prefetch_related(Prefetch("parts", queryset=co_parts, to_attr="co_parts")), PAGE_SIZE)
    paginator.__dict__["count"] = summary["total"]  # the aggregate already counted them: no second COUNT
    page_obj = paginator.get_page(request.GET.get("page"))
    calc = Calc.load(now)
    rows = []
    for item in page_obj.object_list:
        rows.append({"item": item, "overdue_days": calc.overdue_workdays(item) if item.is_overdue else 0})
    query = request.GET.copy()
    query.pop("page", None)
    carried = [(key, value) for key, values in query.lists() if key not in BOARD_FORM_FIELDS for value in values]
    return {
        "rows": rows,
        "carried": carried,
        "page_obj": page_obj,
        "summary": summary,
        "filters": filters,
        "sort": sort,
        "query": query.urlencode(),
        "can_remind": authz.scope_of(actor, perms.ITEM_MANAGE) is not None,
        "can_create": authz.scope_of(actor, perms.ITEM_CREATE) is not None,
        "now": now,
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """督办台: every item the person may see, filtered, sorted and paged, with its colour."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_VIEW)
    context = _board_context(request, actor)
    context["options"] = _board_options(actor)
    return render_page_or_partial(request, "tracking/board.html", "tracking/_board_table.html", context)


@login_required
@require_POST
def board_remind(request: HttpRequest) -> HttpResponse:
    """Bulk 催办 from the board: the ticked items get the same message; the board's filters are kept."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_MANAGE)
    query = QueryDict(request.POST.get("query", "")).urlencode()
    back = reverse("tracking:board") + (f"?{query}" if query else "")
    form = forms.BulkRemindForm(request.POST)
    ids = list(dict.fromkeys(form.cleaned_data["items"])) if form.is_valid() else []
    if not form.is_valid() and "message" in form.errors:
        messages.error(request, "请填写催办内容。")
    elif not ids:
        messages.error(request, "请先勾选要催办的事项。")
    else:
        try:
            sent = services.remind_many(actor=actor, item_ids=ids, message=form.cleaned_data["message"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            skipped = len(ids) - sent
            note = f"；{skipped} 项不在待签收或办理中，未催办" if skipped else ""
            messages.success(request, f"已催办 {sent} 项{note}。")
    return redirect(back)


# Registering, editing, splitting ------------------------------------------------------------------


def _milestones_in(formset: Any) -> list[services.MilestoneIn]:
    rows = []
    for data in formset.cleaned_data:
        if data and data.get("title") and data.get("due_on"):
            rows.append(services.MilestoneIn(data["title"], data["due_on"]))
    return rows


def _feedback_in(data: Mapping[str, Any]) -> services.Feedback:
    return services.Feedback(
        cycle=data.get("feedback_cycle") or "",
        weekday=data.get("feedback_weekday"),
        day=data.get("feedback_day"),
        every=data.get("feedback_every"),
    )


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool) -> HttpResponse:
    return render(request, template, context, status=400 if failed else 200)


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    """登记督办事项: saved as a draft, or assigned (交办) at once."""
    actor = _actor(request)
    authz.require(actor, perms.ITEM_CREATE)
    posted = request.method == "POST"
    form = forms.ItemForm(request.POST if posted else None, request.FILES if posted else None)
    milestones = forms.MilestoneFormSet(request.POST if posted else None, prefix="ms")
    milestone_errors: list[str] = []
    can_assign = authz.scope_of(actor, perms.ITEM_MANAGE) is not None
    if posted:
        form_ok = form.is_valid()
        milestones_ok = milestones.is_valid()
        if form_ok and milestones_ok:
            data = form.cleaned_data
            workdays = data["due_mode"] == DueMode.WORKDAYS
            try:
                item = services.item_create(
                    actor=actor,
                    title=data["title"],
                    content=data["content"],
                    source_type=data["source_type"],
                    source_label=data["source_label"],
                    lead_unit_id=data["lead_unit"].pk,
                    co_unit_ids=[unit.pk for unit in data["co_units"]],
                    due_at=None if workdays else data["due_on"],
                    due_in_workdays=data["due_workdays"] if workdays else None,
                    instruction=data["instruction"],
                    instructing_leader_id=data["instructing_leader"].pk if data["instructing_leader"] else None,
                    instructed_on=data["instructed_on"],
                    urgency=data["urgency"],
                    officer_id=data["officer"].pk if data["officer"] else None,
                    feedback=_feedback_in(data),
                    milestones=_milestones_in(milestones),
                    attachments=data["attachments"],
                    request_key=data["request_key"] or None,
                    assign=can_assign and request.POST.get("submit") == "assign",
                )
            except services.DuplicateSubmission as exc:
                messages.info(request, exc.message)
                return redirect(exc.item)
            except ApplicationError as exc:
                milestone_errors = _put_errors(exc, form)
            else:
                done = "已登记并交办" if item.status != Status.DRAFT else "已保存为草稿"
                messages.success(request, f"{done}：{item.number}。")
                return redirect(item)
    context = {
        "form": form,
        "milestones": milestones,
        "milestone_errors": milestone_errors,
        "can_assign": can_assign,
        "title": "登记督办事项",
    }
    return _form_page(request, "tracking/item_form.html", context, failed=posted)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改督办事项 (the deadline only while it is a draft; afterwards only an extension moves it)."""
    actor = _actor(request)
    item: Item = _found(lambda: selectors.get_item(actor, pk))
    authz.require(actor, perms.ITEM_MANAGE, item)
    draft = item.status == Status.DRAFT
    co_ids = list(item.parts.filter(role=PartRole.CO).values_list("unit_id", flat=True))
    initial = {
        "title": item.title,
        "content": item.content,
        "co_units": co_ids,
        "officer": item.officer_id,
        "urgency": item.urgency,
        "due_mode": item.due_mode,
        "due_on": clock.localtime(item.due_at).date() if item.due_at and item.due_mode == DueMode.DATE else None,
        "due_workdays": item.due_workdays,
        "feedback_cycle": item.feedback_cycle,
        "feedback_weekday": item.feedback_weekday,
        "feedback_day": item.feedback_day,
        "feedback_every": item.feedback_every,
    }
    posted = request.method == "POST"
    form = forms.ItemEditForm(
        request.POST if posted else None, initial=initial, deadline_editable=draft, lead_unit_id=item.lead_unit_id
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        due: dict[str, Any] = {}
        if draft:
            if data["due_mode"] == DueMode.WORKDAYS:
                due["due_in_workdays"] = data["due_workdays"]
            else:
                due["due_at"] = data["due_on"]
        try:
            services.item_update(
                actor=actor,
                item=item.pk,
                title=data["title"],
                content=data["content"],
                officer_id=data["officer"].pk if data["officer"] else None,
                urgency=data["urgency"],
                co_unit_ids=[unit.pk for unit in data["co_units"]],
                feedback=_feedback_in(data),
                **due,
            )
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, "已保存修改。")
            return redirect(item)
    context = {"form": form, "item": item, "title": f"修改：{item.number}", "draft": draft}
    return _form_page(request, "tracking/item_edit.html", context, failed=posted)


@login_required
def item_split(request: HttpRequest, pk: int) -> HttpResponse:
    """分解: one child item per chosen unit; the parent closes when they all close."""
    actor = _actor(request)
    item: Item = _found(lambda: selectors.get_item(actor, pk))
    authz.require(actor, perms.ITEM_MANAGE, item)
    posted = request.method == "POST"
    form = forms.SplitForm(request.POST if posted else None, initial={"units": [item.lead_unit_id]})
    if posted and form.is_valid():
        try:
            children = services.item_split(
                actor=actor, item=item.pk, unit_ids=[u.pk for u in form.cleaned_data["units"]]
            )
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, f"已分解为 {len(children)} 个子事项，交办后各单位分别签收办理。")
            return redirect(item)
    return _form_page(request, "tracking/item_split.html", {"form": form, "item": item}, failed=posted)


# The item page ----------------------------------------------------------------------------------------


def _signers(actor: Person, item: Item | None) -> tuple[bool, list[Person]]:
    """(may instruct as oneself, leaders the person may instruct for through a delegation)."""
    own = authz.can(actor, perms.ITEM_INSTRUCT, item)
    principals = [
        d.principal
        for d in org_selectors.person_delegations(actor)["acts_for"]
        if d.principal.is_active and authz.can(d.principal, perms.ITEM_INSTRUCT, item)
    ]
    return own, principals


def _signer_choices(actor: Person, own: bool, principals: list[Person]) -> list[tuple[int | str, str]] | None:
    if not principals:
        return None
    choices: list[tuple[int | str, str]] = [("", f"本人（{actor.name}）")] if own else []
    choices += [(p.pk, f"代{p.name}批示") for p in principals]
    return choices


def _action_form(
    action: str, data: Any = None, files: Any = None, *, actor: Person, item: Item, milestones: list[Any], signers: Any
) -> dj_forms.Form:
    kwargs: dict[str, Any] = {"action": action}
    if action == "milestone":
        kwargs["milestones"] = [m for m in milestones if m.done_on is None]
    if action == "instruct":
        kwargs["signers"] = signers
    if action == "milestone":
        kwargs.setdefault("initial", {"done_on": clock.today()})
    form_class: Any = {
        "assign": forms.EmptyForm,
        "accept": forms.EmptyForm,
        "decline": forms.DeclineForm,
        "decide-decline": forms.DecideDeclineForm,
        "progress": forms.ProgressForm,
        "milestone": forms.MilestoneDoneForm,
        "extend": forms.ExtendForm,
        "decide-extension": forms.DecideExtensionForm,
        "report": forms.ReportForm,
        "close": forms.CloseForm,
        "return": forms.ReturnForm,
        "cancel": forms.CancelForm,
        "remind": forms.RemindForm,
        "instruct": forms.InstructForm,
    }[action]
    return form_class(data, files, **kwargs)


def _run(action: str, actor: Person, item: Item, data: dict[str, Any], principals: list[Person]) -> str:
    """Call the service of `action`; returns the message shown after it succeeded."""
    pk = item.pk
    if action == "assign":
        services.item_assign(actor=actor, item=pk)
        return "已交办，等待牵头单位签收。"
    if action == "accept":
        accepted = services.item_accept(actor=actor, item=pk)
        due = f"，办结时限 {clock.localtime(accepted.due_at):%Y-%m-%d %H:%M}" if accepted.due_at else ""
        return f"已签收{due}。"
    if action == "decline":
        services.item_decline(actor=actor, item=pk, reason=data["reason"])
        return "已提交退办，等待督查员处理。"
    if action == "decide-decline":
        unit = data["reassign_to"] if data["decision"] == "reassign" else None
        services.decline_decide(actor=actor, item=pk, reassign_to_id=unit.pk if unit else None, comment=data["comment"])
        return f"已改派{unit.short_name}。" if unit else "已坚持由原单位办理。"
    if action == "progress":
        services.item_progress(actor=actor, item=pk, text=data["text"], attachments=data["attachments"])
        return "已反馈进展。"
    if action == "milestone":
        services.milestone_done(
            actor=actor, item=pk, milestone_id=data["milestone"], done_on=data["done_on"], note=data["note"]
        )
        return "已报告节点完成。"
    if action == "extend":
        services.extension_request(actor=actor, item=pk, reason=data["reason"], due_at=data["due_on"])
        return "已提交延期申请，等待审批。"
    if action == "decide-extension":
        services.extension_decide(actor=actor, item=pk, approve=data["approve"], comment=data["comment"])
        return "已同意延期。" if data["approve"] else "已答复不同意延期。"
    if action == "report":
        services.item_report(actor=actor, item=pk, text=data["text"], attachments=data["attachments"])
        return "已报送办结报告，等待督查员核查。"
    if action == "close":
        services.item_close(actor=actor, item=pk, rating=data["rating"], comment=data["comment"])
        return "已核查办结。"
    if action == "return":
        services.item_return(actor=actor, item=pk, reason=data["reason"])
        return "已退回重办。"
    if action == "cancel":
        services.item_cancel(actor=actor, item=pk, reason=data["reason"])
        return "已撤销。"
    if action == "remind":
        services.item_remind(actor=actor, item=pk, message=data["message"])
        return "已催办。"
    if action == "instruct":
        on_behalf = next((p for p in principals if p.pk == data.get("on_behalf_of")), None)
        services.item_instruct(actor=actor, item=pk, text=data["text"], on_behalf_of=on_behalf)
        return f"已记录{on_behalf.name}的批示。" if on_behalf else "已批示。"
    raise Http404


FORM_ACTIONS = [
    "decide-extension",
    "decide-decline",
    "close",
    "return",
    "report",
    "progress",
    "milestone",
    "extend",
    "decline",
    "instruct",
    "remind",
    "cancel",
]
BUTTON_ACTIONS = ["assign", "accept"]
LINK_ACTIONS = ["edit", "split"]


def _detail_context(
    request: HttpRequest, actor: Person, item: Item, *, bound: tuple[str, dj_forms.Form] | None = None
) -> dict[str, Any]:
    """Everything the item page shows, in a fixed number of queries whatever the length of its log."""
    now = clock.now()
    annotated = selectors.with_state(Item.objects.filter(pk=item.pk), now)
    state = annotated.values("colour", "is_overdue").first() or {}  # type: ignore[misc]  # annotations
    parts = sorted(
        item.parts.select_related("unit").order_by("unit__display_order", "unit_id"),
        key=lambda part: part.role != PartRole.LEAD,
    )
    milestones = list(item.milestones.all())
    entries = list(item.entries.select_related("unit", "recorded_by").order_by("created_at", "id"))
    files_by_entry: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in item.attachments.order_by("uploaded_at", "id"):
        files_by_entry[attachment.entry_id].append(attachment)
    for entry in entries:
        entry.files = files_by_entry.get(entry.pk, [])  # type: ignore[attr-defined]
    extensions = list(item.extensions.order_by("requested_at", "id"))
    declines = list(item.declines.select_related("unit", "new_unit").order_by("declined_at", "id"))
    children = list(item.children.select_related("lead_unit").order_by("sub"))
    calc = Calc.load(now)
    today = clock.localtime(now).date()

    own, principals = _signers(actor, item)
    actions = selectors.available_actions(actor, item, now, principals=principals)
    if "report" in actions and any(m.done_on is None for m in milestones):
        actions.append("milestone")
    signers = _signer_choices(actor, own, principals)
    action_forms = []
    for action in [a for a in FORM_ACTIONS if a in actions]:
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = _action_form(action, actor=actor, item=item, milestones=milestones, signers=signers)
        action_forms.append({"action": action, "label": ACTION_LABELS[action], "form": form})
    due_passed = item.due_at is not None and now > item.due_at
    part_rows = []
    for part in parts:
        if part.role == PartRole.CO:
            late = due_passed and (part.last_report_at is None or part.last_report_at > item.due_at)  # type: ignore[operator]
        else:
            late = False
        part_rows.append({"part": part, "late": late, "missing": part.last_report_at is None})
    milestone_rows = [
        {
            "milestone": m,
            "late": (m.done_on is None and m.due_on < today) or (m.done_on is not None and m.done_on > m.due_on),
            "open_late": m.done_on is None and m.due_on < today,
        }
        for m in milestones
    ]
    is_overdue = bool(state.get("is_overdue"))
    return {
        "item": item,
        "colour": state.get("colour", Colour.GREY.value),
        "colour_label": COLOUR_LABELS.get(state.get("colour", ""), ""),
        "is_overdue": is_overdue,
        "overdue_days": calc.overdue_workdays(item) if is_overdue else 0,
        "extended": item.due_at is not None
        and item.original_due_at is not None
        and item.due_at != item.original_due_at,
        "parts": part_rows,
        "milestones": milestone_rows,
        "entries": entries,
        "item_files": files_by_entry.get(None, []),
        "deadline_changes": list(item.deadline_changes.order_by("changed_at", "id")),
        "extensions": extensions,
        "declines": declines,
        "pending_decline": next((d for d in declines if d.status == DeclineStatus.PENDING), None),
        "pending_extension": next((e for e in extensions if e.status == ExtensionStatus.PENDING), None),
        "notices": list(item.notices.order_by("issued_at", "id")),
        "children": [{"child": c, "overdue": selectors.is_overdue(c, now)} for c in children],
        "buttons": [{"action": a, "label": ACTION_LABELS[a]} for a in BUTTON_ACTIONS if a in actions],
        "links": [{"action": a, "label": ACTION_LABELS[a]} for a in LINK_ACTIONS if a in actions],
        "action_forms": action_forms,
        "open_action": bound[0] if bound else "",
        "running": item.status in RUNNING_STATUSES,
        "now": now,
    }


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item page: source, instruction, units, deadline and its history, the log, notices, the
    timeline, and the forms of exactly the actions the person may take now."""
    actor = _actor(request)
    item: Item = _found(lambda: selectors.get_item(actor, pk))
    return render(request, "tracking/item_detail.html", _detail_context(request, actor, item))


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on an item (签收, 反馈, 延期, 办结报告, 核查 ...) through its service; a refusal re-renders
    the item page with the form, its errors and the person's input."""
    actor = _actor(request)
    if action not in ACTION_LABELS or action in LINK_ACTIONS:
        raise Http404
    item: Item = _found(lambda: selectors.get_item(actor, pk))
    milestones = list(item.milestones.all()) if action == "milestone" else []
    own, principals = _signers(actor, item) if action == "instruct" else (False, [])
    form = _action_form(
        action,
        request.POST,
        request.FILES,
        actor=actor,
        item=item,
        milestones=milestones,
        signers=_signer_choices(actor, own, principals),
    )
    if form.is_valid():
        try:
            done = _run(action, actor, item, form.cleaned_data, principals)
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, done)
            return redirect_after_post(request, _safe_next(request, item.get_absolute_url()))
    back = _safe_next(request, "")
    if back and back != item.get_absolute_url():
        # The form came from another page (the leader's view): tell the person there.
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, f"{item.number}：{problem}")
        return redirect(back)
    item = _found(lambda: selectors.get_item(actor, pk))  # fresh, in case the refusal raced a change
    context = _detail_context(request, actor, item, bound=(action, form))
    return render(request, "tracking/item_detail.html", context, status=400)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Download an attachment of an item the person may see (404 otherwise, as for a missing one)."""
    actor = _actor(request)
    found = Attachment.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该附件。")
    _found(lambda: selectors.get_item(actor, found.item_id))
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("附件文件已丢失，请联系系统管理员。") from exc
    return FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.content_type or None)


# The leader's view ------------------------------------------------------------------------------------

LEADER_GROUPS = [
    (Status.ASSIGNED, "待签收"),
    (Status.IN_PROGRESS, "办理中"),
    (Status.REPORTED, "待核查"),
    (Status.DRAFT, "待交办"),
    (Status.CLOSED, "已办结"),
    (Status.CANCELLED, "已撤销"),
]
LEADER_OPEN_LIMIT = 200
LEADER_CLOSED_LIMIT = 20


@login_required
def leader(request: HttpRequest) -> HttpResponse:
    """我批示的事项: the items a leader instructed, by state with overdue counts, and 再批示 on each. A
    secretary with a delegation switches to the leader they act for."""
    actor = _actor(request)
    own, principals = _signers(actor, None)
    if not own and not principals:
        raise PermissionDenied("您无权进行此操作：对督办事项再批示。")
    chosen = request.GET.get("as", "")
    leader_person: Person = actor if own else principals[0]
    acting_for = None
    if chosen and chosen.isdigit():
        match = next((p for p in principals if p.pk == int(chosen)), None)
        if match is not None:
            leader_person, acting_for = match, match
    elif not own:
        acting_for = leader_person
    now = clock.now()
    mine = selectors.with_state(selectors.visible_items(actor).filter(instructing_leader=leader_person), now)
    counts = mine.order_by().aggregate(
        **{f"n_{status.value}": Count("pk", filter=Q(status=status)) for status, _ in LEADER_GROUPS},
        **{f"o_{status.value}": Count("pk", filter=Q(status=status, is_overdue=True)) for status, _ in LEADER_GROUPS},
    )
    groups = [
        {
            "status": status.value,
            "label": label,
            "count": counts[f"n_{status.value}"],
            "overdue": counts[f"o_{status.value}"],
        }
        for status, label in LEADER_GROUPS
    ]
    open_items = list(
        mine.filter(status__in=[Status.DRAFT, *RUNNING_STATUSES, Status.REPORTED])
        .select_related("lead_unit")
        .order_by("-is_overdue", "due_at", "-seq")[:LEADER_OPEN_LIMIT]
    )
    closed_items = list(
        mine.filter(status__in=[Status.CLOSED, Status.CANCELLED])
        .select_related("lead_unit")
        .order_by("-updated_at")[:LEADER_CLOSED_LIMIT]
    )
    calc = Calc.load(now)
    status_order = {status.value: i for i, (status, _) in enumerate(LEADER_GROUPS)}
    open_items.sort(key=lambda it: (status_order.get(it.status, 9), not it.is_overdue))  # type: ignore[attr-defined]
    rows = [{"item": it, "overdue_days": calc.overdue_workdays(it) if it.is_overdue else 0} for it in open_items]  # type: ignore[attr-defined]
    context = {
        "leader": leader_person,
        "acting_for": acting_for,
        "own": own,
        "principals": principals,
        "groups": groups,
        "total_overdue": sum(g["overdue"] for g in groups),
        "rows": rows,
        "closed_items": closed_items,
        "open_limit": LEADER_OPEN_LIMIT,
        "here": request.get_full_path(),
    }
    return render(request, "tracking/leader.html", context)


# Settings ------------------------------------------------------------------------------------------


@login_required
def config(request: HttpRequest) -> HttpResponse:
    """督查督办设置: numbering, the signing rule, reminders and the escalation ladder."""
    actor = _actor(request)
    authz.require(actor, perms.CONFIG_MANAGE)
    current = services.config()
    initial = {name: getattr(current, name) for name in services.CONFIG_FIELDS}
    posted = request.method == "POST"
    form = forms.ConfigForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.CONFIG_FIELDS}
        values["remind_before"] = values["remind_before"] or ""
        try:
            services.config_update(actor=actor, **values)
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, "已保存督查督办设置。")
            return redirect("tracking:config")
    return _form_page(request, "tracking/config.html", {"form": form, "config": current}, failed=posted)
