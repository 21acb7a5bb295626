"""Who may see and act on tracked items. Pages, API, exports, statistics and reminders all ask these."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import OFFICE_ROLES, Role

OFFICE = {role.value: Scope.ALL for role in OFFICE_ROLES}
MANAGERS = {Role.SUPERVISOR.value: Scope.ALL, Role.DIRECTOR.value: Scope.ALL}

ITEM_VIEW = authz.define("tracking.item.view", "查看督办事项", {**OFFICE, Role.LIAISON.value: Scope.UNIT})
ITEM_CREATE = authz.define(
    "tracking.item.create",
    "登记督办事项",
    {
        **MANAGERS,
        Role.LEADER.value: Scope.ALL,
        Role.SECRETARY.value: Scope.ALL,
        Role.MEETING_OFFICER.value: Scope.ALL,
        Role.DUTY_OFFICER.value: Scope.ALL,
        Role.ASSESSOR.value: Scope.ALL,
    },
)
ITEM_MANAGE = authz.define("tracking.item.manage", "交办、核查和催办督办事项", MANAGERS)
ITEM_HANDLE = authz.define(
    "tracking.item.handle", "承办督办事项（签收、反馈、办结报告）", {Role.LIAISON.value: Scope.UNIT}
)
ITEM_INSTRUCT = authz.define("tracking.item.instruct", "对督办事项再批示", {Role.LEADER.value: Scope.ALL})
EXTENSION_DECIDE_LONG = authz.define(
    "tracking.extension.decide_long",
    "审批较长的延期",
    {Role.LEADER.value: Scope.ALL, Role.DIRECTOR.value: Scope.ALL},
)
STATS_VIEW = authz.define(
    "tracking.stats.view",
    "查看督查统计",
    {
        **MANAGERS,
        Role.LEADER.value: Scope.ALL,
        Role.ASSESSOR.value: Scope.ALL,
        Role.LIAISON.value: Scope.UNIT,
    },
)
CONFIG_MANAGE = authz.define(
    "tracking.config.manage", "修改督查督办设置", {Role.ADMIN.value: Scope.ALL, Role.DIRECTOR.value: Scope.ALL}
)


def register() -> None:
    """Items belong to their lead unit and every co-operating unit (a liaison of either sees the item)."""
    from .models import Item, Part

    def units_of(item: Any) -> list[int]:
        return [item.lead_unit_id, *item.parts.values_list("unit_id", flat=True)]

    def filter_units(qs: QuerySet[Any], units: set[int]) -> QuerySet[Any]:
        return qs.filter(Exists(Part.objects.filter(item=OuterRef("pk"), unit_id__in=units)))

    authz.register_model(Item, units_of=units_of, filter_units=filter_units)
