"""Benchmark of the audit trail: record 20,000 events (each in its own transaction, as services do), then
verify the whole chain; prints events per second for both.

    .venv/bin/python bench/bench_audit.py [--events 20000] [--chunk-size 2000] [--one-transaction]

--one-transaction records every event in a single transaction: the cost of the chain itself, without one
commit (disk flush) per event.

SQLite in a temporary data directory by default. With DATABASE_URL=postgres://…/NAME it runs against a
throw-away database `test_NAME` on that server (created and dropped here; NAME itself is not touched).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings.test")  # temp data dir, test databases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--chunk-size", type=int, default=2_000)
    parser.add_argument("--one-transaction", action="store_true", help="record all events in one transaction")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.events, args.chunk_size, one_transaction=args.one_transaction)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(n: int, chunk_size: int, *, one_transaction: bool) -> None:
    from contextlib import nullcontext

    from django.db import connection, transaction

    from zhongshu.audit import selectors
    from zhongshu.audit import services as audit
    from zhongshu.core.middleware import _client_address
    from zhongshu.org.models import Person, Unit

    unit = Unit.objects.create(code="bench", full_name="基准测试单位", short_name="基准", kind="department")
    actor = Person.objects.create(username="bench", name="基准测试员", unit=unit)
    _client_address.set("10.20.30.40")

    started = time.perf_counter()
    with transaction.atomic() if one_transaction else nullcontext():
        for i in range(n):
            audit.record(
                actor=actor,
                verb="bench.unit.updated",
                target=unit,
                changes={
                    "full_name": [f"基准测试单位{i}", f"基准测试单位{i + 1}"],
                    "display_order": [i, i + 1],
                },
                data={"i": i, "note": "基准测试"},
            )
    record_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = selectors.verify(chunk_size=chunk_size)
    verify_seconds = time.perf_counter() - started
    if not (result.ok and result.count == n):
        raise SystemExit(f"校验失败：{result.message}")

    print(f"数据库：{connection.vendor}({connection.settings_dict['NAME']})")
    mode = "全部在一个事务中" if one_transaction else "每条一个事务"
    print(f"record:{n} 条事件（{mode}），{record_seconds:.2f} 秒，{n / record_seconds:,.0f} 条/秒")
    print(f"verify:{n} 条事件，{verify_seconds:.2f} 秒，{n / verify_seconds:,.0f} 条/秒（每批 {chunk_size} 条）")
    print(result.message)


if __name__ == "__main__":
    main()
