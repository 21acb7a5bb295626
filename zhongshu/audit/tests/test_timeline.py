"""The timeline component: registries, the {% timeline %} tag, the audit:timeline view and its permissions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.audit import selectors, timelines, verbs
from zhongshu.audit import services as audit
from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.core.middleware import _client_address
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit
from zhongshu.org.tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def verb_labels(monkeypatch):
    monkeypatch.setattr(verbs, "_LABELS", dict(verbs._LABELS))
    verbs.register("audit.unit.retitled_for_test", "单位更名")


def url_for(obj):
    return reverse("audit:timeline", args=[timelines.type_of(type(obj)), obj.pk])


# Registries --------------------------------------------------------------------------------------------


def test_timeline_registration_is_idempotent_and_refuses_a_second_permission(monkeypatch):
    monkeypatch.setattr(timelines, "_REGISTRY", {})
    timelines.register(Unit, view_perm="org.unit.view")
    timelines.register(Unit, view_perm="org.unit.view")
    assert timelines.get("org.unit") == timelines.Timeline(Unit, "org.unit.view")
    with pytest.raises(ValueError, match="different permissions"):
        timelines.register(Unit, view_perm="org.unit.manage")


def test_verb_label_falls_back_to_the_verb(verb_labels):
    assert verbs.label("audit.unit.retitled_for_test") == "单位更名"
    assert verbs.label("org.unit.examined_by_tests") == "org.unit.examined_by_tests"
    verbs.register("audit.unit.retitled_for_test", "单位更名")  # same label again: fine
    with pytest.raises(ValueError, match="different labels"):
        verbs.register("audit.unit.retitled_for_test", "更名")
    with pytest.raises(ValueError, match="past_verb"):
        verbs.register("renamed", "更名")


# The tag -----------------------------------------------------------------------------------------------


def render_tag(obj, text="{% load audit_tags %}{% timeline obj %}", user=None):
    request = RequestFactory().get("/")
    request.user = user
    return Template(text).render(Context({"obj": obj, "request": request}))


def test_tag_renders_a_lazy_htmx_placeholder_without_queries(unit_timeline, unit, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_tag(unit)
    assert f'hx-get="/audit/timeline/org.unit/{unit.pk}/"' in html
    assert 'hx-trigger="load"' in html
    assert "正在加载留痕记录" in html


def test_tag_renders_nothing_for_a_model_without_registered_timeline(monkeypatch, unit):
    monkeypatch.setattr(timelines, "_REGISTRY", {})
    assert render_tag(unit).strip() == ""


def test_inline_tag_renders_entries_with_one_query(unit_timeline, unit, make_person, django_assert_num_queries):
    # given a person whose grants are loaded, and three events
    viewer = make_person(Role.DIRECTOR)
    authz.can(viewer, "org.unit.view", unit)
    for _ in range(3):
        audit.record(actor=viewer, verb="org.unit.touched", target=unit)
    # when the tag renders inline / then one query reads the events
    with django_assert_num_queries(1):
        html = render_tag(unit, "{% load audit_tags %}{% timeline obj lazy=False %}", user=viewer)
    assert html.count("<tr>") == 4  # header + 3 entries


def test_inline_tag_renders_nothing_for_a_person_who_may_not_read(unit_timeline, make_person):
    liaison = make_person(Role.LIAISON)
    other = PersonFactory.create()
    html = render_tag(other, "{% load audit_tags %}{% timeline obj lazy=False %}", user=liaison)
    assert html.strip() == ""


# The view: permissions ---------------------------------------------------------------------------------


@pytest.fixture
def subject(unit):
    """A person of 区教委 whose timeline is asked for, with one event."""
    person = PersonFactory.create(unit=unit, name="被查看人")
    audit.record(actor=None, verb="org.person.created", target=person)
    return person


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("no_role", 404),
        ("liaison_other_unit", 404),
        ("liaison_same_unit", 200),
        ("director", 200),
        ("admin", 200),
    ],
)
def test_timeline_view_permission_matrix(client, unit_timeline, subject, make_person, who, status):
    # given a person in one of the positions of the matrix
    people = {
        "no_role": lambda: PersonFactory.create(unit=subject.unit),
        "liaison_other_unit": lambda: make_person(Role.LIAISON),
        "liaison_same_unit": lambda: make_person(Role.LIAISON, unit=subject.unit),
        "director": lambda: make_person(Role.DIRECTOR),
        "admin": lambda: make_person(Role.ADMIN),
    }
    if who != "anonymous":
        client.force_login(people[who]())
    before = Event.objects.count()
    # when they open the timeline of the subject
    response = client.get(url_for(subject), **HTMX)
    # then they see it, are refused with 404 (no existence leak) or sent to log in; nothing is written
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        assert "创建" in response.content.decode() or "org.person.created" in response.content.decode()
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/audit/timeline/org.nothing/1/",
        "/audit/timeline/audit.event/1/",
        "/audit/timeline/org.unit/abc/",
        "/audit/timeline/org.unit/0/",
        "/audit/timeline/org.unit/999999/",
    ],
)
def test_timeline_view_answers_404_for_unknown_type_bad_or_missing_id(client, unit_timeline, admin_person, path):
    client.force_login(admin_person)
    assert client.get(path).status_code == 404


# The view: content -------------------------------------------------------------------------------------


def test_timeline_shows_entries_newest_first_with_labels_values_and_address(
    client, unit_timeline, verb_labels, unit, make_person
):
    # given a rename by a secretary on a leader's behalf, from a known address, at 09:05 Beijing time
    secretary = make_person(Role.SECRETARY, name="秘书甲")
    leader = make_person(Role.LEADER, name="区长乙")
    parent = UnitFactory.create(full_name="示范区人民政府", kind=UnitKind.LEADERSHIP)
    audit.record(actor=None, verb="org.unit.created", target=unit)
    token = _client_address.set("10.8.1.20")
    try:
        with time_machine.travel(dt.datetime(2026, 9, 30, 1, 5, tzinfo=dt.UTC), tick=False):
            audit.record(
                actor=secretary,
                on_behalf_of=leader,
                verb="audit.unit.retitled_for_test",
                target=unit,
                changes={
                    "full_name": ["示范区教育局", "示范区教育委员会"],
                    "parent": [None, parent.pk],
                    "kind": ["town", "department"],
                    "active": [False, True],
                },
            )
    finally:
        _client_address.reset(token)
    client.force_login(make_person(Role.DIRECTOR))
    # when the timeline entries are loaded
    html = client.get(url_for(unit), **HTMX).content.decode()
    # then the newest entry comes first, in the office's words
    assert html.index("单位更名") < html.index(verbs.label("org.unit.created"))
    assert "2026-09-30 09:05" in html
    assert "秘书甲 代 区长乙" in html
    assert '<small class="muted">10.8.1.20</small>' in html
    assert "<dt>全称</dt><dd>示范区教育局 → 示范区教育委员会</dd>" in html
    assert "<dt>上级单位</dt><dd>（空） → 示范区人民政府</dd>" in html
    assert "<dt>类别</dt><dd>镇 → 区政府部门</dd>" in html
    assert "<dt>启用</dt><dd>否 → 是</dd>" in html
    assert "<html" not in html  # the partial


def test_timeline_without_htmx_is_a_full_page(client, unit_timeline, unit, admin_person):
    audit.record(actor=None, verb="org.unit.created", target=unit)
    client.force_login(admin_person)
    response = client.get(url_for(unit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "留痕记录：示范区教育委员会" in html


def test_empty_timeline_says_so(client, unit_timeline, unit, admin_person):
    client.force_login(admin_person)
    assert "暂无留痕记录" in client.get(url_for(unit), **HTMX).content.decode()


def test_timeline_loads_50_at_a_time_with_a_more_button(client, unit_timeline, unit, admin_person, chain_of):
    # given 120 events
    chain_of(120)
    client.force_login(admin_person)
    # when the first page loads / then 50 entries and a "更多" button for the next 50
    first = client.get(url_for(unit), **HTMX).content.decode()
    assert first.count("<tr>") == 51
    assert f'hx-get="{url_for(unit)}?offset=50"' in first
    assert ">更多</a>" in first
    # when the last page loads / then 20 entries and no button
    last = client.get(url_for(unit) + "?offset=100", **HTMX).content.decode()
    assert last.count("<tr>") == 20
    assert "更多" not in last
    assert "暂无留痕记录" not in client.get(url_for(unit) + "?offset=500", **HTMX).content.decode()


def test_timeline_page_reads_events_in_one_query(
    unit_timeline, unit, admin_person, chain_of, django_assert_num_queries
):
    chain_of(30)
    authz.can(admin_person, "org.unit.view", unit)  # grants cached, as after the page's own checks
    with django_assert_num_queries(1):
        page = selectors.timeline_page(actor=admin_person, target=unit)
    assert [e.seq for e in page.entries][:3] == [30, 29, 28]


def test_changed_foreign_keys_cost_one_query_per_related_model(
    unit_timeline, unit, admin_person, django_assert_num_queries
):
    parents = [UnitFactory.create() for _ in range(5)]
    for parent in parents:
        audit.record(actor=None, verb="org.unit.moved", target=unit, changes={"parent": [None, parent.pk]})
    authz.can(admin_person, "org.unit.view", unit)
    with django_assert_num_queries(2):
        page = selectors.timeline_page(actor=admin_person, target=unit)
    assert page.entries[0].changes[0].after == parents[-1].full_name


def test_timeline_view_queries_do_not_grow_with_events(
    client, unit_timeline, unit, admin_person, chain_of, django_assert_num_queries
):
    client.force_login(admin_person)
    chain_of(3)
    with CaptureQueriesContext(connection) as few:
        client.get(url_for(unit), **HTMX)
    assert sum("audit_event" in q["sql"] for q in few.captured_queries) == 1
    chain_of(60)
    with django_assert_num_queries(len(few)):
        client.get(url_for(unit), **HTMX)


def test_person_timeline_type_is_the_concrete_model(unit_timeline, subject):
    assert url_for(subject) == f"/audit/timeline/org.person/{subject.pk}/"
    assert Person._meta.label_lower == "org.person"
