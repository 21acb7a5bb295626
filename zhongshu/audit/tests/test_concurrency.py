"""Concurrent appends from several threads (own connections, own transactions) on PostgreSQL produce one
gapless, valid chain: the chain head row lock serialises them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from zhongshu.audit import selectors
from zhongshu.audit import services as audit
from zhongshu.audit.models import ChainHead, Event
from zhongshu.org.tests.factories import UnitFactory

THREADS = 6
EVENTS_PER_THREAD = 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_gapless_valid_chain():
    # given a unit, and the chain head that a flushed test database may lack
    unit = UnitFactory.create()
    ChainHead.objects.get_or_create(pk=1)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EVENTS_PER_THREAD):
                with transaction.atomic():
                    audit.record(actor=None, verb="org.unit.touched", target=unit, data={"thread": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    # when several threads append at once
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every append succeeded, seq runs 1..N without gaps, and the chain verifies
    assert errors == []
    total = THREADS * EVENTS_PER_THREAD
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    result = selectors.verify(chunk_size=37)
    assert (result.ok, result.count) == (True, total), result.message
    assert ChainHead.objects.get(pk=1).last_seq == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_appends_on_an_empty_database_without_head_do_not_collide():
    # given no chain head at all (a flushed database) and threads racing to create it
    unit = UnitFactory.create()
    ChainHead.objects.all().delete()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                audit.record(actor=None, verb="org.unit.touched", target=unit)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert selectors.verify().count == 20
    assert connection.vendor == "postgresql"
