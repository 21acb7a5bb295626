"""Benchmark of 督查督办 at ten-year scale: generate a district with 100,000 tracked items and 1,000,000
timeline events (audit events + log entries), then measure the officer's board (first page, filtered), an
item page, the director's dashboard, the ledger export of 1,000 and 10,000 rows (time and peak memory) and
the reminder sweep over all open items.

    .venv/bin/python bench/bench_tracking.py [--items 100000] [--events 1000000] [--repeat 7] [--explain]

SQLite in a temporary data directory by default. With DATABASE_URL=postgres://…/NAME it runs against a
throw-away database `test_NAME` on that server (created and dropped here; NAME itself is not touched).

The generator is not the product: it writes rows with bulk_create (items, units' parts, log entries, deadline
history, extensions, ladder notices and audit events) instead of going through the services, so that ten
years take a minute rather than hours. The audit chain it writes is valid (each event is hashed onto the
previous one), but its events are in item order rather than time order; `audit verify` is not timed here
(bench_audit measures it). Pages are requested with Django's test Client as the signed-in 督查员 (board,
item, ledger) and 办公室主任 (dashboard); each figure is the median of --repeat runs after one warm-up, with
the number of queries of the last run. Targets (issue 3 §7, on a 2-core machine): board, item page and
dashboard under 200 ms median; ledger of 10,000 rows under 5 s with memory that does not grow with the
rows; sweep under 5 s. --explain prints the query plan of the slowest query of each page to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings.test")  # temp data dir, test databases

SEED = 20261130
YEARS = 10
CHUNK = 5_000
BOARD_TARGET_MS = 200
LEDGER_TARGET_S = 5.0
SWEEP_TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000, help="audit events + log entries, about")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="query plans of each page's slowest query")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows = run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("## 督查督办十年规模（bench_tracking）\n")
    print(f"数据库：{connection.vendor}。\n")
    print("| 项目 | 结果 | 目标 | 达标 | 说明 |")
    print("|---|---|---|:-:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# Generating ---------------------------------------------------------------------------------------------


@dataclass
class World:
    """The demo district's people and units as the generator uses them, and the running counts."""

    now: dt.datetime
    cal: Any
    units: list[Any]
    liaison: dict[int, Any]
    officers: list[Any]
    leaders: list[Any]
    rng: random.Random
    prev_hash: str = ""
    seq: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    year_seq: dict[int, int] = field(default_factory=dict)


def generate(n_items: int, n_events: int) -> tuple[World, float]:
    """Write the ten years; returns the world and the seconds it took (org demo district included)."""
    from django.db import connection, transaction

    from zhongshu.audit.chain import GENESIS
    from zhongshu.audit.models import ChainHead
    from zhongshu.core import clock
    from zhongshu.org.choices import Role, UnitKind
    from zhongshu.org.demo import load_demo
    from zhongshu.org.models import Person, Unit
    from zhongshu.tracking import services
    from zhongshu.tracking.models import Counter
    from zhongshu.workdays.selectors import calendar

    started = time.perf_counter()
    load_demo()
    services.config()
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET]).order_by("display_order")
    )
    liaison: dict[int, Any] = {}
    for person in Person.objects.filter(grants__role=Role.LIAISON).order_by("username").distinct():
        for grant in person.grants.filter(role=Role.LIAISON):
            liaison.setdefault(grant.unit_id, person)
    head = ChainHead.objects.get(pk=1)
    world = World(
        now=clock.now(),
        cal=calendar(),
        units=[u for u in units if u.pk in liaison],
        liaison=liaison,
        officers=list(Person.objects.filter(grants__role=Role.SUPERVISOR).distinct()),
        leaders=list(Person.objects.filter(grants__role=Role.LEADER).distinct()),
        rng=random.Random(SEED),  # noqa: S311 — benchmark data
        prev_hash=head.last_hash or GENESIS,
        seq=head.last_seq,
    )
    per_item = n_events / n_items
    span = dt.timedelta(days=365 * YEARS)
    first = world.now - span
    moments = sorted(first + span * world.rng.random() for _ in range(n_items))
    for start in range(0, n_items, CHUNK):
        with transaction.atomic():
            write_chunk(world, moments[start : start + CHUNK], per_item)
    with transaction.atomic():
        ChainHead.objects.filter(pk=1).update(last_seq=world.seq, last_hash=world.prev_hash)
        for year, last in world.year_seq.items():
            Counter.objects.update_or_create(key="item", year=year, defaults={"last": last})
    if connection.vendor == "postgresql":  # what autovacuum would have done over ten years
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world, time.perf_counter() - started


