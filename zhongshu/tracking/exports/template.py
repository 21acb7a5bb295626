"""Filling an office's own XLSX ledger template (the syntax is explained to offices in docs/ledger-template.md).

A template is an ordinary workbook. `{{区名}}`, `{{期数}}`, `{{期间}}`, `{{截至日期}}`, `{{标题}}` may stand in any
cell; exactly one row carries row placeholders (`{{序号}}`, `{{督办编号}}` …) and is repeated once per item with
its styles and height. What lies below that row moves down, and merged cells, row heights, formulas of the
sheet, conditional formats, data validations, the print area and print titles follow, the way Excel adjusts
them when rows are inserted. A cell that is exactly one placeholder gets a typed value (a real date, a
number); a cell that mixes text and placeholders (“截至{{截至日期}}”) gets text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from copy import copy
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from zhongshu.render.text import cn_date

from .ledger import DATE_FORMAT, progress_text
from .rows import LedgerMeta, LedgerRow

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
META_FIELDS = ("区名", "期数", "期间", "截至日期", "标题")
ROW_FIELDS = (
    "序号", "督办编号", "事项来源", "批示领导", "批示内容", "事项名称", "牵头单位", "配合单位", "交办日期",
    "办结时限", "原定时限", "进展情况", "办理状态", "是否超期", "超期工作日", "办结日期", "质量评价", "备注",
)  # fmt: skip
KNOWN = frozenset(META_FIELDS + ROW_FIELDS)
CELL_REF = re.compile(r"^(\$?[A-Za-z]{1,3}\$?)(\d+)$")


class TemplateError(Exception):
    """A template the office uploaded cannot be used; `message` (Chinese) says why and where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validate_template(template: BinaryIO) -> list[str]:
    """The placeholders a template uses, in reading order, each once; raises TemplateError when unusable."""
    workbook = _open(template)
    found, _ = _scan(workbook)
    return found


def fill_template(template: BinaryIO, meta: LedgerMeta, rows: Iterable[LedgerRow], out: BinaryIO) -> int:
    """Write the filled template to `out`; returns the number of item rows written."""
    workbook = _open(template)
    _, (sheet, template_row) = _scan(workbook)
    items = list(rows)
    meta_values = _meta_values(meta)

    for other in workbook.worksheets:
        for line in other.iter_rows():
            for cell in line:
                if other is sheet and cell.row == template_row:
                    continue
                if isinstance(cell.value, str) and "{{" in cell.value:
                    _assign(cell, cell.value, meta_values)

    _expand(sheet, template_row, items, meta, meta_values)
    workbook.save(out)
    return len(items)


# --- reading ------------------------------------------------------------------------------------------


def _open(template: BinaryIO) -> Any:
    data = template.read()
    try:
        return load_workbook(io.BytesIO(data))
    except Exception as exc:  # zip, XML and openpyxl errors alike: the upload is not a usable workbook
        raise TemplateError(
            "上传的文件不是有效的 XLSX 工作簿，请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
        ) from exc


def _where(workbook: Any, sheet: Worksheet, row: int, column: int) -> str:
    prefix = f"工作表“{sheet.title}”" if len(workbook.worksheets) > 1 else ""
    return f"（{prefix}第{row}行第{get_column_letter(column)}列）"


def _scan(workbook: Any) -> tuple[list[str], tuple[Worksheet, int]]:
    found: list[str] = []
    template_rows: list[tuple[Worksheet, int]] = []
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if not isinstance(cell.value, str) or "{{" not in cell.value:
                    continue
                for name in PLACEHOLDER.findall(cell.value):
                    if name not in KNOWN:
                        where = _where(workbook, sheet, cell.row, cell.column)
                        raise TemplateError(f"模板中的占位符 {{{{{name}}}}} 无法识别{where}")
                    if name not in found:
                        found.append(name)
                    if name in ROW_FIELDS and (sheet, cell.row) not in template_rows:
                        template_rows.append((sheet, cell.row))
    if not template_rows:
        raise TemplateError(
            "模板中没有数据行：请在表格中选一行，放入 {{序号}}、{{督办编号}}、{{事项名称}} 等行占位符，"
            "每件督办事项将按这一行的格式各占一行。"
        )
    if len(template_rows) > 1:
        places = "、".join(
            f"{'工作表“' + s.title + '”' if len(workbook.worksheets) > 1 else ''}第{r}行" for s, r in template_rows
        )
        raise TemplateError(f"模板中只能有一行数据行，现在{places}都有行占位符，请只保留一行。")
    return found, template_rows[0]


