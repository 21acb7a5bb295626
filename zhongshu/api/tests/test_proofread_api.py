from __future__ import annotations

import json

import pytest

from zhongshu.org.tests.factories import PersonFactory
from zhongshu.proofread import Category, Hit, Severity, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked_rule(monkeypatch):
    """A known rule in place of the real rule set: flags "错" and suggests "对"."""

    def flag(document, context):
        return [Hit(i, i + 1, "测试规则", suggestion="对") for i, ch in enumerate(document.text) if ch == "错"]

    table = {"T-01": registry.Rule("T-01", Category.CHARACTER, Severity.ERROR, "测试", flag)}
    monkeypatch.setattr("zhongshu.proofread.engine.rules", lambda: dict(table))


def post(client, body):
    return client.post("/api/v1/proofread", data=json.dumps(body), content_type="application/json")


def test_findings_come_back_with_positions_and_counts(client, marked_rule):
    client.force_login(PersonFactory())

    response = post(client, {"text": "第一行\n第二行有错", "doc_type": "通知"})

    assert response.status_code == 200
    assert response.json() == {
        "findings": [
            {
                "start": 8,
                "end": 9,
                "line": 2,
                "column": 5,
                "paragraph": 1,
                "paragraph_offset": 4,
                "rule": "T-01",
                "category": "文字",
                "severity": "error",
                "message": "测试规则",
                "suggestion": "对",
                "evidence": None,
                "text": "错",
            }
        ],
        "counts": {"error": 1, "warning": 0, "info": 0},
        "dismissed": [],
        "dismissed_hidden": 0,
    }


def test_unknown_doc_type_and_missing_text_answer_400_per_field(client):
    client.force_login(PersonFactory())

    response = post(client, {"doc_type": "便条"})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["text"] == ["此项为必填项"]
    assert errors["doc_type"][0].startswith("取值无效")


def test_text_over_the_limit_is_refused(client):
    client.force_login(PersonFactory())

    response = post(client, {"text": "字" * 200_001})

    assert response.status_code == 400
    assert response.json()["errors"]["text"] == ["内容太长（最多 200000 个字符）"]


def test_anonymous_is_refused(client):
    assert post(client, {"text": "错"}).status_code == 401
