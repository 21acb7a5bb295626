"""Events are append-only: no save, delete, update or bulk write gets past the model and its queryset."""

from __future__ import annotations

import pytest

from zhongshu.audit import services as audit
from zhongshu.audit.models import AppendOnlyError, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return audit.record(actor=None, verb="org.unit.touched", target=unit, data={"note": "原文"})


def _unchanged(event):
    assert Event.objects.count() == 1
    stored = Event.objects.get()
    assert (stored.verb, stored.data, stored.hash) == ("org.unit.touched", {"note": "原文"}, event.hash)


def test_saving_an_existing_event_is_refused(event):
    event.data = {"note": "改过"}
    with pytest.raises(AppendOnlyError, match="不能修改"):
        event.save()
    _unchanged(event)


def test_save_with_update_fields_is_refused(event):
    with pytest.raises(AppendOnlyError, match="不能修改"):
        event.save(update_fields=["data"])
    _unchanged(event)


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError, match="不能删除"):
        event.delete()
    _unchanged(event)


@pytest.mark.parametrize(
    "write",
    [
        lambda qs: qs.update(verb="org.unit.forged"),
        lambda qs: qs.filter(seq=1).update(data={}),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(seq=1).delete(),
        lambda qs: qs.bulk_update(list(qs), ["verb"]),
        lambda qs: qs.update_or_create(seq=1, defaults={"verb": "org.unit.forged"}),
    ],
    ids=["update", "filtered-update", "delete", "filtered-delete", "bulk-update", "update-or-create"],
)
def test_queryset_writes_are_refused(event, write):
    with pytest.raises(AppendOnlyError):
        write(Event.objects.all())
    _unchanged(event)


def test_events_cannot_be_created_outside_record(event):
    forged = dict(seq=2, occurred_at=event.occurred_at, verb="org.unit.forged", target_type="org.unit")
    with pytest.raises(AppendOnlyError, match="audit.record"):
        Event.objects.create(**forged, target_id="1", prev_hash=event.hash, hash="f" * 64)
    with pytest.raises(AppendOnlyError, match="audit.record"):
        Event.objects.bulk_create([Event(**forged, target_id="1", prev_hash=event.hash, hash="f" * 64)])
    _unchanged(event)
