"""Changes to the calendar: overrides, entering a year's arrangement, who may do it, and what is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory
from zhongshu.workdays import core, selectors, services
from zhongshu.workdays import permissions as perms
from zhongshu.workdays.models import CalendarNotice, CalendarVersion, DayOverride, YearArrangement

D = dt.date
pytestmark = pytest.mark.django_db


# --- permissions --------------------------------------------------------------------------------------------

NON_ADMIN_ROLES = [role for role in Role if role != Role.ADMIN]


def _actor(kind, make_person):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "no role":
        return PersonFactory()
    return make_person(kind)


ACTORS = ["anonymous", "no role", *NON_ADMIN_ROLES, Role.ADMIN]


@pytest.mark.parametrize("kind", ACTORS)
def test_permission_matrix(kind, make_person):
    actor = _actor(kind, make_person)
    assert authz.can(actor, perms.WORKDAYS_MANAGE) is (kind == Role.ADMIN)
    assert authz.can(actor, perms.WORKDAYS_VIEW) is (kind not in {"anonymous", "no role"})


def _nothing_written():
    return (
        DayOverride.objects.count(),
        YearArrangement.objects.count(),
        CalendarVersion.objects.count(),
        Event.objects.count(),
    ) == (0, 0, 0, 0)


DENIED = ["anonymous", "no role", *NON_ADMIN_ROLES]


@pytest.mark.parametrize("kind", DENIED)
def test_day_set_denied_without_manage(kind, make_person):
    actor = _actor(kind, make_person)
    with pytest.raises(PermissionDenied, match="管理工作日历"):
        services.day_set(actor=actor, date=D(2027, 2, 20), workday=True, note="调休")
    assert _nothing_written()


@pytest.mark.parametrize("kind", DENIED)
def test_day_clear_denied_without_manage(kind, make_person, admin_person):
    override = services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True)
    events = Event.objects.count()
    actor = _actor(kind, make_person)
    with pytest.raises(PermissionDenied):
        services.day_clear(actor=actor, date=D(2027, 2, 20))
    assert DayOverride.objects.filter(pk=override.pk).exists()
    assert Event.objects.count() == events


@pytest.mark.parametrize("kind", DENIED)
def test_year_arrangement_enter_denied_without_manage(kind, make_person):
    actor = _actor(kind, make_person)
    with pytest.raises(PermissionDenied):
        services.year_arrangement_enter(actor=actor, year=2027, holidays=[D(2027, 1, 1)], workdays=[])
    assert _nothing_written()


@pytest.mark.parametrize("kind", DENIED)
def test_year_arrangement_import_denied_without_manage(kind, make_person):
    actor = _actor(kind, make_person)
    with pytest.raises(PermissionDenied):
        services.year_arrangement_import(actor=actor, year=2027, text="2027-01-01 休 元旦")
    assert _nothing_written()


# --- day_set / day_clear ------------------------------------------------------------------------------------


def test_day_set_creates_override_records_event_and_changes_the_calendar(admin_person):
    before = selectors.calendar()
    assert before.is_workday(D(2026, 10, 8)) is True

    override = services.day_set(actor=admin_person, date=D(2026, 10, 8), workday=False, note="国务院办公厅通知调整")

    assert (override.date, override.workday, override.note, override.created_by) == (
        D(2026, 10, 8),
        False,
        "国务院办公厅通知调整",
        admin_person,
    )
    event = Event.objects.get()
    assert (event.verb, event.actor_id, event.target_id) == (
        "workdays.day.set",
        admin_person.pk,
        str(override.pk),
    )
    assert event.changes == {"workday": [None, False], "note": [None, "国务院办公厅通知调整"]}
    after = selectors.calendar()
    assert after is not before
    assert after.day(D(2026, 10, 8)).source == core.Source.OVERRIDE
    assert after.add_workdays(D(2026, 9, 30), 5).value == D(2026, 10, 14)


def test_day_set_again_records_only_the_changed_fields(admin_person):
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="")
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="春节调休")

    assert DayOverride.objects.get().note == "春节调休"
    assert Event.objects.order_by("-seq")[0].changes == {"note": ["", "春节调休"]}


def test_day_set_unchanged_writes_nothing_more(admin_person):
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="调休")
    version = selectors.calendar_version()
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="调休")
    assert Event.objects.count() == 1
    assert selectors.calendar_version() == version


def test_day_set_refuses_a_long_note(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="长" * 101)
    assert caught.value.errors == {"note": ["说明最多100个字，现在有101个字。"]}
    assert _nothing_written()


def test_day_set_refuses_a_date_outside_the_calendar(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.day_set(actor=admin_person, date=D(2100, 1, 1), workday=True)
    assert caught.value.errors == {"date": ["日期应在1901年至2099年之间。"]}


def test_day_clear_removes_the_override_and_records_it(admin_person):
    override = services.day_set(actor=admin_person, date=D(2026, 10, 8), workday=False)
    pk = override.pk

    services.day_clear(actor=admin_person, date=D(2026, 10, 8))

    assert not DayOverride.objects.exists()
    event = Event.objects.order_by("-seq")[0]
    assert (event.verb, event.target_id, event.changes) == (
        "workdays.day.cleared",
        str(pk),
        {"workday": [False, None], "note": ["", None]},
    )
    assert selectors.calendar().day(D(2026, 10, 8)).source == core.Source.PACKAGE


def test_day_clear_refuses_a_date_without_override(admin_person):
    with pytest.raises(ApplicationError, match="没有管理员设置") as caught:
        services.day_clear(actor=admin_person, date=D(2026, 10, 8))
    assert caught.value.field == "date"
    assert _nothing_written()


# --- entering a year's arrangement --------------------------------------------------------------------------


def test_year_arrangement_enter_makes_the_year_official(admin_person):
    assert selectors.calendar().is_provisional_year(2027) is True
    CalendarNotice.objects.create(year=2027)

    arrangement = services.year_arrangement_enter(
        actor=admin_person,
        year=2027,
        holidays=[D(2027, 1, 1), D(2027, 2, 6), D(2027, 2, 7)],
        workdays=[D(2027, 2, 13)],
        note="国办发明电〔2026〕1号",
        names={D(2027, 1, 1): "元旦", D(2027, 2, 13): "春节调休"},
    )

    assert (arrangement.year, arrangement.entered_by, arrangement.note) == (
        2027,
        admin_person,
        "国办发明电〔2026〕1号",
    )
    assert sorted(DayOverride.objects.values_list("date", "workday", "note")) == [
        (D(2027, 1, 1), False, "元旦"),
        (D(2027, 2, 6), False, ""),
        (D(2027, 2, 7), False, ""),
        (D(2027, 2, 13), True, "春节调休"),
    ]
    cal = selectors.calendar()
    assert cal.is_provisional_year(2027) is False
    assert cal.day(D(2027, 2, 13)).kind == core.Kind.SHIFTED_WORKDAY
    assert cal.add_workdays(D(2026, 12, 30), 3) == core.Result(D(2027, 1, 5), False)
    assert CalendarNotice.objects.get(year=2027).resolved_at is not None
    verbs = list(Event.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["workdays.year.entered", "workdays.notice.resolved"]
    entered = Event.objects.get(verb="workdays.year.entered")
    assert entered.data == {
        "year": 2027,
        "holidays": ["2027-01-01", "2027-02-06", "2027-02-07"],
        "workdays": ["2027-02-13"],
        "removed": [],
    }


def test_year_arrangement_enter_replaces_the_years_earlier_settings(admin_person):
    services.day_set(actor=admin_person, date=D(2027, 3, 1), workday=False, note="旧设置")
    services.day_set(actor=admin_person, date=D(2028, 3, 1), workday=False, note="另一年")

    services.year_arrangement_enter(actor=admin_person, year=2027, holidays=[D(2027, 1, 1)], workdays=[])

    assert list(DayOverride.objects.order_by("date").values_list("date", flat=True)) == [
        D(2027, 1, 1),
        D(2028, 3, 1),
    ]
    assert Event.objects.get(verb="workdays.year.entered").data["removed"] == ["2027-03-01"]


@pytest.mark.parametrize(
    ("holidays", "workdays", "errors"),
    [
        ([], [], {"holidays": ["请至少填写一个放假日期。"]}),
        ([D(2028, 1, 1)], [], {"holidays": ["2028-01-01 不属于2027年。"]}),
        (
            [D(2027, 2, 13)],
            [D(2027, 2, 13)],
            {"workdays": ["2027-02-13 同时出现在放假日期和上班日期中。"]},
        ),
        (
            [D(2027, 1, 1)],
            [D(2027, 2, 15)],
            {"workdays": ["2027-02-15 是星期一，本来就是工作日，不必列为调休上班日。"]},
        ),
    ],
)
def test_year_arrangement_enter_refuses_bad_lists_and_saves_nothing(admin_person, holidays, workdays, errors):
    with pytest.raises(ValidationFailed) as caught:
        services.year_arrangement_enter(actor=admin_person, year=2027, holidays=holidays, workdays=workdays)
    assert caught.value.errors == errors
    assert _nothing_written()


def test_year_arrangement_enter_refuses_a_year_outside_the_calendar(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.year_arrangement_enter(actor=admin_person, year=2100, holidays=[D(2100, 1, 1)], workdays=[])
    assert caught.value.errors == {"year": ["年度应在1901至2099之间。"]}


def test_year_arrangement_import_reads_the_simple_list(admin_person):
    services.year_arrangement_import(
        actor=admin_person,
        year=2027,
        text="2027-01-01 休 元旦\n2027-02-05至2027-02-11 休 春节\n2027-02-13 班 春节调休\n",
        note="通知",
    )
    cal = selectors.calendar()
    assert [(d.date, d.workday, d.name) for d in cal.special_days(2027)][:2] == [
        (D(2027, 1, 1), False, "元旦"),
        (D(2027, 2, 5), False, "春节"),
    ]
    assert cal.is_workday(D(2027, 2, 13)) is True
    assert DayOverride.objects.count() == 9


def test_year_arrangement_import_reports_each_bad_line_and_saves_nothing(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.year_arrangement_import(actor=admin_person, year=2027, text="2027-01-01 休\n2027-02-30 休\nabc")
    assert caught.value.errors == {
        "dates": [
            "第2行的日期不存在，请检查年月日",
            "第3行“abc”格式不对，应为“2027-01-01 休 元旦”或“2027-02-14 班”",
        ]
    }
    assert _nothing_written()


def test_year_arrangement_import_puts_list_errors_on_the_text_field(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.year_arrangement_import(actor=admin_person, year=2027, text="2028-01-01 休 元旦")
    assert caught.value.errors == {"dates": ["2028-01-01 不属于2027年。"]}


def test_year_arrangement_import_refuses_an_empty_list(admin_person):
    with pytest.raises(ValidationFailed) as caught:
        services.year_arrangement_import(actor=admin_person, year=2027, text="# 只有注释\n\n")
    assert caught.value.errors == {"dates": ["请逐行填写日期，例如“2027-01-01 休 元旦”。"]}


# --- the cached calendar ------------------------------------------------------------------------------------


def test_calendar_is_cached_until_the_version_changes(admin_person, django_assert_num_queries):
    first = selectors.calendar()
    with django_assert_num_queries(1):  # only the version check
        assert selectors.calendar() is first
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True)
    assert selectors.calendar() is not first


def test_calendar_notices_a_change_made_by_another_process(admin_person):
    cached = selectors.calendar()
    # Another process changes the data and bumps the version: simulate by writing the rows directly.
    DayOverride.objects.create(date=D(2026, 10, 8), workday=False, note="", created_by=admin_person)
    services._bump_version()
    fresh = selectors.calendar()
    assert fresh is not cached
    assert fresh.is_workday(D(2026, 10, 8)) is False


def test_calendar_works_without_tables(monkeypatch):
    from django.db import OperationalError

    def broken():
        raise OperationalError("no such table: workdays_calendarversion")

    monkeypatch.setattr(selectors, "calendar_version", broken)
    cal = selectors.calendar()
    assert cal.add_workdays(D(2026, 9, 30), 5).value == D(2026, 10, 13)
