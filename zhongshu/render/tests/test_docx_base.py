"""The DOCX helpers write the XML that GB/T 9704 layouts need: fonts per script, sizes, page, grid, fields."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from zhongshu.render import docx_base as d
from zhongshu.render.text import cn_date, cn_month_day, cn_percent, join_names


def reopen(document):
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def run_props(paragraph):
    rpr = paragraph.runs[0]._r.rPr
    fonts = rpr.find(qn("w:rFonts"))
    return {
        "eastAsia": fonts.get(qn("w:eastAsia")),
        "ascii": fonts.get(qn("w:ascii")),
        "sz": rpr.find(qn("w:sz")).get(qn("w:val")),
        "color": None if rpr.find(qn("w:color")) is None else rpr.find(qn("w:color")).get(qn("w:val")),
        "bold": rpr.find(qn("w:b")) is not None,
    }


def test_new_document_has_gbt9704_page_margins_and_grid():
    document = reopen(d.new_document())

    sect = document.sections[0]._sectPr
    size, margins, grid = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar")), sect.find(qn("w:docGrid"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # 210 × 297 mm
    assert [margins.get(qn(f"w:{side}")) for side in ("top", "bottom", "left", "right")] == [
        "2098", "1984", "1587", "1474",  # 37, 35, 28, 26 mm in twips
    ]  # fmt: skip
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) == "-848"


def test_new_document_normal_style_is_three_point_fangsong_with_exact_pitch():
    document = reopen(d.new_document())

    normal = document.styles["Normal"].element
    fonts = normal.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert normal.rPr.find(qn("w:sz")).get(qn("w:val")) == "32"
    spacing = normal.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")


def test_new_document_a3_landscape_and_line_grid_only():
    document = reopen(d.new_document("A3", landscape=True, char_grid=False))

    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert (size.get(qn("w:w")), size.get(qn("w:h")), size.get(qn("w:orient"))) == ("23811", "16838", "landscape")
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:charSpace")) is None


def test_unknown_page_size_is_refused():
    with pytest.raises(ValueError, match="B5"):
        d.new_document("B5")


def test_set_run_font_sets_east_asian_latin_and_half_point_size():
    document = d.new_document()
    paragraph = document.add_paragraph()

    d.set_run_font(paragraph.add_run("正文Text"), "楷体_GB2312", "Arial", 14, bold=True, color="ff0000")

    props = run_props(reopen(document).paragraphs[0])
    assert props == {"eastAsia": "楷体_GB2312", "ascii": "Arial", "sz": "28", "color": "FF0000", "bold": True}


def test_title_body_and_headings_use_their_fonts_sizes_and_indents():
    document = d.new_document()
    d.add_title(document, "关于做好防汛工作的通知")
    d.add_body(document, "现将有关事项通知如下。")
    for level in (1, 2, 3, 4):
        d.add_heading(document, f"标题{level}", level)

    paragraphs = reopen(document).paragraphs
    title, body, *headings = paragraphs
    assert run_props(title)["eastAsia"] == "方正小标宋简体"
    assert run_props(title)["sz"] == "44"
    assert title.alignment == d.WD_ALIGN_PARAGRAPH.CENTER
    assert run_props(body)["eastAsia"] == "仿宋_GB2312"
    assert run_props(body)["sz"] == "32"
    ind = body._p.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:firstLineChars")), ind.get(qn("w:firstLine"))) == ("200", "640")
    assert [(run_props(h)["eastAsia"], run_props(h)["bold"]) for h in headings] == [
        ("黑体", False), ("楷体_GB2312", False), ("仿宋_GB2312", True), ("仿宋_GB2312", False),
    ]  # fmt: skip


def test_heading_level_out_of_range_is_refused():
    with pytest.raises(ValueError, match="1–4"):
        d.add_heading(d.new_document(), "五", 5)


def test_rule_is_a_bottom_border_in_colour_and_width():
    document = d.new_document()
    d.add_rule(document, color="ff0000", width_pt=2)

    border = reopen(document).paragraphs[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:val")), border.get(qn("w:sz")), border.get(qn("w:color"))) == ("single", "16", "FF0000")


def test_red_text_is_red():
    document = d.new_document()
    d.add_red_text(document.add_paragraph(), "督查通报", east_asian=d.XIAOBIAOSONG, size_pt=d.SIZE_CHU)

    assert run_props(reopen(document).paragraphs[0]) | {"ascii": None} == {
        "eastAsia": "方正小标宋简体", "ascii": None, "sz": "84", "color": "FF0000", "bold": False,
    }  # fmt: skip


def test_page_number_footer_is_a_page_field_between_dashes_odd_right_even_left():
    document = d.new_document()
    d.add_page_number_footer(document)

    reopened = reopen(document)
    section = reopened.sections[0]
    assert reopened.settings.odd_and_even_pages_header_footer is True
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == d.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == d.WD_ALIGN_PARAGRAPH.LEFT
    for paragraph in (odd, even):
        xml = paragraph._p.xml
        assert paragraph.text == "— 1 —"
        assert "<w:instrText" in xml
        assert " PAGE " in xml
        assert [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert run_props(paragraph)["sz"] == "28"


def test_centred_page_numbers():
    document = d.new_document()
    d.add_page_number_footer(document, style="center")

    reopened = reopen(document)
    assert reopened.sections[0].footer.paragraphs[0].alignment == d.WD_ALIGN_PARAGRAPH.CENTER
    assert not reopened.settings.odd_and_even_pages_header_footer


def test_table_has_header_repeated_fixed_widths_and_cell_lines():
    document = d.new_document()
    d.add_table(document, ["单位", "件数"], [["区教委", "3"], ["区财政局\n区发展改革委", "2"]], widths_mm=[100, 56])

    table = reopen(document).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["单位", "件数"], ["区教委", "3"], ["区财政局\n区发展改革委", "2"],
    ]  # fmt: skip
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [col.get(qn("w:w")) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))] == ["5669", "3175"]
    assert run_props(table.cell(0, 0).paragraphs[0])["eastAsia"] == "黑体"
    assert run_props(table.cell(1, 0).paragraphs[0])["sz"] == "24"


def test_table_needs_one_width_per_column():
    with pytest.raises(ValueError, match="one width per column"):
        d.add_table(d.new_document(), ["a", "b"], [], widths_mm=[10])


def test_imprint_lists_cc_and_printer_with_date():
    document = d.new_document()
    d.add_imprint(document, cc=["区委办公室", "区人大常委会办公室"], printer="示范区人民政府办公室",
                  printed_on=dt.date(2026, 11, 30))  # fmt: skip

    texts = [p.text for p in reopen(document).paragraphs if p.text]
    assert texts == ["抄送：区委办公室、区人大常委会办公室。", "示范区人民政府办公室\t2026年11月30日印发"]


def test_chinese_date_and_number_wording():
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert cn_month_day(dt.date(2026, 11, 3), reference_year=2026) == "11月3日"
    assert cn_month_day(dt.date(2025, 12, 30), reference_year=2026) == "2025年12月30日"
    assert [cn_percent(7, 8), cn_percent(3, 3), cn_percent(0, 0), cn_percent(1, 3)] == ["87.5%", "100%", "—", "33.3%"]
    assert join_names(["区教委", "", "区财政局"]) == "区教委、区财政局"
