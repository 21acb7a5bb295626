"""send() once per key, channel rules, delivery modes, reading, and the audited settings."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import ApplicationError, NotFound, ValidationFailed
from zhongshu.notify import services
from zhongshu.notify.choices import Channel, DeliveryStatus, Mode
from zhongshu.notify.models import ChannelRule, Delivery, Message, Preference
from zhongshu.org.choices import Role

from .conftest import NOW

pytestmark = pytest.mark.django_db


def send(person, key="k1", kind="test.reminder", **kwargs):
    return services.send(recipient=person, kind=kind, title="请报送进展", dedupe_key=key, **kwargs)


# send ------------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_send_puts_one_message_in_the_inbox(liaison, admin_person):
    message = services.send(
        recipient=liaison,
        kind="test.reminder",
        title="  关于某事项的\n提醒 ",
        body="请于明天前报送。",
        link="/org/units/1/",
        dedupe_key="item-7:due-soon",
        target=liaison.unit,
        sender=admin_person,
    )

    assert message is not None
    stored = Message.objects.get()
    assert (stored.recipient, stored.kind, stored.title, stored.body, stored.link) == (
        liaison,
        "test.reminder",
        "关于某事项的 提醒",
        "请于明天前报送。",
        "/org/units/1/",
    )
    assert (stored.target_type, stored.target_id, stored.sender) == ("org.unit", str(liaison.unit.pk), admin_person)
    assert stored.created_at == NOW
    assert stored.read_at is None
    assert Event.objects.count() == 0  # an in-app message is no audited change


def test_send_twice_with_the_same_key_writes_once(liaison):
    first = send(liaison)
    second = send(liaison)

    assert first is not None
    assert second is None
    assert Message.objects.count() == 1


def test_same_key_for_another_person_or_another_key_is_a_new_message(liaison, other):
    assert send(liaison, "a") is not None
    assert send(other, "a") is not None
    assert send(liaison, "b") is not None
    assert Message.objects.count() == 3


def test_a_duplicate_inside_the_callers_transaction_leaves_it_usable(liaison):
    with transaction.atomic():
        send(liaison)
        assert send(liaison) is None
        assert send(liaison, "k2") is not None  # the transaction goes on after the refused duplicate

    assert Message.objects.count() == 2


def test_a_rolled_back_caller_leaves_no_message(liaison, email_on):
    def job():
        with transaction.atomic():
            send(liaison)
            raise RuntimeError("the job failed")

    with pytest.raises(RuntimeError):
        job()

    assert Message.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_unknown_kind_and_bad_link_are_programming_errors(liaison):
    with pytest.raises(ValueError, match="unknown notification kind"):
        send(liaison, kind="tracking.nobody_registered_this")
    with pytest.raises(ValueError, match="link"):
        send(liaison, link="https://elsewhere.test/")
    with pytest.raises(ValueError, match="link"):
        send(liaison, link="//elsewhere.test/x")
    with pytest.raises(ValueError, match="dedupe_key"):
        send(liaison, key="")
    assert Message.objects.count() == 0


def test_send_many_counts_new_messages_and_skips_duplicates(liaison, other):
    send(other, "round-1")

    count = services.send_many(
        recipients=[liaison, other, liaison], kind="test.reminder", title="通知", dedupe_key="round-1"
    )

    assert count == 1
    assert Message.objects.filter(dedupe_key="round-1").count() == 2


# channel rules and modes -------------------------------------------------------------------------------


def deliveries():
    return sorted(Delivery.objects.values_list("message__kind", "channel", "status"))


def test_no_outward_delivery_when_no_channel_is_configured(liaison):
    send(liaison, kind="test.reminder")
    send(liaison, "k2", kind="test.notice")

    assert deliveries() == []


@time_machine.travel(NOW, tick=False)
def test_kind_defaults_choose_the_channels(liaison, email_on, webhook_on):
    send(liaison, "a", kind="test.reminder")  # e-mail only by default
    send(liaison, "b", kind="test.notice")  # webhook only by default

    assert deliveries() == [
        ("test.notice", Channel.WEBHOOK, DeliveryStatus.PENDING),
        ("test.reminder", Channel.EMAIL, DeliveryStatus.PENDING),
    ]
    assert set(Delivery.objects.values_list("next_attempt_at", flat=True)) == {NOW}


def test_the_offices_channel_rule_overrides_the_defaults(liaison, admin_person, email_on, webhook_on):
    services.set_channel_rule(actor=admin_person, kind="test.reminder", email=False, webhook=True)
    services.set_channel_rule(actor=admin_person, kind="test.notice", email=False, webhook=False)

    send(liaison, "a", kind="test.reminder")
    send(liaison, "b", kind="test.notice")

    assert deliveries() == [("test.reminder", Channel.WEBHOOK, DeliveryStatus.PENDING)]
    assert Message.objects.count() == 2  # the inbox gets both regardless


def test_digest_mode_holds_outward_deliveries(liaison, email_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)

    send(liaison)

    assert deliveries() == [("test.reminder", Channel.EMAIL, DeliveryStatus.HELD)]
    assert Delivery.objects.get().next_attempt_at is None


def test_an_inactive_person_gets_the_message_but_no_outward_delivery(liaison, email_on):
    liaison.is_active = False
    liaison.save()

    send(liaison)

    assert Message.objects.count() == 1
    assert deliveries() == []


# reading -----------------------------------------------------------------------------------------------


def test_mark_read_only_for_own_messages(liaison, other):
    mine = send(liaison)
    theirs = send(other)

    with time_machine.travel(NOW, tick=False):
        read = services.mark_read(actor=liaison, message=mine)
    with pytest.raises(NotFound):
        services.mark_read(actor=liaison, message=theirs.pk)

    assert read.read_at == NOW
    assert Message.objects.get(pk=mine.pk).read_at == NOW
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_keeps_the_first_reading_time(liaison):
    message = send(liaison)
    with time_machine.travel(NOW, tick=False):
        services.mark_read(actor=liaison, message=message)
    with time_machine.travel(NOW.replace(hour=11), tick=False):
        services.mark_read(actor=liaison, message=message.pk)

    assert Message.objects.get().read_at == NOW


def test_mark_all_read_counts_only_own_unread(liaison, other):
    send(liaison, "a")
    send(liaison, "b")
    services.mark_read(actor=liaison, message=send(liaison, "c"))
    send(other, "a")

    assert services.mark_all_read(actor=liaison) == 2
    assert Message.objects.filter(recipient=liaison, read_at__isnull=True).count() == 0
    assert Message.objects.filter(recipient=other, read_at__isnull=True).count() == 1


# audited settings --------------------------------------------------------------------------------------


def test_set_preference_is_audited_and_refuses_bad_modes(liaison):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    services.set_preference(actor=liaison, mode=Mode.DIGEST)  # no change, no event

    with pytest.raises(ValidationFailed) as refused:
        services.set_preference(actor=liaison, mode="hourly")

    assert refused.value.errors == {"mode": ["请选择“立即推送”或“每日汇总”。"]}
    assert Preference.objects.get(person=liaison).mode == Mode.DIGEST
    event = Event.objects.get()
    assert (event.verb, event.actor_id, event.changes) == (
        "notify.preference.set",
        liaison.pk,
        {"mode": ["immediate", "digest"]},
    )


def test_back_to_immediate_releases_held_deliveries(liaison, email_on):
    services.set_preference(actor=liaison, mode=Mode.DIGEST)
    send(liaison)

    with time_machine.travel(NOW, tick=False):
        services.set_preference(actor=liaison, mode=Mode.IMMEDIATE)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.PENDING, NOW)


def test_a_person_without_any_role_may_not_set_a_preference(make_person, office):
    from zhongshu.org.tests.factories import PersonFactory

    nobody = PersonFactory(unit=office)
    with pytest.raises(PermissionDenied):
        services.set_preference(actor=nobody, mode=Mode.DIGEST)
    assert Preference.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, True),
        (Role.DIRECTOR, True),
        (Role.SUPERVISOR, False),
        (Role.LEADER, False),
        (Role.LIAISON, False),
    ],
)
def test_channel_rules_are_set_by_admin_and_director_only(make_person, office, role, allowed):
    actor = make_person(role, unit=office)

    if allowed:
        rule = services.set_channel_rule(actor=actor, kind="test.reminder", email=False, webhook=True)
        assert (rule.email, rule.webhook, rule.updated_by) == (False, True, actor)
        event = Event.objects.get()
        assert event.verb == "notify.channel_rule.set"
        assert event.changes == {"email": [True, False], "webhook": [False, True]}
    else:
        with pytest.raises(PermissionDenied):
            services.set_channel_rule(actor=actor, kind="test.reminder", email=False, webhook=True)
        assert ChannelRule.objects.count() == 0
        assert Event.objects.count() == 0


def test_channel_rule_for_an_unknown_kind_is_a_field_error(admin_person):
    with pytest.raises(ValidationFailed) as refused:
        services.set_channel_rule(actor=admin_person, kind="nobody.knows", email=True, webhook=True)

    assert refused.value.errors == {"kind": ["未登记的消息类别“nobody.knows”。"]}


def test_channel_rule_unchanged_writes_no_event(admin_person):
    services.set_channel_rule(actor=admin_person, kind="test.reminder", email=True, webhook=False)  # = defaults
    services.set_channel_rule(actor=admin_person, kind="test.reminder", email=True, webhook=False)

    assert ChannelRule.objects.count() == 1
    assert Event.objects.count() == 0


def test_retry_requeues_a_failed_delivery_for_admins_only(liaison, admin_person, director, email_on):
    send(liaison)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.GIVEN_UP, attempts=6, last_error="HTTP 500")

    with pytest.raises(PermissionDenied):
        services.delivery_retry(actor=director, delivery_id=delivery.pk)
    with time_machine.travel(NOW, tick=False):
        services.delivery_retry(actor=admin_person, delivery_id=delivery.pk)
    with pytest.raises(ApplicationError, match="只有发送失败或已放弃"):
        services.delivery_retry(actor=admin_person, delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.PENDING, 0, NOW)
    assert list(Event.objects.values_list("verb", flat=True)) == ["notify.delivery.retried"]
