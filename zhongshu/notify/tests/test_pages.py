"""The pages: 消息中心 shows only one's own messages, opening marks read, another's is 404, 全部标为已读, the
mode switch, a fixed number of queries, the header badge; 推送渠道 and 推送失败记录 for those allowed."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.audit.models import Event
from zhongshu.notify import services
from zhongshu.notify.choices import DeliveryStatus, Mode
from zhongshu.notify.models import ChannelRule, Delivery, Message, Preference
from zhongshu.org.choices import Role

from .conftest import NOW

pytestmark = pytest.mark.django_db


def send(person, key, **kwargs):
    kwargs.setdefault("title", f"消息{key}")
    return services.send(recipient=person, kind="test.reminder", dedupe_key=key, **kwargs)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_liaison(client, liaison):
    client.force_login(liaison)
    return client


# inbox -------------------------------------------------------------------------------------------------


def test_inbox_shows_only_own_messages_unread_first(as_liaison, liaison, other):
    with time_machine.travel(NOW, tick=False):
        old = send(liaison, "old", title="较早的一条")
    with time_machine.travel(NOW.replace(hour=11), tick=False):
        send(liaison, "new", title="较新的一条")
    services.mark_read(actor=liaison, message=send(liaison, "read", title="已经读过的一条"))
    send(other, "theirs", title="别人的消息")

    response = as_liaison.get(reverse("notify:inbox"))

    assert response.status_code == 200
    titles = [message.title for message, _ in response.context["items"]]
    assert titles == ["较新的一条", "较早的一条", "已经读过的一条"]
    assert "别人的消息" not in text(response)
    assert reverse("notify:open", args=[old.pk]) in text(response)


def test_inbox_unread_filter(as_liaison, liaison):
    send(liaison, "a", title="未读的")
    services.mark_read(actor=liaison, message=send(liaison, "b", title="读过的"))

    response = as_liaison.get(reverse("notify:inbox"), {"show": "unread"})

    assert [message.title for message, _ in response.context["items"]] == ["未读的"]


def test_inbox_pages_by_twenty(as_liaison, liaison):
    for n in range(25):
        send(liaison, str(n))

    first = as_liaison.get(reverse("notify:inbox"))
    second = as_liaison.get(reverse("notify:inbox"), {"page": 2})

    assert len(first.context["items"]) == 20
    assert len(second.context["items"]) == 5
    assert "共 25 条" in text(first)


def test_inbox_query_count_is_fixed_regardless_of_messages(
    as_liaison, liaison, admin_person, django_assert_num_queries
):
    send(liaison, "first", sender=admin_person)
    with CaptureQueriesContext(connection) as few:
        as_liaison.get(reverse("notify:inbox"))
    for n in range(30):
        send(liaison, f"more-{n}", sender=admin_person)

    with django_assert_num_queries(len(few.captured_queries)):
        response = as_liaison.get(reverse("notify:inbox"))

    assert len(response.context["items"]) == 20
    assert len(few.captured_queries) <= 12


def test_opening_a_message_marks_it_read_and_follows_its_link(as_liaison, liaison):
    message = send(liaison, "a", link="/org/directory/")

    with time_machine.travel(NOW, tick=False):
        response = as_liaison.get(reverse("notify:open", args=[message.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/org/directory/"
    assert Message.objects.get().read_at == NOW


def test_opening_a_message_without_link_returns_to_the_inbox(as_liaison, liaison):
    message = send(liaison, "a")

    response = as_liaison.get(reverse("notify:open", args=[message.pk]))

    assert response["Location"] == reverse("notify:inbox")


def test_opening_another_persons_message_is_404_and_leaves_it_unread(as_liaison, other):
    theirs = send(other, "a", link="/org/directory/")

    response = as_liaison.get(reverse("notify:open", args=[theirs.pk]))
    missing = as_liaison.get(reverse("notify:open", args=[theirs.pk + 1000]))

    assert response.status_code == 404
    assert missing.status_code == 404
    assert Message.objects.get().read_at is None


def test_read_all_button(as_liaison, liaison, other):
    send(liaison, "a")
    send(liaison, "b")
    send(other, "c")

    response = as_liaison.post(reverse("notify:read_all"), follow=True)

    assert "已将 2 条消息标为已读。" in text(response)
    assert Message.objects.filter(read_at__isnull=True).count() == 1
    assert as_liaison.get(reverse("notify:read_all")).status_code == 405


def test_preference_switch_on_the_inbox_page(as_liaison, liaison):
    page = as_liaison.get(reverse("notify:inbox"))
    assert 'value="immediate" checked' in text(page)

    response = as_liaison.post(reverse("notify:preference"), {"mode": Mode.DIGEST}, follow=True)

    assert "推送方式已设为“每日汇总”。" in text(response)
    assert 'value="digest" checked' in text(response)
    assert Preference.objects.get(person=liaison).mode == Mode.DIGEST
    assert Event.objects.filter(verb="notify.preference.set").count() == 1


def test_bad_preference_shows_a_message_and_changes_nothing(as_liaison, liaison):
    response = as_liaison.post(reverse("notify:preference"), {"mode": "weekly"}, follow=True)

    assert "请选择“立即推送”或“每日汇总”。" in text(response)
    assert Preference.objects.count() == 0


def test_inbox_needs_signing_in(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# header badge ------------------------------------------------------------------------------------------


def test_header_badge_shows_the_unread_count_on_every_page(as_liaison, liaison, other):
    send(liaison, "a")
    send(liaison, "b")
    services.mark_read(actor=liaison, message=send(liaison, "c"))
    send(other, "d")

    body = text(as_liaison.get(reverse("home")))

    assert (
        '<a class="who-inbox" href="/notify/" aria-label="消息（2 条未读）">消息 <span class="badge badge-danger"'
        in body
    )
    assert 'data-unread="2">2</span>' in body


def test_header_badge_without_unread_is_a_plain_link(as_liaison):
    body = text(as_liaison.get(reverse("home")))

    assert '<a class="who-inbox" href="/notify/">消息</a>' in body


def test_header_badge_costs_one_count_query(as_liaison, liaison):
    send(liaison, "a")
    with CaptureQueriesContext(connection) as ctx:
        as_liaison.get(reverse("home"))

    counts = [q["sql"] for q in ctx.captured_queries if "notify_message" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0].upper()


def test_nav_has_the_message_centre_in_the_workbench(as_liaison):
    nav = dict(as_liaison.get(reverse("home")).context["nav_sections"])
    assert "消息中心" in [item["label"] for item in nav["工作台"]]
    assert "系统管理" not in nav


# channels ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.DIRECTOR, 200), (Role.LIAISON, 403)])
def test_channels_page_for_admin_and_director(client, make_person, office, role, status):
    client.force_login(make_person(role, unit=office))

    response = client.get(reverse("notify:channels"))

    assert response.status_code == status
    if status == 200:
        assert "测试提醒" in text(response)
        assert 'name="email:test.reminder" aria-label="测试提醒：电子邮件" checked' in text(response)


def test_channels_form_saves_only_the_changed_kinds(client, director):
    client.force_login(director)

    response = client.post(
        reverse("notify:channels"),
        {
            "email:test.reminder": "on",
            "webhook:test.reminder": "on",
            "email:test.notice": "on",
            "webhook:test.notice": "on",
        },
        follow=True,
    )

    assert "已保存 2 类消息的推送渠道。" in text(response)
    assert sorted(ChannelRule.objects.values_list("kind", "email", "webhook")) == [
        ("test.notice", True, True),
        ("test.reminder", True, True),
    ]
    assert Event.objects.filter(verb="notify.channel_rule.set").count() == 2
    nav = dict(response.context["nav_sections"])
    labels = [item["label"] for item in nav["系统管理"]]
    assert "消息推送渠道" in labels
    assert "推送失败记录" not in labels


def test_liaison_cannot_post_channel_rules(as_liaison):
    response = as_liaison.post(reverse("notify:channels"), {"email:test.reminder": "on"})

    assert response.status_code == 403
    assert ChannelRule.objects.count() == 0


# failures ----------------------------------------------------------------------------------------------


@pytest.fixture
def failed_delivery(liaison, email_on):
    send(liaison, "a", title="发不出去的提醒")
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=1, last_error="未填写电子邮箱"
    )
    return delivery


def test_failures_page_lists_failed_deliveries_for_admins(client, admin_person, failed_delivery):
    client.force_login(admin_person)

    response = client.get(reverse("notify:failures"))

    body = text(response)
    assert "发不出去的提醒" in body
    assert "未填写电子邮箱" in body
    assert reverse("notify:retry", args=[failed_delivery.pk]) in body


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.LIAISON])
def test_failures_page_refused_to_others(client, make_person, office, failed_delivery, role):
    client.force_login(make_person(role, unit=office))

    assert client.get(reverse("notify:failures")).status_code == 403
    assert client.post(reverse("notify:retry", args=[failed_delivery.pk])).status_code == 403
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_retry_button_requeues(client, admin_person, failed_delivery):
    client.force_login(admin_person)

    response = client.post(reverse("notify:retry", args=[failed_delivery.pk]), follow=True)

    assert "已重新排队发送" in text(response)
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert "没有发送失败的推送。" in text(response)
    again = client.post(reverse("notify:retry", args=[failed_delivery.pk]), follow=True)
    assert "只有发送失败或已放弃的推送可以重新发送。" in text(again)
    assert client.post(reverse("notify:retry", args=[failed_delivery.pk + 99])).status_code == 404
