"""The product's own interface text passes its own proofreader's PUN-01 (full-width marks in Chinese text).

Scanned: every template under zhongshu/**/templates/ (text between tags and the values of attributes, with
the template language's tags and variables taken out) and every string literal with Chinese characters in
the product's Python modules (messages, labels, help texts, choices; docstrings and tests are not interface
text and are skipped, and so are migrations, which repeat the models' labels).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhongshu.proofread.document import Document
from zhongshu.proofread.registry import RuleContext, rules

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zhongshu"
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile("[A-Za-z]")
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
# Regular expressions with Chinese in them are code, not interface text.
_REGEX = re.compile(r"\(\?|\\[dswbDSWBu(){}\[\].+*?|]|[\[\]|]")
_QUOTED = re.compile("“[^“”]{1,8}”")

# Findings that are not errors, each with the reason. Keep this short: fix the text instead.
ALLOWLIST: dict[tuple[str, str], str] = {
    # (file relative to the repository, the string or line as written): why it is right as it is
    (
        "zhongshu/api/api.py",
        "区政府办公室工作平台接口。认证：POST /api/v1/auth/token 取得令牌，之后在请求头中携带 Authorization: "
        'Bearer <令牌>。错误统一为 {"detail": "说明", "errors": {"字段": ["说明"]}}。',
    ): "a JSON example inside the API description: its quotes are code",
    ("zhongshu/tracking/exports/ledger.py", 'yyyy"年"m"月"d"日"'): "an Excel number format: its quotes are code",
}


@dataclass(frozen=True)
class Piece:
    path: str
    line: int
    text: str


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _blank(match: re.Match[str]) -> str:
    """The match with every character but line breaks made a space: offsets and line numbers stay."""
    return re.sub(r"[^\n]", " ", match.group())


def _template_text(source: str) -> str:
    source = _SCRIPT_OR_STYLE.sub(_blank, source)
    source = _COMMENT.sub(_blank, source)
    # Template tags and variables become a neutral placeholder, so that text around them stays together.
    return _TEMPLATE_CODE.sub(lambda m: "X" + _blank(m)[1:], source)


def template_pieces() -> list[Piece]:
    pieces = []
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        source = _template_text(path.read_text(encoding="utf-8"))
        chunks: list[tuple[str, int]] = []  # (text, offset in the source)
        position = 0
        for tag in _TAG.finditer(source):
            chunks.append((source[position : tag.start()], position))
            for match in _ATTRIBUTE.finditer(tag.group()):
                value = match.group(1) if match.group(1) is not None else match.group(2)
                chunks.append((value, tag.start() + match.start()))
            position = tag.end()
        chunks.append((source[position:], position))
        for text, offset in chunks:
            for part in text.split("\n"):
                if CJK.search(part):
                    pieces.append(Piece(_relative(path), source.count("\n", 0, offset) + 1, part.strip()))
    return pieces


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def python_pieces() -> list[Piece]:
    pieces = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and CJK.search(node.value)
                and not _REGEX.search(node.value)
            ):
                pieces.append(Piece(_relative(path), node.lineno, node.value))
    return pieces


def pun01_problems(pieces: list[Piece]) -> list[str]:
    rule = rules()["PUN-01"]
    context = RuleContext(dictionaries={}, options={})
    problems = []
    for piece in pieces:
        if (piece.path, piece.text) in ALLOWLIST:
            continue
        for hit in rule.func(Document(text=piece.text), context):
            mark = piece.text[hit.start : hit.end]
            before = piece.text[hit.start - 1 : hit.start]
            after = piece.text[hit.end : hit.end + 1]
            if before == "“" and after == "”":  # a mark being talked about: 不用半角“,”
                continue
            if any(q.start() < hit.start < q.end() for q in _QUOTED.finditer(piece.text)):
                continue  # inside a short quoted example of the wrong form: 不用“(一)”
            if len(_LATIN.findall(piece.text)) > 2 * len(CJK.findall(piece.text)):
                continue  # English text that names a Chinese term: its punctuation is English
            problems.append(f"{piece.path}:{piece.line}: “{mark}” in {piece.text!r}")
    return problems


def test_the_scan_finds_interface_text():
    # Guards the scanner itself: if it found nothing, the tests below would pass for nothing.
    assert len(template_pieces()) > 50
    assert len(python_pieces()) > 200


@pytest.mark.parametrize("source", ["templates", "python"])
def test_interface_text_uses_full_width_punctuation(source):
    pieces = template_pieces() if source == "templates" else python_pieces()

    problems = pun01_problems(pieces)

    assert problems == [], "\n".join(problems)
