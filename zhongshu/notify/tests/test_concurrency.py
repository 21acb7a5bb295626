"""Two workers at the same moment: one message per key, and each delivery sent by one worker only."""

from __future__ import annotations

import threading
import time

import pytest
from django.core import mail
from django.db import close_old_connections, connection, transaction

from zhongshu.notify import services
from zhongshu.notify.choices import DeliveryStatus
from zhongshu.notify.models import Delivery, Message

from .conftest import NOW


def run_together(*work):
    """Run each callable in its own thread and database connection, released together."""
    start = threading.Barrier(len(work))
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def runner(index, func):
        try:
            start.wait()
            results[index] = func()
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return [results[i] for i in range(len(work))]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_key_at_once_write_one_message(liaison, email_on):
    def worker():
        with transaction.atomic():
            message = services.send(recipient=liaison, kind="test.reminder", title="到期提醒", dedupe_key="item-1:due")
            time.sleep(0.3)  # hold the row while the other worker tries the same key
            return message is not None

    created = run_together(worker, worker)

    assert sorted(created) == [False, True]
    assert Message.objects.filter(dedupe_key="item-1:due").count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_each_delivery_once(make_person, email_on):
    from zhongshu.org.choices import Role

    for n in range(6):
        person = make_person(Role.LIAISON, email=f"p{n}@example.test")
        services.send(recipient=person, kind="test.reminder", title="提醒", dedupe_key="k")
    Delivery.objects.update(next_attempt_at=NOW)

    run_together(lambda: services.deliver_due(now=NOW), lambda: services.deliver_due(now=NOW))

    assert sorted(address for m in mail.outbox for address in m.to) == [f"p{n}@example.test" for n in range(6)]
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
