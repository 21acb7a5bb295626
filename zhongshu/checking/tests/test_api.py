"""POST /api/v1/proofread with doc_key, and the dismissals API."""

from __future__ import annotations

import json

import pytest

from zhongshu.audit.models import Event
from zhongshu.checking.models import Dismissal

pytestmark = pytest.mark.django_db

TEXT = "请认真布署，务必截止今年底完成。"


def dismiss(client, body):
    return client.post("/api/v1/proofread/dismissals", data=json.dumps(body), content_type="application/json")


def test_a_dismissed_finding_is_no_longer_returned_for_that_document(district, client, proofread):
    client.force_login(district.ducha)
    key = "tracking:request:abc123"
    first = proofread({"text": TEXT, "doc_key": key}).json()
    assert [(f["rule"], f["text"]) for f in first["findings"]] == [("W1", "布署"), ("W2", "截止")]

    response = dismiss(
        client, {"doc_key": key, "rule": "W2", "text": "截止", "reason": "原文引用文件标题", "message": "提示"}
    )

    assert response.status_code == 201
    assert response.json()["reason"] == "原文引用文件标题"
    assert response.json()["by"] == district.ducha.name
    again = proofread({"text": TEXT, "doc_key": key}).json()
    assert [(f["rule"], f["text"]) for f in again["findings"]] == [("W1", "布署")]
    assert again["dismissed_hidden"] == 1
    assert [(d["rule"], d["text"], d["reason"]) for d in again["dismissed"]] == [("W2", "截止", "原文引用文件标题")]
    other = proofread({"text": TEXT, "doc_key": "tracking:request:other"}).json()
    assert len(other["findings"]) == 2  # remembered for that document only
    assert Event.objects.get(verb="checking.finding.dismissed").data["doc_key"] == key


def test_dismissing_again_changes_the_reason(district, client):
    client.force_login(district.ducha)
    body = {"doc_key": "tracking:request:k", "rule": "W1", "text": "布署", "reason": "一"}
    dismiss(client, body)

    dismiss(client, {**body, "reason": "二"})

    assert list(Dismissal.objects.values_list("reason", flat=True)) == ["二"]
    listed = client.get("/api/v1/proofread/dismissals", {"doc_key": "tracking:request:k"}).json()
    assert [row["reason"] for row in listed] == ["二"]


def test_a_dismissal_needs_a_reason(district, client):
    client.force_login(district.ducha)

    response = dismiss(client, {"doc_key": "tracking:request:k", "rule": "W1", "text": "布署", "reason": "  "})

    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["请填写忽略的理由。"]
    assert not Dismissal.objects.exists()


def test_an_items_dismissals_are_for_those_who_see_the_item(district, client, make_item, proofread):
    item = make_item()
    key = f"tracking:item:{item.pk}"
    client.force_login(district.liaison)  # liaison of the lead unit: sees the item
    assert dismiss(client, {"doc_key": key, "rule": "W1", "text": "布署", "reason": "理由"}).status_code == 201

    client.force_login(district.weijian_liaison)  # another unit's liaison: does not
    assert dismiss(client, {"doc_key": key, "rule": "W1", "text": "布署", "reason": "理由"}).status_code == 404
    assert client.get("/api/v1/proofread/dismissals", {"doc_key": key}).status_code == 404
    assert proofread({"text": TEXT, "doc_key": key}).status_code == 404


def test_people_without_a_role_may_check_text_but_not_dismiss(district, client, proofread):
    client.force_login(district.nobody)

    assert proofread({"text": TEXT}).status_code == 200
    response = dismiss(client, {"doc_key": "tracking:request:k", "rule": "W1", "text": "布署", "reason": "理由"})
    assert response.status_code == 404


def test_anonymous_is_refused(client, proofread):
    assert proofread({"text": TEXT}).status_code == 401
    assert dismiss(client, {"doc_key": "x:1", "rule": "W1", "text": "布署", "reason": "理由"}).status_code == 401
