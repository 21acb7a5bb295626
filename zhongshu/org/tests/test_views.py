"""The org pages: unit tree, people list and directory, detail pages, forms that keep input, management
buttons shown only to those allowed, the import page and the exports; query counts without N+1."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhongshu.audit.models import Event
from zhongshu.org import importing
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Delegation, Person, RoleGrant, Unit, UnitName
from zhongshu.org.tests.factories import PersonFactory, UnitFactory
from zhongshu.org.tests.support import written

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, district):
    client.force_login(district.admin)
    return client


@pytest.fixture
def as_liaison(client, district):
    client.force_login(district.liaison)
    return client


def text(response) -> str:
    return response.content.decode()


# Units ------------------------------------------------------------------------------------------------


def test_unit_list_shows_tree_order_with_management_buttons_for_admin(as_admin, district):
    response = as_admin.get(reverse("org:unit_list"))
    assert response.status_code == 200
    rows = [row.unit.code for row in response.context["rows"]]
    assert rows.index("mishu-ke") == rows.index("zfb") + 1
    assert reverse("org:unit_create") in text(response)


def test_unit_list_filters_by_kind_and_active_and_serves_htmx_partial(as_admin, district):
    UnitFactory.create(code="old", full_name="示范区旧局", active=False)
    response = as_admin.get(reverse("org:unit_list"), {"kind": UnitKind.SECTION}, HTTP_HX_REQUEST="true")
    assert [row.unit.code for row in response.context["rows"]] == ["mishu-ke"]
    assert "<html" not in text(response)
    response = as_admin.get(reverse("org:unit_list"), {"active": "0"})
    assert [row.unit.code for row in response.context["rows"]] == ["old"]


def test_unit_list_query_count_does_not_grow_with_units(as_admin, district):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_admin.get(reverse("org:unit_list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    UnitFactory.create_batch(30, parent=district.office)
    assert count() == few
    assert few <= 12


def test_unit_detail_shows_former_names_sub_units_people_and_timeline(as_admin, district):
    UnitName.objects.create(
        unit=district.office, full_name="示范区政府办", short_name="区府办", used_until="2020-01-01"
    )
    response = as_admin.get(reverse("org:unit_detail", args=[district.office.pk]))
    body = text(response)
    assert "示范区政府办" in body
    assert "示范区人民政府办公室秘书科" in body
    assert "管理员" in body
    assert reverse("audit:timeline", args=["org.unit", district.office.pk]) in body
    assert reverse("org:unit_rename", args=[district.office.pk]) in body


def test_non_admin_sees_unit_page_without_management_buttons(as_liaison, district):
    response = as_liaison.get(reverse("org:unit_detail", args=[district.zhujian.pk]))
    assert response.status_code == 200
    assert reverse("org:unit_edit", args=[district.zhujian.pk]) not in text(response)
    assert "钱联络" not in text(response)  # people of another unit stay hidden from a liaison


def test_unit_create_form_keeps_input_and_shows_chinese_errors(as_admin, district):
    before = written()
    response = as_admin.post(
        reverse("org:unit_create"),
        {
            "code": "jiaowei",
            "full_name": "示范区科学技术委员会",
            "short_name": "区科委",
            "kind": "department",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "单位代码“jiaowei”已被单位“示范区教育委员会”使用。" in body
    assert 'value="示范区科学技术委员会"' in body
    assert written() == before


def test_unit_create_form_creates_and_redirects(as_admin, district):
    response = as_admin.post(
        reverse("org:unit_create"),
        {
            "code": "kewei",
            "full_name": "示范区科学技术委员会",
            "short_name": "区科委",
            "kind": "department",
            "display_order": "",
        },
    )
    unit = Unit.objects.get(code="kewei")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[unit.pk])


def test_unit_rename_page_keeps_former_name(as_admin, district):
    response = as_admin.post(
        reverse("org:unit_rename", args=[district.jiaowei.pk]),
        {"full_name": "示范区教育局", "short_name": "区教育局"},
    )
    assert response.status_code == 302
    assert UnitName.objects.get(unit=district.jiaowei).full_name == "示范区教育委员会"


def test_unit_edit_page_changes_code_and_order(as_admin, district):
    response = as_admin.post(
        reverse("org:unit_edit", args=[district.jiaowei.pk]),
        {"code": "jiaowei", "kind": "department", "parent": "", "display_order": "99"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=district.jiaowei.pk).display_order == 99


def test_unit_merge_page_merges(as_admin, district):
    response = as_admin.post(
        reverse("org:unit_merge", args=[district.jiaowei.pk]),
        {"target": district.zhujian.pk, "move_people": "on"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=district.jiaowei.pk).merged_into_id == district.zhujian.pk


def test_unit_deactivate_refusal_is_shown_on_the_confirmation_page(as_admin, district):
    url = reverse("org:unit_deactivate", args=[district.jiaowei.pk])
    assert as_admin.get(url).status_code == 200
    response = as_admin.post(url)
    assert response.status_code == 400
    assert "还有 2 名启用的人员" in text(response)
    assert Unit.objects.get(pk=district.jiaowei.pk).active is True


def test_unit_deactivate_then_activate_through_pages(as_admin, district):
    empty = UnitFactory.create()
    assert as_admin.post(reverse("org:unit_deactivate", args=[empty.pk])).status_code == 302
    assert as_admin.post(reverse("org:unit_activate", args=[empty.pk])).status_code == 302
    assert Unit.objects.get(pk=empty.pk).active is True


@pytest.mark.parametrize(
    "url_name",
    ["org:unit_create", "org:person_create", "org:import", "org:import_template"],
)
def test_management_pages_refused_to_non_admin(as_liaison, url_name):
    assert as_liaison.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["org:unit_edit", "org:unit_rename", "org:unit_merge", "org:unit_deactivate"])
def test_unit_management_pages_refused_to_non_admin(as_liaison, district, url_name):
    assert as_liaison.get(reverse(url_name, args=[district.jiaowei.pk])).status_code == 403
    assert as_liaison.post(reverse(url_name, args=[district.jiaowei.pk])).status_code == 403


def test_pages_need_sign_in(client, district):
    response = client.get(reverse("org:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# People -----------------------------------------------------------------------------------------------


def test_person_list_searches_by_name_account_and_phone(as_admin, district):
    PersonFactory.create(unit=district.zhujian, name="周建设", username="zhou-js", phone="6900 1234")
    for query in ["周建", "zhou-js", "1234"]:
        response = as_admin.get(reverse("org:person_list"), {"q": query})
        assert [p.username for p in response.context["people"]] == ["zhou-js"], query


def test_person_list_filters_by_unit_role_and_active(as_admin, district):
    PersonFactory.create(unit=district.jiaowei, is_active=False, username="gone")
    url = reverse("org:person_list")
    by_unit = as_admin.get(url, {"unit": district.office.pk})
    assert {p.username for p in by_unit.context["people"]} == {
        "admin",
        "wenmi",
    }  # the office includes its sections
    by_role = as_admin.get(url, {"role": Role.LIAISON})
    assert {p.username for p in by_role.context["people"]} == {"ll-jiaowei", "ll-zhujian"}
    inactive = as_admin.get(url, {"active": "0"})
    assert [p.username for p in inactive.context["people"]] == ["gone"]


def test_person_list_is_paginated_and_query_count_is_constant(as_admin, district):
    def count(page: int = 1) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = as_admin.get(reverse("org:person_list"), {"page": page})
            assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(60):
        PersonFactory.create(unit=district.zhujian, roles=[Role.LIAISON])
    assert count() == few
    assert count(page=2) == few
    assert few <= 14
    response = as_admin.get(reverse("org:person_list"), {"page": 2})
    assert len(response.context["people"]) == 66 - 50


def test_person_list_query_count_exact(as_admin, district, django_assert_num_queries):
    as_admin.get(reverse("org:person_list"))  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        as_admin.get(reverse("org:person_list"))
    with django_assert_num_queries(len(ctx.captured_queries)):
        as_admin.get(reverse("org:person_list"))


def test_directory_for_liaison_lists_own_unit_only_without_management(as_liaison, district):
    response = as_liaison.get(reverse("org:directory"))
    assert response.status_code == 200
    assert {p.username for p in response.context["people"]} == {"ll-jiaowei", "nobody"}
    body = text(response)
    assert "通讯录" in body
    assert reverse("org:person_create") not in body


def test_directory_hides_inactive_people(as_admin, district):
    PersonFactory.create(unit=district.jiaowei, is_active=False, username="gone")
    response = as_admin.get(reverse("org:directory"), {"active": "0"})
    assert "gone" not in {p.username for p in response.context["people"]}


def test_person_in_other_unit_is_not_found_for_liaison(as_liaison, district):
    assert as_liaison.get(reverse("org:person_detail", args=[district.other_liaison.pk])).status_code == 404
    assert as_liaison.get(reverse("org:person_detail", args=[district.nobody.pk])).status_code == 200


def test_person_detail_shows_roles_delegations_and_manage_forms_for_admin(as_admin, district):
    Delegation.objects.create(principal=district.leader, deputy=district.secretary)
    response = as_admin.get(reverse("org:person_detail", args=[district.leader.pk]))
    body = text(response)
    assert "李文秘 代 王区长" in " ".join(body.replace("</a>", "").split())
    assert reverse("org:role_grant", args=[district.leader.pk]) in body
    assert reverse("org:person_deactivate", args=[district.leader.pk]) in body


def test_admin_page_of_themselves_offers_no_deactivate_button(as_admin, district):
    response = as_admin.get(reverse("org:person_detail", args=[district.admin.pk]))
    assert reverse("org:person_deactivate", args=[district.admin.pk]) not in text(response)


def test_person_create_form_keeps_input_except_password(as_admin, district):
    before = written()
    response = as_admin.post(
        reverse("org:person_create"),
        {"username": "Bad Name", "name": "张三", "unit": district.jiaowei.pk, "password": "short"},
    )
    assert response.status_code == 400
    body = text(response)
    assert 'value="Bad Name"' in body
    assert 'value="short"' not in body
    assert "账号只能由小写字母" in body
    assert written() == before


def test_person_create_edit_password_and_deactivate_through_pages(as_admin, district):
    response = as_admin.post(
        reverse("org:person_create"),
        {
            "username": "zhang-san",
            "name": "张三",
            "unit": district.jiaowei.pk,
            "title": "科员",
            "display_order": "1",
        },
    )
    person = Person.objects.get(username="zhang-san")
    assert response["Location"] == reverse("org:person_detail", args=[person.pk])
    response = as_admin.post(
        reverse("org:person_edit", args=[person.pk]),
        {"name": "张三丰", "unit": district.zhujian.pk, "title": "副主任", "phone": "", "display_order": "2"},
    )
    assert response.status_code == 302
    response = as_admin.post(
        reverse("org:person_password", args=[person.pk]),
        {"password": "Qiuyue-2026-xin", "password_again": "Qiuyue-2026-xim"},
    )
    assert "两次输入的密码不一致。" in text(response)
    response = as_admin.post(
        reverse("org:person_password", args=[person.pk]),
        {"password": "Qiuyue-2026-xin", "password_again": "Qiuyue-2026-xin"},
    )
    assert response.status_code == 302
    assert as_admin.post(reverse("org:person_deactivate", args=[person.pk])).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.unit_id, person.is_active) == ("张三丰", district.zhujian.pk, False)
    assert list(
        Event.objects.filter(target_type="org.person", target_id=str(person.pk)).values_list("verb", flat=True)
    ) == [
        "org.person.created",
        "org.person.updated",
        "org.person.password_set",
        "org.person.deactivated",
    ]


def test_role_grant_refusal_is_shown_on_the_person_page(as_admin, district):
    response = as_admin.post(
        reverse("org:role_grant", args=[district.nobody.pk]),
        {"role": Role.LIAISON, "unit": district.zhujian.pk},
    )
    assert response.status_code == 400
    assert "部门联络员只能在本人所在单位授权" in text(response)
    assert not RoleGrant.objects.filter(person=district.nobody).exists()


def test_role_grant_and_revoke_through_the_person_page(as_admin, district):
    url = reverse("org:role_grant", args=[district.nobody.pk])
    assert as_admin.post(url, {"role": Role.LIAISON}).status_code == 302
    grant = RoleGrant.objects.get(person=district.nobody)
    response = as_admin.post(reverse("org:role_revoke", args=[district.nobody.pk, grant.pk]))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoking_the_last_admin_role_is_refused_on_the_page(as_admin, district):
    grant = RoleGrant.objects.get(person=district.admin)
    response = as_admin.post(reverse("org:role_revoke", args=[district.admin.pk, grant.pk]))
    assert response.status_code == 400
    assert "没有可用的系统管理员" in text(response)


def test_delegation_create_and_revoke_through_the_person_page(as_admin, district):
    url = reverse("org:delegation_create", args=[district.leader.pk])
    assert as_admin.post(url, {"deputy": district.secretary.pk, "note": "登记批示"}).status_code == 302
    delegation = Delegation.objects.get()
    revoke = reverse("org:delegation_revoke", args=[district.leader.pk, delegation.pk])
    assert as_admin.post(revoke).status_code == 302
    assert Delegation.objects.get().active is False


def test_role_pages_refused_to_non_admin(as_liaison, district):
    before = written()
    assert as_liaison.post(reverse("org:role_grant", args=[district.nobody.pk]), {"role": "admin"}).status_code == 403
    assert written() == before


# Navigation -------------------------------------------------------------------------------------------


def test_navigation_shows_admin_area_to_admin_and_directory_to_liaison(client, district):
    client.force_login(district.admin)
    admin_nav = {item["label"] for _, items in client.get(reverse("home")).context["nav_sections"] for item in items}
    assert {"单位", "人员", "导入", "通讯录"} <= admin_nav
    client.force_login(district.liaison)
    liaison_nav = {item["label"] for _, items in client.get(reverse("home")).context["nav_sections"] for item in items}
    assert "通讯录" in liaison_nav
    assert not {"单位", "人员", "导入"} & liaison_nav


# Import and export --------------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "导入.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_import_page_lists_errors_and_writes_nothing(as_admin, district):
    book = load_workbook(io.BytesIO(importing.template_workbook()))
    book["人员"].append(["zhang-san", "张三", "", "nowhere", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    before = written()
    response = as_admin.post(reverse("org:import"), {"file": _upload(out.getvalue())})
    assert response.status_code == 400
    body = text(response)
    assert "没有导入任何数据" in body
    assert "找不到单位代码“nowhere”" in body
    assert written() == before


def test_import_page_imports_and_reports_counts(as_admin, district):
    book = load_workbook(io.BytesIO(importing.template_workbook()))
    book["单位"].append(["kewei", "示范区科学技术委员会", "区科委", "区政府部门", "", "", "是"])
    out = io.BytesIO()
    book.save(out)
    response = as_admin.post(reverse("org:import"), {"file": _upload(out.getvalue())})
    assert response.status_code == 200
    assert "导入成功" in text(response)
    assert Unit.objects.filter(code="kewei").exists()


def test_import_page_refuses_non_xlsx_with_message_on_the_field(as_admin, district):
    response = as_admin.post(reverse("org:import"), {"file": _upload(b"a,b\n", "人员.csv")})
    assert response.status_code == 400
    assert "文件格式不正确" in text(response)


def test_template_and_exports_download_as_xlsx(as_admin, district):
    for url in [reverse("org:import_template"), reverse("org:export_units"), reverse("org:export_people")]:
        response = as_admin.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == importing.XLSX_CONTENT_TYPE
        assert response["Content-Disposition"].startswith("attachment;")
        load_workbook(io.BytesIO(response.content))


def test_liaison_export_of_people_holds_own_unit_only(as_liaison, district):
    response = as_liaison.get(reverse("org:export_people"))
    book = load_workbook(io.BytesIO(response.content))
    assert {row[0] for row in book["人员"].iter_rows(min_row=3, values_only=True)} == {"ll-jiaowei", "nobody"}
