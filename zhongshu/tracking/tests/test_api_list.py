"""GET /api/v1/tracking/items (the board's filters, paging, a fixed number of queries), GET /items/{id}, the
ledger download and the statistics router's mount."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.tracking import selectors, services
from zhongshu.tracking.models import Item

from .conftest import at
from .test_api import bearer_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/tracking/items"


@pytest.fixture
def board(district, make_item, clock_at):
    """A (区教委 lead, 区住房城乡建委 co, date deadline, overdue by 10-12), B (区住房城乡建委, meeting decision,
    not signed), C (区卫生健康委, a draft); the clock then stands at Monday 2026-10-12 10:00."""
    clock_at(at(2026, 9, 28, 9))
    a = make_item(title="学校周边交通整治", due_in_workdays=None, due_at=dt.date(2026, 10, 9))
    b = make_item(
        title="老旧小区加装电梯",
        source_type="meeting_decision",
        instructing_leader_id=None,
        instruction="",
        lead_unit_id=district.zhujian.pk,
        co_unit_ids=[],
        due_in_workdays=5,
    )
    c = make_item(
        title="卫生专项检查",
        source_type="assignment",
        instructing_leader_id=None,
        instruction="",
        lead_unit_id=district.weijian.pk,
        co_unit_ids=[],
        assign=False,
    )
    clock_at(at(2026, 10, 12, 10))
    return {"a": a, "b": b, "c": c}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_the_list_pages_newest_first_with_counts(client, district, board):
    client.force_login(district.ducha)

    body = client.get(URL).json()

    assert (body["count"], body["page"], body["pages"]) == (3, 1, 1)
    assert [row["title"] for row in body["items"]] == ["卫生专项检查", "老旧小区加装电梯", "学校周边交通整治"]
    first = body["items"][2]
    assert first["overdue"] is True
    assert first["colour"] == "red"
    now = at(2026, 10, 12, 10)
    assert first["overdue_workdays"] == selectors.overdue_workdays(Item.objects.get(pk=first["id"]), now) > 0
    assert "actions" not in first  # only single-item answers carry what the caller may do


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unit=jiaowei", ["a"]),
        ("unit=zhujian", ["b", "a"]),  # lead or co-operating
        ("status=draft", ["c"]),
        ("status=open", ["b", "a"]),
        ("status=assigned", ["b", "a"]),
        ("overdue=true", ["a"]),
        ("overdue=false", ["c", "b"]),
        ("source_type=meeting_decision", ["b"]),
        ("due_before=2026-10-10", ["a"]),
        ("due_before=2026-10-08", []),
        ("colour=red", ["a"]),
        ("colour=grey", ["c"]),
        ("colour=green", ["b"]),
        ("leader=quzhang", ["a"]),
        ("officer=ducha", ["c", "b", "a"]),
        ("officer=zhuren", []),
        ("q=卫生", ["c"]),
        ("q=0002", ["b"]),
        ("unit=zhujian&overdue=false", ["b"]),
        ("sort=number", ["a", "b", "c"]),
    ],
)
def test_filters(client, district, board, query, expected):
    client.force_login(district.ducha)

    assert ids(client.get(f"{URL}?{query}")) == [board[key].pk for key in expected]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("liaison", ["a"]), ("other_liaison", ["b", "a"]), ("weijian_liaison", ["c"]), ("nobody", [])],
)
def test_a_liaison_lists_only_their_units_items(client, district, board, who, expected):
    client.force_login(getattr(district, who))

    assert ids(client.get(URL)) == [board[key].pk for key in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("unit=nosuch", "unit"),
        ("source_type=rumour", "source_type"),
        ("colour=purple", "colour"),
        ("leader=ghost", "leader"),
        ("officer=ghost", "officer"),
        ("overdue=maybe", "overdue"),
        ("due_before=next-week", "due_before"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("sort=random", "sort"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(client, district, board, query, field):
    client.force_login(district.ducha)

    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_fifty_a_page(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    for n in range(55):
        make_item(title=f"事项{n:02d}")
    client.force_login(district.ducha)

    first = client.get(URL).json()
    second = client.get(f"{URL}?page=2").json()
    beyond = client.get(f"{URL}?page=3").json()

    assert (first["count"], first["pages"], len(first["items"])) == (55, 2, 50)
    assert first["items"][0]["title"] == "事项54"
    assert (second["page"], len(second["items"]), second["items"][-1]["title"]) == (2, 5, "事项00")
    assert (beyond["page"], beyond["items"]) == (3, [])


def _fill(district: Any, make_item: Any, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        item = make_item(title=f"事项{n:02d}", co_unit_ids=[district.zhujian.pk, district.weijian.pk])
        if n % 2:
            services.item_accept(actor=district.liaison, item=item)


def test_the_list_issues_a_fixed_number_of_queries(client, district, make_item, clock_at, django_assert_num_queries):
    clock_at(at(2026, 9, 28, 9))
    headers = bearer_for(client, district.ducha)
    client.logout()
    _fill(district, make_item, 2)
    parent = make_item(title="分解事项", assign=False)
    services.item_split(actor=district.ducha, item=parent, unit_ids=[district.jiaowei.pk, district.zhujian.pk])
    clock_at(at(2026, 10, 20, 10))  # some overdue, some not (and the token still valid)
    client.get(URL, **headers)  # the token's last use is written at most once in a while: not the list's doing

    with django_assert_num_queries(11):
        small = client.get(f"{URL}?unit=jiaowei", **headers)
    clock_at(at(2026, 9, 28, 9))
    _fill(district, make_item, 40, start=10)
    clock_at(at(2026, 10, 20, 10))
    with django_assert_num_queries(11):
        large = client.get(f"{URL}?unit=jiaowei", **headers)

    assert small.json()["count"] < large.json()["count"]


def test_the_list_as_a_liaison_issues_a_fixed_number_of_queries(
    client, district, make_item, clock_at, django_assert_num_queries
):
    clock_at(at(2026, 9, 28, 9))
    _fill(district, make_item, 2)
    client.force_login(district.liaison)
    with django_assert_num_queries(14):
        client.get(URL)
    _fill(district, make_item, 30, start=10)
    with django_assert_num_queries(14):
        assert client.get(URL).json()["count"] == 32


# One item ------------------------------------------------------------------------------------------------------------


def test_the_item_shows_everything(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    item = make_item(milestones=[services.MilestoneIn("完成方案", dt.date(2026, 10, 9))])
    clock_at(at(2026, 9, 29, 10))
    services.item_accept(actor=district.liaison, item=item)
    services.item_progress(
        actor=district.liaison,
        item=item,
        text="已召开专题会。",
        attachments=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 x")],
    )
    services.extension_request(actor=district.liaison, item=item, reason="需审批。", due_at=dt.date(2026, 10, 30))
    client.force_login(district.ducha)

    body = client.get(f"{URL}/{item.pk}").json()

    assert body["number"] == "示范督〔2026〕0001号"
    assert body["instruction"] == "请教委牵头抓紧研究，两周内报结果。"
    assert body["instructed_on"] == "2026-09-28"
    assert body["content"].startswith("请区教委牵头")
    assert [(p["unit"]["code"], p["role"]) for p in body["parts"]] == [("jiaowei", "lead"), ("zhujian", "co")]
    assert body["milestones"][0]["title"] == "完成方案"
    assert body["milestones"][0]["late"] is False
    assert [e["text"] for e in body["entries"]] == ["已召开专题会。"]
    assert body["entries"][0]["attachments"][0]["name"] == "纪要.pdf"
    assert body["attachments"][0]["size"] == 10
    assert body["deadline_changes"][0]["after"] == "2026-10-19T17:30:00+08:00"
    assert body["deadline_changes"][0]["reason"].startswith("签收")
    assert body["extensions"][0]["status"] == "pending"
    assert body["extensions"][0]["proposed_due_at"].startswith("2026-10-30")
    assert body["declines"] == []
    assert body["notices"] == []
    assert "decide-extension" in body["actions"]
    assert [e["verb_label"] for e in body["timeline"]] == ["申请延期", "反馈进展", "签收", "交办", "登记督办事项"]
    assert body["timeline"][2]["actor"] == {"id": district.liaison.pk, "name": "赵联络"}
    assert body["timeline"][2]["changes"] == {"status": ["assigned", "in_progress"]}


def test_the_item_shows_its_ladder_notices(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    item = make_item(due_in_workdays=None, due_at=dt.date(2026, 10, 9))
    clock_at(at(2026, 10, 12, 10))
    services.notice_issue(
        item, "red", now=at(2026, 10, 12, 10), actor=district.ducha, reason="超期未办结", overdue_workdays=2
    )
    client.force_login(district.liaison)

    notices = client.get(f"{URL}/{item.pk}").json()["notices"]

    assert len(notices) == 1
    assert notices[0]["level"] == "red"
    assert notices[0]["level_label"] == "红色督办单"
    assert notices[0]["unit"]["code"] == "jiaowei"
    assert notices[0]["overdue_workdays"] == 2
    assert notices[0]["url"] == f"/tracking/notices/{notices[0]['id']}.docx"


def test_an_item_out_of_sight_answers_404(client, district, board):
    client.force_login(district.weijian_liaison)

    assert client.get(f"{URL}/{board['a'].pk}").status_code == 404
    assert client.get(f"{URL}/{board['c'].pk}").status_code == 200


def test_the_item_page_issues_a_fixed_number_of_queries(
    client, district, make_item, clock_at, django_assert_num_queries
):
    clock_at(at(2026, 9, 28, 9))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)
    client.force_login(district.ducha)
    client.get(f"{URL}/{item.pk}")  # the grants are cached per request; warm nothing else

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{URL}/{item.pk}").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(8):
        services.item_progress(
            actor=district.liaison, item=item, text=f"进展{n}", attachments=[SimpleUploadedFile(f"{n}.pdf", b"%PDF")]
        )
        services.item_progress(actor=district.other_liaison, item=item, text=f"配合{n}")
    with django_assert_num_queries(few):
        client.get(f"{URL}/{item.pk}")


# The ledger and the statistics ----------------------------------------------------------------------------------------


def test_the_ledger_downloads_with_the_lists_filters(client, district, board):
    from openpyxl import load_workbook

    client.force_login(district.ducha)

    response = client.get("/api/v1/tracking/ledger.xlsx?unit=jiaowei")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    assert board["a"].number in text
    assert board["b"].number not in text


def test_the_ledger_refuses_bad_filters_and_anonymous_callers(client, district, board):
    assert client.get("/api/v1/tracking/ledger.xlsx").status_code == 401
    client.force_login(district.ducha)
    response = client.get("/api/v1/tracking/ledger.xlsx?unit=nosuch")
    assert response.status_code == 400
    assert response.json()["errors"] == {"unit": ["没有代码为“nosuch”的单位。"]}


def test_the_statistics_router_is_mounted_under_tracking(client, district):
    from zhongshu.tracking.api_stats import router as stats_router

    client.force_login(district.ducha)
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in stats_router.path_operations:
        assert f"/api/v1/tracking{path}" in paths


def test_the_statistics_answer_under_tracking(client, district, board):
    client.force_login(district.ducha)

    response = client.get("/api/v1/tracking/stats?from=2026-09-01&to=2026-12-31")

    assert response.status_code == 200, response.content
    rows = response.json()
    assert {"unit", "assigned", "closed", "closed_on_time", "on_time_rate", "overdue"} <= set(rows[0])
