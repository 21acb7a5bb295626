"""The webhook bodies and signatures (pure: no database, no network)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest

from zhongshu.notify import webhook

NOTE = webhook.Note(
    kind="tracking.due_soon",
    kind_label="到期提醒",
    title="关于学校周边交通整治的督办事项明天到期",
    body="请于明天17:30前报送办理结果。",
    link="https://zhongshu.example.test/tracking/items/7/",
    created_at="2026-11-30T10:00:00+08:00",
)
WITH_MOBILE = webhook.Recipient(username="ll-jiaowei", name="赵联络", phone="138 0013 8000")
LANDLINE = webhook.Recipient(username="wenmi", name="李文秘", phone="010-6655 7788 转 12")


def body_of(post: webhook.Post) -> dict:
    return json.loads(post.body.decode("utf-8"))


@pytest.mark.parametrize(
    ("phone", "mobile"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("010-66557788", None),
        ("", None),
        ("12345678901", None),
    ],
)
def test_mobile_numbers_are_recognised_and_landlines_are_not(phone, mobile):
    assert webhook.mobile_of(phone) == mobile


def test_generic_payload_carries_the_message_and_the_recipient_and_is_signed():
    post = webhook.build("generic", NOTE, WITH_MOBILE, url="http://127.0.0.1/x", secret="s3cret", timestamp_ms=1)

    assert body_of(post) == {
        "kind": "tracking.due_soon",
        "kind_label": "到期提醒",
        "title": NOTE.title,
        "body": NOTE.body,
        "link": NOTE.link,
        "recipient": {"username": "ll-jiaowei", "name": "赵联络", "phone": "138 0013 8000"},
        "created_at": "2026-11-30T10:00:00+08:00",
    }
    expected = "sha256=" + hmac.new(b"s3cret", post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Zhongshu-Signature"] == expected
    assert post.url == "http://127.0.0.1/x"


def test_generic_payload_without_secret_has_no_signature():
    post = webhook.build("generic", NOTE, LANDLINE, url="http://127.0.0.1/x", secret="", timestamp_ms=1)

    assert "X-Zhongshu-Signature" not in post.headers
    assert post.headers["Content-Type"] == "application/json; charset=utf-8"


def test_wecom_mentions_a_person_with_a_mobile_number_in_a_text_message():
    payload = webhook.wecom_payload(NOTE, WITH_MOBILE)

    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == ["13800138000"]
    assert payload["text"]["content"].splitlines() == [
        "【到期提醒】关于学校周边交通整治的督办事项明天到期",
        "致：赵联络",
        "请于明天17:30前报送办理结果。",
        NOTE.link,
    ]


def test_wecom_uses_markdown_when_nobody_can_be_mentioned():
    payload = webhook.wecom_payload(NOTE, LANDLINE)

    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "content": f"**{NOTE.title}**\n> 类别：到期提醒　致：李文秘\n{NOTE.body}\n[查看详情]({NOTE.link})"
        },
    }


def test_wecom_text_is_cut_to_the_bots_byte_limit():
    long_note = webhook.Note("k.x", "提醒", "标题", "长" * 2000, "", "2026-11-30T10:00:00+08:00")

    content = webhook.wecom_payload(long_note, WITH_MOBILE)["text"]["content"]

    assert len(content.encode("utf-8")) <= webhook.WECOM_TEXT_BYTES
    assert content.endswith("…")


def test_dingtalk_markdown_mentions_by_mobile_in_at_and_in_the_text():
    payload = webhook.dingtalk_payload(NOTE, WITH_MOBILE)

    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == NOTE.title
    assert payload["markdown"]["text"].split("\n\n") == [
        f"#### {NOTE.title}",
        "类别：到期提醒　致：赵联络",
        NOTE.body,
        f"[查看详情]({NOTE.link})",
        "@13800138000",
    ]
    assert payload["at"] == {"atMobiles": ["13800138000"], "isAtAll": False}


def test_dingtalk_without_mobile_mentions_nobody():
    payload = webhook.dingtalk_payload(NOTE, LANDLINE)

    assert payload["at"] == {"atMobiles": [], "isAtAll": False}
    assert "@" not in payload["markdown"]["text"]


def test_dingtalk_signature_is_base64_hmac_of_timestamp_and_secret_url_encoded():
    secret = "SECabc123"
    timestamp = 1764468000000

    post = webhook.build(
        "dingtalk",
        NOTE,
        WITH_MOBILE,
        url="http://127.0.0.1/robot/send?access_token=t0k",
        secret=secret,
        timestamp_ms=timestamp,
    )

    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    assert post.url == f"http://127.0.0.1/robot/send?access_token=t0k&timestamp={timestamp}&sign={sign}"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(post.url).query)
    assert query["sign"] == [base64.b64encode(digest).decode()]  # decodes back to the raw base64
    assert "X-Zhongshu-Signature" not in post.headers


def test_dingtalk_without_secret_keeps_the_url():
    post = webhook.build(
        "dingtalk", NOTE, WITH_MOBILE, url="http://127.0.0.1/r?access_token=t", secret="", timestamp_ms=5
    )
    assert post.url == "http://127.0.0.1/r?access_token=t"


def test_digest_lists_each_message():
    items = (
        webhook.Item("a.b", "到期提醒", "第一件", "https://z.test/1", "2026-11-30T08:00:00+08:00"),
        webhook.Item("a.b", "到期提醒", "第二件", "", "2026-11-30T09:00:00+08:00"),
    )
    digest = webhook.Note("notify.digest", "每日汇总", "每日消息汇总（2 条）", "", "https://z.test/notify/", "x", items)

    assert webhook.dingtalk_payload(digest, LANDLINE)["markdown"]["text"].split("\n\n")[2:] == [
        "1. [第一件](https://z.test/1)",
        "2. 第二件",
    ]
    assert [item["title"] for item in webhook.generic_payload(digest, LANDLINE)["items"]] == ["第一件", "第二件"]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown webhook format"):
        webhook.build("slack", NOTE, LANDLINE, url="http://127.0.0.1/", secret="", timestamp_ms=1)


@pytest.mark.parametrize(
    ("fmt", "reply", "refused"),
    [
        ("wecom", b'{"errcode": 0, "errmsg": "ok"}', False),
        ("wecom", b'{"errcode": 93000, "errmsg": "invalid webhook url"}', True),
        ("dingtalk", b'{"errcode": 310000, "errmsg": "sign not match"}', True),
        ("generic", b'{"errcode": 1}', False),
        ("dingtalk", b"not json", False),
    ],
)
def test_bot_replies_with_an_error_code_count_as_failures(fmt, reply, refused):
    if refused:
        with pytest.raises(webhook.WebhookRejected, match="errcode"):
            webhook.check_reply(fmt, reply)
    else:
        webhook.check_reply(fmt, reply)
