"""`zhongshu workdays …`: exact outputs, the provisional note, one-line errors with exit code 2."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhongshu.workdays import services

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_the_date_only():
    assert run("add", "2026-09-30", "5") == ("2026-10-13\n", "")


def test_add_into_provisional_year_notes_it_on_stderr():
    out, err = run("add", "2026-12-30", "3")
    assert out == "2027-01-05\n"
    assert err.count("\n") == 1
    assert "2027年" in err
    assert "暂定" in err


def test_between_prints_the_count():
    assert run("between", "2026-09-30", "2026-10-13") == ("5\n", "")


def test_is_describes_a_shifted_saturday():
    assert run("is", "2026-10-10") == ("2026-10-10 工作日（调休上班）\n", "")


def test_is_describes_a_provisional_in_lieu_day():
    out, err = run("is", "2027-02-09")
    assert out == "2027-02-09 休息日（补假：春节） [暂定]\n"
    assert "暂定" in err


def test_year_lists_holidays_and_marks_provisional():
    out, _ = run("year", "2027")
    lines = out.splitlines()
    assert lines[0] == "2027年节假日安排（暂定：按《全国年节及纪念日放假办法》推算，调休上班日无法预知）"
    assert "2027-02-05 星期五 法定节假日 春节 [暂定]" in lines
    assert "2027-02-09 星期二 补假 春节 [暂定]" in lines
    assert len(lines) == 20


def test_year_of_package_year_lists_make_up_workdays():
    out, err = run("year", "2026")
    assert "2026-10-10 星期六 调休上班 国庆节" in out.splitlines()
    assert err == ""


def test_command_sees_administrator_overrides(admin_person):
    services.day_set(actor=admin_person, date=dt.date(2026, 10, 8), workday=False, note="临时调整")
    assert run("add", "2026-09-30", "5") == ("2026-10-14\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-13-01", "3"), "日期“2026-13-01”不存在，请检查年月日"),
        (("add", "2026/09/30", "3"), "日期“2026/09/30”格式不对，应为 YYYY-MM-DD，例如 2026-09-30"),
        (("add", "2026-09-30", "五"), "工作日数“五”不是整数"),
        (("between", "2026-09-30", "x"), "日期“x”格式不对，应为 YYYY-MM-DD，例如 2026-09-30"),
        (("year", "3000"), "年度应在1901至2099之间"),
        (("add", "2099-12-30", "10"), "日期超出工作日历支持的范围（1901—2099年）：2100年"),
    ],
)
def test_bad_input_raises_a_chinese_error_with_code_2(args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert (str(caught.value), caught.value.returncode) == (message, 2)


# --- through the console script, on a fresh data directory (no tables) --------------------------------------


def zhongshu(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["ZHONGSHU_DATA_DIR"] = str(tmp_path)
    script = Path(sys.executable).parent / "zhongshu"
    return subprocess.run(  # noqa: S603 — our own console script with fixed arguments
        [str(script), "workdays", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_console_script_add(tmp_path):
    added = zhongshu(tmp_path, "add", "2026-09-30", "5")
    assert (added.returncode, added.stdout, added.stderr) == (0, "2026-10-13\n", "")


def test_console_script_notes_provisional_year_on_stderr(tmp_path):
    done = zhongshu(tmp_path, "add", "2026-12-30", "3")
    assert (done.returncode, done.stdout) == (0, "2027-01-05\n")
    assert done.stderr.startswith("注意：2027年的节假日安排尚未公布或录入")
    assert done.stderr.count("\n") == 1


def test_console_script_malformed_date_is_one_chinese_line_and_exit_2(tmp_path):
    done = zhongshu(tmp_path, "add", "2026-02-30", "3")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "日期“2026-02-30”不存在，请检查年月日\n"
