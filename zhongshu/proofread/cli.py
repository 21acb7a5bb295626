"""The checker's command line (no Django): `zhongshu check FILE…`, `python -m zhongshu.proofread FILE…`.

    zhongshu check 通知.docx 报告.txt           文件:行:列 [严重程度] 规则 说明 → 建议
    zhongshu check --json - < 草稿.txt            one JSON array of findings per file, one line each
    zhongshu check --profile 本办.toml --doc-type 请示 请示.docx
    zhongshu check --list-rules                   every rule: id, severity, category, title

Exit codes: 0 no error-level finding; 1 at least one error-level finding; 2 a file (or the profile) could
not be read, or the arguments are wrong — the other files are still checked; 3 the checker itself failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, NoReturn

from .document import Document
from .engine import check_document
from .finding import SEVERITY_LABELS, Finding, Severity
from .io import DocumentReadError, MarkdownMarkup, is_markdown, load, load_bytes
from .profile import Profile
from .registry import rules

__all__ = ["DOC_TYPES", "is_proofread_check", "main", "run"]

OK, FOUND_ERRORS, UNREADABLE, INTERNAL_ERROR, INTERRUPTED = 0, 1, 2, 3, 130

# The 15 文种 of the 条例 (第八条); 令 is the usual name of 命令.
DOC_TYPES = (
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见",
    "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
)  # fmt: skip
JSON_KEYS = (
    "file",
    "start",
    "end",
    "line",
    "column",
    "rule",
    "category",
    "severity",
    "message",
    "suggestion",
)

# `zhongshu check …` is Django's system check unless its arguments belong to the proofreader.
_DJANGO_CHECK_OPTIONS = frozenset(
    {"--tag", "-t", "--list-tags", "--deploy", "--fail-level", "--database", "--settings", "--pythonpath"}
    | {"--traceback", "--no-color", "--force-color", "--skip-checks", "-v", "--verbosity", "--version"}
    | {"-h", "--help"}
)
_PROOFREAD_OPTIONS = frozenset({"--json", "--profile", "--doc-type", "--attachment", "--list-rules"})
_CHECKABLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".docx"})

_ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("expected one argument", "需要一个值"),
    ("invalid choice: ", "取值无效："),
    ("argument ", "参数 "),
)


class _UsageError(Exception):
    """Bad command-line arguments: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises (so that `main` prints one Chinese line and returns 2) instead of exiting."""

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        raise _UsageError(message)


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="检查公文、信息、简报等文稿中的文字、标点、数字、格式和规范表述问题（不修改原文）。",
        epilog="退出码：0 未发现“错误”级问题；1 发现“错误”级问题；2 文件或配置无法读取、参数错误；3 内部错误。",
    )
    parser.add_argument("files", nargs="*", metavar="文件", help="要检查的 .txt、.md 或 .docx 文件；“-” 表示标准输入")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出：每个文件一行，一个问题数组")
    parser.add_argument("--profile", metavar="配置文件", help="检查配置（TOML）：启用、停用规则，调整严重程度")
    parser.add_argument("--doc-type", metavar="文种", help="文种，如 通知、请示、报告（用于行文规则）")
    parser.add_argument(
        "--attachment",
        action="append",
        default=[],
        metavar="附件标题",
        help="随文附件的标题，可多次给出（用于核对附件说明）",
    )
    parser.add_argument("--list-rules", action="store_true", help="列出全部规则及其严重程度后退出")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "python -m zhongshu.proofread",
    stdin: IO[bytes] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command with `argv` (without the program name); returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"] and not Path("check").is_file():
        args = args[1:]  # `python -m zhongshu.proofread check FILE` reads like `zhongshu check FILE`
    parser = build_parser(prog)
    try:
        options = parser.parse_args(args)
    except _UsageError as exc:
        print(f"参数错误：{_one_line(str(exc))}（用法见 {prog} --help）", file=err)
        return UNREADABLE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if options.list_rules:
        return _list_rules(out)
    if not options.files:
        print(f"参数错误：请给出要检查的文件，或用“-”表示标准输入（用法见 {prog} --help）", file=err)
        return UNREADABLE
    if options.doc_type is not None and options.doc_type not in DOC_TYPES:
        print(f"参数错误：文种“{options.doc_type}”不是法定文种，可选：{'、'.join(DOC_TYPES)}", file=err)
        return UNREADABLE
    profile = Profile.default()
    if options.profile:
        try:
            profile = _load_profile(options.profile, err)
        except ValueError as exc:
            print(_one_line(str(exc)), file=err)
            return UNREADABLE
    try:
        return run(
            options.files,
            profile=profile,
            doc_type=options.doc_type,
            attachments=options.attachment,
            as_json=options.json,
            stdin=stdin,
            stdout=out,
            stderr=err,
        )
    except KeyboardInterrupt:
        print("已中断。", file=err)
        return INTERRUPTED


def run(
    files: Sequence[str],
    *,
    profile: Profile | None = None,
    doc_type: str | None = None,
    attachments: Sequence[str] = (),
    as_json: bool = False,
    stdin: IO[bytes] | None = None,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Check each file in turn and print its findings; the exit code of the whole run."""
    code = OK
    counts = dict.fromkeys(Severity, 0)
    checked = failed = 0
    out = _Lines(stdout)
    # Outside an installation there is no pinned clock: the machine's date decides
    # which 规范表述 are in force.
    today = dt.datetime.now().astimezone().date()
    for name in files:
        try:
            document = _read(name, doc_type=doc_type, attachments=list(attachments), stdin=stdin)
        except DocumentReadError as exc:
            print(_one_line(exc.message), file=stderr)
            code = max(code, UNREADABLE)
            failed += 1
            continue
        try:
            findings = check_document(document, profile=profile, today=today)
        except Exception as exc:  # a rule's bug must not hide the other files' findings
            print(
                f"检查 {name} 时出错（内部错误，请报告）：{exc.__class__.__name__}: {_one_line(str(exc))}",
                file=stderr,
            )
            code = max(code, INTERNAL_ERROR)
            failed += 1
            continue
        if name != "-" and is_markdown(name):
            markup = MarkdownMarkup(document.text)
            findings = [f for f in findings if not markup.touches(f.start, f.end)]
        checked += 1
        if as_json:
            out.write(json.dumps([finding_json(name, document, f) for f in findings], ensure_ascii=False))
        else:
            for finding in findings:
                out.write(format_finding(name, document, finding))
        for finding in findings:
            counts[finding.severity] += 1
            if finding.severity == Severity.ERROR:
                code = max(code, FOUND_ERRORS)
    if not as_json:
        print(_summary(checked, failed, counts), file=stderr)
    out.flush()
    return code


