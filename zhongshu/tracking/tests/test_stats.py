"""Statistics on a hand-built set (test_stats_scenario.py): every figure per unit, by source, by leader and per
month, the assessment basis, the fixed unit order, a liaison's scope, and the drill-down to the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict

from zhongshu.core.exceptions import PermissionDenied, ValidationFailed
from zhongshu.tracking import selectors, services, stats

from .test_stats_scenario import END, NOW, START, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(district, make_item, clock_at):
    return build(district, make_item, clock_at)


def rows_by_code(user, **kw):
    kw.setdefault("now", NOW)
    return {row.code: row for row in stats.by_unit(user, start=START, end=END, **kw)}


def figures(row):
    return (row.assigned, row.signed_late, row.closed, row.closed_on_time, row.overdue)


def test_units_in_fixed_order_including_units_with_nothing(district, scenario):
    rows = stats.by_unit(district.zhuren, start=START, end=END, now=NOW)

    assert [row.code for row in rows] == ["qingshan", "jiaowei", "zhujian", "weijian"]
    assert [row.unit for row in rows] == ["青山镇", "区教委", "区住房城乡建委", "区卫生健康委"]
    town, _, _, weijian = rows
    assert figures(town) == (0, 0, 0, 0, 0)
    assert (town.on_time_rate, town.notices) == (None, 0)
    assert figures(weijian) == (0, 0, 0, 0, 0)
    assert weijian.avg_close_workdays is None


def test_lead_unit_figures_count_split_children_not_parents_nor_cancelled(district, scenario):
    rows = rows_by_code(district.ducha)

    jiaowei = rows["jiaowei"]
    # assigned: on_time, late, ext_in_time, ext_late, returned, reported_late, due_soon, child_jiaowei
    assert jiaowei.assigned == 8
    assert jiaowei.signed_late == 0
    assert jiaowei.closed == 5  # on_time, late, ext_in_time, ext_late, returned (closed after a return)
    # auto basis: on_time; ext_in_time (extension approved before expiry, judged on the new deadline).
    # Not: late; ext_late (approved after expiry: the original deadline); returned (final report after due).
    assert jiaowei.closed_on_time == 2
    assert jiaowei.on_time_rate == 0.4
    assert jiaowei.overdue == 2  # child_jiaowei (due 3-13, still open), reported_late (reported after due)
    assert jiaowei.overdue_workdays == 5 + 3  # 3-16…3-20, and 3-13…3-17 up to the report
    assert jiaowei.avg_close_workdays == 6.8  # (3 + 6 + 7 + 8 + 10) / 5 working days from 交办 to 报结
    assert jiaowei.co_late == 0
    zhujian = rows["zhujian"]
    assert figures(zhujian) == (3, 1, 1, 1, 1)
    assert zhujian.on_time_rate == 1.0
    assert zhujian.overdue_workdays == 8  # due 3-10, overdue 3-11…3-20
    assert zhujian.avg_close_workdays == 3.0
    assert zhujian.notices_by_level == {"blue": 0, "yellow": 0, "red": 1, "urge": 0, "bulletin": 0}
    assert zhujian.notices == 1
    assert zhujian.co_late == 0  # reported its part of reported_late on 3-4
    assert rows["weijian"].co_late == 1  # never reported its part of reported_late (due 3-12)


def test_overdue_workdays_equal_the_selector_item_by_item(district, scenario):
    from zhongshu.tracking.models import Item

    overdue = Item.objects.filter(selectors.overdue_q(NOW), selectors.counted_q())
    per_unit: dict[int, int] = {}
    for item in overdue:
        per_unit[item.lead_unit_id] = per_unit.get(item.lead_unit_id, 0) + selectors.overdue_workdays(item, NOW)

    rows = stats.by_unit(district.ducha, start=START, end=END, now=NOW)

    assert {row.unit_id: row.overdue_workdays for row in rows if row.overdue_workdays} == per_unit


@pytest.mark.parametrize(("basis", "jiaowei_on_time"), [("auto", 2), ("in_force", 3), ("original", 1)])
def test_assessment_basis_changes_closed_on_time(district, scenario, basis, jiaowei_on_time):
    assert rows_by_code(district.ducha, basis=basis)["jiaowei"].closed_on_time == jiaowei_on_time


def test_office_setting_is_the_default_basis(district, scenario):
    services.config_update(actor=district.zhuren, assess_basis="in_force")

    assert rows_by_code(district.ducha)["jiaowei"].closed_on_time == 3


def test_bad_basis_is_refused(district, scenario):
    with pytest.raises(ValidationFailed) as caught:
        stats.by_unit(district.ducha, start=START, end=END, now=NOW, basis="whatever")
    assert "basis" in caught.value.errors


def test_totals_row_sums_units_and_recomputes_rates(district, scenario):
    total = stats.totals(stats.by_unit(district.ducha, start=START, end=END, now=NOW))

    assert (total.unit, total.assigned, total.closed, total.closed_on_time, total.overdue) == ("合计", 11, 6, 3, 3)
    assert total.on_time_rate == 0.5
    assert total.overdue_workdays == 16
    assert total.avg_close_workdays == round((34 + 3) / 6, 1)
    assert (total.notices, total.co_late) == (1, 1)


def test_period_limits_assigned_and_closed_but_overdue_is_current(district, scenario):
    rows = {
        row.code: row
        for row in stats.by_unit(district.ducha, start=dt.date(2026, 3, 6), end=dt.date(2026, 3, 10), now=NOW)
    }

    jiaowei = rows["jiaowei"]
    assert (jiaowei.assigned, jiaowei.closed, jiaowei.overdue) == (0, 1, 2)  # late closed on 3-10
    assert rows["zhujian"].notices == 0  # the red notice came on 3-11
    assert rows["weijian"].co_late == 0  # reported_late was due on 3-12


def test_a_liaison_sees_only_their_unit(district, scenario):
    rows = stats.by_unit(district.liaison, start=START, end=END, now=NOW)

    assert [row.code for row in rows] == ["jiaowei"]
    assert rows[0].assigned == 8
    sources = stats.by_source(district.liaison, start=START, end=END, now=NOW)
    assert sum(row.assigned for row in sources) == 8
    summary = stats.summary(district.liaison, start=START, end=END, now=NOW)
    assert (summary.assigned, summary.overdue) == (8, 2)


def test_without_the_permission_statistics_are_refused(district, scenario):
    with pytest.raises(PermissionDenied):
        stats.by_unit(district.nobody, start=START, end=END, now=NOW)
    with pytest.raises(PermissionDenied):
        stats.summary(district.wenmi, start=START, end=END, now=NOW)


def test_by_source_lists_every_source_in_fixed_order(district, scenario):
    rows = stats.by_source(district.ducha, start=START, end=END, now=NOW)

    assert [row.source_type for row in rows][:3] == ["leader_instruction", "meeting_decision", "incoming_document"]
    assert len(rows) == 11
    first = rows[0]
    assert (first.label, first.assigned, first.closed, first.closed_on_time, first.overdue) == ("领导批示", 11, 6, 3, 3)
    assert all(row.assigned == 0 for row in rows[1:])


def test_by_leader_lists_every_leader(district, scenario):
    rows = stats.by_leader(district.ducha, start=START, end=END, now=NOW)

    by_name = {row.name: row for row in rows}
    assert set(by_name) == {"王区长", "陈副区长"}
    assert (by_name["王区长"].assigned, by_name["王区长"].closed, by_name["王区长"].overdue) == (11, 6, 3)
    assert by_name["陈副区长"].assigned == 0


def test_trend_has_every_month_of_the_period(district, scenario):
    rows = stats.trend(district.ducha, start=START, end=END, now=NOW)

    assert [row.label for row in rows] == ["2026年1月", "2026年2月", "2026年3月"]
    assert [(row.assigned, row.closed, row.closed_on_time) for row in rows] == [(0, 0, 0), (0, 0, 0), (11, 6, 3)]
    assert (rows[2].start, rows[2].end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 20))


def test_summary_headline_figures(district, scenario):
    summary = stats.summary(district.zhuren, start=START, end=END, now=NOW)

    # open: child_jiaowei, reported_late, due_soon, zhujian_overdue, zhujian_signed_late
    assert summary.open == 5
    assert summary.month_assigned == 11
    assert (summary.assigned, summary.closed, summary.closed_on_time, summary.overdue) == (11, 6, 3, 3)
    assert summary.on_time_rate == 0.5
    assert summary.due_soon == 1  # due 3-24, within 3 working days of 3-20


def test_the_same_numbers_everywhere(district, scenario):
    units = stats.by_unit(district.ducha, start=START, end=END, now=NOW)
    sources = stats.by_source(district.ducha, start=START, end=END, now=NOW)
    months = stats.trend(district.ducha, start=START, end=END, now=NOW)
    summary = stats.summary(district.ducha, start=START, end=END, now=NOW)

    for name in ("assigned", "closed", "closed_on_time"):
        expected = getattr(summary, name)
        assert sum(getattr(row, name) for row in units) == expected
        assert sum(getattr(row, name) for row in sources) == expected
        assert sum(getattr(row, name) for row in months) == expected
    assert sum(row.overdue for row in units) == summary.overdue == sum(row.overdue for row in sources)


# Drill-down: the board filtered by a figure's link lists exactly the items it counts ----------------------


def board_ids(user, query):
    filters = selectors.filters_from(QueryDict(mutable=True) | query)
    return set(selectors.board(user, filters, now=NOW).values_list("pk", flat=True))


def ids(scenario, *keys):
    return {scenario.items[key].pk for key in keys}


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (
            "assigned",
            (
                "on_time",
                "late",
                "ext_in_time",
                "ext_late",
                "returned",
                "reported_late",
                "due_soon",
                "child_jiaowei",
            ),
        ),
        ("closed", ("on_time", "late", "ext_in_time", "ext_late", "returned")),
        ("closed_on_time", ("on_time", "ext_in_time")),
        ("closed_late", ("late", "ext_late", "returned")),
        ("overdue", ("child_jiaowei", "reported_late")),
        ("signed_late", ()),
    ],
)
def test_unit_drill_down_lists_exactly_the_counted_items(district, scenario, figure, expected):
    period = stats.Period(START, END)
    row = rows_by_code(district.ducha)["jiaowei"]
    query = stats.drill(period, figure=figure, lead_unit=row.unit_id)

    listed = board_ids(district.ducha, query)

    assert listed == ids(scenario, *expected)
    count = row.closed_late if figure == "closed_late" else getattr(row, figure)
    assert len(listed) == count


def test_drill_down_with_basis_follows_the_basis(district, scenario):
    period = stats.Period(START, END)
    query = stats.drill(period, figure="closed_on_time", basis="in_force", lead_unit=district.jiaowei.pk)

    assert board_ids(district.ducha, query) == ids(scenario, "on_time", "ext_in_time", "ext_late")


def test_summary_drill_downs(district, scenario):
    period = stats.Period(START, END)
    summary = stats.summary(district.ducha, start=START, end=END, now=NOW)
    month = stats.Period(summary.month_start, summary.today)

    assert len(board_ids(district.ducha, stats.drill(figure="open"))) == summary.open == 5
    assert board_ids(district.ducha, stats.drill(figure="due_soon")) == ids(scenario, "due_soon")
    assert len(board_ids(district.ducha, stats.drill(figure="overdue"))) == summary.overdue
    assert len(board_ids(district.ducha, stats.drill(month, figure="assigned"))) == summary.month_assigned
    assert len(board_ids(district.ducha, stats.drill(period, figure="closed"))) == summary.closed


def test_signed_late_and_notice_drill_downs(district, scenario):
    period = stats.Period(START, END)
    zhujian = district.zhujian.pk

    assert board_ids(district.ducha, stats.drill(period, figure="signed_late", lead_unit=zhujian)) == ids(
        scenario, "zhujian_signed_late"
    )
    assert board_ids(district.ducha, stats.drill(period, figure="notices", lead_unit=zhujian)) == ids(
        scenario, "zhujian_overdue"
    )


def test_source_leader_and_month_drill_downs(district, scenario):
    period = stats.Period(START, END)
    march = stats.trend(district.ducha, start=START, end=END, now=NOW)[2]

    by_source = board_ids(district.ducha, stats.drill(period, figure="assigned", source_type="leader_instruction"))
    by_leader = board_ids(district.ducha, stats.drill(period, figure="closed", leader=district.quzhang.pk))
    in_march = board_ids(district.ducha, stats.drill(stats.Period(march.start, march.end), figure="closed_on_time"))

    assert len(by_source) == 11
    assert len(by_leader) == 6
    assert in_march == ids(scenario, "on_time", "ext_in_time", "child_zhujian")


def test_liaison_drill_down_stays_in_their_unit(district, scenario):
    query = stats.drill(stats.Period(START, END), figure="assigned", lead_unit=district.jiaowei.pk)

    assert len(board_ids(district.liaison, query)) == 8
    assert board_ids(district.other_liaison, query) <= ids(scenario, "reported_late")  # co-unit sees its part only


# Periods -------------------------------------------------------------------------------------------------------


TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ({}, dt.date(2026, 1, 1), TODAY),
        ({"period": "year"}, dt.date(2026, 1, 1), TODAY),
        ({"period": "quarter"}, dt.date(2026, 4, 1), TODAY),
        ({"period": "month"}, dt.date(2026, 5, 1), TODAY),
        ({"period": "last_year"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ({"period": "custom", "from": "2025-07-01", "to": "2025-09-30"}, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ({"from": "2026-02-01"}, dt.date(2026, 2, 1), TODAY),
        ({"to": "2025-06-30"}, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    ],
)
def test_periods(query, start, end):
    period = stats.parse_period(query, today=TODAY)

    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-13-01"}, "from", "日期“2026-13-01”无效，格式应为 YYYY-MM-DD（例如 2026-01-01）。"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to", "截止日期不能早于起始日期。"),
        ({"from": "2000-01-01", "to": "2026-01-01"}, "to", "统计期间最长为 10 年。"),
        ({"period": "decade"}, "period", "统计期间应为本年、本季度、本月、上年或自定义。"),
        ({"from": "1999-12-31"}, "from", "日期不能早于 2000 年。"),
    ],
)
def test_bad_periods_name_the_field(query, field, message):
    with pytest.raises(ValidationFailed) as caught:
        stats.parse_period(query, today=TODAY)

    assert caught.value.errors == {field: [message]}


def test_period_labels():
    assert stats.Period(dt.date(2026, 1, 1), dt.date(2026, 3, 20)).label == "2026年1月1日至2026年3月20日"
    assert stats.period_of("month", TODAY).query() == {"period": "month"}
