"""checking.rebuild_stats: the W3 statistics of approved documents (closed items' reports), idempotent."""

from __future__ import annotations

import pytest

from zhongshu.audit.models import Event
from zhongshu.checking import corpus, selectors, sources, tasks
from zhongshu.checking.models import CorpusStats
from zhongshu.core import clock
from zhongshu.jobs.registry import jobs
from zhongshu.proofread import slips
from zhongshu.tracking.choices import EntryKind, Status
from zhongshu.tracking.models import Entry

pytestmark = pytest.mark.django_db

REPORT = "区教委已组织实施学校周边交通整治方案，组织实施情况良好。"


def closed_item(make_item, district, text=REPORT):
    item = make_item(title=f"事项{text[:6]}")
    item.status = Status.CLOSED
    item.save(update_fields=["status"])
    Entry.objects.create(item=item, kind=EntryKind.REPORT, text=text, author=district.liaison)
    Entry.objects.create(item=item, kind=EntryKind.VERIFY, text="核查属实，同意办结。", author=district.ducha)
    return item


def test_the_job_is_registered_daily():
    job = jobs()["checking.rebuild_stats"]
    assert job.every.days == 1
    assert job.label.startswith("重建本单位用语统计")


def test_only_closed_items_reports_and_verifications_count(district, make_item):
    closed_item(make_item, district)
    open_item = make_item(title="未办结的事项")
    Entry.objects.create(item=open_item, kind=EntryKind.REPORT, text="尚未核查的办结报告。", author=district.liaison)
    Entry.objects.create(item=open_item, kind=EntryKind.PROGRESS, text="进展。", author=district.liaison)

    assert sorted(sources.closed_item_texts()) == sorted([REPORT, "核查属实，同意办结。"])


def test_the_job_builds_the_statistics_and_bumps_the_version(district, make_item):
    closed_item(make_item, district)
    version = selectors.profile_version()

    summary = tasks.rebuild_stats(now=clock.now())

    assert summary == f"已用 2 篇已通过的文稿（{len(REPORT) + 10} 字）重建本单位用语统计。"
    row = CorpusStats.objects.get(pk=1)
    stats = slips.loads(bytes(row.data))
    assert stats.documents == 2
    assert stats.counts["组织"] == 2
    assert row.sources == {"tracking": 2}
    assert selectors.profile_version()[0] == version[0] + 1
    assert selectors.profile().extra_stats.counts["组织"] == 2
    event = Event.objects.get(verb="checking.stats.rebuilt")
    assert event.actor_name == "用语统计任务"


def test_the_job_is_idempotent(district, make_item):
    closed_item(make_item, district)
    tasks.rebuild_stats(now=clock.now())
    version = selectors.profile_version()

    summary = tasks.rebuild_stats(now=clock.now())

    assert summary == "已通过的文稿没有变化（2 篇），统计未重建。"
    assert selectors.profile_version() == version
    assert Event.objects.filter(verb="checking.stats.rebuilt").count() == 1

    closed_item(make_item, district, text="又一篇办结报告。")
    assert str(tasks.rebuild_stats(now=clock.now())).startswith("已用 4 篇")


def test_nothing_is_written_without_approved_texts(district):
    assert tasks.rebuild_stats(now=clock.now()) == "还没有已通过的文稿，统计未生成。"
    assert not CorpusStats.objects.exists()


def test_other_modules_contribute_through_the_registry(district):
    corpus.register("minutes", lambda: ["会议纪要已经审定。", "  "])
    try:
        tasks.rebuild_stats(now=clock.now())
    finally:
        corpus.unregister("minutes")
    assert CorpusStats.objects.get(pk=1).sources == {"minutes": 1, "tracking": 0}
