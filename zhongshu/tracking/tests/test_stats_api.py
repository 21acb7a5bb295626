"""The statistics API (/api/v1/tracking/stats…): the issue's field names, the same numbers as the pages, board
links that list exactly the items counted, a liaison's scope, and bad input answered 400 per field."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from zhongshu.tracking import selectors

from .test_stats_scenario import END, NOW, START, build

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tracking"
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


@pytest.fixture
def scenario(district, make_item, clock_at):
    return build(district, make_item, clock_at)


def get(client, person, path, params=None):
    client.force_login(person)
    return client.get(f"{BASE}{path}", params if params is not None else PERIOD)


def board_ids(user, url):
    filters = selectors.filters_from(dict(parse_qsl(urlsplit(url).query)))
    return set(selectors.board(user, filters, now=NOW).values_list("pk", flat=True))


def test_stats_per_unit_with_the_issue_field_names(client, district, scenario):
    response = get(client, district.ducha, "/stats")

    assert response.status_code == 200
    rows = response.json()
    assert [row["unit_code"] for row in rows] == ["qingshan", "jiaowei", "zhujian", "weijian"]
    jiaowei = rows[1]
    assert {
        key: jiaowei[key] for key in ("unit", "assigned", "closed", "closed_on_time", "on_time_rate", "overdue")
    } == {
        "unit": "区教委",
        "assigned": 8,
        "closed": 5,
        "closed_on_time": 2,
        "on_time_rate": 0.4,
        "overdue": 2,
    }
    assert (jiaowei["signed_late"], jiaowei["overdue_workdays"], jiaowei["avg_close_workdays"]) == (0, 8, 6.8)
    assert rows[0]["on_time_rate"] is None
    zhujian = rows[2]
    assert (zhujian["notices"], zhujian["notices_by_level"]["red"], zhujian["co_late"]) == (1, 1, 0)
    assert rows[3]["co_late"] == 1


def test_api_numbers_equal_the_page_numbers(client, district, scenario):
    client.force_login(district.zhuren)
    page = client.get("/tracking/stats/", {"period": "custom", **PERIOD}).context
    dashboard = client.get("/tracking/dashboard/", {"period": "custom", **PERIOD}).context

    api_units = client.get(f"{BASE}/stats", PERIOD).json()
    api_summary = client.get(f"{BASE}/stats/summary", PERIOD).json()
    api_sources = client.get(f"{BASE}/stats/by-source", PERIOD).json()
    api_leaders = client.get(f"{BASE}/stats/by-leader", PERIOD).json()
    api_trend = client.get(f"{BASE}/stats/trend", PERIOD).json()

    fields = ("assigned", "signed_late", "closed", "closed_on_time", "on_time_rate", "overdue")
    page_units = [{f: getattr(item["row"], f) for f in fields} for item in page["unit_rows"]]
    assert [{f: row[f] for f in fields} for row in api_units] == page_units
    assert [row["overdue_workdays"] for row in api_units] == [
        item["row"].overdue_workdays for item in page["unit_rows"]
    ]
    tiles = {tile["key"]: tile["value"] for tile in dashboard["tiles"]}
    assert (api_summary["open"], api_summary["month_assigned"], api_summary["overdue"], api_summary["due_soon"]) == (
        tiles["open"],
        tiles["month_assigned"],
        tiles["overdue"],
        tiles["due_soon"],
    )
    assert f"{api_summary['on_time_rate'] * 100:.1f}%" == tiles["on_time_rate"]
    assert [row["assigned"] for row in api_sources] == [item["row"].assigned for item in page["source_rows"]]
    assert [row["closed"] for row in api_leaders] == [item["row"].closed for item in page["leader_rows"]]
    assert [row["assigned"] for row in api_trend] == [s for s in dashboard["chart"]["trend"]["series"][0]["values"]]
    assert api_summary["period"] == {
        "start": "2026-01-01",
        "end": "2026-03-20",
        "label": "2026年1月1日至2026年3月20日",
        "basis": "auto",
    }


def test_api_links_list_exactly_the_counted_items(client, district, scenario):
    rows = get(client, district.ducha, "/stats").json()
    summary = get(client, district.ducha, "/stats/summary").json()
    trend = get(client, district.ducha, "/stats/trend").json()

    jiaowei = rows[1]
    for figure in ("assigned", "closed", "closed_on_time", "overdue"):
        assert len(board_ids(district.ducha, jiaowei["links"][figure])) == jiaowei[figure]
    assert board_ids(district.ducha, rows[2]["links"]["notices"]) == {scenario.items["zhujian_overdue"].pk}
    for figure in ("open", "month_assigned", "due_soon", "overdue", "closed"):
        assert len(board_ids(district.ducha, summary["links"][figure])) == summary[figure]
    march = trend[2]
    assert (march["month"], march["start"], march["end"]) == ("2026-03", "2026-03-01", "2026-03-20")
    assert len(board_ids(district.ducha, march["links"]["closed_on_time"])) == march["closed_on_time"] == 3


def test_basis_parameter(client, district, scenario):
    rows = get(client, district.ducha, "/stats", {**PERIOD, "basis": "original"}).json()

    assert rows[1]["closed_on_time"] == 1
    assert "basis=original" in rows[1]["links"]["closed_on_time"]


def test_a_liaison_gets_their_own_unit(client, district, scenario):
    rows = get(client, district.liaison, "/stats").json()
    summary = get(client, district.liaison, "/stats/summary").json()

    assert [row["unit_code"] for row in rows] == ["jiaowei"]
    assert (summary["assigned"], summary["open"]) == (8, 3)


def test_without_the_permission_403(client, district):
    response = get(client, district.nobody, "/stats")

    assert response.status_code == 403
    assert response.json() == {"detail": "您无权查看督查统计。"}


def test_anonymous_401(client):
    assert client.get(f"{BASE}/stats").status_code == 401


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"from": "2026-02-30"}, {"from": ["日期“2026-02-30”无效，格式应为 YYYY-MM-DD（例如 2026-01-01）。"]}),
        ({"from": "2026-03-01", "to": "2026-01-01"}, {"to": ["截止日期不能早于起始日期。"]}),
        ({"period": "week"}, {"period": ["统计期间应为本年、本季度、本月、上年或自定义。"]}),
        ({"basis": "best"}, {"basis": ["考核口径应为 auto、original 或 in_force。"]}),
    ],
)
@pytest.mark.parametrize("path", ["/stats", "/stats/summary", "/stats/by-source", "/stats/by-leader", "/stats/trend"])
def test_bad_input_400_with_field_errors(client, district, params, errors, path):
    response = get(client, district.ducha, path, params)

    assert response.status_code == 400
    assert response.json()["errors"] == errors


def test_default_period_is_this_year_to_date(client, district, clock_at):
    from .conftest import at

    clock_at(at(2026, 5, 20, 10))
    body = get(client, district.ducha, "/stats/summary", {}).json()

    assert (body["period"]["start"], body["period"]["end"]) == ("2026-01-01", "2026-05-20")
    assert [row["month"] for row in get(client, district.ducha, "/stats/trend", {}).json()] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