# --- values -------------------------------------------------------------------------------------------


def _meta_values(meta: LedgerMeta) -> dict[str, object]:
    return {
        "区名": meta.district,
        "期数": meta.period_no,
        "期间": meta.period_label,
        "截至日期": meta.as_of,
        "标题": meta.title,
    }


def _row_values(index: int, row: LedgerRow, meta: LedgerMeta) -> dict[str, object]:
    return {
        "序号": index,
        "督办编号": row.number,
        "事项来源": row.source,
        "批示领导": row.leader,
        "批示内容": row.instruction or row.title,
        "事项名称": row.title,
        "牵头单位": row.lead_unit,
        "配合单位": row.co_units,
        "交办日期": row.assigned_on,
        "办结时限": row.due_on,
        "原定时限": row.original_due_on,
        "进展情况": progress_text(row.progress, reference_year=meta.as_of.year if meta.as_of else None),
        "办理状态": row.status,
        "是否超期": "是" if row.overdue else "否",
        "超期工作日": row.overdue_workdays if (row.overdue or row.overdue_workdays) else None,
        "办结日期": row.closed_on,
        "质量评价": row.rating,
        "备注": row.remark,
    }


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return cn_date(value)
    return str(value)


def _assign(cell: Any, text: str, values: dict[str, object]) -> None:
    """Put the placeholders' values into the cell: typed when the cell is one placeholder, else text."""
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole is not None:
        value = values.get(whole.group(1))
        if isinstance(value, dt.date):
            chosen = cell.number_format  # openpyxl replaces it when a date is assigned; the office's wins
            cell.value = value
            cell.number_format = DATE_FORMAT if chosen == "General" else chosen
            return
        if isinstance(value, int):
            cell.value = value
            return
        text_value = _as_text(value)
    else:
        text_value = PLACEHOLDER.sub(lambda match: _as_text(values.get(match.group(1))), text)
    cell.value = text_value or None
    if text_value.startswith("="):
        cell.data_type = "s"  # the office's text, never a formula


# --- moving rows --------------------------------------------------------------------------------------


def _expand(sheet: Worksheet, t: int, items: list[LedgerRow], meta: LedgerMeta, meta_values: dict[str, object]) -> None:
    """Repeat row `t` once per item, moving what is below down by len(items) - 1."""
    shift = max(len(items) - 1, 0)
    last_column = max(sheet.max_column, 1)
    prototype: list[tuple[int, Any]] = [(column, sheet.cell(t, column)) for column in range(1, last_column + 1)]
    prototype_cells = [(column, cell.value, copy(cell._style)) for column, cell in prototype]
    height = sheet.row_dimensions[t].height if t in sheet.row_dimensions else None

    def rows_rule(first: int, last: int) -> tuple[int, int]:
        """Excel's rule for inserting rows inside the template row: what ends on or after it grows."""
        return (first + shift if first > t else first), (last + shift if last >= t else last)

    merged = [CellRange(str(r)) for r in sheet.merged_cells.ranges if r.max_row >= t]
    for cell_range in merged:
        sheet.unmerge_cells(str(cell_range))

    if shift:
        if sheet.max_row > t:
            sheet.move_range(f"A{t + 1}:{get_column_letter(last_column)}{sheet.max_row}", rows=shift)
        for row in sorted((r for r in list(sheet.row_dimensions) if r > t), reverse=True):
            dimension = sheet.row_dimensions.pop(row)
            dimension.index = row + shift
            sheet.row_dimensions[row + shift] = dimension
        _adjust_formulas(sheet, t, shift, rows_rule)

    for offset, item in enumerate(items or [None]):
        row = t + offset
        values = dict(meta_values)
        if item is not None:
            values.update(_row_values(offset + 1, item, meta))
        for column, value, style in prototype_cells:
            cell: Any = sheet.cell(row, column)
            cell._style = copy(style)
            if isinstance(value, str) and "{{" in value:
                _assign(cell, value, values)
            elif isinstance(value, str) and value.startswith("=") and offset:
                letter = get_column_letter(column)
                cell.value = Translator(value, origin=f"{letter}{t}").translate_formula(f"{letter}{row}")
            else:
                cell.value = value
        if height is not None:
            sheet.row_dimensions[row].height = height

    for cell_range in merged:
        if cell_range.min_row == cell_range.max_row == t:
            for offset in range(max(len(items), 1)):
                sheet.merge_cells(
                    start_row=t + offset, end_row=t + offset,
                    start_column=cell_range.min_col, end_column=cell_range.max_col,
                )  # fmt: skip
        else:
            first, last = rows_rule(cell_range.min_row, cell_range.max_row)
            sheet.merge_cells(
                start_row=first, end_row=last, start_column=cell_range.min_col, end_column=cell_range.max_col
            )

    if shift:
        _adjust_ranges(sheet, rows_rule)


