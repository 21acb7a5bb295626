"""Reading drafts: text encodings and line breaks, DOCX paragraphs and tables, clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.parser import OxmlElement
from hypothesis import given
from hypothesis import strategies as st

from zhongshu.proofread.io import (
    DocumentReadError,
    MarkdownMarkup,
    decode_text,
    is_markdown,
    load,
    load_bytes,
)

NOTICE = "关于做好2026年防汛工作的通知\n各镇人民政府、街道办事处:\n现将有关事项通知如下。"


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(path: Path, build) -> Path:
    path.write_bytes(docx_bytes(build))
    return path


# Text files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (NOTICE.encode("utf-8"), "UTF-8"),
        (NOTICE.encode("utf-8-sig"), "UTF-8 with BOM"),
        (NOTICE.encode("gb18030"), "GB18030"),
        (NOTICE.encode("gbk"), "GBK"),
        (NOTICE.encode("utf-16"), "UTF-16 with BOM"),
    ],
)
def test_text_is_read_in_the_encodings_offices_save(tmp_path, encoded, label):
    path = tmp_path / "通知.txt"
    path.write_bytes(encoded)

    document = load(path)

    assert document.text == NOTICE, label


def test_windows_and_old_mac_line_breaks_become_one_newline():
    text = decode_text("第一段\r\n第二段\r第三段\n".encode())

    assert text == "第一段\n第二段\n第三段\n"


def test_markdown_is_read_as_plain_text(tmp_path):
    path = tmp_path / "简报.md"
    path.write_text("# 工作简报\n\n本周完成民生工程3项。", encoding="utf-8")

    assert load(path).text == "# 工作简报\n\n本周完成民生工程3项。"


def test_doc_type_and_attachments_are_kept_on_the_document(tmp_path):
    path = tmp_path / "请示.txt"
    path.write_text("关于拨付防汛资金的请示", encoding="utf-8")

    document = load(path, doc_type="请示", attachments=["资金测算表"])

    assert (document.doc_type, document.attachments) == ("请示", ["资金测算表"])


@given(st.text(alphabet=st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",))))
def test_any_utf8_text_reads_back_unchanged(text):
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(("\ufeff" + text).encode("utf-8")) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_read_text_never_contains_a_carriage_return(text):
    assert "\r" not in decode_text(text.replace("\x00", "").encode("utf-8"))


# DOCX ---------------------------------------------------------------------------------------------------


def test_each_docx_paragraph_is_one_line_and_empty_trailing_paragraphs_are_dropped(tmp_path):
    def build(document):
        document.add_paragraph("关于做好防汛工作的通知")
        document.add_paragraph("")
        document.add_paragraph("各镇人民政府:")
        document.add_paragraph("")
        document.add_paragraph("   ")

    document = load(write_docx(tmp_path / "通知.docx", build))

    assert document.text == "关于做好防汛工作的通知\n\n各镇人民政府:"
    assert document.line_column(document.text.index("各镇")) == (3, 1)


def test_table_cells_follow_the_body_and_merged_cells_are_read_once(tmp_path):
    def build(document):
        document.add_paragraph("现将责任分工表印发给你们。")
        table = document.add_table(rows=2, cols=3)
        table.cell(0, 0).text = "单位"
        table.cell(0, 1).text = "责任人"
        merged = table.cell(1, 0).merge(table.cell(1, 2))
        merged.text = "区应急局牵头"
        document.add_paragraph("请认真贯彻执行。")

    document = load(write_docx(tmp_path / "分工.docx", build))

    assert document.text == "现将责任分工表印发给你们。\n请认真贯彻执行。\n单位\n责任人\n区应急局牵头"


def test_soft_line_breaks_join_chinese_and_separate_latin_words(tmp_path):
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("关于开展安全生产").add_break()
        paragraph.add_run("大检查的通知")
        latin = document.add_paragraph()
        latin.add_run("GB/T").add_break()
        latin.add_run("9704\t2012")

    document = load(write_docx(tmp_path / "标题.docx", build))

    assert document.text == "关于开展安全生产大检查的通知\nGB/T 9704\t2012"


def test_deleted_tracked_text_is_not_read(tmp_path):
    def build(document):
        paragraph = document.add_paragraph("已按要求")
        deleted = OxmlElement("w:del")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "删掉的字"
        run.append(text)
        deleted.append(run)
        paragraph._p.append(deleted)
        paragraph.add_run("完成整改。")

    assert load(write_docx(tmp_path / "修订.docx", build)).text == "已按要求完成整改。"


def test_a_docx_saved_under_a_text_name_is_read_as_docx(tmp_path):
    path = tmp_path / "误存为文本.txt"
    path.write_bytes(docx_bytes(lambda d: d.add_paragraph("各街道办事处")))

    assert load(path).text == "各街道办事处"


def test_docx_bytes_from_standard_input_are_recognised():
    data = docx_bytes(lambda d: d.add_paragraph("关于报送信息的函"))

    assert load_bytes(data, name="-").text == "关于报送信息的函"


# Errors -------------------------------------------------------------------------------------------------


def read_error(path: Path | str) -> str:
    with pytest.raises(DocumentReadError) as caught:
        load(path)
    return str(caught.value)


def test_missing_file_is_named_in_a_chinese_message(tmp_path):
    path = tmp_path / "没有这个文件.txt"

    assert read_error(path) == f"无法读取 {path}：文件不存在"


def test_directory_is_refused(tmp_path):
    assert read_error(tmp_path) == f"无法读取 {tmp_path}：这是一个目录，不是文件"


def test_file_without_read_permission_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "机密.txt"
    path.write_text("内容", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)

    assert read_error(path) == f"无法读取 {path}：没有读取权限"


def test_corrupt_docx_is_refused(tmp_path):
    path = tmp_path / "损坏.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")

    assert read_error(path) == f"无法读取 {path}：文件已损坏或不是有效的 DOCX 文件"


def test_truncated_docx_is_refused(tmp_path):
    path = tmp_path / "截断.docx"
    path.write_bytes(docx_bytes(lambda d: d.add_paragraph("正文"))[:400])

    assert "文件已损坏或不是有效的 DOCX 文件" in read_error(path)


def test_old_word_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    assert "请用 Word 或 WPS 另存为 .docx" in read_error(path)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("表格.xlsx", b"PK\x03\x04", "不支持 .xlsx 文件"),
        ("扫描件.pdf", b"%PDF-1.7", "不支持 PDF 文件"),
        ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件"),
        ("乱码.txt", b"\xffabc\x80", "无法识别文件的编码"),
    ],
)
def test_files_that_are_not_text_or_docx_are_refused(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)

    message = read_error(path)

    assert message.startswith(f"无法读取 {path}：")
    assert reason in message
    assert "\n" not in message


def test_empty_file_is_an_empty_document(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"")

    assert load(path).text == ""


# Markdown markup ----------------------------------------------------------------------------------------


def test_markdown_markup_covers_code_tables_markers_and_link_targets():
    text = "## 一、总体要求\n- 见`GB/T 9704`和[公文格式](https://example.gov.cn/a.html)。\n|a|b|\n|---|---|\n"
    markup = MarkdownMarkup(text)

    def covered(fragment: str) -> bool:
        start = text.index(fragment)
        return markup.touches(start, start + len(fragment))

    assert covered("##")
    assert covered("-")
    assert covered("GB/T 9704")
    assert covered("(https://example.gov.cn/a.html)")
    assert covered("|---|---|")
    assert not covered("一、总体要求")
    assert not covered("公文格式")
    assert not covered("。")
    assert markup.touches(text.index("GB/T"), text.index("GB/T"))  # an empty span inside code
    assert not markup.touches(0 + text.index("一"), text.index("一"))


@pytest.mark.parametrize(("name", "markdown"), [("a.md", True), ("B.MARKDOWN", True), ("c.txt", False), ("-", False)])
def test_markdown_is_recognised_by_the_file_name(name, markdown):
    assert is_markdown(name) is markdown
