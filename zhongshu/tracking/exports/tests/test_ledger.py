"""The 督办台账 XLSX: layout, values, colours and print setup as an office expects them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from zhongshu.tracking.exports.ledger import HEADERS, progress_text, write_ledger
from zhongshu.tracking.exports.rows import LedgerMeta, ProgressEntry

from .conftest import ledger_row


def written(meta, rows, **kwargs):
    buffer = io.BytesIO()
    count = write_ledger(meta, iter(rows), buffer, **kwargs)
    buffer.seek(0)
    return count, load_workbook(buffer).active


def test_title_subtitle_and_two_row_header(meta, rows):
    count, sheet = written(meta, rows)

    assert count == 3
    assert sheet["A1"].value == "示范区人民政府办公室督查督办事项台账（第47期）"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz == 18
    assert sheet["A2"].value == "统计期间：2026年11月23日至11月29日　　截至日期：2026年11月29日"
    assert [c.value for c in sheet[3]] == [*HEADERS[:9], "办理情况", None, None, None, None, None, "备注"]
    assert [c.value for c in sheet[4]][9:15] == [
        "进展情况",
        "办理状态",
        "是否超期",
        "超期工作日",
        "办结日期",
        "质量评价",
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:P1", "A2:P2", "A3:A4", "I3:I4", "J3:O3", "P3:P4", "A8:P8"} <= merged
    assert "J3:J4" not in merged


def test_rows_hold_values_real_dates_and_progress_log(meta, rows):
    _, sheet = written(meta, rows)

    first = [c.value for c in sheet[5]]
    assert first[:4] == [1, "示范督〔2026〕0123号", "领导批示", "王区长"]
    assert first[4] == "城南学校扩建项目\n请区教委牵头研究解决城南学校扩建资金缺口问题。"
    assert first[5:7] == ["区教委", "区财政局、区住房城乡建委"]
    assert first[7].date() == dt.date(2026, 10, 9)
    assert first[8].date() == dt.date(2026, 11, 30)
    assert sheet["H5"].number_format == 'yyyy"年"m"月"d"日"'
    assert first[9] == "2025年12月30日：已立项。\n11月3日（区教委）：已完成选址。"
    assert first[10:] == ["办理中", "否", None, None, None, "已延期至11月30日"]
    assert sheet["J5"].alignment.wrap_text
    overdue = [c.value for c in sheet[6]]
    assert overdue[11:13] == ["是", 3]
    closed = [c.value for c in sheet[7]]
    assert closed[13].date() == dt.date(2026, 11, 25)
    assert closed[14] == "优秀"


def test_text_that_looks_like_a_formula_stays_text(meta, rows):
    _, sheet = written(meta, rows)

    assert sheet["E7"].value == '=HYPERLINK("x")'
    assert sheet["E7"].data_type == "s"


def test_status_cells_and_rows_are_coloured(meta, rows):
    _, sheet = written(meta, rows)

    def fill(ref):
        cell = sheet[ref]
        return cell.fill.fill_type, cell.fill.fgColor.rgb[-6:]  # ARGB: the alpha byte does not matter

    assert fill("K5") == ("solid", "C6EFCE")  # green
    assert fill("K6") == ("solid", "FFC7CE")  # red
    assert fill("K7") == ("solid", "E7E6E6")  # grey
    assert fill("B6") == ("solid", "FDEDEF")  # red row tint
    assert sheet["B5"].fill.fill_type is None  # green rows are not tinted
    assert sheet["K6"].font.b
    assert sheet["K6"].font.color.rgb.endswith("9C0006")
    assert sheet["L6"].font.color.rgb.endswith("C00000")  # 是否超期 of an overdue item
    for ref in ("A5", "E5", "J5", "P5", "M5", "A3", "J4"):  # empty cells too
        assert sheet[ref].border.left.style == sheet[ref].border.bottom.style == "thin", ref


def test_total_line_counts_items(meta, rows):
    _, sheet = written(meta, rows)

    assert sheet["A8"].value.startswith("合计3件，其中已办结1件、超期1件。说明：办理状态底色绿色为正常推进")


def test_print_setup_a3_landscape_fit_width_titles_footer_and_frozen_header(meta, rows):
    _, sheet = written(meta, rows)

    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 8
    # one page wide (fitToWidth left out means 1, its default in the file format), as many pages tall as needed
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.freeze_panes == "C5"
    # Excel shows the width as 44 characters; the file stores it with the cell padding (5 px of a 7 px digit)
    assert 44 < sheet.column_dimensions["J"].width < 45


def test_a4_option(meta, rows):
    _, sheet = written(meta, rows, paper="A4")

    assert int(sheet.page_setup.paperSize) == 9


def test_row_heights_grow_with_the_longest_text(meta):
    long_log = tuple(ProgressEntry(dt.date(2026, 11, day), "召开推进会，协调资金。") for day in range(1, 11))
    _, sheet = written(meta, [ledger_row(), ledger_row(progress=long_log)])

    assert sheet.row_dimensions[6].height > sheet.row_dimensions[5].height >= 27


def test_empty_ledger_still_has_header_and_total(meta):
    count, sheet = written(LedgerMeta(district="示范区"), [])

    assert count == 0
    assert sheet["A1"].value == "示范区人民政府办公室督查督办事项台账"
    assert sheet["A2"].value is None
    assert sheet["A5"].value.startswith("合计0件")


def test_overlong_progress_keeps_the_newest_lines():
    entries = tuple(ProgressEntry(dt.date(2026, 1, 1), f"{n:05d}" + "进" * 1000) for n in range(40))

    text = progress_text(entries, reference_year=2026)

    assert len(text) <= 32_000
    assert text.startswith("（前略）\n")
    assert text.endswith("00039" + "进" * 1000)


def test_many_rows_stream_from_a_generator(meta):
    rows = (ledger_row(number=f"示范督〔2026〕{n:04d}号") for n in range(2000))
    buffer = io.BytesIO()

    assert write_ledger(meta, rows, buffer) == 2000
    buffer.seek(0)
    sheet: Any = load_workbook(buffer, read_only=True).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert numbers[0] == "示范督〔2026〕0000号"
    assert numbers[1999] == "示范督〔2026〕1999号"
    assert len(numbers) == 2000 + 1  # and the total line


def test_the_item_title_is_bold_in_the_content_cell(meta, rows):
    buffer = io.BytesIO()
    write_ledger(meta, iter(rows), buffer)
    buffer.seek(0)
    sheet: Any = load_workbook(buffer, rich_text=True).active

    title, rest = list(sheet["E5"].value)
    assert title.text == "城南学校扩建项目"
    assert title.font.b
    assert title.font.rFont == "宋体"
    assert rest.text == "\n请区教委牵头研究解决城南学校扩建资金缺口问题。"
    assert not rest.font.b
    assert rest.font.rFont == "宋体"  # not the Calibri of a bare run
    assert sheet["E5"].font.name == "宋体"
    assert sheet["E5"].alignment.horizontal == "left"


def test_control_characters_are_dropped_not_written_into_the_file(meta):
    row = ledger_row(
        instruction="请\x0b抓紧\x00办理。",
        remark="备\x1f注",
        progress=(ProgressEntry(dt.date(2026, 11, 3), "已\x08完成。"),),
    )
    _, sheet = written(meta, [row])

    assert sheet["E5"].value == "城南学校扩建项目\n请抓紧办理。"
    assert sheet["P5"].value == "备注"
    assert sheet["J5"].value == "11月3日：已完成。"


def test_a_long_instruction_under_a_title_still_fits_the_cell(meta):
    _, sheet = written(meta, [ledger_row(instruction="长" * 40_000)])

    text = sheet["E5"].value
    assert text.startswith("城南学校扩建项目\n长")
    assert len(text) <= 32_000


def test_memory_does_not_grow_with_the_rows(meta):
    import tracemalloc

    def peak(n):
        tracemalloc.start()
        try:
            write_ledger(meta, (ledger_row(number=f"示范督〔2026〕{i:04d}号") for i in range(n)), io.BytesIO())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(200), peak(2000)
    # Rows go to a temporary file as they are written; what stays is XlsxWriter's note of each row's height
    # (about 0.3 KB a row), so ten times the rows adds well under a megabyte here.
    assert large - small < 1_500_000, (small, large)