class _Lines:
    """Lines to standard output that stop quietly when the reader goes away (`zhongshu check … | head`);
    the checking goes on, so that the exit code still tells whether there were errors."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.open = True

    def write(self, line: str) -> None:
        if self.open:
            try:
                self.stream.write(line + "\n")
            except BrokenPipeError:
                self._close()

    def flush(self) -> None:
        if self.open:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._close()

    def _close(self) -> None:
        self.open = False
        if self.stream is sys.stdout:  # keep the interpreter from complaining when it flushes at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


def format_finding(name: str, document: Document, finding: Finding) -> str:
    """`文件:行:列 [严重程度] 规则 说明 → 建议` (the arrow only when there is a suggestion)."""
    line, column = document.line_column(finding.start)
    label = SEVERITY_LABELS[finding.severity]
    text = f"{name}:{line}:{column} [{label}] {finding.rule} {_one_line(finding.message)}"
    if finding.suggestion is not None:
        text += f" → {finding.suggestion}" if finding.suggestion else f" → 删除“{_span(document, finding)}”"
    return text


def finding_json(name: str, document: Document, finding: Finding) -> dict[str, Any]:
    """One finding as the command's JSON object (keys: JSON_KEYS; line and column are 1-based)."""
    line, column = document.line_column(finding.start)
    return {
        "file": name,
        "start": finding.start,
        "end": finding.end,
        "line": line,
        "column": column,
        "rule": finding.rule,
        "category": str(finding.category),
        "severity": str(finding.severity),
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


def is_proofread_check(args: Sequence[str]) -> bool:
    """Whether `zhongshu check ARGS…` asks for the proofreader rather than Django's system checks.

    The proofreader's when an argument is "-", a proofreader option, an existing file or a name ending in
    .txt/.md/.docx; Django's when there is no argument, one of the system check's options, or only app labels.
    """
    if not args:
        return False
    names = [arg.split("=", 1)[0] for arg in args]
    if any(name in _DJANGO_CHECK_OPTIONS for name in names):
        return False
    for arg, name in zip(args, names, strict=True):
        if arg == "-" or name in _PROOFREAD_OPTIONS:
            return True
        if not arg.startswith("-") and (Path(arg).suffix.lower() in _CHECKABLE_SUFFIXES or Path(arg).is_file()):
            return True
    return False


def _read(name: str, *, doc_type: str | None, attachments: list[str], stdin: IO[bytes] | None) -> Document:
    if name != "-":
        return load(name, doc_type=doc_type, attachments=attachments)
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read()
    except OSError as exc:
        raise DocumentReadError("-", f"无法读取标准输入（{exc}）") from None
    return load_bytes(data, name="-", doc_type=doc_type, attachments=attachments)


def _load_profile(path: str, err: IO[str]) -> Profile:
    """The profile at `path`; ValueError with one Chinese line when it cannot be used."""
    try:
        profile = Profile.load(path)
    except FileNotFoundError:
        raise ValueError(f"无法读取配置文件 {path}：文件不存在") from None
    except IsADirectoryError:
        raise ValueError(f"无法读取配置文件 {path}：这是一个目录，不是文件") from None
    except OSError as exc:
        raise ValueError(f"无法读取配置文件 {path}：{exc.strerror or exc}") from None
    except ValueError as exc:  # TOML syntax (tomllib.TOMLDecodeError), encoding, bad severity
        message = str(exc)
        if not message.startswith("配置文件"):
            message = f"配置文件 {path} 格式错误：{message}"
        raise ValueError(message) from None
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"配置文件 {path} 格式错误：{exc}") from None
    for name, dictionary in sorted(profile.dictionary_paths.items()):
        if not dictionary.is_file():
            raise ValueError(f"配置文件 {path} 中的词典“{name}”不存在：{dictionary}")
    # The rules read their dictionaries from `dictionaries`; a TOML profile only names their files.
    profile = replace(profile, dictionaries={**profile.dictionary_paths, **profile.dictionaries})
    known = rules()
    named = profile.disabled | profile.enabled | set(profile.severity)
    for rule_id in sorted(named - set(known)):
        print(f"注意：配置文件 {path} 中的规则编号“{rule_id}”不存在，已忽略", file=err)
    return profile


def _list_rules(out: IO[str]) -> int:
    for rule in sorted(rules().values(), key=lambda r: _rule_sort_key(r.id)):
        state = "" if rule.enabled_by_default else "（默认不启用）"
        label = SEVERITY_LABELS[rule.severity]
        print(f"{rule.id}\t[{label}]\t{rule.category}\t{rule.title}{state}", file=out)
    return OK


def _rule_sort_key(rule_id: str) -> tuple[str, int, str]:
    family, _, number = rule_id.partition("-")
    return (family, int(number) if number.isdigit() else 0, number)


def _summary(checked: int, failed: int, counts: dict[Severity, int]) -> str:
    text = f"共检查 {checked} 个文件"
    if failed:
        text += f"（{failed} 个文件未能检查）"
    if not checked:
        return text + "。"
    if not any(counts.values()):
        return text + "，未发现问题。"
    parts = "、".join(f"{SEVERITY_LABELS[s]} {counts[s]} 处" for s in Severity if counts[s])
    return f"{text}，发现{parts}。"


def _span(document: Document, finding: Finding) -> str:
    return document.text[finding.start : finding.end]


def _one_line(text: str) -> str:
    return " ".join(text.split())
