"""verify() detects every kind of tampering done behind the application's back with raw SQL, on SQLite and
PostgreSQL alike, and names the first bad event."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection

from zhongshu.audit import chain, selectors
from zhongshu.audit.models import ChainHead, Event
from zhongshu.audit.selectors import Reason

from .conftest import raw_sql

pytestmark = pytest.mark.django_db


_INSERT = (
    "INSERT INTO audit_event (seq, occurred_at, actor_id, actor_name, on_behalf_of_id, on_behalf_of_name, "
    "verb, target_type, target_id, target_repr, changes, data, client_address, prev_hash, hash) VALUES "
)
_VALUES = {
    "postgresql": "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s)",
    "sqlite": "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
}


def _row(seq: int) -> dict:
    event = Event.objects.get(seq=seq)
    return {name: getattr(event, name) for name in (*chain.HASHED_FIELDS, "prev_hash", "hash")}


def _insert(fields: dict, prev_hash: str, event_hash: str) -> None:
    """INSERT an event row directly, as a forger with database access would."""
    ops = connection.ops
    raw_sql(
        _INSERT + _VALUES[connection.vendor],
        [
            fields["seq"],
            ops.adapt_datetimefield_value(fields["occurred_at"]),
            fields["actor_id"],
            fields["actor_name"],
            fields["on_behalf_of_id"],
            fields["on_behalf_of_name"],
            fields["verb"],
            fields["target_type"],
            fields["target_id"],
            fields["target_repr"],
            json.dumps(fields["changes"]),
            json.dumps(fields["data"]),
            ops.adapt_ipaddressfield_value(fields["client_address"]),
            prev_hash,
            event_hash,
        ],
    )


def _shift_seqs_from(seq: int, by: int) -> None:
    """Renumber events from `seq` on (two steps, so that the unique index never clashes)."""
    raw_sql("UPDATE audit_event SET seq = seq + 1000000 WHERE seq >= %s", [seq])
    raw_sql("UPDATE audit_event SET seq = seq - 1000000 + %s WHERE seq >= 1000000", [by])


def _swap(a: int, b: int) -> None:
    raw_sql("UPDATE audit_event SET seq = 999999 WHERE seq = %s", [a])
    raw_sql("UPDATE audit_event SET seq = %s WHERE seq = %s", [a, b])
    raw_sql("UPDATE audit_event SET seq = %s WHERE seq = 999999", [b])


def _forged(seq: int, prev_hash: str) -> dict:
    fields = _row(1)
    fields.update(seq=seq, verb="org.unit.deleted", data={"forged": True}, actor_name="伪造者")
    fields["hash"] = chain.digest(fields, prev_hash)
    return fields


def assert_bad(result, seq: int, reason: Reason, *fragments: str) -> None:
    assert (result.ok, result.bad_seq, result.reason) == (False, seq, reason), result.message
    assert result.message.startswith(f"第 {seq} 号事件：{reason}")
    for fragment in fragments:
        assert fragment in result.message


# Intact chains -----------------------------------------------------------------------------------------


def test_intact_chain_passes_with_count_and_tail_hash(chain_of):
    events = chain_of(10)
    result = selectors.verify()
    assert (result.ok, result.count, result.last_seq, result.last_hash) == (True, 10, 10, events[-1].hash)
    assert result.message == f"留痕完整：共 10 条事件，链尾哈希 {events[-1].hash[:12]}…"


def test_empty_trail_passes():
    result = selectors.verify()
    assert (result.ok, result.count) == (True, 0)
    assert result.message == "留痕完整：共 0 条事件。"


def test_verify_streams_the_table_in_chunks(chain_of, django_assert_num_queries):
    # given 10 events / when verified 3 at a time / then: the head, 4 chunks and the final empty read
    chain_of(10)
    with django_assert_num_queries(6):
        result = selectors.verify(chunk_size=3)
    assert (result.ok, result.count) == (True, 10)


def test_events_appended_while_verifying_are_not_mistaken_for_forgeries(chain_of, unit, monkeypatch):
    # given a head read before more events were appended
    chain_of(3)
    stale = (1, Event.objects.get(seq=1).hash)
    calls = iter([stale])
    real_head = selectors._head
    monkeypatch.setattr(selectors, "_head", lambda: next(calls, None) or real_head())
    # then the later events are checked against the re-read head
    result = selectors.verify(chunk_size=2)
    assert (result.ok, result.count) == (True, 3)


# Tampering ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "assignment",
    [
        "actor_name = '李四'",
        "verb = 'org.unit.deleted'",
        "target_id = '999'",
        "data = '{\"i\": 99}'",
        'changes = \'{"full_name": ["甲", "乙"]}\'',
        "client_address = '10.9.9.9'",
        "hash = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'",
    ],
)
def test_edited_field_is_detected_at_its_event(chain_of, assignment):
    chain_of(10)
    raw_sql(f"UPDATE audit_event SET {assignment} WHERE seq = 4")  # noqa: S608 — constant test SQL
    assert_bad(selectors.verify(), 4, Reason.MODIFIED)


def test_edited_time_is_detected(chain_of):
    chain_of(5)
    moved = connection.ops.adapt_datetimefield_value(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    raw_sql("UPDATE audit_event SET occurred_at = %s WHERE seq = 2", [moved])
    assert_bad(selectors.verify(), 2, Reason.MODIFIED)


def test_first_event_edit_is_detected(chain_of):
    chain_of(3)
    raw_sql("UPDATE audit_event SET actor_name = '李四' WHERE seq = 1")
    assert_bad(selectors.verify(), 1, Reason.MODIFIED)


def test_deleted_middle_event_is_detected(chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq = 4")
    result = selectors.verify()
    assert_bad(result, 4, Reason.MISSING)
    assert result.message == "第 4 号事件：序号缺失（记录被删除）"


def test_several_deleted_events_are_named_from_the_first(chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq IN (4, 5, 6)")
    assert_bad(selectors.verify(), 4, Reason.MISSING, "第 4 至 6 号事件均不存在")


def test_deleted_event_with_later_events_renumbered_is_detected(chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq = 4")
    _shift_seqs_from(5, -1)
    raw_sql("UPDATE audit_chainhead SET last_seq = 9")
    assert_bad(selectors.verify(), 4, Reason.MISSING, "重新编号")


def test_deleted_last_event_is_detected_against_the_chain_head(chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq = 10")
    assert_bad(selectors.verify(), 10, Reason.HEAD_MISMATCH, "末尾 1 条事件被删除")


def test_deleted_last_events_are_detected_against_the_chain_head(chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq >= 8")
    assert_bad(selectors.verify(), 8, Reason.HEAD_MISMATCH, "链头记录共 10 条事件", "末尾 3 条事件被删除")


def test_every_event_deleted_is_detected(chain_of):
    chain_of(3)
    raw_sql("DELETE FROM audit_event")
    assert_bad(selectors.verify(), 1, Reason.HEAD_MISMATCH)


def test_replaced_last_event_is_detected_against_the_chain_head(chain_of):
    chain_of(5)
    last = _row(5)
    raw_sql("DELETE FROM audit_event WHERE seq = 5")
    forged = _forged(5, last["prev_hash"])
    _insert(forged, last["prev_hash"], forged["hash"])
    assert_bad(selectors.verify(), 5, Reason.HEAD_MISMATCH, "被替换")


@pytest.mark.parametrize(("a", "b"), [(3, 7), (5, 6), (1, 2), (9, 10)])
def test_two_swapped_events_are_detected(chain_of, a, b):
    chain_of(10)
    _swap(a, b)
    assert_bad(selectors.verify(), a, Reason.REORDERED, f"第 {a} 号与第 {b} 号事件互换了位置")


def test_forged_event_appended_with_a_correct_hash_is_detected(chain_of):
    # given a forger who knows the algorithm and links a new event to the real tail
    events = chain_of(10)
    forged = _forged(11, events[-1].hash)
    _insert(forged, events[-1].hash, forged["hash"])
    # then the chain head (10 events) gives it away
    assert_bad(selectors.verify(), 11, Reason.HEAD_MISMATCH, "疑似伪造插入")


def test_forged_event_appended_with_a_made_up_hash_is_detected(chain_of):
    events = chain_of(10)
    _insert(_forged(11, events[-1].hash), events[-1].hash, "a" * 64)
    assert_bad(selectors.verify(), 11, Reason.HEAD_MISMATCH)


def test_forged_event_inserted_in_the_middle_with_a_correct_hash_is_detected(chain_of):
    # given a forger who renumbers events 5.. and inserts a well-formed event as 5
    chain_of(10)
    prev = _row(4)["hash"]
    _shift_seqs_from(5, 1)
    forged = _forged(5, prev)
    _insert(forged, prev, forged["hash"])
    raw_sql("UPDATE audit_chainhead SET last_seq = 11")
    assert_bad(selectors.verify(), 5, Reason.MODIFIED, "疑似伪造插入")


def test_forged_event_inserted_in_the_middle_with_a_made_up_hash_is_detected(chain_of):
    chain_of(10)
    prev = _row(4)["hash"]
    _shift_seqs_from(5, 1)
    _insert(_forged(5, prev), prev, "b" * 64)
    assert_bad(selectors.verify(), 5, Reason.MODIFIED, "不在原链上")


def test_replaced_event_with_recomputed_hash_is_detected(chain_of):
    # given event 4 rewritten and re-hashed in place
    chain_of(10)
    row = _row(4)
    row["actor_name"] = "李四"
    new_hash = chain.digest(row, row["prev_hash"])
    raw_sql("UPDATE audit_event SET actor_name = '李四', hash = %s WHERE seq = 4", [new_hash])
    # then event 5 no longer links to it
    assert_bad(selectors.verify(), 4, Reason.MODIFIED, "哈希被重新计算")


def test_chain_rewritten_to_the_end_is_caught_only_by_an_anchor_kept_outside(chain_of):
    # given the hash of event 6 written down before a forger rewrote events 3.. and the head
    chain_of(10)
    anchor = {6: _row(6)["hash"]}
    prev = _row(2)["hash"]
    for seq in range(3, 11):
        row = _row(seq)
        if seq == 3:
            row["actor_name"] = "李四"
        new_hash = chain.digest(row, prev)
        raw_sql(
            "UPDATE audit_event SET actor_name = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [row["actor_name"], prev, new_hash, seq],
        )
        prev = new_hash
    raw_sql("UPDATE audit_chainhead SET last_hash = %s", [prev])
    # then the chain alone looks intact, and the anchor exposes it
    assert selectors.verify().ok
    assert_bad(selectors.verify(anchors=anchor), 6, Reason.MODIFIED, "留存")


def test_anchor_beyond_the_table_is_reported_missing(chain_of):
    chain_of(3)
    assert_bad(selectors.verify(anchors={5: "c" * 64}), 5, Reason.MISSING)


def test_deleted_chain_head_is_detected(chain_of):
    chain_of(3)
    raw_sql("DELETE FROM audit_chainhead")
    assert_bad(selectors.verify(), 1, Reason.HEAD_MISMATCH, "链头记录缺失")


def test_forged_event_with_seq_zero_is_detected(chain_of):
    chain_of(3)
    _insert(_forged(0, chain.GENESIS), chain.GENESIS, "d" * 64)
    assert_bad(selectors.verify(), 0, Reason.MODIFIED)


def test_head_is_untouched_by_verification(chain_of):
    chain_of(3)
    before = ChainHead.objects.values_list("last_seq", "last_hash").get()
    selectors.verify()
    assert ChainHead.objects.values_list("last_seq", "last_hash").get() == before
