"""The org services: units, people, roles, delegations — outcomes, refusals and their audit events."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, ValidationFailed
from zhongshu.org import permissions as perms
from zhongshu.org import selectors, services
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Delegation, Person, RoleGrant, Unit, UnitName
from zhongshu.org.tests.factories import PersonFactory, UnitFactory
from zhongshu.org.tests.support import signs_in, verbs, written

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# Units ------------------------------------------------------------------------------------------------


def test_unit_create_adds_unit_at_end_of_display_order_and_records_event(district):
    # when
    unit = services.unit_create(
        actor=district.admin,
        code="kewei",
        full_name="示范区科学技术委员会",
        short_name="区科委",
        kind=UnitKind.DEPARTMENT,
    )
    # then
    assert unit.active is True
    assert unit.display_order == max(Unit.objects.exclude(pk=unit.pk).values_list("display_order", flat=True)) + 10
    event = Event.objects.get(verb="org.unit.created")
    assert event.actor_id == district.admin.pk
    assert event.target_id == str(unit.pk)
    assert event.changes["code"] == [None, "kewei"]
    assert event.changes["full_name"] == [None, "示范区科学技术委员会"]


def test_unit_create_reports_every_bad_field_in_chinese(district):
    with pytest.raises(ValidationFailed) as caught:
        services.unit_create(
            actor=district.admin,
            code="Jiao Wei",
            full_name="",
            short_name="x" * 41,
            kind="ministry",
            parent_id=999999,
        )
    assert caught.value.errors == {
        "code": [services.CODE_RULE],
        "full_name": ["全称不能为空。"],
        "short_name": ["简称最多 40 个字符（现有 41 个）。"],
        "kind": ["请选择有效的单位类别。"],
        "parent_id": ["上级单位不存在。"],
    }


def test_unit_create_refuses_duplicate_code_and_active_full_name(district):
    with pytest.raises(ValidationFailed) as caught:
        services.unit_create(
            actor=district.admin,
            code="jiaowei",
            full_name="示范区住房和城乡建设委员会",
            short_name="区教委",
            kind=UnitKind.DEPARTMENT,
        )
    assert caught.value.errors == {
        "code": ["单位代码“jiaowei”已被单位“示范区教育委员会”使用。"],
        "full_name": ["全称“示范区住房和城乡建设委员会”已被启用的单位（代码 zhujian）使用。"],
    }


def test_unit_create_refuses_inactive_parent(district):
    stopped = UnitFactory.create(active=False, full_name="示范区旧局")
    with pytest.raises(ValidationFailed) as caught:
        services.unit_create(
            actor=district.admin,
            code="new",
            full_name="新单位",
            short_name="新",
            kind="department",
            parent_id=stopped.pk,
        )
    assert caught.value.errors == {"parent_id": ["上级单位“示范区旧局”已停用，不能在其下新建单位。"]}


@time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_unit_rename_keeps_former_name_used_until_today(district):
    # when
    services.unit_update(
        actor=district.admin,
        unit_id=district.jiaowei.pk,
        full_name="示范区教育局",
        short_name="区教育局",
    )
    # then
    unit = Unit.objects.get(pk=district.jiaowei.pk)
    assert (unit.full_name, unit.short_name) == ("示范区教育局", "区教育局")
    former = UnitName.objects.get(unit=unit)
    assert (former.full_name, former.short_name, former.used_until) == (
        "示范区教育委员会",
        "区教委",
        dt.date(2026, 12, 1),
    )
    event = Event.objects.get(verb="org.unit.renamed")
    assert event.changes == {
        "full_name": ["示范区教育委员会", "示范区教育局"],
        "short_name": ["区教委", "区教育局"],
    }
    assert event.data == {"used_until": "2026-12-01"}
    assert not Event.objects.filter(verb="org.unit.updated").exists()


def test_unit_update_of_other_fields_is_not_a_rename(district):
    services.unit_update(
        actor=district.admin, unit_id=district.jiaowei.pk, code="jiaowei2", display_order=5, parent_id=None
    )
    assert not UnitName.objects.exists()
    assert verbs() == ["org.unit.updated"]
    assert Event.objects.get().changes == {
        "code": ["jiaowei", "jiaowei2"],
        "display_order": [district.jiaowei.display_order, 5],
    }


def test_unit_update_without_changes_writes_nothing(district):
    before = written()
    services.unit_update(actor=district.admin, unit_id=district.jiaowei.pk, full_name="示范区教育委员会")
    assert written() == before


def test_unit_update_refuses_parent_cycle(district):
    with pytest.raises(ValidationFailed) as caught:
        services.unit_update(actor=district.admin, unit_id=district.office.pk, parent_id=district.section.pk)
    assert caught.value.errors == {"parent_id": ["上级单位不能是本单位或本单位的下属单位。"]}


def test_unit_merge_moves_people_ends_liaison_grants_and_stops_source(district):
    # given a second person in 区教委
    teacher = PersonFactory.create(unit=district.jiaowei, name="周老师")
    # when
    services.unit_merge(actor=district.admin, source_id=district.jiaowei.pk, target_id=district.zhujian.pk)
    # then
    source = Unit.objects.get(pk=district.jiaowei.pk)
    assert (source.active, source.merged_into_id) == (False, district.zhujian.pk)
    assert set(Person.objects.filter(unit=district.zhujian).values_list("username", flat=True)) == {
        "ll-zhujian",
        "ll-jiaowei",
        "nobody",
        teacher.username,
    }
    assert not RoleGrant.objects.filter(person=district.liaison).exists()
    assert verbs().count("org.person.updated") == 3
    assert verbs()[-1] == "org.unit.merged"
    assert Event.objects.get(verb="org.role.revoked").data["role"] == "liaison"
    with pytest.raises(ApplicationError, match="已停用，不能接收新的工作"):
        selectors.unit_require_active(source)


def test_unit_merge_moves_office_role_grants_to_target(district):
    services.unit_merge(actor=district.admin, source_id=district.section.pk, target_id=district.office.pk)
    grant = RoleGrant.objects.get(person=district.secretary)
    assert (grant.role, grant.unit_id) == (Role.SECRETARY, district.office.pk)
    district.secretary.refresh_from_db()
    authz.forget(district.secretary)
    assert authz.can(district.secretary, perms.PERSON_VIEW, district.liaison)


def test_unit_merge_without_moving_people_leaves_them(district):
    services.unit_merge(
        actor=district.admin, source_id=district.jiaowei.pk, target_id=district.zhujian.pk, move_people=False
    )
    assert Person.objects.filter(unit=district.jiaowei).count() == 2


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("jiaowei", "jiaowei", "不能并入本单位。"),
        ("office", "section", "不能并入本单位的下属单位。"),
    ],
)
def test_unit_merge_refuses_impossible_targets(district, source, target, message):
    before = written()
    with pytest.raises(ApplicationError) as caught:
        services.unit_merge(
            actor=district.admin,
            source_id=getattr(district, source).pk,
            target_id=getattr(district, target).pk,
        )
    assert caught.value.message == message
    assert written() == before


def test_unit_merge_refuses_unit_with_active_sub_units(district):
    with pytest.raises(ApplicationError) as caught:
        services.unit_merge(actor=district.admin, source_id=district.office.pk, target_id=district.jiaowei.pk)
    assert caught.value.message == (
        "单位“示范区人民政府办公室”还有启用的下属单位（示范区人民政府办公室秘书科），请先调整或停用这些单位。"
    )


def test_unit_deactivate_refuses_unit_with_active_people(district):
    before = written()
    with pytest.raises(ApplicationError) as caught:
        services.unit_deactivate(actor=district.admin, unit_id=district.jiaowei.pk)
    assert caught.value.message == (
        "单位“示范区教育委员会”还有 2 名启用的人员，请先将他们调到其他单位或停用后再停用本单位。"
    )
    assert written() == before


def test_unit_deactivate_refuses_unit_with_active_sub_units(district):
    empty = UnitFactory.create(full_name="示范区空单位")
    UnitFactory.create(full_name="示范区空单位下属科", parent=empty)
    with pytest.raises(ApplicationError) as caught:
        services.unit_deactivate(actor=district.admin, unit_id=empty.pk)
    assert (
        caught.value.message == "单位“示范区空单位”还有启用的下属单位（示范区空单位下属科），请先停用或调整这些单位。"
    )


def test_unit_deactivate_and_activate_round_trip(district):
    empty = UnitFactory.create(full_name="示范区空单位")
    services.unit_deactivate(actor=district.admin, unit_id=empty.pk)
    assert Unit.objects.get(pk=empty.pk).active is False
    services.unit_activate(actor=district.admin, unit_id=empty.pk)
    assert Unit.objects.get(pk=empty.pk).active is True
    assert verbs() == ["org.unit.deactivated", "org.unit.activated"]


def test_unit_activate_refuses_merged_unit(district):
    services.unit_merge(actor=district.admin, source_id=district.jiaowei.pk, target_id=district.zhujian.pk)
    with pytest.raises(ApplicationError) as caught:
        services.unit_activate(actor=district.admin, unit_id=district.jiaowei.pk)
    assert caught.value.message == "单位“示范区教育委员会”已并入“示范区住房和城乡建设委员会”，不能重新启用。"


def test_inactive_unit_cannot_receive_new_work(district):
    empty = UnitFactory.create(full_name="示范区撤销局")
    services.unit_deactivate(actor=district.admin, unit_id=empty.pk)
    empty.refresh_from_db()
    with pytest.raises(ApplicationError) as caught:
        selectors.unit_require_active(empty, field="lead_unit")
    assert caught.value.message == "单位“示范区撤销局”已停用，不能接收新的工作。"
    assert caught.value.field_errors() == {"lead_unit": ["单位“示范区撤销局”已停用，不能接收新的工作。"]}


# People -----------------------------------------------------------------------------------------------


def test_person_create_with_password_can_sign_in(district, client):
    person = services.person_create(
        actor=district.admin,
        username="zhang-san",
        name="张三",
        unit_id=district.jiaowei.pk,
        title="科员",
        phone="6912 3456",
        password="Zhongshu-2026-ok",
    )
    assert signs_in(client, "zhang-san", "Zhongshu-2026-ok")
    event = Event.objects.get(verb="org.person.created")
    assert event.changes["username"] == [None, "zhang-san"]
    assert event.data == {"password_set": True}
    assert "Zhongshu-2026-ok" not in str(event.changes) + str(event.data)
    assert person.has_usable_password()


def test_person_create_without_password_cannot_sign_in(district):
    person = services.person_create(actor=district.admin, username="li-si", name="李四", unit_id=district.jiaowei.pk)
    assert person.has_usable_password() is False


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "账号不能为空。"),
        ("ab", services.USERNAME_RULE),
        ("Zhang", services.USERNAME_RULE),
        ("zhang san", services.USERNAME_RULE),
        ("张三", services.USERNAME_RULE),
        ("a" * 41, services.USERNAME_RULE),
        ("admin", "账号“admin”已存在，请换一个。"),
    ],
)
def test_person_create_enforces_username_rules(district, username, message):
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(actor=district.admin, username=username, name="张三", unit_id=district.jiaowei.pk)
    assert caught.value.errors == {"username": [message]}
    assert written() == before


def test_person_create_requires_name_and_active_unit(district):
    stopped = UnitFactory.create(full_name="示范区撤销局", active=False)
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(actor=district.admin, username="wang-wu", name="  ", unit_id=stopped.pk)
    assert caught.value.errors == {
        "name": ["姓名不能为空。"],
        "unit_id": ["单位“示范区撤销局”已停用，不能接收新的工作。"],
    }


def test_person_create_rejects_weak_password_in_chinese(district):
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(
            actor=district.admin,
            username="wang-wu",
            name="王五",
            unit_id=district.jiaowei.pk,
            password="12345",
        )
    assert caught.value.errors == {
        "password": [
            "密码太短：至少需要 10 个字符。",
            "这个密码太常见了。",
            "密码只包含数字。",
        ]
    }


def test_person_update_moving_unit_ends_liaison_role_there(district):
    services.person_update(actor=district.admin, person_id=district.liaison.pk, unit_id=district.zhujian.pk)
    assert Person.objects.get(pk=district.liaison.pk).unit_id == district.zhujian.pk
    assert not RoleGrant.objects.filter(person=district.liaison).exists()
    assert verbs() == ["org.person.updated", "org.role.revoked"]
    assert Event.objects.get(verb="org.person.updated").changes == {"unit": [district.jiaowei.pk, district.zhujian.pk]}


def test_person_cannot_deactivate_themselves(district):
    with pytest.raises(ApplicationError) as caught:
        services.person_deactivate(actor=district.admin, person_id=district.admin.pk)
    assert caught.value.message == "不能停用自己的账号。"


def test_person_deactivate_blocks_sign_in_and_activate_restores(district, client):
    services.person_deactivate(actor=district.admin, person_id=district.nobody.pk)
    assert not signs_in(client, "nobody", "zhongshu-test")
    services.person_activate(actor=district.admin, person_id=district.nobody.pk)
    assert signs_in(client, "nobody", "zhongshu-test")
    assert verbs() == ["org.person.deactivated", "org.person.activated"]


def test_person_set_password_validates_and_records_without_the_password(district, client):
    with pytest.raises(ValidationFailed) as caught:
        services.person_set_password(actor=district.admin, person_id=district.nobody.pk, password="password")
    assert caught.value.errors == {"password": ["密码太短：至少需要 10 个字符。", "这个密码太常见了。"]}
    services.person_set_password(actor=district.admin, person_id=district.nobody.pk, password="Qingshan-2026!")
    assert signs_in(client, "nobody", "Qingshan-2026!")
    event = Event.objects.get(verb="org.person.password_set")
    assert (event.changes, event.data) == ({}, {})


# Roles and delegations -----------------------------------------------------------------------------------


def test_role_grant_defaults_to_own_unit_and_takes_effect(district):
    grant = services.role_grant(actor=district.admin, person_id=district.nobody.pk, role=Role.LIAISON)
    assert (grant.role, grant.unit_id) == (Role.LIAISON, district.jiaowei.pk)
    assert authz.can(Person.objects.get(pk=district.nobody.pk), perms.PERSON_VIEW, district.liaison)
    event = Event.objects.get(verb="org.role.granted")
    assert event.target_id == str(district.nobody.pk)
    assert event.data == {
        "role": "liaison",
        "role_label": "部门联络员",
        "unit_id": district.jiaowei.pk,
        "unit": "示范区教育委员会",
    }


def test_liaison_grant_must_be_within_own_unit(district):
    before = written()
    with pytest.raises(ValidationFailed) as caught:
        services.role_grant(
            actor=district.admin, person_id=district.nobody.pk, role=Role.LIAISON, unit_id=district.zhujian.pk
        )
    assert caught.value.errors == {"unit_id": ["部门联络员只能在本人所在单位授权：孙无角色在“示范区教育委员会”工作。"]}
    assert written() == before


def test_role_grant_refuses_duplicate_and_unknown_role(district):
    with pytest.raises(ApplicationError, match="已在“示范区教育委员会”拥有“部门联络员”角色"):
        services.role_grant(actor=district.admin, person_id=district.liaison.pk, role=Role.LIAISON)
    with pytest.raises(ValidationFailed) as caught:
        services.role_grant(actor=district.admin, person_id=district.liaison.pk, role="mayor")
    assert caught.value.errors == {"role": ["请选择有效的角色。"]}


def test_role_revoke_removes_grant(district):
    grant = RoleGrant.objects.get(person=district.liaison)
    services.role_revoke(actor=district.admin, grant_id=grant.pk)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert Event.objects.get(verb="org.role.revoked").data["role_label"] == "部门联络员"


def test_last_admin_cannot_lose_admin_role(district):
    grant = RoleGrant.objects.get(person=district.admin, role=Role.ADMIN)
    before = written()
    with pytest.raises(ApplicationError) as caught:
        services.role_revoke(actor=district.admin, grant_id=grant.pk)
    assert caught.value.message == "这样操作后系统将没有可用的系统管理员：请先为其他人授予系统管理员角色。"
    assert written() == before


def test_admin_role_can_be_revoked_when_another_admin_remains(district):
    services.role_grant(actor=district.admin, person_id=district.secretary.pk, role=Role.ADMIN)
    grant = RoleGrant.objects.get(person=district.admin, role=Role.ADMIN)
    services.role_revoke(actor=district.admin, grant_id=grant.pk)
    assert selectors.active_admin_ids() == {district.secretary.pk}


def test_delegation_lets_deputy_act_for_principal(district):
    # when
    delegation = services.delegation_create(
        actor=district.admin,
        principal_id=district.leader.pk,
        deputy_id=district.secretary.pk,
        note="登记批示",
    )
    # then "X 代 Y" passes the policy for what the leader may do
    assert str(delegation) == "李文秘 代 王区长"
    authz.require(district.secretary, perms.PERSON_VIEW, district.liaison, on_behalf_of=district.leader)
    event = Event.objects.get(verb="org.delegation.created")
    assert event.target_id == str(district.leader.pk)
    assert event.data["deputy"] == "李文秘"
    # and revoking ends it
    services.delegation_revoke(actor=district.admin, delegation_id=delegation.pk)
    with pytest.raises(authz.PermissionDenied):
        authz.require(district.secretary, perms.PERSON_VIEW, district.liaison, on_behalf_of=district.leader)
    # and it can be set up again
    again = services.delegation_create(
        actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk
    )
    assert again.pk == delegation.pk
    assert Delegation.objects.get().active is True


def test_delegation_refuses_self_and_duplicates(district):
    with pytest.raises(ValidationFailed) as caught:
        services.delegation_create(actor=district.admin, principal_id=district.leader.pk, deputy_id=district.leader.pk)
    assert caught.value.errors == {"deputy_id": ["代理人不能是被代理人本人。"]}
    services.delegation_create(actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk)
    with pytest.raises(ApplicationError) as caught_again:
        services.delegation_create(
            actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk
        )
    assert caught_again.value.message == "李文秘已是王区长的代理人。"


def test_grants_in_inactive_units_give_no_permission(district):
    services.unit_merge(
        actor=district.admin, source_id=district.jiaowei.pk, target_id=district.zhujian.pk, move_people=False
    )
    liaison = Person.objects.get(pk=district.liaison.pk)
    assert not authz.can(liaison, perms.PERSON_VIEW, liaison)
