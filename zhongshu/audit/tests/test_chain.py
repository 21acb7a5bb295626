"""The canonical form and digest of chain.py (pure: no database)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhongshu.audit import chain

BASE: dict[str, Any] = {
    "seq": 7,
    "occurred_at": dt.datetime(2026, 9, 30, 9, 15, 0, 123456, tzinfo=dt.UTC),
    "actor_id": 3,
    "actor_name": "张三",
    "on_behalf_of_id": None,
    "on_behalf_of_name": "",
    "verb": "org.unit.renamed",
    "target_type": "org.unit",
    "target_id": "5",
    "target_repr": "示范区教育委员会",
    "changes": {"full_name": ["示范区教育局", "示范区教育委员会"]},
    "data": {"note": "机构改革"},
    "client_address": "10.1.2.3",
}


def test_digest_is_stable_sha256_hex():
    # given the same fields twice / when hashed / then the same 64-hex digest
    assert chain.digest(BASE, chain.GENESIS) == chain.digest(dict(BASE), chain.GENESIS)
    assert len(chain.digest(BASE, chain.GENESIS)) == 64


@pytest.mark.parametrize("name", chain.HASHED_FIELDS)
def test_digest_changes_when_any_hashed_field_changes(name):
    changed = dict(BASE)
    changed[name] = {
        "seq": 8,
        "occurred_at": BASE["occurred_at"] + dt.timedelta(microseconds=1),
        "actor_id": 4,
        "actor_name": "李四",
        "on_behalf_of_id": 9,
        "on_behalf_of_name": "王五",
        "verb": "org.unit.created",
        "target_type": "org.person",
        "target_id": "6",
        "target_repr": "示范区教育局",
        "changes": {"full_name": ["示范区教育局", "示范区教委"]},
        "data": {"note": "机构改革。"},
        "client_address": "10.1.2.4",
    }[name]
    assert chain.digest(changed, chain.GENESIS) != chain.digest(BASE, chain.GENESIS)


def test_digest_depends_on_previous_hash():
    assert chain.digest(BASE, chain.GENESIS) != chain.digest(BASE, "f" * 64)


def test_json_key_order_does_not_matter():
    # jsonb gives keys back in its own order
    a = dict(BASE, data={"b": 1, "a": {"y": 2, "x": 3}})
    b = dict(BASE, data={"a": {"x": 3, "y": 2}, "b": 1})
    assert chain.digest(a, chain.GENESIS) == chain.digest(b, chain.GENESIS)


def test_same_instant_in_another_time_zone_hashes_the_same():
    local = BASE["occurred_at"].astimezone(ZoneInfo("Asia/Shanghai"))
    assert chain.digest(dict(BASE, occurred_at=local), chain.GENESIS) == chain.digest(BASE, chain.GENESIS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, 1),
        (1e20, 100000000000000000000),
        (-0.0, 0),
        (0.1, 0.1),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        ("a\x00b", "ab"),
        ("\ud800x", "?x"),
        (decimal.Decimal("12.50"), "12.50"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (dt.date(2026, 10, 1), "2026-10-01"),
        ((1, 2), [1, 2]),
        ({1: "a", None: "b"}, {"1": "a", "null": "b"}),
        (True, True),
    ],
)
def test_jsonable_gives_the_value_a_json_column_returns(value, expected):
    assert chain.jsonable(value) == expected
    assert chain.jsonable(chain.jsonable(value)) == chain.jsonable(value)  # idempotent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.3"),
        ("::ffff:a01:203", "::ffff:10.1.2.3"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("10.1.2.3/32", "10.1.2.3"),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_client_address_is_normalised(raw, expected):
    assert chain.normalize_address(raw) == expected


def test_address_forms_of_one_ip_hash_the_same():
    # PostgreSQL's inet prints ::1.2.3.4 where Python prints ::102:304
    a = dict(BASE, client_address="::1.2.3.4")
    b = dict(BASE, client_address="::102:304")
    assert chain.digest(a, chain.GENESIS) == chain.digest(b, chain.GENESIS)
