"""Small DOCX building blocks in the layout of GB/T 9704-2012 《党政机关公文格式》.

python-docx knows pages, paragraphs and runs but not what Chinese official documents need: the East Asian
font of a run (`w:eastAsia`), the 22 lines × 28 characters grid of the type area (`w:docGrid`), first-line
indents counted in characters, the "— 1 —" page number, red lines and the 版记 at the end. These helpers add
exactly that and nothing more; callers compose them (see `zhongshu.tracking.exports.bulletin`).

Sizes follow the Chinese 字号: 初号 42 pt, 一号 26 pt, 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .text import cn_date

# Fonts named as Chinese offices' machines name them (the PDF/print machine substitutes what it lacks).
XIAOBIAOSONG = "方正小标宋简体"  # titles, 发文机关标志
FANGSONG = "仿宋_GB2312"  # body text
HEITI = "黑体"  # first-level headings
KAITI = "楷体_GB2312"  # second-level headings
SONGTI = "宋体"  # page numbers
LATIN = "Times New Roman"

SIZE_CHU = 42.0  # 初号
SIZE_1 = 26.0  # 一号
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_XIAO_4 = 12.0  # 小四

RED = "FF0000"
BLACK = "000000"

PAGE_SIZES_MM: dict[str, tuple[int, int]] = {"A4": (210, 297), "A3": (297, 420)}

Align = Literal["left", "center", "right", "justify"]
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

TWIPS_PER_MM = 1440 / 25.4
HEADING_FONTS: dict[int, tuple[str, bool]] = {
    1: (HEITI, False),
    2: (KAITI, False),
    3: (FANGSONG, True),
    4: (FANGSONG, False),
}


def new_document(
    page: str = "A4",
    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26),
    *,
    lines: int = 22,
    chars: int = 28,
    landscape: bool = False,
    body_size_pt: float = SIZE_3,
    char_grid: bool = True,
) -> Document:
    """An empty document with the page, margins (top, bottom, left, right) and the lines × characters grid
    of GB/T 9704 (A4: 37/35/28/26 mm, 22 × 28, body 三号仿宋). The Normal style carries the body font and an
    exact line pitch equal to the grid's, so a paragraph takes one grid line in Word and LibreOffice alike.

    The 28-character grid makes each grid cell (15.8 pt) narrower than a 三号 character, which Word and WPS
    absorb by tightening; LibreOffice instead gives such a character two cells (half-empty lines).
    `char_grid=False` keeps the line grid only, for output that LibreOffice will convert."""
    if page not in PAGE_SIZES_MM:
        raise ValueError(f"unknown page size {page!r}")
    document = new_docx()
    section = document.sections[0]
    width, height = PAGE_SIZES_MM[page]
    if landscape:
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    top, bottom, left, right = margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)

    line_pitch = line_pitch_twips(height - top - bottom, lines)
    char_pitch_pt = (width - left - right) * 72 / 25.4 / chars
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars" if char_grid else "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))
    if char_grid:
        # charSpace: how much wider than the Normal font size a grid cell is, in 1/4096 pt.
        grid.set(qn("w:charSpace"), str(round((char_pitch_pt - body_size_pt) * 4096)))

    normal = document.styles["Normal"]
    set_font(normal.font.element, east_asian=FANGSONG, latin=LATIN, size_pt=body_size_pt)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing = Twips(line_pitch)
    _set_exact_line_rule(normal.element.get_or_add_pPr())
    fmt.widow_control = False
    return document


def line_pitch_twips(type_area_height_mm: float, lines: int) -> int:
    """The grid's line pitch in twips: the type area's height divided by the number of lines (579 for A4)."""
    return int(type_area_height_mm * TWIPS_PER_MM / lines)


def set_font(
    element: Any,
    *,
    east_asian: str | None = None,
    latin: str | None = None,
    size_pt: float | None = None,
    bold: bool | None = None,
    color: str | None = None,
) -> None:
    """Set fonts on anything with an rPr (a run `w:r` or a style's `w:rPr`), including `w:eastAsia`."""
    get_or_add_rpr = getattr(element, "get_or_add_rPr", None)
    rpr = get_or_add_rpr() if get_or_add_rpr is not None else element
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None and (east_asian or latin):
        fonts = _replace_child(rpr, "w:rFonts", {})
    if latin:
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), latin)
    if east_asian:
        fonts.set(qn("w:eastAsia"), east_asian)
    if bold is not None:
        _set_toggle(rpr, "w:b", bold)
        _set_toggle(rpr, "w:bCs", bold)
    if color is not None:
        _replace_child(rpr, "w:color", {"w:val": color.upper()})
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        _replace_child(rpr, "w:sz", {"w:val": half_points})
        _replace_child(rpr, "w:szCs", {"w:val": half_points})


