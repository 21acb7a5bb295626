"""Filling an office's own template: placeholders, the repeated row, what moves below it, clear refusals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from zhongshu.tracking.exports.template import TemplateError, fill_template, validate_template

ROW = [
    "{{序号}}",
    "{{督办编号}}",
    "{{事项名称}}",
    "{{牵头单位}}",
    "{{办结时限}}",
    "{{进展情况}}",
    "{{超期工作日}}",
    "备注：{{备注}}",
]


def template_bytes(build=None) -> io.BytesIO:
    """Title in A1 (merged A1:H1), a header in row 3, the row template in row 4, a total line in row 6."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "台账"
    sheet["A1"] = "{{区名}}督办台账（第{{期数}}期）"
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "截至{{截至日期}}"
    sheet["H2"] = "{{截至日期}}"
    sheet.append(["序号", "编号", "事项", "牵头单位", "时限", "进展", "超期", "备注"])
    sheet.append(ROW)
    sheet["C4"].font = Font(bold=True, color="FF0000")
    sheet["A4"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet.row_dimensions[4].height = 40
    sheet.row_dimensions[6].height = 25
    sheet["A6"] = "合计"
    sheet["G6"] = "=SUM(G4:G4)"
    sheet["H6"] = "=G6*2"
    sheet.merge_cells("A6:F6")
    sheet.merge_cells("B7:D8")
    sheet.print_title_rows = "3:3"
    sheet.print_area = "A1:H8"
    sheet.conditional_formatting.add("G4", CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FF0000")))
    if build:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def filled(meta, rows, template=None):
    out = io.BytesIO()
    count = fill_template(template or template_bytes(), meta, rows, out)
    out.seek(0)
    return count, load_workbook(out).active


def test_meta_placeholders_are_replaced_typed_when_alone(meta, rows):
    _, sheet = filled(meta, rows)

    assert sheet["A1"].value == "示范区督办台账（第47期）"
    assert sheet["A2"].value == "截至2026年11月29日"
    assert sheet["H2"].value.date() == dt.date(2026, 11, 29)
    assert sheet["H2"].number_format == 'yyyy"年"m"月"d"日"'


def test_row_template_is_repeated_with_values_styles_and_height(meta, rows):
    count, sheet = filled(meta, rows)

    assert count == 3
    values = [c.value for c in sheet[4]]
    assert values[4].date() == dt.date(2026, 11, 30)
    assert values[:4] + values[5:] == [
        1, "示范督〔2026〕0123号", "城南学校扩建项目", "区教委",
        "2025年12月30日：已立项。\n11月3日（区教委）：已完成选址。", None, "备注：已延期至11月30日",
    ]  # fmt: skip
    assert [sheet.cell(r, 1).value for r in (4, 5, 6)] == [1, 2, 3]
    assert sheet["G5"].value == 3
    assert sheet["H5"].value == "备注："
    assert all(sheet.cell(r, 3).font.b and sheet.cell(r, 1).fill.fgColor.rgb == "00FFFF00" for r in (4, 5, 6))
    assert [sheet.row_dimensions[r].height for r in (4, 5, 6)] == [40, 40, 40]


def test_rows_below_move_down_with_merges_heights_formulas_and_print_settings(meta, rows):
    _, sheet = filled(meta, rows)

    assert sheet["A8"].value == "合计"
    assert sheet["G8"].value == "=SUM(G4:G6)"
    assert sheet["H8"].value == "=G8*2"
    assert sheet.row_dimensions[8].height == 25
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert merged == {"A1:H1", "A8:F8", "B9:D10"}
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.print_area == "'台账'!$A$1:$H$10"
    assert [str(cf.sqref) for cf in sheet.conditional_formatting] == ["G4:G6"]


def test_template_row_merges_are_repeated_per_row(meta, rows):
    def merge_in_row(workbook):
        workbook.worksheets[0].merge_cells("H4:I4")

    _, sheet = filled(meta, rows, template_bytes(merge_in_row))

    assert {"H4:I4", "H5:I5", "H6:I6"} <= {str(r) for r in sheet.merged_cells.ranges}


def test_no_items_leave_one_empty_row(meta):
    count, sheet = filled(meta, [])

    assert count == 0
    assert [c.value for c in sheet[4]] == [None] * 7 + ["备注："]
    assert sheet["A6"].value == "合计"


def test_many_items(meta, rows):
    count, sheet = filled(meta, rows * 200)

    assert count == 600
    assert sheet.cell(603, 1).value == 600
    assert sheet["G605"].value == "=SUM(G4:G603)"


def test_validate_lists_placeholders_in_reading_order():
    assert validate_template(template_bytes()) == [
        "区名", "期数", "截至日期", "序号", "督办编号", "事项名称", "牵头单位", "办结时限", "进展情况",
        "超期工作日", "备注",
    ]  # fmt: skip


def test_unknown_placeholder_names_itself_and_its_cell():
    def typo(workbook):
        workbook.worksheets[0]["B3"] = "{{xx}}"

    with pytest.raises(TemplateError) as caught:
        validate_template(template_bytes(typo))

    assert caught.value.message == "模板中的占位符 {{xx}} 无法识别（第3行第B列）"


def test_unknown_placeholder_on_a_second_sheet_names_the_sheet():
    def second_sheet(workbook):
        workbook.create_sheet("说明")["C2"] = "{{负责人}}"

    with pytest.raises(TemplateError, match=r"\{\{负责人\}\} 无法识别（工作表“说明”第2行第C列）"):
        validate_template(template_bytes(second_sheet))


def test_template_without_row_placeholders_is_refused(meta):
    workbook = Workbook()
    workbook.worksheets[0]["A1"] = "{{区名}}台账"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    with pytest.raises(TemplateError, match="模板中没有数据行"):
        fill_template(buffer, meta, [], io.BytesIO())


def test_two_row_templates_are_refused():
    def second_row(workbook):
        workbook.worksheets[0]["A9"] = "{{序号}}"

    with pytest.raises(TemplateError) as caught:
        validate_template(template_bytes(second_row))

    assert caught.value.message == "模板中只能有一行数据行，现在第4行、第9行都有行占位符，请只保留一行。"


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken", "序号,编号\n".encode()])
def test_a_file_that_is_not_xlsx_is_refused(content):
    with pytest.raises(TemplateError, match="上传的文件不是有效的 XLSX 工作簿"):
        validate_template(io.BytesIO(content))


def test_values_that_look_like_formulas_stay_text(meta, rows):
    _, sheet = filled(meta, [rows[0].__class__(**{**rows[0].__dict__, "title": "=1+1"})])

    assert sheet["C4"].value == "=1+1"
    assert sheet["C4"].data_type == "s"
