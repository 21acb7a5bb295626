"""The dashboard and the statistics table: figures as the stats functions give them, links that list exactly
their items, the period selector and its errors, who may open them, a fixed number of queries, the XLSX."""

from __future__ import annotations

import datetime as dt
import io
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.tracking import selectors, services, stats
from zhongshu.tracking.models import Item

from .conftest import at
from .test_stats_scenario import END, NOW, START, build

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracking:dashboard")
TABLE = reverse("tracking:stats")
CUSTOM = {"period": "custom", "from": START.isoformat(), "to": END.isoformat()}


@pytest.fixture
def scenario(district, make_item, clock_at):
    return build(district, make_item, clock_at)


def signed_in(client, person):
    client.force_login(person)
    return client


def chart_data(response):
    html = response.content.decode()
    return json.loads(html.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0])


def board_ids(user, url):
    parts = urlsplit(url)
    assert parts.path == reverse("tracking:board")
    filters = selectors.filters_from(dict(parse_qsl(parts.query)))
    return set(selectors.board(user, filters, now=NOW).values_list("pk", flat=True))


def test_dashboard_shows_the_headline_figures_with_their_items(client, district, scenario):
    response = signed_in(client, district.zhuren).get(DASHBOARD, CUSTOM)

    assert response.status_code == 200
    tiles = {tile["key"]: tile for tile in response.context["tiles"]}
    assert {key: tile["value"] for key, tile in tiles.items()} == {
        "open": 5,
        "month_assigned": 11,
        "on_time_rate": "50.0%",
        "overdue": 3,
        "due_soon": 1,
        "assigned": 11,
    }
    assert len(board_ids(district.zhuren, tiles["open"]["url"])) == 5
    assert len(board_ids(district.zhuren, tiles["overdue"]["url"])) == 3
    assert board_ids(district.zhuren, tiles["due_soon"]["url"]) == {scenario.items["due_soon"].pk}
    assert len(board_ids(district.zhuren, tiles["month_assigned"]["url"])) == 11
    assert len(board_ids(district.zhuren, tiles["on_time_rate"]["url"])) == 6  # the closed items behind the rate
    html = response.content.decode()
    assert "统计期间：2026年1月1日至2026年3月20日" in html
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html


def test_dashboard_chart_data_in_fixed_unit_order_with_drill_down(client, district, scenario):
    response = signed_in(client, district.zhuren).get(DASHBOARD, CUSTOM)

    data = chart_data(response)
    on_time = data["onTime"]
    assert on_time["categories"] == ["青山镇", "区教委", "区住房城乡建委", "区卫生健康委"]
    assert on_time["values"] == [None, 40.0, 100.0, None]
    assert on_time["labels"] == ["无办结", "40.0%（2/5）", "100.0%（1/1）", "无办结"]
    assert on_time["colours"] == ["grey", "red", "green", "grey"]
    jiaowei_closed = board_ids(district.zhuren, on_time["urls"][1])
    assert jiaowei_closed == {scenario.items[k].pk for k in ("on_time", "late", "ext_in_time", "ext_late", "returned")}
    overdue = data["overdue"]
    assert overdue["categories"] == ["区教委", "区住房城乡建委"]
    assert overdue["values"] == [2, 1]
    assert overdue["labels"] == ["2 件（8 个工作日）", "1 件（8 个工作日）"]
    assert board_ids(district.zhuren, overdue["urls"][1]) == {scenario.items["zhujian_overdue"].pk}
    trend = data["trend"]
    assert trend["categories"] == ["1月\n2026年", "2月", "3月"]
    assert [s["values"] for s in trend["series"]] == [[0, 0, 11], [0, 0, 6], [0, 0, 3]]
    assert trend["rates"] == [None, None, 50.0]
    assert len(board_ids(district.zhuren, trend["series"][0]["urls"][2])) == 11
    assert [(item["name"], item["value"]) for item in data["sources"]["items"]] == [("领导批示", 11)]


def test_a_liaison_sees_their_own_unit_on_the_dashboard(client, district, scenario):
    response = signed_in(client, district.liaison).get(DASHBOARD, CUSTOM)

    assert response.status_code == 200
    data = chart_data(response)
    assert data["onTime"]["categories"] == ["区教委"]
    assert {tile["key"]: tile["value"] for tile in response.context["tiles"]}["assigned"] == 8
    assert "仅含本单位的事项" in response.content.decode()


