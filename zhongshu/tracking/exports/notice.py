"""The printable steps of the escalation ladder: the three-colour 督办单 and the formal 催办通知书.

A 督办单 is a one-page form whose title carries its colour (蓝色 提醒, 黄色 警示, 红色 严重超期); a 催办通知书 is a
short official letter to the lead unit, copied to its 分管区领导, signed by the office.
"""

from __future__ import annotations

from typing import BinaryIO

from docx.document import Document
from docx.shared import Mm

from zhongshu.render import docx_base as d
from zhongshu.render.text import cn_date, join_names

from .rows import NoticeData

LEVEL_TITLES = {"blue": "蓝色督办单", "yellow": "黄色督办单", "red": "红色督办单", "urge": "催办通知书"}
LEVEL_COLOURS = {"blue": "0070C0", "yellow": "E6A800", "red": "FF0000", "urge": "000000"}


def overdue_text(data: NoticeData) -> str:
    """已超期3个工作日 / 尚未超期."""
    return f"已超期{data.overdue_workdays}个工作日" if data.overdue_workdays > 0 else "尚未超期"


def reply_text(data: NoticeData) -> str:
    if data.reply_by is None:
        return "请抓紧办理，并及时报送办理情况。"
    return f"请于{cn_date(data.reply_by)}前报送办理情况（含办理进展、存在问题和下一步措施）。"


def urge_body(data: NoticeData) -> str:
    """你单位承办的“……”（督办编号：……）办结时限为……，截至……已超期N个工作日。请于……前报送办理情况……"""
    due = f"办结时限为{cn_date(data.due_on)}，" if data.due_on else ""
    state = overdue_text(data) if data.overdue_workdays > 0 else "尚未办结"
    reason = data.reason.strip()
    if reason and not reason.endswith(("。", "！", "？")):
        reason += "。"
    return (
        f"你单位承办的“{data.item_title}”（督办编号：{data.item_number}）{due}"
        f"截至{cn_date(data.issued_on)}{state}。{reason}{reply_text(data)}"
    )


def render_notice(data: NoticeData, out: BinaryIO) -> None:
    """Write the 督办单 or 催办通知书 to `out`."""
    if data.level not in LEVEL_TITLES:
        raise ValueError(f"unknown notice level {data.level!r}")
    if data.level == "urge":
        _urge_letter(data).save(out)
    else:
        _ticket(data).save(out)


def _ticket(data: NoticeData) -> Document:
    document = d.new_document(char_grid=False)  # LibreOffice renders the PDFs: line grid only
    colour = LEVEL_COLOURS[data.level]
    d.add_paragraph(document, "")
    d.add_title(document, LEVEL_TITLES[data.level], size_pt=d.SIZE_1, color=colour)
    d.add_paragraph(document, f"督办单编号：{data.number}", align="center", east_asian=d.KAITI, space_after_pt=6)
    rows = [
        ("督办编号", data.item_number),
        ("事项名称", data.item_title),
        ("批示/交办内容", data.instruction or "—"),
        ("承办单位", data.unit_full_name),
        ("办结时限", cn_date(data.due_on) if data.due_on else "—"),
        ("超期情况", f"截至{cn_date(data.issued_on)}{overdue_text(data)}"),
        ("督办事由", data.reason or "—"),
        ("办理要求", reply_text(data)),
        ("抄送", join_names(data.cc) or "—"),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.autofit = False
    widths = (36, 120)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for index, (label, value) in enumerate(rows):
        label_cell, value_cell = table.cell(index, 0), table.cell(index, 1)
        label_cell.width, value_cell.width = Mm(widths[0]), Mm(widths[1])
        d.set_cell_text(label_cell, label, size_pt=d.SIZE_4, east_asian=d.HEITI)
        d.set_cell_text(value_cell, value, size_pt=d.SIZE_4, align="left")
        table.rows[index].height = Mm(12)
    d.add_paragraph(document, "")
    d.add_paragraph(document, data.office_name, align="right", right_chars=2)
    d.add_paragraph(document, cn_date(data.issued_on), align="right", right_chars=2)
    return document


def _urge_letter(data: NoticeData) -> Document:
    document = d.new_document(char_grid=False)  # LibreOffice renders the PDFs: line grid only
    d.add_paragraph(document, "")
    d.add_title(document, LEVEL_TITLES["urge"])
    d.add_paragraph(document, data.number, align="center")
    d.add_paragraph(document, "")
    d.add_paragraph(document, f"{data.unit_full_name}：", align="left")
    d.add_body(document, urge_body(data))
    if data.instruction:
        d.add_body(document, f"附：批示/交办内容：{data.instruction}")
    d.add_body(document, "特此通知。")
    d.add_paragraph(document, "")
    d.add_paragraph(document, data.office_name, align="right", right_chars=4)
    d.add_paragraph(document, cn_date(data.issued_on), align="right", right_chars=4)
    d.add_paragraph(document, "")
    if data.cc:
        d.add_rule(document, color=d.BLACK, width_pt=1.0)
        d.add_paragraph(
            document, f"抄送：{join_names(data.cc)}。", align="left", size_pt=d.SIZE_4, left_chars=1, right_chars=1
        )
        d.add_rule(document, color=d.BLACK, width_pt=1.0)
    return document
