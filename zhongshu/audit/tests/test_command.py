"""`zhongshu audit verify`: exit 0 and a count when intact, exit 1 naming the first bad event."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .conftest import raw_sql

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code: object = 0
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_intact_trail_exits_0_with_count_and_tail_hash(chain_of):
    events = chain_of(12)
    code, out, err = run()
    assert (code, err) == (0, "")
    assert out == f"留痕完整：共 12 条事件，链尾哈希 {events[-1].hash[:12]}…\n"


def test_verbose_run_prints_the_full_tail_hash_to_keep(chain_of):
    events = chain_of(2)
    code, out, _ = run("-v", "2")
    assert code == 0
    assert out.splitlines()[1] == f"链尾：第 2 号事件，哈希 {events[-1].hash}"


def test_empty_trail_exits_0():
    assert run() == (0, "留痕完整：共 0 条事件。\n", "")


def test_tampered_trail_exits_1_naming_the_first_bad_event(chain_of):
    chain_of(60)
    raw_sql("UPDATE audit_event SET actor_name = '李四' WHERE seq = 57")
    code, out, err = run("--chunk-size", "7")
    assert (code, out) == (1, "")
    assert err.startswith("第 57 号事件：内容被修改(")


def test_deleted_event_exits_1(chain_of):
    chain_of(5)
    raw_sql("DELETE FROM audit_event WHERE seq = 2")
    assert run() == (1, "", "第 2 号事件：序号缺失（记录被删除）\n")


def test_anchor_that_no_longer_matches_exits_1(chain_of):
    events = chain_of(3)
    code, _, err = run("--anchor", f"2:{'0' * 63}1", "--anchor", f"3:{events[2].hash}")
    assert code == 1
    assert err.startswith("第 2 号事件：内容被修改")


def test_matching_anchor_passes(chain_of):
    events = chain_of(3)
    assert run("--anchor", f"2:{events[1].hash.upper()}")[0] == 0


@pytest.mark.parametrize("value", ["2", "x:abc", "2:xyz"])
def test_malformed_anchor_is_refused_in_chinese(value):
    with pytest.raises(CommandError, match="格式不正确"):
        run("--anchor", value)


def test_missing_subcommand_is_refused():
    with pytest.raises(CommandError):
        call_command("audit")
