"""The 督办台账 as an XLSX in the form offices keep by hand, streamed so memory does not grow with the rows.

Layout: a merged title row, a subtitle (期间、截至日期), a two-row header (办理情况 grouping six columns, the
others merged vertically), one line per item with the 办理状态 cell coloured (green 正常推进, yellow 临近时限,
red 已超期, grey 已办结/已撤销) and yellow/red rows lightly tinted, then a total line. Printed on A3 (or A4)
landscape, fitted to the page width, header rows repeated on every page, “第 X 页 共 Y 页” in the footer.

Written with XlsxWriter in its constant-memory mode: each row goes to a temporary file as soon as the next one
starts, and strings are written inline (no shared-strings table), so a 10,000-row ledger takes the same memory
as a 1,000-row one. That mode writes strictly row by row, which shapes two things below: the merged ranges of
the header are declared (without data or format) before its first row is written, and the cells under them are
then written one row after the other with their format.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from zhongshu.render.text import cn_date, cn_month_day

from .rows import LedgerMeta, LedgerRow, ProgressEntry

Paper = Literal["A3", "A4"]

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MAX_CELL_TEXT = 32_000  # Excel's limit is 32,767 characters per cell
TITLE_FONT = "方正小标宋简体"
HEADER_FONT = "黑体"
BODY_FONT = "宋体"
BODY_SIZE = 10
LINE_HEIGHT_PT = 13.5  # one line of 10 pt 宋体
MAX_ROW_HEIGHT = 409  # Excel's maximum


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in Excel character units
    align: Literal["left", "center"] = "center"
    is_date: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("序号", 5),
    Column("督办编号", 19),
    Column("事项来源", 9),
    Column("批示领导", 8),
    Column("批示/交办内容", 38, "left"),
    Column("牵头单位", 11),
    Column("配合单位", 13),
    Column("交办日期", 13.5, is_date=True),
    Column("办结时限", 13.5, is_date=True),
    Column("进展情况", 44, "left"),
    Column("办理状态", 8),
    Column("是否超期", 7),
    Column("超期工作日", 8.5),
    Column("办结日期", 13.5, is_date=True),
    Column("质量评价", 8),
    Column("备注", 15, "left"),
)
HEADERS = tuple(column.header for column in COLUMNS)
# The columns whose text decides a line's height (the others hold a word or a date)
WIDTH_NUMBER, WIDTH_CONTENT, WIDTH_CO_UNITS, WIDTH_PROGRESS, WIDTH_REMARK = (
    COLUMNS[index].width for index in (1, 4, 6, 9, 15)
)
GROUP_TITLE = "办理情况"
GROUP_FIRST, GROUP_LAST = 10, 15  # 进展情况 … 质量评价 (1-based column numbers)
HEADER_ROWS = (3, 4)
FIRST_DATA_ROW = 5

# Fill of the 办理状态 cell, its text colour, and the light tint of the whole row (None: no tint).
STATUS_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "grey": "E7E6E6"}
STATUS_TEXT = {"green": "006100", "yellow": "9C5700", "red": "9C0006", "grey": "595959"}
ROW_TINT: dict[str, str | None] = {"green": None, "yellow": "FFF9E5", "red": "FDEDEF", "grey": None}
LEGEND = "说明：办理状态底色绿色为正常推进，黄色为临近办结时限，红色为已超期，灰色为已办结或已撤销。"
PAPER_SIZES = {"A3": 8, "A4": 9}  # Worksheet.PAPERSIZE_A3 / PAPERSIZE_A4


def ledger_title(meta: LedgerMeta) -> str:
    """示范区人民政府办公室督查督办事项台账（第12期）"""
    issue = f"（第{meta.period_no}期）" if meta.period_no is not None else ""
    return f"{meta.district}人民政府办公室{meta.title}{issue}"


def ledger_subtitle(meta: LedgerMeta) -> str:
    """统计期间：2026年11月23日至11月29日　　截至日期：2026年11月29日"""
    parts = []
    if meta.period_label:
        parts.append(f"统计期间：{meta.period_label}")
    if meta.as_of is not None:
        parts.append(f"截至日期：{cn_date(meta.as_of)}")
    return "　　".join(parts)


def progress_text(entries: Iterable[ProgressEntry], *, reference_year: int | None = None) -> str:
    """The progress log, one dated line per entry, newest last: “11月3日（区教委）：已完成选址。”.
    When it would not fit in a cell, the oldest lines give way and “（前略）” says so."""
    lines = []
    for entry in entries:
        day = cn_month_day(entry.on, reference_year=reference_year)
        who = f"（{entry.unit}）" if entry.unit else ""
        lines.append(f"{day}{who}：{entry.text.strip()}")
    text = "\n".join(lines)
    if len(text) <= MAX_CELL_TEXT:
        return text
    kept: list[str] = []
    size = len("（前略）")
    for line in reversed(lines):
        if size + len(line) + 1 > MAX_CELL_TEXT:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(["（前略）", *reversed(kept)])


def content_parts(row: LedgerRow) -> tuple[str, str]:
    """(title, instruction) for the 批示/交办内容 cell; the title is dropped when the text already says it."""
    title, instruction = row.title.strip(), row.instruction.strip()
    if not title or title in instruction:
        return "", instruction or title
    if not instruction:
        return "", title
    return title, instruction


WIDE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+")
"""Runs of CJK and full-width characters (matched as runs: one match per run, not one per character)."""


def display_width(text: str) -> float:
    """Width in Excel character units: CJK and full-width characters take about two."""
    return len(text) + 0.9 * (len(text) - len(WIDE.sub("", text)))


def estimate_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (each line break starts one)."""
    if not text:
        return 1
    usable = max(width - 1.5, 1.0)
    if "\n" not in text:
        return max(1, math.ceil((len(text) + 0.9 * (len(text) - len(WIDE.sub("", text)))) / usable))
    # One pass over the whole text: without its wide characters, its lines still line up with the original's.
    narrow = WIDE.sub("", text).split("\n")
    return sum(
        max(1, math.ceil((len(line) + 0.9 * (len(line) - len(rest))) / usable))
        for line, rest in zip(text.split("\n"), narrow, strict=True)
    )


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters an XML file cannot hold (XlsxWriter writes inline strings as they are); they are dropped."""

EXCEL_EPOCH = dt.date(1899, 12, 30)


def clean(text: str) -> str:
    """`text` without the control characters a worksheet cannot store."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def _clean_all(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The texts of a line, cleaned; one search over all of them finds that (nearly always) none needs it."""
    if CONTROL.search("".join(texts)) is None:
        return texts
    return tuple(clean(text) for text in texts)