def set_run_font(
    run: Run,
    east_asian: str = FANGSONG,
    latin: str = LATIN,
    size_pt: float = SIZE_3,
    *,
    bold: bool | None = None,
    color: str | None = None,
) -> Run:
    """Give a run its Chinese font (w:eastAsia), its Latin font (ascii/hAnsi) and its size in points."""
    set_font(run._r, east_asian=east_asian, latin=latin, size_pt=size_pt, bold=bold, color=color)
    return run


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    east_asian: str = FANGSONG,
    latin: str = LATIN,
    size_pt: float = SIZE_3,
    bold: bool | None = None,
    color: str | None = None,
) -> Run:
    """Append text to a paragraph in the given fonts."""
    return set_run_font(paragraph.add_run(text), east_asian, latin, size_pt, bold=bold, color=color)


def add_red_text(paragraph: Paragraph, text: str, **font: Any) -> Run:
    """Red text (发文机关标志, 督办单 titles)."""
    return add_run(paragraph, text, color=RED, **font)


def add_paragraph(
    container: Any,
    text: str = "",
    *,
    align: Align = "justify",
    east_asian: str = FANGSONG,
    latin: str = LATIN,
    size_pt: float = SIZE_3,
    bold: bool | None = None,
    color: str | None = None,
    first_line_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    space_before_pt: float | None = None,
    space_after_pt: float | None = None,
    line_pt: float | None = None,
) -> Paragraph:
    """A paragraph of one run; indents are counted in characters of the paragraph's size (Word's *Chars)."""
    paragraph: Paragraph = container.add_paragraph()
    paragraph.alignment = ALIGNMENTS[align]
    if text:
        add_run(paragraph, text, east_asian=east_asian, latin=latin, size_pt=size_pt, bold=bold, color=color)
    set_indent_chars(paragraph, size_pt=size_pt, first_line=first_line_chars, left=left_chars, right=right_chars)
    fmt = paragraph.paragraph_format
    if space_before_pt is not None:
        fmt.space_before = Pt(space_before_pt)
    if space_after_pt is not None:
        fmt.space_after = Pt(space_after_pt)
    if line_pt is not None:
        fmt.line_spacing = Pt(line_pt)
        _set_exact_line_rule(paragraph._p.get_or_add_pPr())
    return paragraph


def set_indent_chars(
    paragraph: Paragraph, *, size_pt: float = SIZE_3, first_line: float = 0, left: float = 0, right: float = 0
) -> None:
    """Indents in characters: w:firstLineChars etc. (hundredths of a character) plus the twips equivalent
    for programs that ignore the *Chars attributes."""
    if not (first_line or left or right):
        return
    ind = _replace_child(paragraph._p.get_or_add_pPr(), "w:ind", {})
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * size_pt * 20)))


def add_title(container: Any, text: str, *, size_pt: float = SIZE_2, color: str | None = None) -> Paragraph:
    """The document title: 二号方正小标宋简体, centred."""
    return add_paragraph(container, text, align="center", east_asian=XIAOBIAOSONG, size_pt=size_pt, color=color)


def add_body(container: Any, text: str, *, size_pt: float = SIZE_3) -> Paragraph:
    """A body paragraph: 三号仿宋_GB2312, first line indented by two characters."""
    return add_paragraph(container, text, east_asian=FANGSONG, size_pt=size_pt, first_line_chars=2)


