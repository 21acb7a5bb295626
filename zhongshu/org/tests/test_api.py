"""The org write endpoints of the JSON API: the same services as the pages, the one error shape."""

from __future__ import annotations

import json

import pytest

from zhongshu.audit.models import Event
from zhongshu.org.choices import Role
from zhongshu.org.models import Delegation, Person, RoleGrant, Unit, UnitName
from zhongshu.org.tests.support import written

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, body=None):
    return getattr(client, method)(
        f"/api/v1{url}", data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


@pytest.fixture
def api_admin(client, district):
    client.force_login(district.admin)
    return client


def test_create_unit_answers_201_and_records_event(api_admin):
    response = send(
        api_admin,
        "post",
        "/units",
        {"code": "kewei", "full_name": "示范区科学技术委员会", "short_name": "区科委", "kind": "department"},
    )
    assert response.status_code == 201
    assert response.json()["kind_label"] == "区政府部门"
    assert Event.objects.get().verb == "org.unit.created"


def test_bad_unit_answers_400_with_chinese_field_errors(api_admin):
    response = send(api_admin, "post", "/units", {"code": "JW", "full_name": "", "short_name": "区", "kind": "x"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "code": ["单位代码只能由小写字母、数字、“-”和“_”组成，以字母或数字开头，最长 40 个字符。"],
        "full_name": ["全称不能为空。"],
        "kind": ["请选择有效的单位类别。"],
    }


def test_missing_field_answers_400_not_500(api_admin):
    response = send(api_admin, "post", "/units", {"code": "kewei"})
    assert response.status_code == 400
    assert response.json()["errors"]["full_name"] == ["此项为必填项"]


def test_patch_unit_renames_and_keeps_former_name(api_admin, district):
    response = send(api_admin, "patch", f"/units/{district.jiaowei.pk}", {"full_name": "示范区教育局"})
    assert response.status_code == 200
    assert response.json()["full_name"] == "示范区教育局"
    assert response.json()["parent_id"] is None
    assert UnitName.objects.get().full_name == "示范区教育委员会"


def test_patch_unit_can_move_it_to_the_top_level(api_admin, district):
    response = send(api_admin, "patch", f"/units/{district.section.pk}", {"parent_id": None})
    assert response.status_code == 200
    assert Unit.objects.get(pk=district.section.pk).parent_id is None


def test_deactivate_refusal_answers_400_with_message(api_admin, district):
    response = send(api_admin, "post", f"/units/{district.jiaowei.pk}/deactivate")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("单位“示范区教育委员会”还有 2 名启用的人员")


def test_people_endpoints_create_update_grant_and_revoke(api_admin, district):
    created = send(
        api_admin,
        "post",
        "/people",
        {"username": "zhang-san", "name": "张三", "unit_id": district.jiaowei.pk},
    )
    assert created.status_code == 201
    person_id = created.json()["id"]
    updated = send(api_admin, "patch", f"/people/{person_id}", {"title": "副主任"})
    assert updated.json()["title"] == "副主任"
    granted = send(api_admin, "post", f"/people/{person_id}/roles", {"role": "liaison"})
    assert granted.status_code == 201
    assert granted.json()["role_label"] == "部门联络员"
    revoked = send(api_admin, "delete", f"/people/{person_id}/roles/{granted.json()['id']}")
    assert revoked.status_code == 204
    assert not RoleGrant.objects.filter(person_id=person_id).exists()
    assert send(api_admin, "post", f"/people/{person_id}/password", {"password": "Qiuyue-2026-xin"}).status_code == 204
    assert send(api_admin, "post", f"/people/{person_id}/deactivate").json()["active"] is False


def test_delegation_endpoints(api_admin, district):
    response = send(
        api_admin,
        "post",
        "/delegations",
        {"principal_id": district.leader.pk, "deputy_id": district.secretary.pk},
    )
    assert response.status_code == 201
    assert response.json()["display"] == "李文秘 代 王区长"
    revoked = send(api_admin, "post", f"/delegations/{response.json()['id']}/revoke")
    assert revoked.json()["active"] is False
    assert Delegation.objects.get().active is False


def test_liaison_is_refused_403_and_nothing_is_written(client, district):
    client.force_login(district.liaison)
    before = written()
    response = send(client, "post", "/people", {"username": "x-y-z", "name": "某人", "unit_id": district.jiaowei.pk})
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权进行此操作：管理人员。"}
    assert send(client, "post", f"/people/{district.nobody.pk}/roles", {"role": Role.ADMIN}).status_code == 403
    assert written() == before


def test_person_of_other_unit_answers_404_to_liaison(client, district):
    client.force_login(district.liaison)
    response = send(client, "patch", f"/people/{district.other_liaison.pk}", {"title": "x"})
    assert response.status_code == 404
    assert Person.objects.get(pk=district.other_liaison.pk).title == "科员"


def test_a_json_string_body_is_refused_not_read_as_an_object(client, district):
    """ninja's Schema reads attributes of any object: "abc def" must not become a title via str.title()."""
    client.force_login(district.admin)
    url = f"/api/v1/people/{district.liaison.pk}"
    response = client.patch(url, data='"abc def"', content_type="application/json")
    assert response.status_code == 400
    assert "JSON 对象" in response.content.decode()
    district.liaison.refresh_from_db()
    assert district.liaison.title != "Abc Def"
