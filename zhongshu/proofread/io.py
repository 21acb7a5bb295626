"""Reading a draft from disk or standard input: plain text (.txt, .md) and Word documents (.docx).

    from zhongshu.proofread.io import DocumentReadError, load
    document = load("报告.docx", doc_type="报告")   # Document; raises DocumentReadError in Chinese

Text: UTF-8 (with or without BOM), UTF-16 with BOM (Windows Notepad's "Unicode"), else GB18030 (which also
reads GBK and GB2312); line breaks are normalised to "\\n", so offsets are offsets in the normalised text.
DOCX: each paragraph of the body becomes one line (in document order, content controls included), then the
paragraphs of the tables' cells; empty trailing paragraphs are dropped; headers, footers, footnotes, text
boxes and deleted (tracked) text are not read. A file is recognised by its content, not only its name: a
DOCX saved as .txt is read as DOCX, and an old .doc or a PDF is refused with a clear message.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .document import Document

__all__ = [
    "DocumentReadError",
    "MarkdownMarkup",
    "decode_text",
    "docx_text",
    "is_markdown",
    "load",
    "load_bytes",
]

UNSUPPORTED_SUFFIXES = frozenset({".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".ofd", ".zip", ".rar", ".7z"})
DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls and encrypted Office files
_PDF_MAGIC = b"%PDF"
_NEWLINES = re.compile(r"\r\n?")
# A soft line break inside a DOCX paragraph: joins Chinese text, a space between Latin words or numbers.
_SOFT_BREAK_BETWEEN_LATIN = re.compile(r"(?<=[A-Za-z0-9])\x00(?=[A-Za-z0-9])")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{{{_W}}}{tag}" for tag in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
# Text-bearing elements of a paragraph, outside text boxes and deleted or moved-away text.
_PARAGRAPH_TEXT_XPATH = ".//w:t | .//w:tab | .//w:ptab | .//w:br | .//w:cr | .//w:noBreakHyphen"
_SKIPPED_ANCESTORS = frozenset(f"{{{_W}}}{tag}" for tag in ("txbxContent", "del", "moveFrom"))


class DocumentReadError(Exception):
    """A file that cannot be checked: missing, unreadable, of an unsupported kind or corrupt."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"无法读取 {name}：{reason}")

    @property
    def message(self) -> str:
        return str(self)


def load(
    path: str | Path,
    *,
    doc_type: str | None = None,
    attachments: list[str] | None = None,
) -> Document:
    """The document stored at `path` (.txt, .md or .docx), ready for `check_document`."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentReadError(name, "文件不存在") from None
    except IsADirectoryError:
        raise DocumentReadError(name, "这是一个目录，不是文件") from None
    except PermissionError:
        raise DocumentReadError(name, "没有读取权限") from None
    except OSError as exc:
        raise DocumentReadError(name, exc.strerror or exc.__class__.__name__) from None
    return load_bytes(data, name=name, doc_type=doc_type, attachments=attachments)


def load_bytes(
    data: bytes,
    *,
    name: str = "-",
    doc_type: str | None = None,
    attachments: list[str] | None = None,
) -> Document:
    """The document held in `data` (the content of a file named `name`, or of standard input "-")."""
    suffix = Path(name).suffix.lower() if name != "-" else ""
    if data.startswith(_OLE_MAGIC) or suffix in {".doc", ".wps"}:
        raise DocumentReadError(
            name, "这是旧版 Word（.doc/.wps）文件或加密的文档，请用 Word 或 WPS 另存为 .docx 后再检查"
        )
    if data.startswith(_PDF_MAGIC) or suffix == ".pdf":
        raise DocumentReadError(name, "不支持 PDF 文件，请提供 .docx 或 .txt 文件")
    if suffix in UNSUPPORTED_SUFFIXES:
        raise DocumentReadError(name, f"不支持 {suffix} 文件，只能检查 .txt、.md 和 .docx 文件")
    if suffix in DOCX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        text = docx_text(data, name=name)
    else:
        text = decode_text(data, name=name)  # .txt, .md and any other name: judged by the content
    return Document(text=text, doc_type=doc_type, attachments=list(attachments or []))


def decode_text(data: bytes, *, name: str = "-") -> str:
    """Text bytes as a string: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030; "\\n" line breaks."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentReadError(name, "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本") from None
    elif b"\x00" in data[:8192]:
        raise DocumentReadError(name, "不是文本文件（含有二进制内容），只能检查 .txt、.md 和 .docx 文件")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise DocumentReadError(
                    name, "无法识别文件的编码（支持 UTF-8 和 GB18030/GBK），请另存为 UTF-8 文本"
                ) from None
    return _NEWLINES.sub("\n", text.removeprefix("\ufeff"))


