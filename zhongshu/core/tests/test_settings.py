"""Settings as an operator meets them: the pinned clock, the deploy checks, SQLite's concurrency."""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection, connections, transaction

from zhongshu.org.models import Unit
from zhongshu.org.tests.factories import UnitFactory

from .test_commands import clean_env

PINNED = "2027-01-10T10:00:00+08:00"
PRINT_NOW = "from zhongshu.core import clock; print(clock.now().isoformat())"
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings (this run uses PostgreSQL)")


def zhongshu(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — the test's own interpreter
        [sys.executable, "-m", "zhongshu.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_pinned_clock_without_debug_is_refused_with_one_chinese_line_and_exit_2(tmp_path):
    result = zhongshu("shell", "-c", PRINT_NOW, env=clean_env(tmp_path, ZHONGSHU_CLOCK=PINNED))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "配置错误：环境变量 ZHONGSHU_CLOCK（固定时钟）只能在调试模式下使用：请同时设置 ZHONGSHU_DEBUG=1，"
        "或在生产环境中删除 ZHONGSHU_CLOCK。\n"
    )


def test_pinned_clock_with_debug_is_what_every_command_sees_as_now(tmp_path):
    result = zhongshu("shell", "-c", PRINT_NOW, env=clean_env(tmp_path, ZHONGSHU_CLOCK=PINNED, ZHONGSHU_DEBUG="1"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == PINNED


def test_production_settings_pass_the_deploy_checks(tmp_path):
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="zhongshu.settings.production",
        ZHONGSHU_SECRET_KEY=secrets.token_urlsafe(64),
        ZHONGSHU_ALLOWED_HOSTS="zhongshu.shifanqu.gov.cn",
    )

    result = zhongshu("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("System check identified no issues")


@sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout >= 5000
    assert getattr(connection, "transaction_mode", None) == "IMMEDIATE"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_two_threads_writing_to_sqlite_at_once_both_succeed():
    """Each writer reads, waits, then writes inside one transaction: with deferred transactions the second
    writer's snapshot would be stale and SQLite would answer "database is locked" at once."""
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(code: str) -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                seen = Unit.objects.count()
                time.sleep(0.2)
                UnitFactory(code=code, display_order=seen)
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(code,)) for code in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(Unit.objects.values_list("code", flat=True)) == ["first", "second"]
    assert sorted(Unit.objects.values_list("display_order", flat=True)) == [
        0,
        1,
    ]  # serialised, not interleaved
