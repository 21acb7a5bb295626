"""The 督查通报 (weekly or monthly) as a DOCX the office can print and file.

Red 版头 (“督查通报”, 第N期, the office and the date, a red line), the title, the overall figures, the table of
on-time rates by unit in the fixed unit order, the overdue list, the units praised and criticised, and the
版记 (抄送, 印发). Fonts and page follow GB/T 9704 through `zhongshu.render.docx_base`.
"""

from __future__ import annotations

from typing import BinaryIO

from zhongshu.render import docx_base as d
from zhongshu.render.text import cn_date, cn_percent, join_names

from .rows import BulletinData

KIND_LABELS = {"weekly": "本周", "monthly": "本月"}


def summary_text(data: BulletinData) -> str:
    """截至2026年11月29日，本期共交办督办事项12件，办结9件，其中按期办结8件，按期办结率88.9%；当前超期3件。"""
    as_of = data.as_of or data.issued_on
    return (
        f"截至{cn_date(as_of)}，{data.period_label or '本期'}共交办督办事项{data.assigned}件，"
        f"办结{data.closed}件，其中按期办结{data.closed_on_time}件，"
        f"按期办结率{cn_percent(data.closed_on_time, data.closed)}；当前超期{data.overdue_now}件。"
    )


def render_bulletin(data: BulletinData, out: BinaryIO) -> None:
    """Write the bulletin to `out`."""
    document = d.new_document(char_grid=False)  # LibreOffice renders the PDFs: line grid only
    width = d.type_area_width_mm(document)

    header = d.add_paragraph(document, "", align="center", space_before_pt=12, line_pt=60)
    d.add_red_text(header, "督查通报", east_asian=d.XIAOBIAOSONG, size_pt=d.SIZE_CHU)
    d.add_paragraph(document, f"第{data.period_no}期", align="center", east_asian=d.KAITI, space_before_pt=6)
    d.add_right_tab_line(document, data.office, cn_date(data.issued_on), width_mm=width)
    d.add_rule(document, color=d.RED, width_pt=2.0, space_after_pt=12)

    d.add_title(document, data.title)
    d.add_paragraph(document, "")
    if data.intro:
        d.add_body(document, data.intro)
    d.add_body(document, summary_text(data))

    section = 0
    numerals = "一二三四五六七八九十"

    def heading(text: str) -> None:
        nonlocal section
        d.add_heading(document, f"{numerals[section]}、{text}", 1)
        section += 1

    if data.units:
        heading("各单位办理情况")
        d.add_table(
            document,
            ["序号", "单位", "交办", "办结", "按期办结", "按期办结率", "超期"],
            [
                [
                    str(i),
                    u.unit,
                    str(u.assigned),
                    str(u.closed),
                    str(u.closed_on_time),
                    cn_percent(u.closed_on_time, u.closed),
                    str(u.overdue),
                ]
                for i, u in enumerate(data.units, start=1)
            ],  # fmt: skip
            widths_mm=[12, 44, 18, 18, 22, 24, 18],
        )
        d.add_paragraph(document, "", line_pt=12)

    heading("超期未办结事项")
    if data.overdue_items:
        d.add_table(
            document,
            ["序号", "督办编号", "事项", "牵头单位", "办结时限", "超期\n工作日"],
            [
                [
                    str(i),
                    o.number,
                    o.title,
                    o.lead_unit,
                    cn_date(o.due_on) if o.due_on else "—",
                    str(o.overdue_workdays),
                ]
                for i, o in enumerate(data.overdue_items, start=1)
            ],
            widths_mm=[10, 44, 46, 22, 22, 12],
            size_pt=10.5,
            aligns=["center", "center", "left", "center", "center", "center"],
        )
        d.add_paragraph(document, "", line_pt=12)
    else:
        d.add_body(document, "本期无超期未办结事项。")

    if data.praised or data.criticised:
        heading("表扬和批评")
        if data.praised:
            d.add_body(document, f"对按期办结率高、办理质量好的{join_names(data.praised)}予以表扬。")
        if data.criticised:
            d.add_body(
                document,
                f"对超期事项较多、办理进度滞后的{join_names(data.criticised)}予以通报批评，"
                "请相关单位认真分析原因，制定整改措施，限期办结。",
            )
    if data.closing:
        d.add_body(document, data.closing)

    d.add_paragraph(document, "")
    d.add_imprint(document, cc=list(data.cc), printer=data.office, printed_on=data.issued_on)
    d.add_page_number_footer(document)
    document.save(out)