def add_heading(container: Any, text: str, level: int = 1, *, size_pt: float = SIZE_3) -> Paragraph:
    """Structure headings 一、（一）1.（1）: 黑体, 楷体_GB2312, 仿宋 bold, 仿宋; indented two characters."""
    if level not in HEADING_FONTS:
        raise ValueError(f"heading level must be 1–4, not {level}")
    font, bold = HEADING_FONTS[level]
    paragraph = add_paragraph(container, text, east_asian=font, size_pt=size_pt, bold=bold or None, first_line_chars=2)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_rule(
    container: Any,
    *,
    color: str = RED,
    width_pt: float = 1.0,
    space_after_pt: float = 0,
) -> Paragraph:
    """A horizontal line as wide as the type area: an empty paragraph with a bottom border."""
    paragraph = add_paragraph(container, "", size_pt=2, space_after_pt=space_after_pt, line_pt=2)
    _snap_to_grid(paragraph, False)
    borders = _replace_child(paragraph._p.get_or_add_pPr(), "w:pBdr", {})
    _replace_child(
        borders,
        "w:bottom",
        {"w:val": "single", "w:sz": str(max(2, round(width_pt * 8))), "w:space": "1", "w:color": color.upper()},
    )
    return paragraph


def add_page_number_footer(
    document: Document, *, style: Literal["gbt9704", "center"] = "gbt9704", size_pt: float = SIZE_4
) -> None:
    """“— 1 —” page numbers in 四号宋体: GB/T 9704 puts odd pages on the right and even pages on the left,
    one character in from the edge of the type area; `center` centres them on every page."""
    if style == "gbt9704":
        document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        targets = [(section.footer, "right" if style == "gbt9704" else "center")]
        if style == "gbt9704":
            targets.append((section.even_page_footer, "left"))
        for footer, align in targets:
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.alignment = ALIGNMENTS[align]
            if align == "right":
                set_indent_chars(paragraph, size_pt=size_pt, right=1)
            elif align == "left":
                set_indent_chars(paragraph, size_pt=size_pt, left=1)
            add_run(paragraph, "— ", east_asian=SONGTI, latin=SONGTI, size_pt=size_pt)
            add_field(paragraph, "PAGE", east_asian=SONGTI, latin=SONGTI, size_pt=size_pt)
            add_run(paragraph, " —", east_asian=SONGTI, latin=SONGTI, size_pt=size_pt)


def add_field(paragraph: Paragraph, instruction: str, *, placeholder: str = "1", **font: Any) -> None:
    """A Word field (PAGE, NUMPAGES …) as begin/instrText/separate/result/end runs."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = add_run(paragraph, "", **font)
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "result":
            run.text = placeholder
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def add_right_tab_line(
    container: Any,
    left: str,
    right: str,
    *,
    width_mm: float,
    size_pt: float = SIZE_3,
    east_asian: str = FANGSONG,
    color: str | None = None,
) -> Paragraph:
    """One line with text at the left edge and text flush right (e.g. “示范区人民政府办公室 … 2026年11月30日”)."""
    paragraph = add_paragraph(container, "", align="left", size_pt=size_pt)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
    add_run(paragraph, f"{left}\t{right}", east_asian=east_asian, size_pt=size_pt, color=color)
    return paragraph


def add_table(
    container: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_mm: Sequence[float],
    size_pt: float = SIZE_XIAO_4,
    aligns: Sequence[Align] | None = None,
    header_font: str = HEITI,
    body_font: str = FANGSONG,
) -> Table:
    """A bordered table (header row repeated on each page) in a smaller size than the body, single-spaced."""
    if len(widths_mm) != len(headers):
        raise ValueError("one width per column")
    aligns = list(aligns) if aligns is not None else ["center"] * len(headers)
    table: Table = container.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header_row = table.rows[0]
    _repeat_header(header_row._tr)
    for column, width in enumerate(widths_mm):
        table.columns[column].width = Mm(width)
    for row_index, values in enumerate([list(headers), *[list(row) for row in rows]]):
        is_header = row_index == 0
        for column, value in enumerate(values):
            cell = table.cell(row_index, column)
            cell.width = Mm(widths_mm[column])
            set_cell_text(
                cell,
                value,
                size_pt=size_pt,
                east_asian=header_font if is_header else body_font,
                align="center" if is_header else aligns[column],
            )
    return table


def set_cell_text(
    cell: Any,
    text: str,
    *,
    size_pt: float = SIZE_XIAO_4,
    east_asian: str = FANGSONG,
    align: Align = "center",
    bold: bool | None = None,
    color: str | None = None,
) -> Paragraph:
    """Replace a table cell's text with single-spaced lines (one paragraph per line), off the page grid."""
    paragraphs: list[Paragraph] = cell.paragraphs
    first = paragraphs[0]
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for index, line in enumerate(str(text).split("\n")):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = ALIGNMENTS[align]
        fmt = paragraph.paragraph_format
        fmt.line_spacing = 1.0
        fmt.space_before, fmt.space_after = Pt(1), Pt(1)
        _snap_to_grid(paragraph, False)
        if line:
            add_run(paragraph, line, east_asian=east_asian, size_pt=size_pt, bold=bold, color=color)
    tc_pr = cell._tc.get_or_add_tcPr()
    _replace_child(tc_pr, "w:vAlign", {"w:val": "center"})
    return first


