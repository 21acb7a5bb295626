"""Who is told what when an item moves. Messages go through `zhongshu.notify` (inbox always; e-mail and
webhooks by the office's channel rules); each has a dedupe key so that nothing is sent twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from django.db.models import QuerySet

from zhongshu.org.choices import Role
from zhongshu.org.models import Person, Unit

if TYPE_CHECKING:
    from .models import Decline, Entry, Extension, Item, Notice

KINDS: Final[dict[str, tuple[str, bool, bool]]] = {
    # kind: (label, e-mail by default, webhook by default)
    "tracking.assigned": ("督办事项交办", True, True),
    "tracking.unsigned": ("未签收催签", True, True),
    "tracking.accepted": ("事项已签收", False, False),
    "tracking.declined": ("单位退办", True, False),
    "tracking.decline_decided": ("退办处理结果", True, False),
    "tracking.progress": ("配合单位反馈", False, False),
    "tracking.extension": ("延期申请与审批", True, False),
    "tracking.reported": ("办结报告待核查", True, False),
    "tracking.closed": ("核查办结", False, False),
    "tracking.returned": ("退回重办", True, True),
    "tracking.cancelled": ("事项撤销", False, False),
    "tracking.remind": ("督查员催办", True, True),
    "tracking.instruction": ("领导再批示", True, True),
    "tracking.due_soon": ("到期前提醒", False, False),
    "tracking.due_today": ("当日到期提醒", True, False),
    "tracking.feedback_due": ("定期反馈提醒", False, False),
    "tracking.milestone_due": ("节点提醒", False, False),
    "tracking.notice": ("三色督办单与催办通知书", True, True),
}


def register_kinds() -> None:
    from zhongshu.notify import kinds

    for kind, (label, email, webhook) in KINDS.items():
        kinds.register(kind, label, email=email, webhook=webhook)


def liaisons(unit_ids: Iterable[int]) -> QuerySet[Person]:
    """The active liaisons of these units: the people who sign, report and are reminded for a unit."""
    return Person.objects.filter(
        is_active=True, grants__role=Role.LIAISON, grants__unit_id__in=list(unit_ids)
    ).distinct()


def _send(people: Iterable[Person | None], kind: str, item: Item, title: str, body: str, key: str) -> int:
    from zhongshu.notify import services as notify

    recipients = [person for person in dict.fromkeys(people) if person is not None and person.is_active]
    if not recipients:
        return 0
    return notify.send_many(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        link=item.get_absolute_url(),
        dedupe_key=key,
        target=item,
    )


def _stamp(item: Item) -> str:
    return item.updated_at.strftime("%Y%m%d%H%M%S%f")


def _label(item: Item) -> str:
    return f"{item.number}《{item.title}》"


def _unit_people(item: Item) -> QuerySet[Person]:
    return liaisons([item.lead_unit_id])


def _officer(item: Item) -> list[Person | None]:
    return [item.officer]


def assigned(item: Item) -> None:
    due = f"，办结时限{item.due_at:%Y年%m月%d日}" if item.due_at else f"，签收后 {item.due_workdays} 个工作日内办结"
    _send(
        _unit_people(item),
        "tracking.assigned",
        item,
        f"请签收：{_label(item)}",
        f"{item.lead_unit.short_name}为牵头单位{due}。请及时签收。",
        f"tracking:{item.pk}:assigned:{item.lead_unit_id}:{_stamp(item)}",
    )
    co = liaisons(item.parts.filter(role="co").values_list("unit_id", flat=True))
    _send(
        co,
        "tracking.assigned",
        item,
        f"配合办理：{_label(item)}",
        "请向牵头单位报送配合情况。",
        f"tracking:{item.pk}:co_assigned:{_stamp(item)}",
    )


def accepted(item: Item) -> None:
    _send(
        _officer(item),
        "tracking.accepted",
        item,
        f"已签收：{_label(item)}",
        f"{item.lead_unit.short_name}已签收。",
        f"tracking:{item.pk}:accepted:{_stamp(item)}",
    )


def auto_accepted(item: Item) -> None:
    _send(
        [*_unit_people(item), *_officer(item)],
        "tracking.unsigned",
        item,
        f"逾期未签收，已自动签收：{_label(item)}",
        f"办理时限已开始计算，签收延误 {item.sign_late_workdays} 个工作日已记入单位考核。",
        f"tracking:{item.pk}:auto_accepted",
    )


def declined(item: Item, decline: Decline) -> None:
    _send(
        _officer(item),
        "tracking.declined",
        item,
        f"单位退办：{_label(item)}",
        f"{item.lead_unit.short_name}：{decline.reason}",
        f"tracking:{item.pk}:declined:{decline.pk}",
    )


def insisted(item: Item, decline: Decline) -> None:
    _send(
        _unit_people(item),
        "tracking.decline_decided",
        item,
        f"退办未获同意，请签收：{_label(item)}",
        decline.comment or "督查员坚持由你单位办理。",
        f"tracking:{item.pk}:insisted:{decline.pk}",
    )


def co_reported(item: Item, unit: Unit) -> None:
    _send(
        _unit_people(item),
        "tracking.progress",
        item,
        f"配合单位反馈：{_label(item)}",
        f"{unit.short_name}报送了配合情况。",
        f"tracking:{item.pk}:co:{unit.pk}:{_stamp(item)}",
    )


def extension_requested(item: Item, extension: Extension) -> None:
    deciders: list[Person | None] = list(_officer(item))
    if extension.needs_leader and item.lead_unit.leader_in_charge_id:
        deciders.append(item.lead_unit.leader_in_charge)
    _send(
        deciders,
        "tracking.extension",
        item,
        f"延期申请待审批：{_label(item)}",
        f"申请延至{extension.proposed_due_at:%Y年%m月%d日}：{extension.reason}",
        f"tracking:{item.pk}:extension:{extension.pk}",
    )


def extension_decided(item: Item, extension: Extension) -> None:
    result = "同意" if extension.status == "approved" else "不同意"
    _send(
        _unit_people(item),
        "tracking.extension",
        item,
        f"延期申请{result}：{_label(item)}",
        extension.comment or f"{result}延期。",
        f"tracking:{item.pk}:extension_decided:{extension.pk}",
    )


def reported(item: Item) -> None:
    _send(
        _officer(item),
        "tracking.reported",
        item,
        f"办结报告待核查：{_label(item)}",
        f"{item.lead_unit.short_name}报送了办结报告。",
        f"tracking:{item.pk}:reported:{_stamp(item)}",
    )


def closed(item: Item) -> None:
    _send(
        [*_unit_people(item), item.instructing_leader],
        "tracking.closed",
        item,
        f"已核查办结：{_label(item)}",
        f"质量评价：{item.get_rating_display()}。",
        f"tracking:{item.pk}:closed",
    )


def returned(item: Item, reason: str) -> None:
    _send(
        _unit_people(item),
        "tracking.returned",
        item,
        f"退回重办：{_label(item)}",
        reason,
        f"tracking:{item.pk}:returned:{item.returned_count}",
    )


def cancelled(item: Item, reason: str) -> None:
    _send(
        liaisons(item.parts.values_list("unit_id", flat=True)),
        "tracking.cancelled",
        item,
        f"事项已撤销：{_label(item)}",
        reason,
        f"tracking:{item.pk}:cancelled",
    )


def reminded(item: Item, message: str, entry: Entry) -> None:
    _send(
        _unit_people(item),
        "tracking.remind",
        item,
        f"催办：{_label(item)}",
        message,
        f"tracking:{item.pk}:remind:{entry.pk}",
    )


def instructed(item: Item, entry: Entry) -> None:
    _send(
        [*_unit_people(item), *_officer(item)],
        "tracking.instruction",
        item,
        f"领导再批示：{_label(item)}",
        entry.text,
        f"tracking:{item.pk}:instruction:{entry.pk}",
    )


def notice_issued(item: Item, notice: Notice) -> None:
    people: list[Any] = [*_unit_people(item), *_officer(item)]
    if notice.level == "urge" and item.lead_unit.leader_in_charge_id:
        people.append(item.lead_unit.leader_in_charge)  # the formal notice is copied to the leader in charge
    _send(
        people,
        "tracking.notice",
        item,
        f"{notice.get_level_display()}（{notice.number}）：{_label(item)}",
        notice.reason,
        f"tracking:{item.pk}:notice:{notice.pk}",
    )
