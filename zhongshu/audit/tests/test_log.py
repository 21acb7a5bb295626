"""The full log page (留痕日志): who may open it, filters, paging, and the verify button."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.audit import selectors
from zhongshu.audit import services as audit
from zhongshu.audit.models import Event
from zhongshu.core import nav
from zhongshu.core.exceptions import ValidationFailed
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory

from .conftest import raw_sql

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
VERIFY = reverse("audit:verify")
HTMX = {"HTTP_HX_REQUEST": "true"}


def login_as(client, make_person, who):
    if who == "anonymous":
        return None
    person = PersonFactory.create() if who == "no_role" else make_person(Role(who))
    client.force_login(person)
    return person


ROLES = ["anonymous", "no_role", "liaison", "leader", "supervisor", "director", "admin"]


@pytest.mark.parametrize(
    ("who", "status"),
    list(zip(ROLES, [302, 403, 403, 403, 403, 200, 200], strict=True)),
)
def test_log_page_permission_matrix(client, make_person, chain_of, who, status):
    # given some events and a person in one of the positions of the matrix
    chain_of(3)
    login_as(client, make_person, who)
    # when they open the log / then only the director and the administrator see it; nothing is written
    response = client.get(LOG)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        assert "留痕日志" in response.content.decode()
    assert Event.objects.count() == 3


@pytest.mark.parametrize(
    ("who", "status"),
    list(zip(ROLES, [302, 403, 403, 403, 403, 403, 200], strict=True)),
)
def test_verify_permission_matrix(client, make_person, chain_of, who, status):
    chain_of(3)
    login_as(client, make_person, who)
    response = client.post(VERIFY, **HTMX)
    assert response.status_code == status
    if status == 200:
        assert "留痕完整：共 3 条事件" in response.content.decode()
    assert Event.objects.count() == 3


def test_verify_refuses_get(client, admin_person):
    client.force_login(admin_person)
    assert client.get(VERIFY).status_code == 405


def test_verify_button_is_shown_to_the_administrator_only(client, make_person, admin_person):
    client.force_login(admin_person)
    assert "立即校验" in client.get(LOG).content.decode()
    client.force_login(make_person(Role.DIRECTOR))
    assert "立即校验" not in client.get(LOG).content.decode()


def test_log_is_in_the_navigation_of_those_who_may_open_it(make_person, admin_person):
    def labels(person):
        return [item["label"] for _, items in nav.sections_for(person) for item in items]

    assert "留痕日志" in labels(admin_person)
    assert "留痕日志" in labels(make_person(Role.DIRECTOR))
    assert "留痕日志" not in labels(make_person(Role.LIAISON))


def test_verify_reports_the_first_bad_event(client, admin_person, chain_of):
    chain_of(10)
    raw_sql("DELETE FROM audit_event WHERE seq = 6")
    client.force_login(admin_person)
    html = client.post(VERIFY, **HTMX).content.decode()
    assert 'class="alert alert-error"' in html
    assert "第 6 号事件：序号缺失（记录被删除）" in html


def test_verify_without_htmx_shows_the_result_on_the_log_page(client, admin_person, chain_of):
    chain_of(2)
    client.force_login(admin_person)
    html = client.post(VERIFY).content.decode()
    assert "<html" in html
    assert 'class="alert alert-ok"' in html
    assert "留痕完整：共 2 条事件" in html


# Filters and paging ------------------------------------------------------------------------------------


@pytest.fixture
def varied_events(unit, make_person):
    """Three events: a unit created by 张主任 on 29 Sep, a unit renamed by 李秘书 for 王区长 on 1 Oct,
    a person created by the system on 2 Oct (dates in Beijing time)."""
    zhang = make_person(Role.DIRECTOR, name="张主任")
    li = make_person(Role.SECRETARY, name="李秘书")
    wang = make_person(Role.LEADER, name="王区长")
    tz = dt.timezone(dt.timedelta(hours=8))
    with time_machine.travel(dt.datetime(2026, 9, 29, 10, tzinfo=tz), tick=False):
        audit.record(actor=zhang, verb="org.unit.created", target=unit)
    with time_machine.travel(dt.datetime(2026, 10, 1, 0, 30, tzinfo=tz), tick=False):
        audit.record(actor=li, on_behalf_of=wang, verb="org.unit.renamed", target=unit)
    with time_machine.travel(dt.datetime(2026, 10, 2, 23, 59, tzinfo=tz), tick=False):
        audit.record(actor=None, verb="org.person.created", target=zhang)
    return zhang


@pytest.mark.parametrize(
    ("filters", "seqs"),
    [
        ({}, [3, 2, 1]),
        ({"verb": "org.unit"}, [2, 1]),
        ({"verb": "org.unit.renamed"}, [2]),
        ({"verb": "org.uni"}, []),
        ({"actor": "张"}, [1]),
        ({"actor": "王区长"}, [2]),
        ({"target_type": "org.person"}, [3]),
        ({"date_from": "2026-10-01"}, [3, 2]),
        ({"date_to": "2026-09-30"}, [1]),
        ({"date_from": "2026-10-01", "date_to": "2026-10-01"}, [2]),
        ({"date_from": "2026-10-02", "date_to": "2026-10-02"}, [3]),
    ],
)
def test_log_filters(unit_timeline, admin_person, varied_events, filters, seqs):
    events = selectors.event_list(actor=admin_person, filters=filters)
    assert [e.seq for e in events] == seqs


def test_target_id_filter(unit_timeline, admin_person, varied_events):
    events = selectors.event_list(actor=admin_person, filters={"target_id": str(varied_events.pk)})
    assert [e.verb for e in events if e.target_type == "org.person"] == ["org.person.created"]


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"date_from": "2026-13-01"}, "date_from", "输入一个有效的日期。"),
        ({"date_from": "2026-10-02", "date_to": "2026-10-01"}, "date_to", "结束日期不能早于开始日期。"),
        (
            {"target_type": "nothing.here"},
            "target_type",
            "选择一个有效的选项。 nothing.here 不在可用的选项中。",
        ),
    ],
)
def test_bad_filters_are_refused_in_chinese(unit_timeline, admin_person, filters, field, message):
    with pytest.raises(ValidationFailed) as caught:
        selectors.event_list(actor=admin_person, filters=filters)
    assert caught.value.errors == {field: [message]}


def test_bad_filter_on_the_page_keeps_the_input_and_shows_the_rule(client, admin_person, varied_events):
    client.force_login(admin_person)
    html = client.get(LOG, {"date_from": "2026-10-02", "date_to": "2026-10-01"}).content.decode()
    assert "结束日期不能早于开始日期。" in html
    assert 'value="2026-10-02"' in html
    assert "没有符合条件的留痕记录" in html


def test_log_list_is_refused_without_permission(make_person):
    with pytest.raises(PermissionDenied):
        selectors.event_list(actor=make_person(Role.LIAISON))
    assert list(selectors.events_visible_to(make_person(Role.LIAISON))) == []


def test_log_page_shows_labels_and_pages_by_50(client, admin_person, chain_of):
    chain_of(120)
    client.force_login(admin_person)
    html = client.get(LOG, {"page": 3}).content.decode()
    assert html.count('<td class="num">') == 20
    assert "第 3 / 3 页" in html


def test_log_page_queries_do_not_grow_with_events(client, admin_person, chain_of, django_assert_num_queries):
    # given the queries of the page with 3 events (the shell's own: session, person, grants, ...)
    client.force_login(admin_person)
    chain_of(3)
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    assert sum("audit_event" in q["sql"] for q in few.captured_queries) == 2  # count + page
    # when the page lists 50 of 63 events / then exactly as many queries
    chain_of(60)
    with django_assert_num_queries(len(few)):
        client.get(LOG)


def test_log_partial_for_htmx(client, admin_person, chain_of):
    chain_of(2)
    client.force_login(admin_person)
    html = client.get(LOG, **HTMX).content.decode()
    assert "<html" not in html
    assert html.count('<td class="num">') == 2


def test_log_links_objects_that_have_a_timeline(client, unit_timeline, admin_person, unit, chain_of):
    chain_of(1)
    client.force_login(admin_person)
    html = client.get(LOG).content.decode()
    assert f'<a href="/audit/timeline/org.unit/{unit.pk}/">示范区教育委员会</a>' in html