@dataclass(frozen=True)
class _RowFormats:
    """The formats of one line of the ledger for one colour (the tint differs, the rest does not)."""

    center: Format
    left: Format
    date: Format
    status: Format
    overdue: Format


class _Formats:
    """The few cell formats of the ledger, registered once with the workbook and shared by every cell."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple[tuple[str, Any], ...], Format] = {}
        body = {"font_name": BODY_FONT, "font_size": BODY_SIZE}
        cell = {**body, "valign": "vcenter", "text_wrap": True, "border": 1, "border_color": "#000000"}
        self.title = self.get(font_name=TITLE_FONT, font_size=18, bold=True, align="center", valign="vcenter")
        self.subtitle = self.get(font_name="楷体_GB2312", font_size=12, align="right", valign="vcenter")
        self.header = self.get(
            **{**cell, "font_name": HEADER_FONT, "font_size": 11}, align="center", pattern=1, bg_color="#D9E1F2"
        )
        self.total = self.get(**cell, align="left")
        self.bold_run = self.get(**body, bold=True)  # the title inside the 批示/交办内容 cell
        self.plain_run = self.get(**body)  # the text after it (not the Calibri XlsxWriter would pick)
        self.rows: dict[str, _RowFormats] = {}
        for colour, fill in STATUS_FILL.items():
            tint = ROW_TINT[colour]
            tinted = {**cell, "pattern": 1, "bg_color": f"#{tint}"} if tint else cell
            self.rows[colour] = _RowFormats(
                center=self.get(**tinted, align="center"),
                left=self.get(**tinted, align="left"),
                date=self.get(**tinted, align="center", num_format=DATE_FORMAT),
                status=self.get(
                    **cell,
                    align="center",
                    bold=True,
                    font_color=f"#{STATUS_TEXT[colour]}",
                    pattern=1,
                    bg_color=f"#{fill}",
                ),
                overdue=self.get(**tinted, align="center", bold=True, font_color="#C00000"),
            )

    def get(self, **properties: Any) -> Format:
        key = tuple(sorted(properties.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._workbook.add_format(properties)
        return made

    def row(self, colour: str) -> _RowFormats:
        return self.rows.get(colour) or self.rows["grey"]


def write_ledger(meta: LedgerMeta, rows: Iterable[LedgerRow], out: BinaryIO, *, paper: Paper = "A3") -> int:
    """Write the ledger of `rows` (already in the office's order) to `out`; returns the number of items."""
    workbook = Workbook(out, {"constant_memory": True, "in_memory": False})
    try:
        sheet = workbook.add_worksheet("督办台账")
        formats = _Formats(workbook)
        count = _write_sheet(sheet, formats, meta, rows, paper)
    finally:
        workbook.close()
    return count


def _write_sheet(sheet: Worksheet, formats: _Formats, meta: LedgerMeta, rows: Iterable[LedgerRow], paper: Paper) -> int:
    # Rows and columns are numbered from 0 here (XlsxWriter); the constants above count from 1 as Excel does.
    last = len(COLUMNS) - 1
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(FIRST_DATA_ROW - 1, 2)
    _page_setup(sheet, paper)

    # Title and subtitle
    sheet.set_row(0, 36)
    sheet.merge_range(0, 0, 0, last, clean(ledger_title(meta)), formats.title)
    sheet.set_row(1, 22)
    sheet.merge_range(1, 0, 1, last, clean(ledger_subtitle(meta)), formats.subtitle)

    # Two-row header: 办理情况 over six columns, the others merged vertically. Row by row writing cannot go back
    # to the first header row once the second has begun, so the ranges are declared first, with neither data
    # nor format (XlsxWriter then writes no cell for them), and the cells are written below in row order.
    top, bottom = HEADER_ROWS[0] - 1, HEADER_ROWS[1] - 1
    group_first, group_last = GROUP_FIRST - 1, GROUP_LAST - 1
    for index in range(len(COLUMNS)):
        if not group_first <= index <= group_last:
            sheet.merge_range(top, index, bottom, index, None)
    sheet.merge_range(top, group_first, top, group_last, None)
    sheet.set_row(top, 22)
    for index, column in enumerate(COLUMNS):
        if index == group_first:
            sheet.write_string(top, index, GROUP_TITLE, formats.header)
        elif group_first < index <= group_last:
            sheet.write_blank(top, index, None, formats.header)
        else:
            sheet.write_string(top, index, column.header, formats.header)
    sheet.set_row(bottom, 30)
    for index, column in enumerate(COLUMNS):
        if group_first <= index <= group_last:
            sheet.write_string(bottom, index, column.header, formats.header)
        else:
            sheet.write_blank(bottom, index, None, formats.header)

    reference_year = meta.as_of.year if meta.as_of else None
    count = overdue = closed = 0
    line = bottom
    for count, row in enumerate(rows, start=1):  # noqa: B007 — count is the number written
        line = bottom + count
        overdue += row.overdue
        closed += row.closed_on is not None
        f = formats.row(row.colour)
        title, instruction = content_parts(row)
        progress = progress_text(row.progress, reference_year=reference_year)
        number, source, leader, title, instruction, lead_unit, co_units, progress, status, rating, remark = (
            _clean_all((
                row.number, row.source, row.leader, title, instruction, row.lead_unit, row.co_units, progress,
                row.status, row.rating, row.remark,
            ))
        )  # fmt: skip
        content = f"{title}\n{instruction}" if title else instruction
        lines = max(
            estimate_lines(content, WIDTH_CONTENT),
            estimate_lines(co_units, WIDTH_CO_UNITS),
            estimate_lines(progress, WIDTH_PROGRESS),
            estimate_lines(remark, WIDTH_REMARK),
            estimate_lines(number, WIDTH_NUMBER),
        )
        sheet.set_row(line, min(MAX_ROW_HEIGHT, max(2, lines) * LINE_HEIGHT_PT + 6))

        sheet.write_number(line, 0, count, f.center)
        _text(sheet, line, 1, number, f.center)
        _text(sheet, line, 2, source, f.center)
        _text(sheet, line, 3, leader, f.center)
        if title:
            instruction = instruction[: max(MAX_CELL_TEXT - len(title) - 1, 1)]
            sheet.write_rich_string(line, 4, formats.bold_run, title, formats.plain_run, "\n" + instruction, f.left)
        else:
            _text(sheet, line, 4, instruction[:MAX_CELL_TEXT], f.left)
        _text(sheet, line, 5, lead_unit, f.center)
        _text(sheet, line, 6, co_units, f.center)
        _date(sheet, line, 7, row.assigned_on, f.date)
        _date(sheet, line, 8, row.due_on, f.date)
        _text(sheet, line, 9, progress, f.left)
        _text(sheet, line, 10, status, f.status)
        late = f.overdue if row.overdue else f.center
        sheet.write_string(line, 11, "是" if row.overdue else "否", late)
        if row.overdue or row.overdue_workdays:
            sheet.write_number(line, 12, row.overdue_workdays, late)
        else:
            sheet.write_blank(line, 12, None, late)
        _date(sheet, line, 13, row.closed_on, f.date)
        _text(sheet, line, 14, rating, f.center)
        _text(sheet, line, 15, remark, f.left)

    summary = f"合计{count}件，其中已办结{closed}件、超期{overdue}件。{LEGEND}"
    total = line + 1
    sheet.set_row(total, 24)
    sheet.merge_range(total, 0, total, last, summary, formats.total)
    return count


def _text(sheet: Worksheet, row: int, col: int, value: str, cell_format: Format) -> None:
    """A text cell, never a formula (text starting with “=” stays text); an empty one keeps its format."""
    if value:
        sheet.write_string(row, col, value, cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def _date(sheet: Worksheet, row: int, col: int, value: dt.date | None, cell_format: Format) -> None:
    """A real date (an Excel serial day number shown with the Chinese date format), or an empty cell."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    else:
        sheet.write_number(row, col, (value - EXCEL_EPOCH).days, cell_format)


def _page_setup(sheet: Worksheet, paper: Paper) -> None:
    sheet.set_landscape()
    sheet.set_paper(PAPER_SIZES[paper])
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    sheet.set_header("", {"margin": 0.3})
    sheet.set_footer("&C&10第 &P 页 共 &N 页", {"margin": 0.3})
    sheet.repeat_rows(HEADER_ROWS[0] - 1, HEADER_ROWS[1] - 1)
