from __future__ import annotations

import json

import pytest

from zhongshu.api.models import ApiToken
from zhongshu.audit.models import Event
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def token_for(client, person) -> str:
    response = post_json(client, "/api/v1/auth/token", {"username": person.username, "password": "zhongshu-test"})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_then_me_returns_the_person_and_roles(client):
    unit = UnitFactory(short_name="区教委")
    person = PersonFactory(username="ll-jw", name="王芳", unit=unit, roles=[Role.LIAISON])

    token = token_for(client, person)
    response = client.get("/api/v1/me", **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "ll-jw"
    assert body["name"] == "王芳"
    assert body["unit_name"] == "区教委"
    assert body["roles"] == [{"role": "liaison", "role_label": "部门联络员", "unit_id": unit.pk, "unit_name": "区教委"}]
    assert ApiToken.objects.get().person == person
    assert Event.objects.filter(verb="api.token.issued", actor=person).count() == 1


def test_token_is_stored_only_as_a_hash(client):
    person = PersonFactory()
    token = token_for(client, person)
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert len(ApiToken.objects.get().key_hash) == 64


def test_wrong_password_answers_400_with_chinese_field_error(client):
    person = PersonFactory()

    response = post_json(client, "/api/v1/auth/token", {"username": person.username, "password": "nope"})

    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码错误。", "errors": {"password": ["用户名或密码错误。"]}}


def test_missing_fields_answer_400_naming_each_field(client):
    response = post_json(client, "/api/v1/auth/token", {"username": "x"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["此项为必填项"]}


def test_malformed_json_answers_400_not_500(client):
    response = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_no_credentials_answer_401_in_chinese(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效，请先获取令牌。"}


def test_an_invalid_or_revoked_token_answers_401(client):
    person = PersonFactory()
    token = token_for(client, person)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00+08:00")

    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    assert client.get("/api/v1/me", **bearer("forged")).status_code == 401


def test_a_deactivated_person_loses_api_access(client):
    person = PersonFactory()
    token = token_for(client, person)
    person.is_active = False
    person.save()

    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_session_login_also_authenticates(client):
    person = PersonFactory()
    client.force_login(person)

    assert client.get("/api/v1/me").json()["id"] == person.pk


def test_repeated_failures_lock_the_account_on_the_api_too(client, settings):
    person = PersonFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_json(client, "/api/v1/auth/token", {"username": person.username, "password": "wrong"})

    response = post_json(client, "/api/v1/auth/token", {"username": person.username, "password": "zhongshu-test"})

    assert response.status_code == 429
    assert response.json() == {"detail": "登录失败次数过多，账号已暂时锁定 30 分钟，请稍后再试或联系系统管理员。"}
    assert not ApiToken.objects.exists()


def test_liaison_lists_only_people_of_own_unit(client):
    mine, other = UnitFactory(), UnitFactory()
    liaison = PersonFactory(unit=mine, roles=[Role.LIAISON])
    colleague = PersonFactory(unit=mine)
    PersonFactory(unit=other)
    stranger = PersonFactory(unit=other)
    token = token_for(client, liaison)

    listed = client.get("/api/v1/people", **bearer(token)).json()

    assert sorted(p["id"] for p in listed) == sorted([liaison.pk, colleague.pk])
    assert client.get(f"/api/v1/people/{stranger.pk}", **bearer(token)).status_code == 404


def test_office_role_lists_everyone_and_every_unit_in_display_order(client):
    late = UnitFactory(display_order=90, short_name="乙")
    early = UnitFactory(display_order=1, short_name="甲")
    officer = PersonFactory(unit=late, roles=[Role.SUPERVISOR])
    PersonFactory(unit=early)
    token = token_for(client, officer)

    units = client.get("/api/v1/units", **bearer(token)).json()
    people = client.get("/api/v1/people", **bearer(token)).json()

    assert [u["id"] for u in units] == [early.pk, late.pk]
    assert len(people) == 2


def test_person_without_role_sees_no_people(client):
    person = PersonFactory()
    token = token_for(client, person)

    assert client.get("/api/v1/people", **bearer(token)).json() == []


def test_bad_query_parameter_answers_400_in_chinese(client):
    person = PersonFactory(roles=[Role.ADMIN])
    token = token_for(client, person)

    response = client.get("/api/v1/units?active=maybe", **bearer(token))

    assert response.status_code == 400
    assert response.json()["errors"] == {"active": ["应为是或否（true/false）"]}


def test_unknown_unit_answers_404_in_chinese(client):
    person = PersonFactory(roles=[Role.ADMIN])
    token = token_for(client, person)

    response = client.get("/api/v1/units/999999", **bearer(token))

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该对象，或您无权查看。"}


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/auth/token" in paths
    assert "/api/v1/me" in paths
