"""The district leader in charge of a unit (分管区领导): set by administrators, copied on formal 催办 notices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import PermissionDenied, ValidationFailed
from zhongshu.org import services
from zhongshu.org.choices import Role


def test_admin_sets_and_clears_the_leader_in_charge(district, make_person):
    deputy = make_person(Role.LEADER, unit=district.leader.unit, username="fuquzhang", name="陈副区长")
    unit = services.unit_set_leader_in_charge(actor=district.admin, unit_id=district.jiaowei.pk, leader_id=deputy.pk)
    assert unit.leader_in_charge == deputy
    event = Event.objects.order_by("-seq").first()
    assert event is not None
    assert event.verb == "org.unit.leader_set"
    assert event.changes == {"leader_in_charge": [None, deputy.pk]}
    services.unit_set_leader_in_charge(actor=district.admin, unit_id=district.jiaowei.pk, leader_id=None)
    district.jiaowei.refresh_from_db()
    assert district.jiaowei.leader_in_charge is None


def test_only_a_leader_can_be_in_charge(district):
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.unit_set_leader_in_charge(
            actor=district.admin, unit_id=district.jiaowei.pk, leader_id=district.liaison.pk
        )
    assert "不是区领导" in refused.value.errors["leader_in_charge"][0]
    assert Event.objects.count() == before


def test_a_liaison_cannot_set_it(district):
    with pytest.raises(PermissionDenied):
        services.unit_set_leader_in_charge(
            actor=district.liaison, unit_id=district.jiaowei.pk, leader_id=district.leader.pk
        )


def test_the_unit_form_sets_it(client, district):
    client.force_login(district.admin)
    url = reverse("org:unit_edit", args=[district.jiaowei.pk])
    response = client.post(
        url,
        {"code": "jiaowei", "kind": "department", "display_order": "5", "leader_in_charge": district.leader.pk},
    )
    assert response.status_code == 302
    district.jiaowei.refresh_from_db()
    assert district.jiaowei.leader_in_charge == district.leader
    page = client.get(reverse("org:unit_detail", args=[district.jiaowei.pk]))
    assert "王区长" in page.content.decode()
