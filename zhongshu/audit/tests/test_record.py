"""Appending events: gapless seq, hash chain, canonical values that survive the database round trip."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import time_machine
from django.db import transaction

from zhongshu import audit as audit_package
from zhongshu.audit import chain, selectors, timelines, verbs
from zhongshu.audit import services as audit
from zhongshu.audit.models import ChainHead, Event
from zhongshu.core.middleware import _client_address
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def stored_fields(event: Event) -> dict:
    return {name: getattr(event, name) for name in chain.HASHED_FIELDS}


def test_events_get_consecutive_seq_and_link_to_the_previous_hash(unit):
    # given an empty trail / when three events are recorded
    events = [audit.record(actor=None, verb="org.unit.touched", target=unit) for _ in range(3)]
    # then seq runs 1, 2, 3 and each event points at the previous one's hash
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == chain.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)


@pytest.mark.parametrize(
    ("changes", "data"),
    [
        ({"full_name": ["甲", "乙"]}, {"z": 1, "a": {"y": [1, 2.5, None], "b": True}}),
        ({"score": [1.0, 1e20]}, {"big": 2**70, "small": 5e-324, "neg": -0.0}),
        ({"note": ["", "含\x00空字符"]}, {"decimal": decimal.Decimal("3.14"), "date": dt.date(2026, 10, 1)}),
        ({}, {"when": dt.datetime(2026, 9, 30, 17, 30, 0, 999999, tzinfo=dt.UTC), "set": {3}}),
        ({"emoji": ["🙂", "“引号”、《书名》"]}, {"nested": {"k2": {"k1": "v"}, "k1": []}}),
    ],
)
@pytest.mark.parametrize("address", [None, "10.1.2.3", "::ffff:10.1.2.3", "2001:DB8:0:0::1", "::1.2.3.4"])
def test_hash_recomputed_from_the_stored_row_equals_the_stored_hash(unit, make_person, changes, data, address):
    # given an event with awkward values (floats, key order, NUL, times, IPv6 forms)
    actor = make_person(Role.ADMIN)
    token = _client_address.set(address)
    try:
        recorded = audit.record(actor=actor, verb="org.unit.updated", target=unit, changes=changes, data=data)
    finally:
        _client_address.reset(token)
    # when the row is read back from the database
    stored = Event.objects.get(pk=recorded.pk)
    # then its hash recomputes to the stored one, and the chain verifies
    assert chain.digest(stored_fields(stored), stored.prev_hash) == stored.hash == recorded.hash
    assert selectors.verify().ok


def test_record_keeps_actor_principal_target_and_time(unit, make_person):
    # given a secretary acting for a leader at a pinned moment
    secretary = make_person(Role.SECRETARY, name="秘书甲")
    leader = make_person(Role.LEADER, name="区长乙")
    with time_machine.travel(dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC), tick=False):
        event = audit.record(actor=secretary, on_behalf_of=leader, verb="org.unit.renamed", target=unit)
    # then the event says who, for whom, what and when
    event = Event.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_name) == (secretary.pk, "秘书甲")
    assert (event.on_behalf_of_id, event.on_behalf_of_name) == (leader.pk, "区长乙")
    assert event.actor_display == "秘书甲 代 区长乙"
    assert (event.target_type, event.target_id) == ("org.unit", str(unit.pk))
    assert event.target_repr == "示范区教育委员会"
    assert event.occurred_at == dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)


def test_system_event_is_shown_as_system(unit):
    event = audit.record(actor=None, verb="jobs.calendar.checked", target=unit)
    assert event.actor_display == "系统"
    assert event.actor_id is None


def test_acting_for_oneself_is_not_recorded_as_on_behalf(unit, make_person):
    person = make_person(Role.ADMIN, name="管理员")
    event = audit.record(actor=person, on_behalf_of=person, verb="org.unit.renamed", target=unit)
    assert event.on_behalf_of_id is None
    assert event.actor_display == "管理员"


@pytest.mark.parametrize(
    ("address", "stored"),
    [("10.1.2.3", "10.1.2.3"), ("2001:DB8:0:0::1", "2001:db8::1"), ("unknown", None), (None, None)],
)
def test_client_address_of_the_request_is_recorded_normalised(unit, address, stored):
    token = _client_address.set(address)
    try:
        event = audit.record(actor=None, verb="org.unit.touched", target=unit)
    finally:
        _client_address.reset(token)
    assert Event.objects.get(pk=event.pk).client_address == stored


@pytest.mark.parametrize(
    "verb",
    ["created", "org.created", "Org.Unit.Created", "org.unit.", "org unit created", "org.unit." + "x" * 80],
)
def test_malformed_verb_is_refused_and_nothing_written(unit, verb):
    with pytest.raises(ValueError, match="past_verb"):
        audit.record(actor=None, verb=verb, target=unit)
    assert Event.objects.count() == 0


def test_unsaved_target_is_refused():
    with pytest.raises(ValueError, match="saved target"):
        audit.record(actor=None, verb="org.unit.created", target=UnitFactory.build())
    assert Event.objects.count() == 0


def test_changes_must_be_before_after_pairs(unit):
    with pytest.raises(ValueError, match="before, after"):
        audit.record(actor=None, verb="org.unit.renamed", target=unit, changes={"full_name": "乙"})
    assert Event.objects.count() == 0


def test_rolled_back_change_leaves_no_event_and_no_gap(unit):
    # given one event
    audit.record(actor=None, verb="org.unit.touched", target=unit)

    # when a service's transaction records an event and then fails
    def failing_service():
        with transaction.atomic():
            audit.record(actor=None, verb="org.unit.touched", target=unit)
            raise RuntimeError("业务失败")

    with pytest.raises(RuntimeError):
        failing_service()
    # then the next event still gets seq 2
    assert audit.record(actor=None, verb="org.unit.touched", target=unit).seq == 2
    assert selectors.verify().ok


def test_missing_chain_head_with_events_refuses_to_append(unit):
    audit.record(actor=None, verb="org.unit.touched", target=unit)
    ChainHead.objects.all().delete()

    def service():  # a service's transaction: the refusal rolls it back as a whole
        with transaction.atomic():
            audit.record(actor=None, verb="org.unit.touched", target=unit)

    with pytest.raises(audit_package.services.AppendOnlyError, match="链头缺失"):
        service()
    assert Event.objects.count() == 1
    assert not ChainHead.objects.exists()


def test_snapshot_and_diff_give_changed_fields_with_fk_ids():
    parent = UnitFactory.create()
    unit = UnitFactory.create(full_name="示范区教育局", parent=None)
    before = audit.snapshot(unit, ["full_name", "parent", "active"])
    unit.full_name, unit.parent, unit.active = "示范区教育委员会", parent, False
    after = audit.snapshot(unit, ["full_name", "parent", "active"])
    assert before == {"full_name": "示范区教育局", "parent": None, "active": True}
    assert audit.diff(before, after) == {
        "full_name": ["示范区教育局", "示范区教育委员会"],
        "parent": [None, parent.pk],
        "active": [True, False],
    }
    assert audit.diff(after, after) == {}


def test_package_exposes_record_and_registries():
    # other apps may write `from zhongshu import audit` or `from zhongshu.audit import services as audit`
    assert audit_package.record is audit.record
    assert audit_package.timelines is timelines is audit.timelines
    assert audit_package.verbs is verbs is audit.verbs