@pytest.mark.parametrize("who", ["nobody", "wenmi"])
def test_people_without_the_permission_are_refused(client, district, who):
    client.force_login(getattr(district, who))

    assert client.get(DASHBOARD).status_code == 403
    assert client.get(TABLE).status_code == 403


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_bad_period_is_explained_and_kept_on_the_form(client, district, clock_at):
    clock_at(at(2026, 5, 20, 10))
    response = signed_in(client, district.zhuren).get(
        DASHBOARD, {"period": "custom", "from": "2026-05-31", "to": "2026-05-01"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "截止日期不能早于起始日期。以下按本年统计。" in html
    assert 'name="from" value="2026-05-31"' in html
    assert 'name="to" value="2026-05-01"' in html
    assert response.context["period"] == stats.Period(dt.date(2026, 1, 1), dt.date(2026, 5, 20), "year")


def test_period_choices(client, district, clock_at):
    clock_at(at(2026, 5, 20, 10))
    signed_in(client, district.zhuren)

    assert client.get(DASHBOARD).context["period"].start == dt.date(2026, 1, 1)
    assert client.get(DASHBOARD, {"period": "quarter"}).context["period"].start == dt.date(2026, 4, 1)
    assert client.get(DASHBOARD, {"period": "month"}).context["period"].start == dt.date(2026, 5, 1)
    assert client.get(DASHBOARD, {"period": "last_year"}).context["period"].end == dt.date(2025, 12, 31)


def _more_items(make_item, district, count, first=0):
    units = [district.jiaowei.pk, district.zhujian.pk, district.weijian.pk]
    for n in range(first, first + count):
        make_item(title=f"批量事项{n}", lead_unit_id=units[n % 3], co_unit_ids=[], due_in_workdays=5 + n % 7)


@pytest.mark.parametrize("url", [DASHBOARD, TABLE])
def test_pages_issue_a_fixed_number_of_queries(client, district, make_item, clock_at, url):
    clock_at(at(2026, 3, 2, 9))
    _more_items(make_item, district, 5)
    signed_in(client, district.zhuren)
    client.get(url)  # warm the calendar cache and the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _more_items(make_item, district, 45, first=5)
    liaisons = {
        district.jiaowei.pk: district.liaison,
        district.zhujian.pk: district.other_liaison,
        district.weijian.pk: district.weijian_liaison,
    }
    for item in Item.objects.filter(status="assigned")[:30]:
        services.item_accept(actor=liaisons[item.lead_unit_id], item=item)
    clock_at(at(2026, 3, 31, 9))
    signed_in(client, district.zhuren)  # a new session: the first one has expired meanwhile
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)
    assert len(few) <= 22  # the shell (session, grants, inbox badge) and 13 for the figures


def test_stats_table_with_totals_and_drill_down(client, district, scenario):
    response = signed_in(client, district.ducha).get(TABLE, CUSTOM)

    assert response.status_code == 200
    rows = response.context["unit_rows"]
    assert [item["row"].code for item in rows] == ["qingshan", "jiaowei", "zhujian", "weijian"]
    total = response.context["total"]
    assert (total.assigned, total.closed, total.closed_on_time, total.overdue) == (11, 6, 3, 3)
    html = response.content.decode()
    assert "<th>合计</th>" in html
    jiaowei = rows[1]
    assert board_ids(district.ducha, jiaowei["links"]["closed_on_time"]) == {
        scenario.items["on_time"].pk,
        scenario.items["ext_in_time"].pk,
    }
    assert len(board_ids(district.ducha, response.context["total_links"]["assigned"])) == 11
    zhujian = rows[2]
    assert board_ids(district.ducha, zhujian["links"]["signed_late"]) == {scenario.items["zhujian_signed_late"].pk}
    assert 'title="红色督办单 1"' in html
    sources = response.context["source_rows"]
    assert len(board_ids(district.ducha, sources[0]["links"]["overdue"])) == 3
    leaders = {item["row"].name: item for item in response.context["leader_rows"]}
    assert len(board_ids(district.ducha, leaders["王区长"]["links"]["closed"])) == 6


def test_stats_table_basis_and_sort(client, district, scenario):
    signed_in(client, district.ducha)

    in_force = client.get(TABLE, {**CUSTOM, "basis": "in_force"})
    by_rate = client.get(TABLE, {**CUSTOM, "sort": "on_time_rate"})
    by_rate_asc = client.get(TABLE, {**CUSTOM, "sort": "-on_time_rate"})

    assert in_force.context["total"].closed_on_time == 4
    assert "in_force" in in_force.context["unit_rows"][1]["links"]["closed_on_time"]
    assert [item["row"].code for item in by_rate.context["unit_rows"]] == ["zhujian", "jiaowei", "qingshan", "weijian"]
    assert [item["row"].code for item in by_rate_asc.context["unit_rows"]][:2] == ["jiaowei", "zhujian"]


def test_stats_table_downloads_as_xlsx(client, district, scenario):
    from openpyxl import load_workbook

    response = signed_in(client, district.ducha).get(TABLE, {**CUSTOM, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按单位", "按来源", "按批示领导", "按月"]
    sheet = book["按单位"]
    assert sheet["A1"].value == "督查督办统计表（按单位）"
    assert sheet["A2"].value.startswith("统计期间：2026年1月1日至2026年3月20日；考核口径：")
    assert [cell.value for cell in sheet[3]][:7] == [
        "序号",
        "单位",
        "交办",
        "逾期签收",
        "办结",
        "按期办结",
        "按期办结率",
    ]
    assert [cell.value for cell in sheet[5]][:9] == [2, "示范区教育委员会", 8, 0, 5, 2, 0.4, 2, 8]
    assert [cell.value for cell in sheet[8]][:9] == [None, "合计", 11, 1, 6, 3, 0.5, 3, 16]
    assert sheet["G5"].number_format == "0.0%"
