"""Benchmark of the org app: import an XLSX of 60 units and 1,000 people (time and peak memory), then the
people list page for those 1,000 people (queries and time), then loading the demo district.

    .venv/bin/python bench/bench_org.py [--units 60] [--people 1000] [--repeat 5]

SQLite in a temporary data directory by default. With DATABASE_URL=postgres://…/NAME it runs against a
throw-away database `test_NAME` on that server (created and dropped here; NAME itself is not touched).
Passwords use the test settings' fast hasher; the import file has no initial passwords (with them, each new
account costs one Argon2 hash in production).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings.test")  # temp data dir, test databases

ROLES = ["部门联络员", "", "", "", "文秘、信息员", "", "", "", "", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    rows: list[tuple[str, str, str]] = []
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows += run_import(args.units, args.people, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows += run_demo()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("## 组织机构（bench_org）\n")
    print(f"数据库：{connection.vendor}。\n")
    print("| 项目 | 结果 | 说明 |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def workbook(n_units: int, n_people: int) -> bytes:
    from openpyxl import load_workbook

    from zhongshu.org import importing

    book = load_workbook(io.BytesIO(importing.template_workbook()))
    units = book["单位"]
    for i in range(n_units):
        parent = "" if i < 50 else f"dept-{i - 50:02d}"
        units.append(
            [
                f"dept-{i:02d}",
                f"示范区基准测试局{i:02d}",
                f"测试局{i:02d}",
                "区政府部门",
                parent,
                100 + i,
                "是",
            ]
        )
    people = book["人员"]
    for i in range(n_people):
        people.append(
            [
                f"p-{i:04d}",
                f"测试{i:04d}",
                "科员",
                f"dept-{i % n_units:02d}",
                f"6900{i:04d}",
                ROLES[i % 10],
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(n_units: int, n_people: int, repeat: int) -> list[tuple[str, str, str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from zhongshu.org import importing
    from zhongshu.org.choices import Role, UnitKind
    from zhongshu.org.models import Person, RoleGrant, Unit

    office = Unit.objects.create(
        code="zfb", full_name="示范区人民政府办公室", short_name="区政府办", kind=UnitKind.OFFICE
    )
    admin = Person.objects.create_user(
        username="admin",
        password="bench-admin-2026",  # noqa: S106 — throw-away database
        name="管理员",
        unit=office,
    )
    RoleGrant.objects.create(person=admin, role=Role.ADMIN, unit=office)
    data = workbook(n_units, n_people)

    started = time.perf_counter()
    dry = importing.import_workbook(actor=admin, data=data, filename="bench.xlsx", dry_run=True)
    dry_seconds = time.perf_counter() - started
    assert dry.ok, dry.errors[:3]

    # Peak memory of the whole import (read, check, write every change, then roll back), measured apart
    # from the timings because tracemalloc slows Python down several times.
    tracemalloc.start()
    importing.import_workbook(actor=admin, data=data, filename="bench.xlsx", dry_run=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    result = importing.import_workbook(actor=admin, data=data, filename="bench.xlsx")
    import_seconds = time.perf_counter() - started
    assert result.ok, result.errors[:3]
    assert result.people_created == n_people

    client = Client()
    client.force_login(admin)
    timings: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    pages = {
        "人员列表第 1 页": (reverse("org:person_list"), {}),
        "人员列表第 20 页": (reverse("org:person_list"), {"page": 20}),
        "人员搜索（姓名）": (reverse("org:person_list"), {"q": "测试05"}),
        "通讯录": (reverse("org:directory"), {}),
        "单位列表（树）": (reverse("org:unit_list"), {}),
    }
    for label, (url, params) in pages.items():
        client.get(url, params)  # warm up
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, params)
                timings.setdefault(label, []).append(time.perf_counter() - started)
            assert response.status_code == 200
            queries[label] = len(ctx.captured_queries)
    started = time.perf_counter()
    export = client.get(reverse("org:export_people"))
    export_seconds = time.perf_counter() - started
    assert export.status_code == 200

    rows = [
        ("导入文件", f"{len(data) / 1024:.0f} KB", f"{n_units} 个单位、{n_people} 名人员"),
        ("只检查（dry run）", f"{dry_seconds:.2f} 秒", "完整校验并回滚"),
        (
            "正式导入",
            f"{import_seconds:.2f} 秒",
            f"新建单位 {result.units_created}、人员 {result.people_created}、角色 {result.roles_granted};每项一条留痕",
        ),
        ("导入内存峰值（tracemalloc）", f"{peak / 1024 / 1024:.1f} MB", "读取、校验、逐项写入后回滚"),
    ]
    for label, values in timings.items():
        rows.append(
            (
                label,
                f"{statistics.median(values) * 1000:.0f} 毫秒",
                f"{queries[label]} 次查询，{repeat} 次取中位数",
            )
        )
    rows.append(("导出人员 XLSX", f"{export_seconds:.2f} 秒", f"{Person.objects.count()} 人"))
    return rows


def run_demo() -> list[tuple[str, str, str]]:
    from zhongshu.org.demo import load_demo

    started = time.perf_counter()
    counts = load_demo()
    seconds = time.perf_counter() - started
    return [
        (
            "载入演示区（load_demo）",
            f"{seconds:.2f} 秒",
            f"{counts['units']} 个单位、{counts['people']} 名人员、{counts['grants']} 项角色",
        )
    ]


if __name__ == "__main__":
    main()
