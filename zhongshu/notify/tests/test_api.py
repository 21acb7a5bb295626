"""The inbox over the API: own messages only, unread filter, paging, read one, read all."""

from __future__ import annotations

import pytest

from zhongshu.notify import services
from zhongshu.notify.models import Message

pytestmark = pytest.mark.django_db


def send(person, key, **kwargs):
    kwargs.setdefault("title", f"消息{key}")
    return services.send(recipient=person, kind="test.reminder", dedupe_key=key, **kwargs)


@pytest.fixture
def api(client, liaison):
    client.force_login(liaison)
    return client


def test_inbox_lists_own_messages_with_counts(api, liaison, other):
    first = send(liaison, "a", body="内容", link="/notify/")
    services.mark_read(actor=liaison, message=send(liaison, "b"))
    send(other, "c")

    data = api.get("/api/v1/notify/inbox").json()

    assert (data["count"], data["unread"], data["page"], data["pages"]) == (2, 1, 1, 1)
    item = data["items"][0]
    assert {k: item[k] for k in ("id", "kind", "kind_label", "title", "body", "link", "read_at")} == {
        "id": first.pk,
        "kind": "test.reminder",
        "kind_label": "测试提醒",
        "title": "消息a",
        "body": "内容",
        "link": "/notify/",
        "read_at": None,
    }
    assert data["items"][1]["read_at"] is not None


def test_inbox_unread_filter_and_paging(api, liaison):
    for n in range(23):
        send(liaison, str(n))
    services.mark_read(actor=liaison, message=Message.objects.filter(dedupe_key="0").get())

    unread = api.get("/api/v1/notify/inbox", {"unread": "true", "page": 2}).json()

    assert (unread["count"], unread["unread"], unread["page"], unread["pages"]) == (22, 22, 2, 2)
    assert len(unread["items"]) == 2
    bad = api.get("/api/v1/notify/inbox", {"page": 0})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"page": ["页码应从 1 开始。"]}


def test_read_one_and_read_all(api, liaison, other):
    mine = send(liaison, "a")
    send(liaison, "b")
    theirs = send(other, "c")

    one = api.post(f"/api/v1/notify/inbox/{mine.pk}/read")
    foreign = api.post(f"/api/v1/notify/inbox/{theirs.pk}/read")
    rest = api.post("/api/v1/notify/inbox/read-all")

    assert one.status_code == 200
    assert one.json()["read_at"] is not None
    assert foreign.status_code == 404
    assert rest.json() == {"count": 1}
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_inbox_needs_credentials(client):
    assert client.get("/api/v1/notify/inbox").status_code == 401
