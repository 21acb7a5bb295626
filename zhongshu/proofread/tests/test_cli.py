"""The command: output lines and JSON, exit codes 0/1/2/3, standard input, DOCX, profiles, entry points."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from zhongshu.proofread import Category, Hit, Severity, cli, registry

ROOT = Path(__file__).resolve().parents[3]


def flag_test_marks(document, context):
    """错 is an error (fix 对), 疑 a warning without a fix, 赘 an error fixed by deleting it."""
    for index, char in enumerate(document.text):
        if char == "错":
            yield Hit(index, index + 1, "“错”应为“对”", suggestion="对")
        elif char == "疑":
            yield Hit(index, index + 1, "此处存疑,\n请核实", severity=Severity.WARNING)
        elif char == "赘":
            yield Hit(index, index + 1, "多余的字", suggestion="")


def report_context(document, context):
    if "报文种" in document.text:
        yield Hit(0, 1, f"文种:{document.doc_type};附件:{'、'.join(document.attachments)}")


def report_dictionary(document, context):
    if "查词典" in document.text:
        yield Hit(0, 1, f"词典:{Path(context.dictionaries['local']).name}")


def explode(document, context):
    if "崩" in document.text:
        raise RuntimeError("规则出错")
    return []


@pytest.fixture(autouse=True)
def test_rules(monkeypatch):
    """The command runs with these rules only, so that its tests do not depend on the real rule set."""
    table = {
        "T-01": registry.Rule("T-01", Category.CHARACTER, Severity.ERROR, "测试字", flag_test_marks),
        "T-02": registry.Rule("T-02", Category.FORMAT, Severity.INFO, "报告上下文", report_context),
        "T-03": registry.Rule("T-03", Category.STYLE, Severity.ERROR, "出错的规则", explode),
        "T-04": registry.Rule("T-04", Category.STYLE, Severity.INFO, "读词典", report_dictionary),
    }
    monkeypatch.setattr("zhongshu.proofread.engine.rules", lambda: dict(table))
    monkeypatch.setattr("zhongshu.proofread.cli.rules", lambda: dict(table))
    return table


def run(*argv, stdin: bytes = b""):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), prog="zhongshu check", stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def draft(tmp_path):
    def write(text: str, name: str = "草稿.txt") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# Text output and exit codes -----------------------------------------------------------------------------


def test_findings_print_as_file_line_column_severity_rule_message_and_suggestion(draft):
    path = draft("第一段\n这里有错字,疑问\n赘")

    code, out, err = run(str(path))

    assert out.splitlines() == [
        f"{path}:2:4 [错误] T-01 “错”应为“对” → 对",
        f"{path}:2:7 [警告] T-01 此处存疑, 请核实",
        f"{path}:3:1 [错误] T-01 多余的字 → 删除“赘”",
    ]
    assert code == 1
    assert err == "共检查 1 个文件，发现错误 2 处、警告 1 处。\n"


def test_no_error_level_finding_exits_zero(draft):
    code, out, err = run(str(draft("只有疑点")))

    assert (code, out) == (0, f"{draft('只有疑点')}:1:3 [警告] T-01 此处存疑, 请核实\n")


def test_clean_text_prints_nothing_and_exits_zero(draft):
    code, out, err = run(str(draft("关于做好防汛工作的通知")))

    assert (code, out, err) == (0, "", "共检查 1 个文件，未发现问题。\n")


def test_an_unreadable_file_exits_two_and_the_other_files_are_still_checked(draft, tmp_path):
    good = draft("有错")
    missing = tmp_path / "不存在.txt"

    code, out, err = run(str(missing), str(good))

    assert code == 2
    assert out == f"{good}:1:2 [错误] T-01 “错”应为“对” → 对\n"
    assert err.splitlines() == [
        f"无法读取 {missing}：文件不存在",
        "共检查 1 个文件（1 个文件未能检查），发现错误 1 处。",
    ]
    assert "Traceback" not in err


def test_a_corrupt_docx_is_reported_in_one_line(tmp_path):
    path = tmp_path / "损坏.docx"
    path.write_bytes(b"not a zip")

    code, out, err = run(str(path))

    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"无法读取 {path}：文件已损坏或不是有效的 DOCX 文件"


def test_a_failing_rule_exits_three_without_a_traceback_and_other_files_are_checked(draft):
    broken, good = draft("崩", "甲.txt"), draft("错", "乙.txt")

    code, out, err = run(str(broken), str(good))

    assert code == 3
    assert out == f"{good}:1:1 [错误] T-01 “错”应为“对” → 对\n"
    assert err.splitlines()[0] == f"检查 {broken} 时出错（内部错误，请报告）：RuntimeError: 规则出错"


def test_a_reader_that_goes_away_stops_the_output_but_not_the_exit_code(draft):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError

    first, second = draft("疑", "一.txt"), draft("错", "二.txt")
    err = io.StringIO()

    code = cli.main([str(first), str(second)], stdout=ClosedPipe(), stderr=err)

    assert code == 1
    assert err.getvalue() == "共检查 2 个文件，发现错误 1 处、警告 1 处。\n"


# Standard input, DOCX, JSON -----------------------------------------------------------------------------


def test_dash_reads_standard_input_in_utf8_or_gb18030():
    assert run("-", stdin="对错".encode())[:2] == (1, "-:1:2 [错误] T-01 “错”应为“对” → 对\n")
    assert run("-", stdin="对错".encode("gb18030"))[:2] == (1, "-:1:2 [错误] T-01 “错”应为“对” → 对\n")


def test_check_word_before_the_files_is_accepted(draft):
    path = draft("错")

    assert run("check", str(path))[:2] == (1, f"{path}:1:1 [错误] T-01 “错”应为“对” → 对\n")


def test_docx_findings_are_located_by_paragraph(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于做好防汛工作的通知")
    document.add_paragraph("各镇人民政府:请做好错峰")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "疑"
    path = tmp_path / "通知.docx"
    document.save(str(path))

    code, out, err = run(str(path))

    assert out.splitlines() == [
        f"{path}:2:11 [错误] T-01 “错”应为“对” → 对",
        f"{path}:3:1 [警告] T-01 此处存疑, 请核实",
    ]


def test_json_prints_one_array_of_findings_per_file(draft):
    first, second, third = draft("错\n疑", "一.txt"), draft("无误", "二.txt"), draft("赘", "三.txt")

    code, out, err = run("--json", str(first), str(second), str(third))

    arrays = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert err == ""
    assert arrays == [
        [
            {
                "file": str(first),
                "start": 0,
                "end": 1,
                "line": 1,
                "column": 1,
                "rule": "T-01",
                "category": "文字",
                "severity": "error",
                "message": "“错”应为“对”",
                "suggestion": "对",
            },
            {
                "file": str(first),
                "start": 2,
                "end": 3,
                "line": 2,
                "column": 1,
                "rule": "T-01",
                "category": "文字",
                "severity": "warning",
                "message": "此处存疑,\n请核实",
                "suggestion": None,
            },
        ],
        [],
        [{**arrays[2][0], "file": str(third), "message": "多余的字", "suggestion": ""}],
    ]
    assert list(arrays[2][0]) == list(cli.JSON_KEYS)


def test_json_from_standard_input_names_the_file_dash():
    code, out, err = run("--json", "-", stdin="错".encode())

    assert [finding["file"] for finding in json.loads(out)] == ["-"]


# Options ------------------------------------------------------------------------------------------------


def test_doc_type_and_attachments_reach_the_rules(draft):
    path = draft("报文种")

    options = ("--doc-type", "请示", "--attachment", "资金测算表", "--attachment", "名单")

    code, out, err = run(*options, str(path))

    assert out == f"{path}:1:1 [提示] T-02 文种:请示;附件:资金测算表、名单\n"
    assert code == 0


def test_an_unknown_doc_type_is_refused_with_the_legal_list(draft):
    code, out, err = run("--doc-type", "总结", str(draft("错")))

    assert code == 2
    assert out == ""
    assert err.startswith("参数错误：文种“总结”不是法定文种，可选：决议、决定、命令")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "参数错误：请给出要检查的文件，或用“-”表示标准输入（用法见 zhongshu check --help）\n"),
        (("--bogus", "a.txt"), "参数错误：无法识别的参数：--bogus（用法见 zhongshu check --help）\n"),
        (("--profile",), "参数错误：参数 --profile: 需要一个值（用法见 zhongshu check --help）\n"),
    ],
)
def test_bad_arguments_exit_two_with_one_chinese_line(argv, message):
    assert run(*argv) == (2, "", message)


def test_help_exits_zero(capsys):
    assert cli.main(["--help"], prog="zhongshu check") == 0
    assert "退出码" in capsys.readouterr().out


def test_list_rules_names_each_rule_with_its_severity():
    code, out, err = run("--list-rules")

    assert code == 0
    assert out.splitlines() == [
        "T-01\t[错误]\t文字\t测试字",
        "T-02\t[提示]\t格式\t报告上下文",
        "T-03\t[错误]\t行文\t出错的规则",
        "T-04\t[提示]\t行文\t读词典",
    ]


def test_profile_can_disable_a_rule_or_soften_it(draft, tmp_path):
    path = draft("错")
    off = tmp_path / "off.toml"
    off.write_text('disable = ["T-01"]\n', encoding="utf-8")
    soft = tmp_path / "soft.toml"
    soft.write_text('[severity]\n"T-01" = "warning"\n', encoding="utf-8")

    assert run("--profile", str(off), str(path))[:2] == (0, "")
    assert run("--profile", str(soft), str(path))[:2] == (0, f"{path}:1:1 [警告] T-01 “错”应为“对” → 对\n")


def test_profile_dictionaries_reach_the_rules_relative_to_the_profile(draft, tmp_path):
    (tmp_path / "dict").mkdir()
    (tmp_path / "dict" / "本地词表.csv").write_text("wrong,correct\n", encoding="utf-8")
    profile = tmp_path / "本办.toml"
    profile.write_text('[dictionaries]\nlocal = "dict/本地词表.csv"\n', encoding="utf-8")
    path = draft("查词典")

    code, out, err = run("--profile", str(profile), str(path))

    assert (code, out) == (0, f"{path}:1:1 [提示] T-04 词典:本地词表.csv\n")


def test_profile_naming_a_missing_dictionary_exits_two(draft, tmp_path):
    profile = tmp_path / "本办.toml"
    profile.write_text('[dictionaries]\nlocal = "没有.csv"\n', encoding="utf-8")

    code, out, err = run("--profile", str(profile), str(draft("错")))

    assert (code, out) == (2, "")
    assert err == f"配置文件 {profile} 中的词典“local”不存在：{tmp_path / '没有.csv'}\n"


def test_profile_naming_an_unknown_rule_warns_and_goes_on(draft, tmp_path):
    profile = tmp_path / "typo.toml"
    profile.write_text('disable = ["T-1"]\n', encoding="utf-8")

    code, out, err = run("--profile", str(profile), str(draft("错")))

    assert code == 1
    assert err.splitlines()[0] == f"注意：配置文件 {profile} 中的规则编号“T-1”不存在，已忽略"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "无法读取配置文件 {path}：文件不存在"),
        ("disable = [", "配置文件 {path} 格式错误："),
        ('[severity]\n"T-01" = "fatal"\n', "配置文件 {path} 的严重程度无效"),
    ],
)
def test_an_unusable_profile_exits_two_before_checking(draft, tmp_path, content, message):
    path = tmp_path / "本办.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    code, out, err = run("--profile", str(path), str(draft("错")))

    assert (code, out) == (2, "")
    assert err.startswith(message.format(path=path))
    assert len(err.splitlines()) == 1


# Which `zhongshu check` is meant ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "proofread"),
    [
        ([], False),
        (["--deploy"], False),
        (["--tag", "security"], False),
        (["--fail-level=WARNING"], False),
        (["org", "audit"], False),
        (["--list-tags"], False),
        (["-"], True),
        (["通知.docx"], True),
        (["不存在的报告.txt"], True),
        (["简报.MD"], True),
        (["--json", "x"], True),
        (["--profile=本办.toml", "x"], True),
        (["--doc-type", "请示", "x"], True),
        (["--list-rules"], True),
        (["--deploy", "a.txt"], False),
    ],
)
def test_zhongshu_check_dispatches_to_the_proofreader_only_for_its_own_arguments(args, proofread):
    assert cli.is_proofread_check(args) is proofread


def test_an_existing_file_without_a_known_suffix_is_proofread(draft):
    assert cli.is_proofread_check([str(draft("正文", "README"))])


# Entry points -------------------------------------------------------------------------------------------


def test_python_dash_m_runs_the_command_in_a_fresh_process(tmp_path):
    missing = tmp_path / "没有.txt"

    result = subprocess.run(  # noqa: S603 — our own module, in a fresh interpreter
        [sys.executable, "-m", "zhongshu.proofread", str(missing)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == f"无法读取 {missing}：文件不存在"


def test_management_command_behaves_like_the_command_line(draft):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from zhongshu.proofread.management.commands.proofread import Command

    path = draft("错")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["zhongshu", "proofread", str(path), "--json", "--doc-type", "通知"])
    assert exited.value.code == 1

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(Command(), str(path), json=True, doc_type="通知", stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert [f["rule"] for f in json.loads(out.getvalue())] == ["T-01"]


def test_the_real_rule_set_prints_well_formed_lines(monkeypatch, tmp_path):
    monkeypatch.undo()
    path = tmp_path / "通知.txt"
    path.write_text(
        "关于做好2026年汛期安全生产工作的通知\n各镇人民政府,各街道办事处:\n"
        "为切实做好汛期安全生产工作,现将有关事项通知如下.\n一、加强隐患排查。截止6月30日,共排查隐患1,200处。\n",
        encoding="utf-8",
    )
    line = re.compile(rf"^{re.escape(str(path))}:\d+:\d+ \[(错误|警告|提示)\] [A-Z][A-Z0-9]*(-\d+)? \S.*$")

    code, out, err = run(str(path))

    assert code in (0, 1)
    assert out
    assert all(line.match(text) for text in out.splitlines()), out


# Markdown -----------------------------------------------------------------------------------------------

MARKDOWN = "# 标题错\n正文有错。`代码错`\n```\n错\n```\n| 甲 | 错 |\n|---|---|\n"


def test_in_markdown_files_findings_in_code_and_markup_are_left_out(draft):
    path = draft(MARKDOWN, "说明.md")

    code, out, err = run(str(path))

    assert [line.split(" ")[0] for line in out.splitlines()] == [f"{path}:1:5", f"{path}:2:4", f"{path}:6:7"]


def test_the_same_text_in_a_txt_file_is_checked_whole(draft):
    code, out, err = run(str(draft(MARKDOWN, "说明.txt")))

    assert len(out.splitlines()) == 5