def add_imprint(
    container: Any,
    *,
    cc: Sequence[str],
    printer: str,
    printed_on: dt.date,
    size_pt: float = SIZE_4,
) -> None:
    """The 版记: a thick line, “抄送：…。”, a thin line, “印发机关 … 日期印发”, a thick line (四号仿宋,
    indented one character on both sides)."""
    width = type_area_width_mm(container)
    add_rule(container, color=BLACK, width_pt=1.0, space_after_pt=0)
    if cc:
        paragraph = add_paragraph(container, "", align="left", size_pt=size_pt, left_chars=1, right_chars=1)
        _hanging_label(paragraph, "抄送：", "、".join(cc) + "。", size_pt=size_pt)
        add_rule(container, color=BLACK, width_pt=0.5)
    add_right_tab_line(
        container, printer, f"{cn_date(printed_on)}印发", width_mm=width - 2 * size_pt * 25.4 / 72, size_pt=size_pt
    )
    last = container.paragraphs[-1]
    set_indent_chars(last, size_pt=size_pt, left=1, right=1)
    add_rule(container, color=BLACK, width_pt=1.0)


def type_area_width_mm(container: Any) -> float:
    """The width between the margins of the last section (156 mm on A4 with GB/T 9704 margins)."""
    sections = getattr(container, "sections", None)
    if not sections:
        return 156.0
    section = sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    return float(width) / 36000  # EMU per mm


# --- internals ---------------------------------------------------------------------------------------


def _hanging_label(paragraph: Paragraph, label: str, text: str, *, size_pt: float) -> None:
    add_run(paragraph, label, size_pt=size_pt)
    add_run(paragraph, text, size_pt=size_pt)


def _set_exact_line_rule(ppr: Any) -> None:
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:lineRule"), "exact")


def _snap_to_grid(paragraph: Paragraph, on: bool) -> None:
    _replace_child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", {"w:val": "1" if on else "0"})


def _repeat_header(tr: Any) -> None:
    tr_pr = tr.get_or_add_trPr()
    _replace_child(tr_pr, "w:tblHeader", {"w:val": "1"})


def _set_toggle(rpr: Any, tag: str, on: bool) -> None:
    _replace_child(rpr, tag, {} if on else {"w:val": "0"})


# Schema order of the children of w:rPr and w:pPr that these helpers write; Word rejects out-of-order XML.
_ORDER = {
    "w:rPr": [
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    ],
    "w:pPr": [
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ],
    "w:tcPr": [
        "w:cnfStyle",
        "w:tcW",
        "w:gridSpan",
        "w:hMerge",
        "w:vMerge",
        "w:tcBorders",
        "w:shd",
        "w:noWrap",
        "w:tcMar",
        "w:textDirection",
        "w:tcFitText",
        "w:vAlign",
        "w:hideMark",
    ],
    "w:trPr": [
        "w:cnfStyle",
        "w:divId",
        "w:gridBefore",
        "w:gridAfter",
        "w:wBefore",
        "w:wAfter",
        "w:cantSplit",
        "w:trHeight",
        "w:tblHeader",
        "w:tblCellSpacing",
        "w:jc",
        "w:hidden",
    ],
}


def _replace_child(parent: Any, tag: str, attributes: dict[str, str]) -> Any:
    """Put a fresh `tag` child (with attributes) into `parent`, at its schema position."""
    existing = parent.find(qn(tag))
    if existing is not None:
        parent.remove(existing)
    child = OxmlElement(tag)
    for name, value in attributes.items():
        child.set(qn(name), value)
    parent_tag = _prefixed(parent.tag)
    order = _ORDER.get(parent_tag)
    if order is None or tag not in order:
        parent.append(child)
        return child
    later = set(order[order.index(tag) + 1 :])
    for index, sibling in enumerate(parent):
        if _prefixed(sibling.tag) in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def _prefixed(tag: str) -> str:
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "w:" + tag[len(namespace) :] if tag.startswith(namespace) else tag
