"""The delivery and digest jobs: e-mail through mail.outbox, webhooks to a local HTTP server, retries with
back-off, giving up, permanent failures, daily digests; and the jobs as the worker runs them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
import time_machine
from django.core import mail

from zhongshu.jobs import scheduler
from zhongshu.jobs.models import JobRun
from zhongshu.notify import services
from zhongshu.notify.choices import Channel, DeliveryStatus, Mode
from zhongshu.notify.models import Delivery, Message

from .conftest import NOW

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def send(person, key="k1", kind="test.reminder", **kwargs):
    kwargs.setdefault("title", "督办事项明天到期")
    return services.send(recipient=person, kind=kind, dedupe_key=key, **kwargs)


def deliver(at):
    return services.deliver_due(now=at)


# e-mail ------------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_email_is_sent_once_by_the_job(liaison, email_on, settings):
    settings.ZHONGSHU_BASE_URL = "https://zhongshu.example.test"
    send(liaison, body="请于明天17:30前报送。", link="/tracking/items/7/")

    summary = deliver(NOW)
    again = deliver(NOW + MINUTE)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["zhao@example.test"]
    assert email.subject == "【中枢】督办事项明天到期"
    assert "请于明天17:30前报送。" in email.body
    assert "查看：https://zhongshu.example.test/tracking/items/7/" in email.body
    assert summary.startswith("已发送 1 条")
    assert again.startswith("已发送 0 条")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, NOW)


@time_machine.travel(NOW, tick=False)
def test_missing_email_address_fails_at_once_with_a_clear_error(make_person, email_on):
    from zhongshu.org.choices import Role

    person = make_person(Role.LIAISON, email="")
    send(person)

    deliver(NOW)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        "未填写电子邮箱",
        None,
    )
    assert mail.outbox == []
    assert Message.objects.get().read_at is None  # the inbox message is untouched


def test_a_delivery_created_in_the_future_waits(liaison, email_on):
    with time_machine.travel(NOW, tick=False):
        send(liaison)

    deliver(NOW - MINUTE)

    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


# webhook -----------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_generic_webhook_posts_signed_json_to_the_local_server(liaison, webhook_on, settings):
    settings.ZHONGSHU_WEBHOOK_SECRET = "s3cret"
    send(liaison, kind="test.notice", body="内容", link="/notify/")

    deliver(NOW)

    [request] = webhook_on.requests
    assert webhook_on.payloads() == [
        {
            "kind": "test.notice",
            "kind_label": "测试通知",
            "title": "督办事项明天到期",
            "body": "内容",
            "link": "/notify/",
            "recipient": {"username": "ll-test", "name": "赵联络", "phone": "13800138000"},
            "created_at": "2026-11-30T10:00:00+08:00",
        }
    ]
    expected = "sha256=" + hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Zhongshu-Signature"] == expected
    assert Delivery.objects.get().status == DeliveryStatus.SENT


@time_machine.travel(NOW, tick=False)
def test_dingtalk_post_goes_to_the_signed_url(liaison, webhook_on, settings):
    settings.ZHONGSHU_WEBHOOK_FORMAT = "dingtalk"
    settings.ZHONGSHU_WEBHOOK_SECRET = "SECxyz"
    send(liaison, kind="test.notice")

    deliver(NOW)

    [request] = webhook_on.requests
    assert request["path"].startswith(f"/robot/send?access_token=t0k&timestamp={int(NOW.timestamp() * 1000)}&sign=")
    assert webhook_on.payloads()[0]["at"] == {"atMobiles": ["13800138000"], "isAtAll": False}


@time_machine.travel(NOW, tick=False)
def test_wecom_error_code_counts_as_a_failure(liaison, webhook_on, settings):
    settings.ZHONGSHU_WEBHOOK_FORMAT = "wecom"
    webhook_on.reply = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    send(liaison, kind="test.notice")

    deliver(NOW)

    delivery = Delivery.objects.get()
    assert webhook_on.payloads()[0]["msgtype"] == "text"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "errcode=93000" in delivery.last_error


def test_webhook_failures_back_off_then_give_up(liaison, webhook_on):
    webhook_on.statuses = [500] * 6
    with time_machine.travel(NOW, tick=False):
        send(liaison, kind="test.notice")

    at = NOW
    waits = []
    for _ in range(6):
        deliver(at - dt.timedelta(seconds=1))  # not yet due: nothing is posted early
        deliver(at)
        delivery = Delivery.objects.get()
        if delivery.next_attempt_at is not None:
            waits.append(int((delivery.next_attempt_at - at).total_seconds() // 60))
            at = delivery.next_attempt_at

    delivery = Delivery.objects.get()
    assert len(webhook_on.requests) == 6
    assert waits == [1, 5, 15, 60, 240]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.GIVEN_UP, 6, None)
    assert delivery.last_error == "推送接口返回 HTTP 500"
    deliver(at + dt.timedelta(days=1))
    assert len(webhook_on.requests) == 6


def test_a_retry_after_a_500_succeeds(liaison, webhook_on):
    webhook_on.statuses = [500]
    with time_machine.travel(NOW, tick=False):
        send(liaison, kind="test.notice")

    deliver(NOW)
    deliver(NOW + MINUTE)

    delivery = Delivery.objects.get()
    assert len(webhook_on.requests) == 2
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")


def test_an_unreachable_server_is_retried(liaison, settings):
    settings.ZHONGSHU_WEBHOOK_URL = "http://127.0.0.1:9/closed"  # the discard port: connection refused
    with time_machine.travel(NOW, tick=False):
        send(liaison, kind="test.notice")

    deliver(NOW)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error.startswith("无法连接推送接口")


def test_a_channel_switched_off_in_the_settings_fails_clearly(liaison, webhook_on, settings):
    with time_machine.travel(NOW, tick=False):
        send(liaison, kind="test.notice")
    settings.ZHONGSHU_WEBHOOK_URL = ""

    deliver(NOW)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.FAILED, "未配置推送地址（ZHONGSHU_WEBHOOK_URL）。")


def test_one_failing_delivery_does_not_stop_the_others(liaison, other, email_on, webhook_on):
    webhook_on.statuses = [500]
    with time_machine.travel(NOW, tick=False):
        send(liaison, "a", kind="test.notice")
        send(other, "b", kind="test.reminder")

    deliver(NOW)

    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        (Channel.EMAIL, DeliveryStatus.SENT),
        (Channel.WEBHOOK, DeliveryStatus.PENDING),
    ]
    assert len(mail.outbox) == 1


# digest ------------------------------------------------------------------------------------------------


def test_digest_gathers_the_days_messages_into_one_email(liaison, other, email_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    day_before = NOW - dt.timedelta(days=1)
    for n in range(3):
        with time_machine.travel(day_before + n * MINUTE, tick=False):
            send(liaison, f"k{n}", title=f"第{n + 1}件事")
    with time_machine.travel(day_before, tick=False):
        send(other, "x")  # immediate: goes at once

    deliver(day_before + dt.timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [["qian@example.test"]]

    morning = NOW.replace(hour=7, minute=30)
    assert services.digest_due(now=morning) == "未到汇总时间（08:00）"
    at_eight = NOW.replace(hour=8, minute=0)
    assert services.digest_due(now=at_eight) == "生成每日汇总 1 份"
    assert services.digest_due(now=at_eight + dt.timedelta(hours=1)) == "生成每日汇总 0 份"
    deliver(at_eight)

    assert len(mail.outbox) == 2
    digest_mail = mail.outbox[1]
    assert digest_mail.to == ["zhao@example.test"]
    assert digest_mail.subject == "【中枢】每日消息汇总（3 条）"
    assert [line for line in digest_mail.body.splitlines() if line[:2] in ("1.", "2.", "3.")] == [
        "1. 第1件事",
        "2. 第2件事",
        "3. 第3件事",
    ]
    statuses = list(Delivery.objects.filter(recipient=liaison).values_list("status", flat=True))
    assert statuses == [DeliveryStatus.SENT] * 4  # 3 messages and the digest


def test_messages_after_the_days_digest_wait_for_tomorrow(liaison, email_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    at_eight = NOW.replace(hour=8, minute=0)
    with time_machine.travel(at_eight - MINUTE, tick=False):
        send(liaison, "early")
    services.digest_due(now=at_eight)
    with time_machine.travel(at_eight + MINUTE, tick=False):
        send(liaison, "late")

    assert services.digest_due(now=at_eight + dt.timedelta(hours=2)) == "生成每日汇总 0 份"
    assert services.digest_due(now=at_eight + dt.timedelta(days=1)) == "生成每日汇总 1 份"
    deliver(at_eight + dt.timedelta(days=1))

    assert [m.subject for m in mail.outbox] == ["【中枢】每日消息汇总（1 条）", "【中枢】每日消息汇总（1 条）"]


def test_a_digest_webhook_post_lists_the_items(liaison, webhook_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    with time_machine.travel(NOW - dt.timedelta(hours=3), tick=False):
        send(liaison, "a", kind="test.notice", title="甲", link="/x/1/")
        send(liaison, "b", kind="test.notice", title="乙")

    services.digest_due(now=NOW)
    deliver(NOW)

    [payload] = webhook_on.payloads()
    assert payload["kind"] == "notify.digest"
    assert payload["title"] == "每日消息汇总（2 条）"
    assert [(i["title"], i["link"]) for i in payload["items"]] == [("甲", "/x/1/"), ("乙", "")]
    assert payload["link"] == "/notify/"


def test_a_failing_digest_is_retried_and_its_messages_follow(liaison, webhook_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    webhook_on.statuses = [500]
    with time_machine.travel(NOW - dt.timedelta(hours=3), tick=False):
        send(liaison, "a", kind="test.notice")

    services.digest_due(now=NOW)
    deliver(NOW)
    digest = Delivery.objects.get(message__isnull=True)
    assert (digest.status, digest.attempts) == (DeliveryStatus.PENDING, 1)
    assert Delivery.objects.get(message__isnull=False).status == DeliveryStatus.HELD

    deliver(NOW + MINUTE)

    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(webhook_on.requests) == 2


# the jobs, as the worker runs them ---------------------------------------------------------------------


def test_the_worker_runs_the_delivery_job_each_minute(liaison, email_on):
    with time_machine.travel(NOW, tick=False):
        send(liaison)

    outcomes = {o.job: o for o in scheduler.run_due(NOW)}
    again = {o.job: o for o in scheduler.run_due(NOW + dt.timedelta(seconds=20))}

    assert outcomes["notify.deliver"].status == "done"
    assert outcomes["notify.deliver"].summary.startswith("已发送 1 条")
    assert outcomes["notify.digest"].summary == "生成每日汇总 0 份"
    assert "notify.deliver" not in again  # the same minute's slot is taken
    assert len(mail.outbox) == 1
    assert JobRun.objects.filter(job="notify.deliver").count() == 1
