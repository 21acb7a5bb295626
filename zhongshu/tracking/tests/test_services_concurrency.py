"""督办编号 are unique and gapless when several people create items at the same moment (PostgreSQL row locks;
on SQLite the IMMEDIATE transactions queue the writers)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections, connection

from zhongshu.tracking import services
from zhongshu.tracking.models import Item, Part

THREADS = 6


def create_at_once(district: Any, count: int) -> tuple[list[Item], list[BaseException]]:
    services.config()  # the settings row exists before the race (as after `zhongshu init`)
    start = threading.Barrier(count)
    created: list[Item] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def worker(position: int) -> None:
        try:
            start.wait(timeout=30)
            item = services.item_create(
                actor=district.ducha,
                title=f"并发登记的事项{position}",
                source_type="assignment",
                lead_unit_id=district.jiaowei.pk,
                co_unit_ids=[district.zhujian.pk],
                due_in_workdays=5,
                assign=True,
            )
            with lock:
                created.append(item)
        except BaseException as error:  # noqa: BLE001 — reported by the test
            with lock:
                failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return created, failures


def assert_distinct_consecutive(created: list[Item], count: int) -> None:
    assert len(created) == count
    rows = list(Item.objects.order_by("seq").values_list("year", "seq", "number"))
    assert len(rows) == count
    year = rows[0][0]
    assert [seq for _, seq, _ in rows] == list(range(1, count + 1))
    assert len({number for _, _, number in rows}) == count
    assert rows[-1][2] == f"示范督〔{year}〕{count:04d}号"
    assert Part.objects.count() == 2 * count
    assert set(Item.objects.values_list("status", flat=True)) == {"assigned"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gets_distinct_consecutive_numbers_on_postgresql(district):
    created, failures = create_at_once(district, THREADS)
    assert failures == []
    assert_distinct_consecutive(created, THREADS)


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gets_distinct_consecutive_numbers(district):
    if connection.vendor == "postgresql":
        pytest.skip("covered by the PostgreSQL test above")
    created, failures = create_at_once(district, 4)
    assert failures == []
    assert_distinct_consecutive(created, 4)
