"""The 督查通报 and the 督办单 / 催办通知书 DOCX files: their texts, tables, colours and fonts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from zhongshu.tracking.exports.bulletin import render_bulletin
from zhongshu.tracking.exports.notice import render_notice
from zhongshu.tracking.exports.rows import BulletinData, BulletinOverdueRow, BulletinUnitRow, NoticeData


def rendered(render, data):
    buffer = io.BytesIO()
    render(data, buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def texts(document):
    return [p.text for p in document.paragraphs if p.text]


def colour_of(paragraph):
    color = paragraph.runs[0]._r.rPr.find(qn("w:color"))
    return None if color is None else color.get(qn("w:val"))


@pytest.fixture
def bulletin() -> BulletinData:
    return BulletinData(
        district="示范区",
        period_no=47,
        issued_on=dt.date(2026, 11, 30),
        title="关于2026年11月督查督办事项办理情况的通报",
        assigned=26,
        closed=19,
        closed_on_time=17,
        overdue_now=5,
        as_of=dt.date(2026, 11, 29),
        units=(BulletinUnitRow("区发展改革委", 5, 4, 4, 0), BulletinUnitRow("区教委", 8, 6, 5, 2),
               BulletinUnitRow("城关镇", 0, 0, 0, 0)),
        overdue_items=(BulletinOverdueRow("示范督〔2026〕0123号", "城南学校扩建", "区教委", dt.date(2026, 11, 20), 5),),
        praised=("区发展改革委", "城关镇"),
        criticised=("区教委",),
        cc=("区委办公室", "区人大常委会办公室"),
    )  # fmt: skip


def test_bulletin_red_header_issue_and_office_line(bulletin):
    document = rendered(render_bulletin, bulletin)

    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "督查通报"
    assert colour_of(paragraphs[0]) == "FF0000"
    assert paragraphs[0].runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert [p.text for p in paragraphs[1:4]] == [
        "第47期", "示范区人民政府办公室\t2026年11月30日", "关于2026年11月督查督办事项办理情况的通报",
    ]  # fmt: skip
    red_rule = document.paragraphs[3]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert red_rule.get(qn("w:color")) == "FF0000"


def test_bulletin_counts_praise_criticism_and_imprint(bulletin):
    lines = texts(rendered(render_bulletin, bulletin))

    assert (
        "截至2026年11月29日，本期共交办督办事项26件，办结19件，其中按期办结17件，按期办结率89.5%；当前超期5件。"
        in lines
    )
    assert "对按期办结率高、办理质量好的区发展改革委、城关镇予以表扬。" in lines
    assert any(line.startswith("对超期事项较多、办理进度滞后的区教委予以通报批评") for line in lines)
    assert lines[-2:] == ["抄送：区委办公室、区人大常委会办公室。", "示范区人民政府办公室\t2026年11月30日印发"]
    assert [line for line in lines if line[1:2] == "、"] == [
        "一、各单位办理情况",
        "二、超期未办结事项",
        "三、表扬和批评",
    ]


def test_bulletin_tables_keep_unit_order_and_rates(bulletin):
    unit_table, overdue_table = rendered(render_bulletin, bulletin).tables

    assert [[c.text for c in row.cells] for row in unit_table.rows] == [
        ["序号", "单位", "交办", "办结", "按期办结", "按期办结率", "超期"],
        ["1", "区发展改革委", "5", "4", "4", "100%", "0"],
        ["2", "区教委", "8", "6", "5", "83.3%", "2"],
        ["3", "城关镇", "0", "0", "0", "—", "0"],
    ]
    assert [c.text for c in overdue_table.rows[1].cells] == [
        "1", "示范督〔2026〕0123号", "城南学校扩建", "区教委", "2026年11月20日", "5",
    ]  # fmt: skip


def test_bulletin_without_overdue_items_or_verdicts_says_so(bulletin):
    quiet = dataclasses.replace(bulletin, overdue_items=(), praised=(), criticised=(), units=(), cc=())

    document = rendered(render_bulletin, quiet)

    lines = texts(document)
    assert "本期无超期未办结事项。" in lines
    assert "一、超期未办结事项" in lines
    assert not any("表扬" in line for line in lines)
    assert document.tables == []
    assert lines[-1] == "示范区人民政府办公室\t2026年11月30日印发"


@pytest.fixture
def notice() -> NoticeData:
    return NoticeData(
        level="blue",
        number="蓝督〔2026〕12号",
        unit_full_name="示范区教育委员会",
        item_number="示范督〔2026〕0123号",
        item_title="城南学校扩建资金缺口问题",
        instruction="请区教委牵头研究解决。",
        due_on=dt.date(2026, 11, 20),
        overdue_workdays=5,
        reply_by=dt.date(2026, 12, 3),
        issued_on=dt.date(2026, 11, 27),
        office_name="示范区人民政府办公室",
        cc=["李副区长"],
        reason="超过办结时限未报送办理结果",
    )


@pytest.mark.parametrize(
    ("level", "title", "colour"),
    [("blue", "蓝色督办单", "0070C0"), ("yellow", "黄色督办单", "E6A800"), ("red", "红色督办单", "FF0000")],
)
def test_ticket_title_carries_its_colour(notice, level, title, colour):
    document = rendered(render_notice, dataclasses.replace(notice, level=level))

    heading = next(p for p in document.paragraphs if p.text)
    assert heading.text == title
    assert colour_of(heading) == colour
    assert texts(document)[1] == "督办单编号：蓝督〔2026〕12号"


def test_ticket_form_lists_the_item(notice):
    document = rendered(render_notice, notice)

    form = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert form == {
        "督办编号": "示范督〔2026〕0123号",
        "事项名称": "城南学校扩建资金缺口问题",
        "批示/交办内容": "请区教委牵头研究解决。",
        "承办单位": "示范区教育委员会",
        "办结时限": "2026年11月20日",
        "超期情况": "截至2026年11月27日已超期5个工作日",
        "督办事由": "超过办结时限未报送办理结果",
        "办理要求": "请于2026年12月3日前报送办理情况（含办理进展、存在问题和下一步措施）。",
        "抄送": "李副区长",
    }
    assert texts(document)[-2:] == ["示范区人民政府办公室", "2026年11月27日"]


def test_urge_letter_text(notice):
    document = rendered(render_notice, dataclasses.replace(notice, level="urge", number="示范督催〔2026〕7号"))

    lines = texts(document)
    assert lines[:3] == ["催办通知书", "示范督催〔2026〕7号", "示范区教育委员会："]
    assert lines[3] == (
        "你单位承办的“城南学校扩建资金缺口问题”（督办编号：示范督〔2026〕0123号）办结时限为2026年11月20日，"
        "截至2026年11月27日已超期5个工作日。超过办结时限未报送办理结果。"
        "请于2026年12月3日前报送办理情况（含办理进展、存在问题和下一步措施）。"
    )
    assert lines[-3:] == ["示范区人民政府办公室", "2026年11月27日", "抄送：李副区长。"]
    assert colour_of(document.paragraphs[1]) is None


def test_urge_letter_without_reply_date_or_overdue(notice):
    calm = dataclasses.replace(notice, level="urge", reply_by=None, overdue_workdays=0, reason="", cc=())

    lines = texts(rendered(render_notice, calm))

    assert lines[3].endswith("截至2026年11月27日尚未办结。请抓紧办理，并及时报送办理情况。")
    assert not any(line.startswith("抄送") for line in lines)


def test_unknown_level_is_refused(notice):
    with pytest.raises(ValueError, match="green"):
        render_notice(dataclasses.replace(notice, level="green"), io.BytesIO())