def _shift_range(text: str, rule: Callable[[int, int], tuple[int, int]]) -> str:
    cell_range = CellRange(text)
    first, last = rule(cell_range.min_row, cell_range.max_row)
    return CellRange(min_col=cell_range.min_col, min_row=first, max_col=cell_range.max_col, max_row=last).coord


def _adjust_ranges(sheet: Worksheet, rule: Callable[[int, int], tuple[int, int]]) -> None:
    """Conditional formats, data validations, the filter, the print area and print titles follow the rows."""
    formats = ConditionalFormattingList()
    for conditional in sheet.conditional_formatting:
        sqref = " ".join(_shift_range(r.coord, rule) for r in conditional.sqref.ranges)
        for cf_rule in conditional.rules:
            formats.add(sqref, cf_rule)
    sheet.conditional_formatting = formats

    for validation in sheet.data_validations.dataValidation:
        validation.sqref = MultiCellRange(" ".join(_shift_range(r.coord, rule) for r in validation.sqref.ranges))

    if sheet.auto_filter.ref:
        sheet.auto_filter.ref = _shift_range(sheet.auto_filter.ref, rule)

    if sheet.print_area:
        areas = [part.split("!")[-1].replace("$", "") for part in sheet.print_area.split(",")]
        sheet.print_area = [_shift_range(area, rule) for area in areas]

    if sheet.print_title_rows:
        first, last = (int(part) for part in sheet.print_title_rows.replace("$", "").split(":"))
        new_first, new_last = rule(first, last)
        sheet.print_title_rows = f"{new_first}:{new_last}"


def _adjust_formulas(sheet: Worksheet, t: int, shift: int, rule: Callable[[int, int], tuple[int, int]]) -> None:
    """References of this sheet's formulas (outside the template row) follow the moved rows: =SUM(M5:M5)
    under a template row 5 becomes =SUM(M5:M104) for 100 items."""
    for line in sheet.iter_rows():
        for cell in line:
            if cell.row == t or cell.data_type != "f" or not isinstance(cell.value, str):
                continue
            tokens = Tokenizer(cell.value)
            for token in tokens.items:
                if token.type == Token.OPERAND and token.subtype == Token.RANGE and "!" not in token.value:
                    token.value = _shift_reference(token.value, rule)
            cell.value = tokens.render()


def _shift_reference(reference: str, rule: Callable[[int, int], tuple[int, int]]) -> str:
    parts = reference.split(":")
    matches = [CELL_REF.match(part) for part in parts]
    if not all(matches) or len(parts) > 2:
        return reference  # whole columns, names, other sheets: left alone
    rows = [int(m.group(2)) for m in matches if m is not None]
    if len(parts) == 1:
        first, last = rule(rows[0], rows[0] - 1)  # a single cell moves only when it lies below the template row
        return f"{matches[0].group(1)}{first}"  # type: ignore[union-attr]
    first, last = rule(rows[0], rows[1])
    return f"{matches[0].group(1)}{first}:{matches[1].group(1)}{last}"  # type: ignore[union-attr]
