"""The ledger, bulletins and printable notices as the office downloads them: file contents, permissions,
snapshots, the office's own template, and a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import io
import urllib.parse

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.core.exceptions import ValidationFailed
from zhongshu.tracking import bulletin, ledger, selectors, services
from zhongshu.tracking.models import Counter, Item, LedgerSnapshot, Notice

from .conftest import at

NOW = at(2026, 11, 16, 10)
WORKER = authz.system_actor("测试(督办台账)")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(district, make_item, clock_at):
    """A: 区教委 (with 区住房城乡建委 co-operating) extended, returned once, closed on time, rated 良好;
    B: 区住房城乡建委 alone, overdue since 11月5日; C: 区卫生健康委, assigned today and declined (pending);
    D: a draft (not on the ledger)."""
    clock_at(at(2026, 11, 2, 9))
    a = make_item(title="推进学校周边交通秩序整治")
    b = make_item(
        title="老旧小区加装电梯",
        lead_unit_id=district.zhujian.pk,
        co_unit_ids=[],
        due_in_workdays=3,
        source_type="assignment",
        instructing_leader_id=None,
        instruction="",
        content="请区住房城乡建委推进老旧小区加装电梯。",
    )
    clock_at(at(2026, 11, 2, 15))
    services.item_accept(actor=district.liaison, item=a)
    services.item_accept(actor=district.other_liaison, item=b)
    clock_at(at(2026, 11, 4, 10))
    services.item_progress(actor=district.other_liaison, item=a, text="配合单位已完成路口改造设计。")
    clock_at(at(2026, 11, 5, 10))
    services.item_progress(actor=district.liaison, item=a, text="已召开专题会，\n明确分工。")
    services.extension_request(actor=district.liaison, item=a, reason="需等待市级审批。", due_at=dt.date(2026, 11, 20))
    services.extension_decide(actor=district.ducha, item=a, approve=True, comment="同意")
    clock_at(at(2026, 11, 10, 10))
    services.item_report(actor=district.liaison, item=a, text="已全部完成。")
    services.item_return(actor=district.ducha, item=a, reason="缺少整改照片。")
    clock_at(at(2026, 11, 11, 10))
    services.item_report(actor=district.liaison, item=a, text="补充照片。")
    clock_at(at(2026, 11, 12, 10))
    services.item_close(actor=district.ducha, item=a, rating="good")
    clock_at(NOW)
    c = make_item(
        title="基层医疗机构设备更新",
        lead_unit_id=district.weijian.pk,
        co_unit_ids=[],
        instructing_leader_id=None,
        instruction="",
        content="请区卫生健康委按计划完成设备更新。",
        source_type="meeting_decision",
    )
    services.item_decline(actor=district.weijian_liaison, item=c, reason="应由区财政局牵头。")
    d = make_item(title="草稿事项", assign=False)
    return {key: Item.objects.get(pk=item.pk) for key, item in {"a": a, "b": b, "c": c, "d": d}.items()}


def _xlsx(response):
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def _data_rows(sheet):
    """(number, row index) of the item lines (below the two header rows, above the total line)."""
    found = []
    for index in range(5, sheet.max_row + 1):
        number = sheet.cell(row=index, column=2).value
        if number:
            found.append((number, index))
    return found


# The ledger download ---------------------------------------------------------------------------------------


def test_ledger_download_is_the_office_ledger(client, district, world):
    client.force_login(district.ducha)
    response = client.get(reverse("tracking:ledger_download"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition
    assert "filename*=utf-8''" + urllib.parse.quote("督办台账-20261116.xlsx") in disposition
    sheet = _xlsx(response).active

    assert sheet["A1"].value == "示范区人民政府办公室督查督办事项台账"
    assert "截至日期：2026年11月16日" in sheet["A2"].value
    headers = [sheet.cell(row=3, column=c).value for c in range(1, 17)]
    assert headers[:9] == [
        "序号",
        "督办编号",
        "事项来源",
        "批示领导",
        "批示/交办内容",
        "牵头单位",
        "配合单位",
        "交办日期",
        "办结时限",
    ]
    assert headers[9] == "办理情况"
    assert [sheet.cell(row=4, column=c).value for c in range(10, 16)] == [
        "进展情况", "办理状态", "是否超期", "超期工作日", "办结日期", "质量评价"
    ]  # fmt: skip
    assert sheet.cell(row=3, column=16).value == "备注"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:P1", "A3:A4", "B3:B4", "P3:P4", "J3:O3"} <= merged
    assert sheet.freeze_panes == "C5"
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 8  # A3
    assert sheet.page_setup.fitToWidth in (None, 1, "1")  # left out: 1, the file format's default
    assert sheet.page_setup.fitToHeight in (0, "0")

    # fixed unit order: 区教委, 区住房城乡建委, 区卫生健康委; the draft is not on the ledger
    rows = _data_rows(sheet)
    numbers = [number for number, _ in rows if number.startswith("示范督")]
    assert numbers == [world["a"].number, world["b"].number, world["c"].number]
    a_row, b_row, c_row = (index for _, index in rows[:3])

    def value(row, column):
        return sheet.cell(row=row, column=column).value

    assert value(a_row, 1) == 1
    assert value(c_row, 1) == 3
    assert value(a_row, 3) == "领导批示"
    assert value(a_row, 4) == "王区长"
    assert "请教委牵头抓紧研究" in str(value(a_row, 5))
    assert value(a_row, 6) == "区教委"
    assert value(a_row, 7) == "区住房城乡建委"
    assert value(a_row, 8).date() == dt.date(2026, 11, 2)
    assert value(a_row, 9).date() == dt.date(2026, 11, 20)
    assert sheet.cell(row=a_row, column=9).number_format.startswith("yyyy")
    progress = value(a_row, 10).split("\n")
    assert progress[0] == "11月4日（区住房城乡建委）：配合单位已完成路口改造设计。"
    assert progress[1] == "11月5日：已召开专题会， 明确分工。"
    assert progress[-1] == "11月12日：核查办结，质量评价“良好”。"
    assert "退回重办：缺少整改照片。" in value(a_row, 10)
    assert value(a_row, 11) == "已办结"
    assert value(a_row, 12) == "否"
    assert value(a_row, 14).date() == dt.date(2026, 11, 12)
    assert value(a_row, 15) == "良好"
    assert value(a_row, 16) == "已延期（原定11月16日）；退回重办1次"

    assert value(b_row, 11) == "办理中"
    assert value(b_row, 12) == "是"
    assert value(b_row, 13) == 7  # 11月6日 … 11月16日, working days
    assert value(b_row, 4) is None
    assert value(b_row, 7) is None
    assert value(c_row, 11) == "待签收"
    assert value(c_row, 3) == "会议议定"
    assert "请区卫生健康委按计划完成设备更新。" in str(value(c_row, 5))  # the content, as there is no instruction
    assert value(c_row, 9) is None
    assert value(c_row, 16) == "退办待处理"

    # colours of the 办理状态 cell: grey (closed), red (overdue)
    assert sheet.cell(row=a_row, column=11).fill.fgColor.rgb.endswith("E7E6E6")
    assert sheet.cell(row=b_row, column=11).fill.fgColor.rgb.endswith("FFC7CE")
    assert "合计3件" in str(sheet.cell(row=c_row + 1, column=1).value)


def test_ledger_filters_and_paper(client, district, world):
    client.force_login(district.ducha)
    response = client.get(reverse("tracking:ledger_download"), {"unit": district.zhujian.pk, "paper": "A4"})
    sheet = _xlsx(response).active
    # 区住房城乡建委 leads B and co-operates on A (the board's unit filter covers both roles)
    assert [n for n, _ in _data_rows(sheet) if n.startswith("示范督")] == [world["a"].number, world["b"].number]
    assert int(sheet.page_setup.paperSize) == 9

    response = client.get(reverse("tracking:ledger_download"), {"overdue": "1"})
    assert [n for n, _ in _data_rows(_xlsx(response).active) if n.startswith("示范督")] == [world["b"].number]

    response = client.get(reverse("tracking:ledger_download"), {"status": "draft"})
    assert [n for n, _ in _data_rows(_xlsx(response).active) if n.startswith("示范督")] == [world["d"].number]

    response = client.get(
        reverse("tracking:ledger_download"), {"assigned_from": "2026-11-16", "assigned_to": "2026-11-16"}
    )
    sheet = _xlsx(response).active
    assert [n for n, _ in _data_rows(sheet) if n.startswith("示范督")] == [world["c"].number]
    assert "统计期间：2026年11月16日至11月16日" in sheet["A2"].value


def test_ledger_download_refuses_a_reversed_period_on_the_form(client, district, world):
    client.force_login(district.ducha)
    response = client.get(
        reverse("tracking:ledger_download"), {"assigned_from": "2026-11-20", "assigned_to": "2026-11-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "结束日期不能早于开始日期。" in page
    assert 'value="2026-11-20"' in page  # the user's input stays


def test_liaison_gets_only_own_unit_rows(client, district, world):
    client.force_login(district.other_liaison)  # 区住房城乡建委: leads B, co-operates on A
    sheet = _xlsx(client.get(reverse("tracking:ledger_download"))).active
    assert [n for n, _ in _data_rows(sheet) if n.startswith("示范督")] == [world["a"].number, world["b"].number]

    client.force_login(district.weijian_liaison)
    sheet = _xlsx(client.get(reverse("tracking:ledger_download"), {"unit": district.weijian.pk})).active
    assert [n for n, _ in _data_rows(sheet) if n.startswith("示范督")] == [world["c"].number]
    # another unit in the filter is not a choice for this liaison
    response = client.get(reverse("tracking:ledger_download"), {"unit": district.jiaowei.pk})
    assert response.status_code == 400


def test_people_without_items_cannot_download(client, district, world):
    client.force_login(district.nobody)
    assert client.get(reverse("tracking:ledger_download")).status_code == 403
    assert client.get(reverse("tracking:ledger")).status_code == 403


def test_ledger_response_for_the_api_uses_the_board_filters(district, world):
    filters = selectors.filters_from({"status": "in_progress"})
    response = ledger.ledger_response(district.ducha, filters, NOW)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [n for n, _ in _data_rows(sheet) if n.startswith("示范督")] == [world["b"].number]


def _count_queries(user, filters, chunk_size):
    qs = ledger.ledger_items(user, filters, NOW)
    with CaptureQueriesContext(connection) as queries:
        rows = list(ledger.ledger_rows(qs, NOW, chunk_size=chunk_size))
    return len(queries), rows


def test_ledger_queries_do_not_grow_with_rows(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    items = [make_item(title=f"事项{n}") for n in range(12)]
    clock_at(at(2026, 11, 3, 9))
    for item in items:
        services.item_accept(actor=district.liaison, item=item)
        services.item_progress(actor=district.liaison, item=item, text="已部署。")
        services.item_progress(actor=district.other_liaison, item=item, text="已配合。")
    clock_at(NOW)
    few, few_rows = _count_queries(district.ducha, selectors.Filters(status="draft"), 5)  # nothing
    one_chunk, rows_one = _count_queries(district.ducha, selectors.Filters(), 100)
    assert len(rows_one) == 12
    assert all(len(row.progress) == 2 for row in rows_one)
    # 1 query for the rows + 3 prefetches per chunk (log, co-operating units, pending declines)
    three_chunks, rows_three = _count_queries(district.ducha, selectors.Filters(), 5)
    assert rows_three == rows_one
    assert three_chunks - one_chunk == 2 * 3
    assert few_rows == []
    assert few <= one_chunk


def test_ledger_download_query_count_is_fixed(client, district, make_item, clock_at, django_assert_max_num_queries):
    clock_at(at(2026, 11, 2, 9))
    for n in range(3):
        make_item(title=f"事项{n}")
    client.force_login(district.ducha)
    with CaptureQueriesContext(connection) as small:
        _xlsx(client.get(reverse("tracking:ledger_download")))
    for n in range(20):
        make_item(title=f"更多事项{n}")
    with CaptureQueriesContext(connection) as large:
        sheet = _xlsx(client.get(reverse("tracking:ledger_download"))).active
    assert len([n for n, _ in _data_rows(sheet) if n.startswith("示范督")]) == 23
    assert len(large) == len(small)
    with django_assert_max_num_queries(15):
        client.get(reverse("tracking:ledger_download"))


# The ledger page and snapshots -----------------------------------------------------------------------------


def test_ledger_page_for_the_office_and_for_a_liaison(client, district, world, django_assert_max_num_queries):
    client.force_login(district.ducha)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("tracking:ledger"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "生成2026年第1期台账（截至今日）" in page
    assert "还没有生成过台账。" in page

    client.force_login(district.liaison)
    response = client.get(reverse("tracking:ledger"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "台账只包含本单位承办" in page
    assert "第N期台账" not in page
    assert client.post(reverse("tracking:ledger")).status_code == 403
    assert LedgerSnapshot.objects.count() == 0


def test_snapshots_are_numbered_per_year_and_kept(client, district, world):
    client.force_login(district.ducha)
    response = client.post(reverse("tracking:ledger"), follow=True)
    assert "已生成2026年第1期台账（共3件事项）。" in response.content.decode()
    client.post(reverse("tracking:ledger"))
    snapshots = list(LedgerSnapshot.objects.order_by("period_no"))
    assert [(s.year, s.period_no, s.as_of, s.row_count) for s in snapshots] == [
        (2026, 1, dt.date(2026, 11, 16), 3),
        (2026, 2, dt.date(2026, 11, 16), 3),
    ]
    assert Event.objects.filter(verb="tracking.ledger.snapshot_taken").count() == 2

    # what the ledger said then stays, even when the items change afterwards
    services.item_cancel(actor=district.ducha, item=world["b"], reason="情况变化。")
    response = client.get(reverse("tracking:snapshot_download", args=[snapshots[0].pk]))
    assert urllib.parse.quote("督办台账-2026年第1期-20261116.xlsx") in response["Content-Disposition"]
    sheet = _xlsx(response).active
    assert sheet["A1"].value == "示范区人民政府办公室督查督办事项台账（第1期）"
    assert "统计期间：2026年1月1日至11月16日" in sheet["A2"].value
    statuses = [sheet.cell(row=i, column=11).value for _, i in _data_rows(sheet) if i < sheet.max_row]
    assert "已撤销" not in statuses

    page = client.get(reverse("tracking:ledger")).content.decode()
    assert "2026年第2期" in page
    assert "生成2026年第3期台账" in page

    client.force_login(district.liaison)
    assert client.get(reverse("tracking:snapshot_download", args=[snapshots[0].pk])).status_code == 404


def test_a_snapshot_number_taken_meanwhile_is_refused(district, world, monkeypatch):
    ledger.take_snapshot(district.ducha, NOW)
    monkeypatch.setattr(ledger, "next_period_no", lambda year: 1)  # a second office worker read the same number
    with pytest.raises(ValidationFailed) as refused:
        ledger.take_snapshot(district.ducha, NOW)
    assert "2026年第1期台账已经生成过" in refused.value.message
    assert LedgerSnapshot.objects.count() == 1


def test_take_snapshot_by_a_job_covers_the_year_and_open_items_of_earlier_years(district, world):
    snapshot = ledger.take_snapshot(WORKER, NOW)
    assert snapshot.period_no == 1
    assert snapshot.row_count == 3
    snapshot.file.open("rb")
    sheet = load_workbook(io.BytesIO(snapshot.file.read())).worksheets[0]
    snapshot.file.close()
    assert sheet["A1"].value.endswith("（第1期）")
    with pytest.raises(PermissionDenied):
        ledger.take_snapshot(district.liaison, NOW)


# The office's own template ---------------------------------------------------------------------------------


def _template(*, row=True, extra=None):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet["A1"] = "{{区名}}督办台账"
    sheet["A2"] = "截至{{截至日期}}"
    sheet.append(["序号", "编号", "事项", "牵头", "状态", "超期工作日"])
    if row:
        sheet.append(["{{序号}}", "{{督办编号}}", "{{事项名称}}", "{{牵头单位}}", "{{办理状态}}", "{{超期工作日}}"])
    if extra:
        sheet["H4"] = extra
    sheet.append(["合计"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "我的台账.xlsx"
    return buffer


def test_template_upload_refusals_are_explained(client, district, world):
    client.force_login(district.ducha)
    url = reverse("tracking:ledger_template")
    not_xlsx = io.BytesIO(b"this is not a workbook")
    not_xlsx.name = "台账.xlsx"
    response = client.post(url, {"file": not_xlsx})
    assert response.status_code == 400
    assert "不是有效的 XLSX 工作簿" in response.content.decode()

    response = client.post(url, {"file": _template(extra="{{负责人}}")})
    assert response.status_code == 400
    assert "{{负责人}}" in response.content.decode()
    assert "无法识别" in response.content.decode()

    response = client.post(url, {"file": _template(row=False)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "模板行" in page or "占位符" in page

    response = client.post(url, {})
    assert "请选择要上传的模板文件。" in response.content.decode()
    assert ledger.current_template() is None
    assert not Event.objects.filter(verb="tracking.ledger_template.uploaded").exists()


def test_template_upload_then_download_filled(client, district, world):
    client.force_login(district.ducha)
    response = client.post(reverse("tracking:ledger_template"), {"file": _template()}, follow=True)
    page = response.content.decode()
    assert "已启用台账模板“我的台账.xlsx”" in page
    assert "{{督办编号}}" in page
    current = ledger.current_template()
    assert current is not None
    assert "办理状态" in current.placeholders
    assert Event.objects.filter(verb="tracking.ledger_template.uploaded").count() == 1

    response = client.get(reverse("tracking:ledger_download"), {"format": "template"})
    sheet = _xlsx(response).active
    assert sheet["A1"].value == "示范区督办台账"
    assert sheet["A2"].value == "截至2026年11月16日"
    assert [sheet.cell(row=r, column=2).value for r in (4, 5, 6)] == [
        world["a"].number,
        world["b"].number,
        world["c"].number,
    ]
    assert sheet.cell(row=5, column=5).value == "办理中"
    assert sheet.cell(row=5, column=6).value == 7
    assert sheet.cell(row=7, column=1).value == "合计"

    download = client.get(reverse("tracking:ledger_template"), {"download": "1"})
    assert download.status_code == 200

    client.force_login(district.liaison)
    assert client.get(reverse("tracking:ledger_template")).status_code == 403
    # a liaison has no template choice: the field is not on their form, the standard ledger comes back
    sheet = _xlsx(client.get(reverse("tracking:ledger_download"), {"format": "template"})).active
    assert sheet["A1"].value == "示范区人民政府办公室督查督办事项台账"

    client.force_login(district.ducha)
    client.post(reverse("tracking:ledger_template"), {"action": "delete"})
    assert ledger.current_template() is None


# Bulletins -------------------------------------------------------------------------------------------------


def _docx_text(content):
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, "\n".join(paragraphs), tables


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_bulletin_preview_has_the_figures_and_the_unit_table(client, district, world):
    client.force_login(district.ducha)
    response = client.post(
        reverse("tracking:bulletins"), {"period": "month:2026-11", "praise_min": "1", "action": "preview"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    _, text, tables = _docx_text(_body(response))
    assert "督查通报" in text
    assert "第1期" in text
    assert "关于2026年11月督查督办事项办理情况的通报" in text
    assert "共交办督办事项3件，办结1件，其中按期办结1件，按期办结率100%；当前超期1件。" in text
    unit_table = next(t for t in tables if "按期办结率" in t[0])
    names = [row[1] for row in unit_table[1:]]
    assert names[:3] == ["区教委", "区住房城乡建委", "区卫生健康委"]
    assert "已撤销局" not in names
    assert "区政府办" not in names
    jiaowei = unit_table[1]
    assert jiaowei[2:] == ["1", "1", "1", "100%", "0"]
    zhujian = unit_table[2]
    assert zhujian[2:4] == ["1", "0"]
    assert zhujian[-1] == "1"
    overdue_table = next(t for t in tables if "督办编号" in t[0])
    assert any(world["b"].number in " ".join(row) and "7" in row for row in overdue_table[1:])
    praised = [line for line in text.split("\n") if "予以表扬" in line]
    assert len(praised) == 1
    assert "区教委" in praised[0]
    assert "区住房城乡建委" not in praised[0]
    criticised = [line for line in text.split("\n") if "通报批评" in line]
    assert any("区住房城乡建委" in line for line in criticised)
    # a preview numbers nothing
    assert not Counter.objects.filter(key="bulletin").exists()


def test_issuing_bulletins_numbers_them_and_marks_the_listed_notices(client, district, world):
    notice = services.notice_issue(
        world["b"], "bulletin", now=NOW, actor=WORKER, reason="超期后仍未办结，列入督查通报。", overdue_workdays=7
    )
    assert notice is not None
    client.force_login(district.ducha)
    page = client.get(reverse("tracking:bulletins")).content.decode()
    assert "印发2026年第1期" in page
    assert world["b"].number in page
    response = client.post(
        reverse("tracking:bulletins"), {"period": "week:2026-11-09", "praise_min": "3", "action": "issue"}, follow=True
    )
    assert "已印发督查通报2026年第1期（2026年11月9日至11月15日）。" in response.content.decode()
    notice.refresh_from_db()
    assert notice.bulletin_no == "2026年第1期"
    client.post(reverse("tracking:bulletins"), {"period": "month:2026-10", "praise_min": "3", "action": "issue"})
    issued = bulletin.issued_bulletins()
    assert [(b.year, b.period_no, b.period.kind) for b in issued] == [(2026, 2, "monthly"), (2026, 1, "weekly")]
    event = Event.objects.filter(verb="tracking.bulletin.issued").order_by("seq").first()
    assert event is not None
    assert event.data["notices"] == [notice.pk]

    download = client.get(reverse("tracking:bulletins"), {"file": issued[1].file_key})
    assert urllib.parse.quote("督查通报-2026年第1期.docx") in download["Content-Disposition"]
    _, text, _ = _docx_text(_body(download))
    assert "第1期" in text
    assert "关于2026年11月9日至11月15日督查督办事项办理情况的通报" in text
    assert client.get(reverse("tracking:bulletins"), {"file": "../secret.docx"}).status_code == 404


def test_bulletin_refuses_bad_input_and_other_people(client, district, world):
    client.force_login(district.ducha)
    response = client.post(reverse("tracking:bulletins"), {"period": "week:1999-01-04", "praise_min": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "表扬门槛至少为 1 件。" in page
    assert not Counter.objects.filter(key="bulletin").exists()
    client.force_login(district.liaison)
    assert client.get(reverse("tracking:bulletins")).status_code == 403
    assert client.post(reverse("tracking:bulletins"), {"period": "month:2026-11", "praise_min": "1"}).status_code == 403
    with pytest.raises(PermissionDenied, match="无权"):
        bulletin.bulletin_issue(actor=district.liaison, period=bulletin.month_of(dt.date(2026, 11, 1)), now=NOW)


def test_bulletin_periods():
    assert bulletin.default_period(dt.date(2026, 11, 16)).label == "2026年11月9日至11月15日"
    assert bulletin.default_period(dt.date(2026, 1, 5), "monthly").label == "2025年12月"
    assert bulletin.week_of(dt.date(2026, 12, 30)).label == "2026年12月28日至2027年1月3日"
    assert bulletin.parse_period("month:2026-02") == bulletin.Period(
        "monthly", dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    week = bulletin.parse_period("week:2026-11-18")
    assert week is not None
    assert week.start == dt.date(2026, 11, 16)
    assert bulletin.parse_period("year:2026") is None
    assert bulletin.parse_period("month:x") is None


# Printable notices -----------------------------------------------------------------------------------------


def _colour_of(document, text):
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if text in run.text and run.font.color is not None and run.font.color.rgb is not None:
                return str(run.font.color.rgb)
    return None


@pytest.mark.parametrize(
    ("level", "title", "colour"),
    [("blue", "蓝色督办单", "0070C0"), ("yellow", "黄色督办单", "E6A800"), ("red", "红色督办单", "FF0000")],
)
def test_three_colour_notices(client, district, world, level, title, colour):
    notice = services.notice_issue(world["b"], level, now=NOW, actor=WORKER, reason="已超期。", overdue_workdays=7)
    assert notice is not None
    client.force_login(district.ducha)
    response = client.get(reverse("tracking:notice_docx", args=[notice.pk]))
    assert response.status_code == 200
    assert urllib.parse.quote(f"{title}-{notice.number}.docx") in response["Content-Disposition"]
    document, text, tables = _docx_text(_body(response))
    everything = text + "\n".join(c for t in tables for r in t for c in r)
    assert title in everything
    assert notice.number in everything
    assert world["b"].number in everything
    assert "老旧小区加装电梯" in everything
    assert _colour_of(document, title) == colour


def test_urge_notice_goes_to_the_unit_and_is_copied_to_its_leader(client, district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(due_in_workdays=3)
    clock_at(at(2026, 11, 2, 15))
    services.item_accept(actor=district.liaison, item=item)
    clock_at(NOW)
    item.refresh_from_db()
    notice = services.notice_issue(item, "urge", now=NOW, actor=WORKER, reason="", overdue_workdays=7)
    assert notice is not None
    client.force_login(district.liaison)
    response = client.get(reverse("tracking:notice_docx", args=[notice.pk]))
    _, text, tables = _docx_text(_body(response))
    everything = text + "\n".join(c for t in tables for r in t for c in r)
    assert "催办通知书" in everything
    assert "示范区教育委员会" in everything
    assert f"（督办编号：{item.number}）办结时限为2026年11月5日，截至2026年11月16日已超期7个工作日。" in everything
    assert "请于2026年11月18日前报送办理情况" in everything  # 2 working days
    assert "陈副区长" in everything
    assert "示范区人民政府办公室" in everything


def test_notice_of_another_unit_is_not_found(client, district, world):
    notice = services.notice_issue(world["b"], "red", now=NOW, actor=WORKER, reason="已超期。", overdue_workdays=7)
    assert notice is not None
    listed = services.notice_issue(world["b"], "bulletin", now=NOW, actor=WORKER, reason="列入通报。")
    assert listed is not None
    client.force_login(district.weijian_liaison)
    assert client.get(reverse("tracking:notice_docx", args=[notice.pk])).status_code == 404
    client.force_login(district.other_liaison)
    assert client.get(reverse("tracking:notice_docx", args=[notice.pk])).status_code == 200
    assert client.get(reverse("tracking:notice_docx", args=[listed.pk])).status_code == 404  # nothing to print
    assert client.get(reverse("tracking:notice_docx", args=[99999])).status_code == 404
    client.force_login(district.nobody)
    assert client.get(reverse("tracking:notice_docx", args=[notice.pk])).status_code == 403
    assert Notice.objects.count() == 2
    assert Item.objects.count() == 4
