"""The workbench (我的工作台): the home page's panels, each registered by the module that owns the work.

    from zhongshu.core import workbench

    workbench.register(workbench.Panel(
        key="tracking.to_accept", title="待签收督办事项", template="tracking/_panel_to_accept.html",
        context=to_accept_panel,        # callable(request) -> dict, or None to hide the panel
        perm="tracking.item.handle",    # shown only to those who hold it (any scope)
        order=20,
    ))

A panel's template is included in the page with its context as `data` (plus the page's own context: `user`,
`request`, ...). Register panels in the app's `AppConfig.ready()`. The foundation panels (我的信息, 今天,
系统状况, 最近操作) are registered at the end of this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import authz, clock, nav

if TYPE_CHECKING:
    from zhongshu.org.models import Person
    from zhongshu.workdays.core import Day, WorkCalendar

PanelContext = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """One card on the workbench."""

    key: str
    title: str
    template: str
    context: PanelContext | None = None
    perm: str | None = None  # None: every signed-in person
    order: int = 100
    wide: bool = False  # spans the whole width of the workbench


@dataclass(frozen=True)
class ShownPanel:
    """A panel the signed-in person sees, with the data its template renders."""

    panel: Panel
    data: dict[str, Any]


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add a panel (registering the same key again replaces it, so `ready()` may run twice)."""
    _PANELS[panel.key] = panel
    return panel


def registered() -> list[Panel]:
    """Every registered panel in display order."""
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The panels the signed-in person may see, in order; a panel whose context returns None is hidden."""
    shown: list[ShownPanel] = []
    for panel in registered():
        if panel.perm is not None and authz.scope_of(request.user, panel.perm) is None:
            continue
        data = panel.context(request) if panel.context is not None else {}
        if data is None:
            continue
        shown.append(ShownPanel(panel, data))
    return shown


# --- the foundation panels ----------------------------------------------------------------------------

SYSTEM_VIEW = authz.define("core.system.view", "查看系统状况", {"admin": authz.Scope.ALL})
"""Administrators see the system status panel and the link to the API documentation."""

RECENT_EVENTS = 10
HOLIDAYS_SHOWN = 3
HOLIDAY_HORIZON_DAYS = 400


def _person(request: HttpRequest) -> Person:
    from zhongshu.org.models import Person

    user = request.user
    if not isinstance(user, Person):  # the workbench view requires a signed-in person
        raise PermissionDenied("请先登录。")
    return user


def me_panel(request: HttpRequest) -> dict[str, Any]:
    """我的信息: the person, their unit and title, the roles they hold in which units, and delegations."""
    from zhongshu.org import selectors as org

    person = _person(request)
    delegations = org.person_delegations(person)
    return {
        "person": person,
        "grants": list(org.person_grants(person)),
        "acts_for": [d.principal for d in delegations["acts_for"]],
        "deputies": [d.deputy for d in delegations["deputies"]],
    }


@dataclass(frozen=True)
class HolidayPeriod:
    """A run of consecutive days off that contains a statutory holiday (e.g. 国庆节 10月1日—7日)."""

    name: str
    start: dt.date
    end: dt.date
    provisional: bool

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1


def upcoming_holidays(
    cal: WorkCalendar, today: dt.date, count: int = HOLIDAYS_SHOWN, horizon: int = HOLIDAY_HORIZON_DAYS
) -> list[HolidayPeriod]:
    """The next `count` holiday periods after today (a period that has already begun is not listed)."""
    from zhongshu.workdays.core import Kind

    periods: list[HolidayPeriod] = []
    run: list[Day] = []

    def close(run: list[Day]) -> None:
        holidays = [day for day in run if day.kind in (Kind.HOLIDAY, Kind.IN_LIEU)]
        if not holidays or run[0].date <= today:
            return
        named = [day.name for day in holidays if day.kind == Kind.HOLIDAY and day.name]
        name = named[0] if named else next((day.name for day in holidays if day.name), "节假日")
        periods.append(HolidayPeriod(name, run[0].date, run[-1].date, any(day.provisional for day in run)))

    for day in cal.days(today, today + dt.timedelta(days=horizon)):
        if day.workday:
            if run:
                close(run)
                run = []
            if len(periods) >= count:
                break
        else:
            run.append(day)
    return periods[:count]


def today_panel(request: HttpRequest) -> dict[str, Any]:
    """今天: the date, the weekday, whether it is a working day or a holiday, and the next holidays."""
    from zhongshu.workdays.selectors import calendar

    cal = calendar()
    today = clock.today()
    return {"today": today, "day": cal.day(today), "holidays": upcoming_holidays(cal, today)}


def system_panel(request: HttpRequest) -> dict[str, Any]:
    """系统状况 (administrators): active units and people, the time of the last audit event."""
    from zhongshu.audit.models import Event
    from zhongshu.org import selectors as org

    person = _person(request)
    return {
        "units": org.units_visible_to(person).filter(active=True).count(),
        "people": org.people_visible_to(person).filter(is_active=True).count(),
        "last_event_at": Event.objects.order_by("-seq").values_list("occurred_at", flat=True).first(),
    }


def recent_panel(request: HttpRequest) -> dict[str, Any]:
    """最近操作: the person's own last audit events, newest first, with the Chinese label of each verb."""
    from zhongshu.audit import verbs
    from zhongshu.audit.models import Event

    person = _person(request)
    events = Event.objects.filter(actor=person).order_by("-seq")[:RECENT_EVENTS]
    return {"events": [{"event": event, "label": verbs.label(event.verb)} for event in events]}


def register_foundation() -> None:
    """The panels, navigation entries and audit verbs of the shell itself."""

    register(Panel("core.me", "我的信息", "core/panels/_me.html", me_panel, order=10))
    register(Panel("core.today", "今天", "core/panels/_today.html", today_panel, order=20))
    register(Panel("core.system", "系统状况", "core/panels/_system.html", system_panel, perm=SYSTEM_VIEW, order=30))
    register(Panel("core.recent", "最近操作", "core/panels/_recent.html", recent_panel, order=900, wide=True))
    nav.register(nav.Entry("工作台", "我的工作台", "home", None, order=0))
    nav.register(nav.Entry("系统管理", "接口文档", "api:openapi-view", SYSTEM_VIEW, order=90))


register_foundation()