def write_chunk(world: World, moments: list[dt.datetime], per_item: float) -> None:
    """One chunk of items with everything that hangs off them."""
    from django.db.models import QuerySet

    from zhongshu.audit import chain
    from zhongshu.audit.models import Event
    from zhongshu.tracking.choices import EntryKind, NoticeLevel, PartRole, Rating, SourceType, Status
    from zhongshu.tracking.models import DeadlineChange, Entry, Extension, Item, Notice, Part

    rng, cal, now = world.rng, world.cal, world.now
    tz = cal.tz
    sources = SourceType.values
    items: list[Item] = []
    plans: list[dict[str, Any]] = []
    for created in moments:
        local = created.astimezone(tz)
        year = local.year
        world.year_seq[year] = seq = world.year_seq.get(year, 0) + 1
        unit = world.units[int(rng.paretovariate(1.2) * 3) % len(world.units)]
        workdays = rng.choice((5, 10, 10, 15, 20, 30))
        accepted = created + dt.timedelta(hours=rng.randint(1, 30))
        due = cal.deadline(accepted.astimezone(tz).date(), workdays).value
        age = (now - created).days
        roll = rng.random()
        status = Status.CLOSED
        if age < 3 and roll < 0.5:
            status = Status.ASSIGNED
        elif age < 120 and roll < 0.55:
            status = Status.IN_PROGRESS if roll < 0.45 else Status.REPORTED
        elif roll > 0.97:
            status = Status.CANCELLED
        late = rng.random() < 0.15
        extended = rng.random() < 0.06
        original = due
        if extended:
            due = cal.deadline(due.astimezone(tz).date(), rng.randint(5, 10)).value
        reported = None
        if status in (Status.REPORTED, Status.CLOSED):
            finish = due + dt.timedelta(days=rng.randint(1, 20)) if late else due - dt.timedelta(days=rng.random() * 6)
            reported = max(accepted + dt.timedelta(hours=2), min(finish, now - dt.timedelta(hours=1)))
        closed = reported + dt.timedelta(days=rng.randint(1, 3)) if status == Status.CLOSED and reported else None
        if closed and closed > now:
            closed, status = None, Status.REPORTED
        leader = rng.choice(world.leaders) if roll < 0.3 else None
        source = SourceType.LEADER_INSTRUCTION if leader else rng.choice(sources[1:])
        items.append(
            Item(
                number=f"示范督〔{year}〕{seq:04d}号",
                year=year,
                seq=seq,
                title=f"基准测试事项{year}-{seq:05d}：推进{unit.short_name}重点工作第{seq % 97 + 1}项",
                content="请按要求抓紧办理，按期报送办理结果。" * 3,
                source_type=source,
                instructing_leader=leader,
                instruction="请抓紧研究落实，结果报我。" if leader else "",
                instructed_on=local.date() if leader else None,
                lead_unit=unit,
                officer=rng.choice(world.officers),
                due_mode="workdays",
                due_workdays=workdays,
                due_at=None if status == Status.ASSIGNED else due,
                original_due_at=None if status == Status.ASSIGNED else original,
                extended_in_time=extended,
                status=status,
                created_at=created,
                updated_at=closed or reported or accepted,
                assigned_at=created,
                accepted_at=None if status == Status.ASSIGNED else accepted,
                last_progress_at=reported,
                reported_at=reported,
                closed_at=closed,
                closed_on_time=(reported <= due) if closed and reported else None,
                closed_on_time_original=(reported <= original) if closed and reported else None,
                rating=rng.choice(Rating.values) if closed else "",
                cancelled_at=accepted if status == Status.CANCELLED else None,
                cancel_reason="基准测试撤销" if status == Status.CANCELLED else "",
            )
        )
        plans.append({"accepted": accepted, "reported": reported, "closed": closed, "extended": extended})
    Item.objects.bulk_create(items, batch_size=1000)

    parts: list[Part] = []
    entries: list[Entry] = []
    changes: list[DeadlineChange] = []
    extensions: list[Extension] = []
    notices: list[Notice] = []
    events: list[Event] = []

    def event(item: Item, verb: str, moment: dt.datetime, actor: Any, data: dict[str, Any]) -> None:
        world.seq += 1
        fields = {
            "seq": world.seq,
            "occurred_at": moment,
            "actor_id": getattr(actor, "pk", None),
            "actor_name": getattr(actor, "name", ""),
            "on_behalf_of_id": None,
            "on_behalf_of_name": "",
            "verb": verb,
            "target_type": "tracking.item",
            "target_id": str(item.pk),
            "target_repr": f"{item.number} {item.title}"[:200],
            "changes": {},
            "data": data,
            "client_address": "10.20.30.40",
        }
        digest = chain.digest(fields, world.prev_hash)
        events.append(Event(**fields, prev_hash=world.prev_hash, hash=digest))
        world.prev_hash = digest

    for item, plan in zip(items, plans, strict=True):
        unit_liaison = world.liaison[item.lead_unit_id]
        officer = item.officer
        assert officer is not None
        parts.append(Part(item=item, unit_id=item.lead_unit_id, role=PartRole.LEAD))
        co = {u.pk for u in rng.sample(world.units, rng.choice((0, 0, 1, 2)))} - {item.lead_unit_id}
        parts.extend(Part(item=item, unit_id=uid, role=PartRole.CO) for uid in co)
        event(item, "tracking.item.created", item.created_at, officer, {"number": item.number})
        event(item, "tracking.item.assigned", item.created_at, officer, {})
        if item.accepted_at is None:
            continue
        accepted = plan["accepted"]
        event(item, "tracking.item.accepted", accepted, unit_liaison, {})
        assert item.due_at is not None
        assert item.original_due_at is not None
        changes.append(
            DeadlineChange(item=item, after=item.original_due_at, reason="签收，次日起算", changed_at=accepted)
        )
        end = plan["reported"] or min(item.due_at or now, now)
        # About per_item timeline records per item: ~40 % log entries, ~60 % audit events.
        progress = max(0, round(rng.gauss(per_item - 5.5, 1.5)) // 2)
        for n in range(progress):
            moment = accepted + (end - accepted) * (n + 1) / (progress + 1)
            entry = Entry(
                item=item,
                kind=EntryKind.PROGRESS,
                unit_id=item.lead_unit_id,
                author=unit_liaison,
                author_name=unit_liaison.name,
                text=f"第{n + 1}次进展：已召开专题会议研究部署，正在按计划推进，完成约{(n + 1) * 20 % 100}%。",
                created_at=moment,
            )
            entries.append(entry)
            event(item, "tracking.item.progressed", moment, unit_liaison, {"n": n + 1})
        if plan["extended"] and item.original_due_at:
            asked = item.original_due_at - dt.timedelta(days=2)
            extensions.append(
                Extension(
                    item=item,
                    requested_by=unit_liaison,
                    requested_by_name=unit_liaison.name,
                    requested_at=asked,
                    reason="需等待上级审批，申请延期。",
                    proposed_due_at=item.due_at,
                    previous_due_at=item.original_due_at,
                    status="approved",
                    decided_by=officer,
                    decided_by_name=officer.name,
                    decided_at=asked + dt.timedelta(hours=3),
                )
            )
            changes.append(
                DeadlineChange(
                    item=item, before=item.original_due_at, after=item.due_at, reason="同意延期", changed_at=asked
                )
            )
            event(item, "tracking.item.extension_requested", asked, unit_liaison, {})
            event(item, "tracking.item.extension_approved", asked + dt.timedelta(hours=3), officer, {})
        due = item.due_at
        if due and due < (plan["reported"] or now) and item.status != Status.CANCELLED:
            for level, days in ((NoticeLevel.RED, 1), (NoticeLevel.URGE, 2)):
                issued = due + dt.timedelta(days=days)
                if issued < (plan["reported"] or now):
                    world.counts["notices"] = world.counts.get("notices", 0) + 1
                    notices.append(
                        Notice(
                            item=item,
                            unit_id=item.lead_unit_id,
                            level=level,
                            number=f"示范{level}〔{issued.year}〕{world.counts['notices']}号",
                            issued_at=issued,
                            due_at=due,
                            overdue_workdays=days,
                            reason="办结时限已过，尚未办结。",
                        )
                    )
                    event(item, "tracking.item.notice_issued", issued, None, {"level": level})
            due_day = due.astimezone(tz).date()
            if not plan["reported"] and cal.workdays_between(due_day, now.astimezone(tz).date()).value > 6:
                # still owed: on the bulletin list since the 6th working day after expiry, as the sweep did
                issued = dt.datetime.combine(cal.add_workdays(due_day, 6).value, dt.time(9), tzinfo=tz)
                world.counts["notices"] = world.counts.get("notices", 0) + 1
                notices.append(
                    Notice(
                        item=item,
                        unit_id=item.lead_unit_id,
                        level=NoticeLevel.BULLETIN,
                        number=f"示范通报〔{issued.year}〕{world.counts['notices']}号",
                        issued_at=issued,
                        due_at=due,
                        overdue_workdays=6,
                        reason="超期仍未办结，列入下期督查通报。",
                    )
                )
                event(item, "tracking.item.notice_issued", issued, None, {"level": NoticeLevel.BULLETIN})
        if plan["reported"]:
            entries.append(
                Entry(
                    item=item,
                    kind=EntryKind.REPORT,
                    unit_id=item.lead_unit_id,
                    author=unit_liaison,
                    author_name=unit_liaison.name,
                    text="已按要求办理完毕，现申请办结。",
                    created_at=plan["reported"],
                )
            )
            event(item, "tracking.item.reported", plan["reported"], unit_liaison, {})
        if plan["closed"]:
            entries.append(
                Entry(
                    item=item,
                    kind=EntryKind.VERIFY,
                    author=officer,
                    author_name=officer.name,
                    rating=item.rating,
                    created_at=plan["closed"],
                )
            )
            event(item, "tracking.item.closed", plan["closed"], officer, {"rating": item.rating})
        if item.status == Status.CANCELLED:
            event(item, "tracking.item.cancelled", item.cancelled_at or accepted, officer, {})
    Part.objects.bulk_create(parts, batch_size=2000)
    Entry.objects.bulk_create(entries, batch_size=2000)
    DeadlineChange.objects.bulk_create(changes, batch_size=2000)
    Extension.objects.bulk_create(extensions, batch_size=2000)
    Notice.objects.bulk_create(notices, batch_size=2000)
    QuerySet(model=Event).bulk_create(events, batch_size=2000)  # type: ignore[arg-type]  # the trail's own manager refuses bulk inserts
    for name, rows in (("items", items), ("parts", parts), ("entries", entries), ("events", events)):
        world.counts[name] = world.counts.get(name, 0) + len(rows)


# Measuring ----------------------------------------------------------------------------------------------


@dataclass
class Timing:
    median_ms: float
    queries: int
    status: int
    slowest_sql: str = ""


def measure(fetch: Callable[[], Any], repeat: int) -> Timing:
    """Median wall time of `fetch()` over `repeat` runs after one warm-up, with the last run's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = fetch()
    times = []
    queries: list[dict[str, str]] = []
    for _ in range(repeat):
        connection.queries_log.clear()  # the log keeps 9,000 queries: a full log would hide this run's
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = fetch()
            consume(response)
            times.append(time.perf_counter() - started)
        queries = ctx.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default={"sql": ""})
    return Timing(statistics.median(times) * 1000, len(queries), response.status_code, slowest["sql"])


def consume(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def explain(label: str, sql: str) -> None:
    """Append the plan of `sql` to bench_tracking-explain-<vendor>.txt in the temporary directory (run.py keeps
    only stdout) and to stderr."""
    from django.db import connection

    if not sql:
        return
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        plan = "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())
    text = f"--- {label}\n{sql}\n{plan}\n\n"
    print(text, file=sys.stderr)
    with (Path(tempfile.gettempdir()) / f"bench_tracking-explain-{connection.vendor}.txt").open("a") as out:
        out.write(text)


def met(ok: bool | None) -> str:
    return "—" if ok is None else ("✓" if ok else "✗")


def run(args: argparse.Namespace) -> list[tuple[str, str, str, str, str]]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from zhongshu.audit.models import Event
    from zhongshu.org.models import Person, Unit
    from zhongshu.tracking.choices import RUNNING_STATUSES, Status
    from zhongshu.tracking.models import Entry, Item

    world, gen_seconds = generate(args.items, args.events)
    repeat = args.repeat
    c = world.counts
    n_open = Item.objects.filter(status__in=[*RUNNING_STATUSES, Status.REPORTED]).count()
    n_overdue = Item.objects.filter(status__in=RUNNING_STATUSES, due_at__lt=world.now).count()
    rows: list[tuple[str, str, str, str, str]] = [
        (
            "生成十年数据",
            f"{gen_seconds:.0f} 秒",
            "—",
            "—",
            f"事项 {Item.objects.count():,}，承办单位 {c['parts']:,}，办理记录 {Entry.objects.count():,}，"
            f"留痕事件 {Event.objects.count():,}（二者合计 {Entry.objects.count() + Event.objects.count():,}），"
            f"督办通知 {c.get('notices', 0):,}；未办结 {n_open:,}，其中超期 {n_overdue:,}；bulk_create 写入",
        )
    ]

    ducha = Person.objects.get(username="ducha")
    zhuren = Person.objects.get(username="zhuren")
    # A page that fails (the pages are still being written) answers 500 and is reported, not fatal.
    officer = Client(raise_request_exception=False)
    officer.force_login(ducha)
    director = Client(raise_request_exception=False)
    director.force_login(zhuren)
    jiaowei = Unit.objects.get(code="jiaowei")
    top = Entry.objects.values("item_id").annotate(n=Count("id")).order_by("-n", "item_id").first()
    busiest = Item.objects.get(pk=top["item_id"]) if top else Item.objects.order_by("pk")[0]
    with_log = (
        Item.objects.filter(status=Status.IN_PROGRESS)
        .order_by("-created_at")
        .filter(pk__in=Entry.objects.values("item_id"))
        .first()
    ) or busiest
    board = reverse("tracking:board")
    pages: list[tuple[str, Client, str, dict[str, Any], str]] = [
        ("督办台（第 1 页，不筛选）", officer, board, {}, "督查员"),
        ("督办台（未办结、已超期）", officer, board, {"status": "open", "overdue": "1"}, "督查员"),
        ("督办台（按单位：区教委、未办结）", officer, board, {"unit": jiaowei.pk, "status": "open"}, "督查员"),
        ("督办台（标题搜索）", officer, board, {"q": "重点工作第7项"}, "督查员"),
        ("事项页（办理中）", officer, reverse("tracking:item_detail", args=[with_log.pk]), {}, "督查员"),
        ("事项页（已办结）", officer, reverse("tracking:item_detail", args=[busiest.pk]), {}, "督查员"),
        ("领导视图（我批示的事项）", Client(raise_request_exception=False), reverse("tracking:leader"), {}, "区长"),
        ("统计看板", director, reverse("tracking:dashboard"), {}, "办公室主任"),
        ("统计表", director, reverse("tracking:stats"), {}, "办公室主任"),
    ]
    pages[6][1].force_login(Person.objects.get(username="quzhang"))
    for label, client, url, params, who in pages:
        timing = measure(partial(client.get, url, params), repeat)
        if timing.status != 200:
            rows.append(
                (label, "无法测量", f"< {BOARD_TARGET_MS} 毫秒", "—", f"页面返回 {timing.status}（页面尚在编写）")
            )
            continue
        ok = timing.median_ms < BOARD_TARGET_MS
        rows.append(
            (
                label,
                f"{timing.median_ms:.0f} 毫秒",
                f"< {BOARD_TARGET_MS} 毫秒",
                met(ok),
                f"{who}；{timing.queries} 次查询；{repeat} 次取中位数",
            )
        )
        if args.explain or not ok:
            explain(label, timing.slowest_sql)

    for part, measure_part in (
        ("台账导出", partial(ledger_rows, officer, world, repeat=max(3, repeat // 2))),
        ("提醒扫描", partial(sweep_rows, world, repeat=max(3, repeat // 2))),
    ):
        try:
            rows += measure_part()
        except Exception as exc:  # noqa: BLE001 — report what could not be measured and go on
            rows.append((part, "无法测量", "—", "—", f"出错：{type(exc).__name__}: {str(exc)[:120]}"))
    return rows


def ledger_rows(client: Any, world: World, *, repeat: int) -> list[tuple[str, str, str, str, str]]:
    """The ledger of the items assigned in a window holding 1,000 and then 10,000 items: time (median) and
    peak traced memory (one more run under tracemalloc, which slows Python down)."""
    from django.urls import reverse

    from zhongshu.tracking.models import Item

    url = reverse("tracking:ledger_download")
    rows = []
    ordered = Item.objects.order_by("-assigned_at").values_list("assigned_at", flat=True)
    peaks: dict[int, float] = {}
    total = Item.objects.count()
    for size in (1_000, 10_000):
        oldest = ordered[min(size, total) - 1]
        assert oldest is not None
        start = oldest.astimezone(world.cal.tz).date()
        params = {
            "assigned_from": start.isoformat(),
            "assigned_to": world.now.astimezone(world.cal.tz).date().isoformat(),
        }
        expected = Item.objects.filter(assigned_at__date__gte=start).count()
        timing = measure(partial(client.get, url, params), repeat)
        if timing.status != 200:
            rows.append((f"台账导出 {size:,} 行", "无法测量", "—", "—", f"返回 {timing.status}"))
            continue
        tracemalloc.start()
        response = client.get(url, params)
        size_bytes = consume(response)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks[size] = peak / 1024 / 1024
        ok = timing.median_ms / 1000 < LEDGER_TARGET_S if size == 10_000 else None
        rows.append(
            (
                f"台账导出 {expected:,} 行（XLSX）",
                f"{timing.median_ms / 1000:.2f} 秒",
                f"< {LEDGER_TARGET_S:.0f} 秒" if size == 10_000 else "—",
                met(ok),
                f"{timing.queries} 次查询；文件 {size_bytes / 1024:.0f} KB；{repeat} 次取中位数",
            )
        )
        rows.append(
            (
                f"台账导出 {expected:,} 行内存峰值（tracemalloc）",
                f"{peaks[size]:.1f} MB",
                "不随行数增长" if size == 10_000 else "—",
                met(peaks[size] < 2 * peaks[1_000]) if size == 10_000 and 1_000 in peaks else "—",
                "含请求处理和读取响应",
            )
        )
    return rows


def sweep_rows(world: World, *, repeat: int) -> list[tuple[str, str, str, str, str]]:
    """The reminder sweep at a working-day 10:00 over every open item: the first run (issues the ladder
    notices and reminders that are due; rolled back after each timing), then a second run at the same moment
    (nothing left to do)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    try:
        from zhongshu.tracking import reminders
    except ImportError as exc:
        return [("提醒扫描", "无法测量", f"< {SWEEP_TARGET_S:.0f} 秒", "—", f"reminders 尚未完成：{exc}")]
    day = world.cal.next_workday(world.now.astimezone(world.cal.tz).date(), inclusive=True).value
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=world.cal.tz)
    first: list[float] = []
    queries = 0
    summary = ""
    for _ in range(repeat):
        connection.queries_log.clear()
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = reminders.sweep(moment)
            first.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
            summary = result.text() if hasattr(result, "text") else str(result)
            again_started = time.perf_counter()
            reminders.sweep(moment)
            again = time.perf_counter() - again_started
            transaction.set_rollback(True)
    seconds = statistics.median(first)
    return [
        (
            "提醒扫描（全部未办结事项，当天首次）",
            f"{seconds:.2f} 秒",
            f"< {SWEEP_TARGET_S:.0f} 秒",
            met(seconds < SWEEP_TARGET_S),
            f"{queries} 次查询；{summary}；{repeat} 次取中位数（每次回滚）",
        ),
        (
            "提醒扫描（同一时刻再次运行）",
            f"{again:.2f} 秒",
            f"< {SWEEP_TARGET_S:.0f} 秒",
            met(again < SWEEP_TARGET_S),
            "无新提醒，幂等",
        ),
    ]


if __name__ == "__main__":
    main()