def docx_text(data: bytes, *, name: str = "-") -> str:
    """The text of a DOCX file: one line per paragraph, body first, then the tables' cells."""
    import docx  # python-docx; imported here so that plain-text checks do not pay for it

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception:  # python-docx raises many kinds (zip, XML, missing part): all mean "corrupt"
        raise DocumentReadError(name, "文件已损坏或不是有效的 DOCX 文件") from None
    body_lines: list[str] = []
    table_lines: list[str] = []
    for element in _blocks(body):
        if element.tag == _P:
            body_lines.append(_paragraph_text(element))
        else:
            table_lines.extend(line for line in _table_lines(element) if line.strip())
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    return "\n".join(body_lines + table_lines)


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a container in order, looking inside content controls (w:sdt)."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _table_lines(table: Any) -> Iterator[str]:
    """Every paragraph of every cell, row by row; a nested table's cells where the table stands."""
    for row in table.iterchildren(_TR):
        for cell in row.iterchildren(_TC):
            for element in _blocks(cell):
                if element.tag == _P:
                    yield _paragraph_text(element)
                else:
                    yield from _table_lines(element)


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for element in paragraph.xpath(_PARAGRAPH_TEXT_XPATH):
        if any(ancestor.tag in _SKIPPED_ANCESTORS for ancestor in element.iterancestors()):
            continue
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(element.text or "")
        elif tag in ("tab", "ptab"):
            parts.append("\t")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag == "cr" or element.get(f"{{{_W}}}type") in (None, "textWrapping"):
            parts.append("\x00")  # a soft line break (page and column breaks carry no text)
    text = _SOFT_BREAK_BETWEEN_LATIN.sub(" ", "".join(parts))
    return _NEWLINES.sub("", text.replace("\x00", "").replace("\n", ""))


# Markdown ---------------------------------------------------------------------------------------------

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_MARKDOWN_MARKUP = [
    re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL),  # fences
    re.compile(r"<!--.*?-->", re.DOTALL),  # comments
    re.compile(r"(`+)[^`\n]+?\1"),  # inline code
    re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.MULTILINE),  # table rule
    re.compile(r"^ {0,3}(?:#{1,6}|>+|[-*+]|\d{1,3}[.)])(?=[ \t])", re.MULTILINE),  # heading, quote, list
    re.compile(r"!?\[(?=[^\]\n]*\]\()|\]\([^)\s]*\)|<https?://[^>\s]+>"),  # links and images
    re.compile(r"\*{1,3}|_{2,3}"),  # emphasis
]
_TABLE_LINE = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)


def is_markdown(name: str) -> bool:
    return Path(name).suffix.lower() in MARKDOWN_SUFFIXES


class MarkdownMarkup:
    """The spans of a Markdown text that are markup, not prose (code, table rules and pipes, heading and
    list markers, link targets, emphasis): findings that touch them are not the writer's errors."""

    def __init__(self, text: str) -> None:
        spans = [match.span() for pattern in _MARKDOWN_MARKUP for match in pattern.finditer(text)]
        for line in _TABLE_LINE.finditer(text):
            spans.extend((line.start() + i, line.start() + i + 1) for i, c in enumerate(line.group()) if c == "|")
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def touches(self, start: int, end: int) -> bool:
        """Whether text[start:end] overlaps markup (an empty span: whether it lies inside markup)."""
        index = bisect.bisect_right(self._starts, max(start, end - 1)) - 1
        if index < 0:
            return False
        return self._ends[index] > start if end > start else self._starts[index] <= start < self._ends[index]
