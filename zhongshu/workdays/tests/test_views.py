"""The calendar pages: year view, day panel (htmx), the arrangement form, the list, nav and banner."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from zhongshu.core import nav
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory
from zhongshu.workdays import services
from zhongshu.workdays.context_processors import calendar_banner
from zhongshu.workdays.models import CalendarNotice, DayOverride, YearArrangement

D = dt.date
pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin_client(client, admin_person):
    client.force_login(admin_person)
    return client


@pytest.fixture
def liaison_client(client, make_person):
    client.force_login(make_person(Role.LIAISON))
    return client


# --- year view ----------------------------------------------------------------------------------------------


def test_year_view_shows_provisional_year_with_badges(liaison_client):
    response = liaison_client.get(reverse("workdays:year", args=[2027]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2027年工作日历" in html
    assert '<span class="badge badge-warn">暂定</span>' in html
    assert html.count('<span class="badge badge-muted">暂定</span>') == 19
    assert "录入2027年节假日安排" not in html  # not for a liaison


def test_year_view_defaults_to_this_year(admin_client):
    with time_machine.travel(dt.datetime(2026, 5, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        response = admin_client.get(reverse("workdays:year"))
    html = response.content.decode()
    assert "2026年工作日历" in html
    assert "内置国务院办公厅安排" in html
    assert "录入2026年节假日安排" in html


def test_year_view_denied_to_a_person_without_roles(client):
    client.force_login(PersonFactory())
    assert client.get(reverse("workdays:year", args=[2027])).status_code == 403


def test_year_view_asks_anonymous_to_sign_in(client):
    response = client.get(reverse("workdays:year", args=[2027]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_year_view_query_count_is_flat(admin_client, admin_person, django_assert_max_num_queries):
    for day in range(1, 20):
        services.day_set(actor=admin_person, date=D(2027, 3, day), workday=False, note="测试")
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("workdays:year", args=[2027]))
    assert response.status_code == 200


# --- the day panel ------------------------------------------------------------------------------------------


def test_day_panel_for_htmx_is_a_fragment_with_the_form_for_admins(admin_client):
    response = admin_client.get(reverse("workdays:day", args=["2026-10-10"]), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "调休上班" in html
    assert "保存设置" in html


def test_day_panel_has_no_form_for_viewers(liaison_client):
    html = liaison_client.get(reverse("workdays:day", args=["2026-10-10"])).content.decode()
    assert "<html" in html
    assert "调休上班" in html
    assert "保存设置" not in html


def test_admin_sets_a_day_with_htmx_and_gets_panel_and_month(admin_client):
    response = admin_client.post(
        reverse("workdays:day", args=["2027-02-20"]), {"workday": "1", "note": "春节调休"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已将2027-02-20设为上班。" in html
    assert 'id="month-2027-2" hx-swap-oob="true"' in html
    override = DayOverride.objects.get()
    assert (override.date, override.workday, override.note) == (D(2027, 2, 20), True, "春节调休")


def test_admin_sets_a_day_without_htmx_is_redirected_to_the_year(admin_client):
    response = admin_client.post(reverse("workdays:day", args=["2027-02-20"]), {"workday": "0", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:year", args=[2027])


def test_bad_day_form_keeps_the_input_and_answers_400(admin_client):
    long_note = "长" * 101
    response = admin_client.post(
        reverse("workdays:day", args=["2027-02-20"]), {"workday": "", "note": long_note}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择这一天上班还是休息。" in html
    assert "说明最多100个字（现在有101个字）。" in html
    assert long_note in html
    assert not DayOverride.objects.exists()


def test_viewer_cannot_post_a_day(liaison_client):
    response = liaison_client.post(reverse("workdays:day", args=["2027-02-20"]), {"workday": "1"})
    assert response.status_code == 403
    assert not DayOverride.objects.exists()


def test_malformed_day_in_url_is_404(admin_client):
    assert admin_client.get(reverse("workdays:day", args=["2027-02-30"])).status_code == 404


def test_admin_clears_a_day(admin_client, admin_person):
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True)
    response = admin_client.post(reverse("workdays:day_clear", args=["2027-02-20"]), headers=HTMX)
    assert response.status_code == 200
    assert "已清除2027-02-20的设置" in response.content.decode()
    assert not DayOverride.objects.exists()


def test_clearing_a_day_without_setting_answers_400_with_message(admin_client):
    response = admin_client.post(reverse("workdays:day_clear", args=["2027-02-20"]), headers=HTMX)
    assert response.status_code == 400
    assert "2027-02-20 没有管理员设置，无需清除。" in response.content.decode()


def test_viewer_cannot_clear_a_day(liaison_client, admin_person):
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True)
    response = liaison_client.post(reverse("workdays:day_clear", args=["2027-02-20"]))
    assert response.status_code == 403
    assert DayOverride.objects.count() == 1


# --- entering a year's arrangement --------------------------------------------------------------------------


def test_arrangement_form_is_prefilled_with_provisional_days(admin_client):
    html = admin_client.get(reverse("workdays:arrangement", args=[2027])).content.decode()
    assert "2027-02-09 休 春节" in html
    assert "保存2027年安排" in html


def test_arrangement_form_saves_and_redirects(admin_client):
    response = admin_client.post(
        reverse("workdays:arrangement", args=[2027]),
        {"dates": "2027-01-01 休 元旦\n2027-02-13 班 春节调休", "note": "国办发明电"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:year", args=[2027])
    assert YearArrangement.objects.get().year == 2027
    assert DayOverride.objects.count() == 2


def test_arrangement_form_shows_line_errors_and_keeps_the_text(admin_client):
    text = "2027-01-01 休 元旦\n2027-02-30 休"
    response = admin_client.post(reverse("workdays:arrangement", args=[2027]), {"dates": text, "note": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "第2行的日期不存在，请检查年月日" in html
    assert "2027-02-30 休" in html
    assert not YearArrangement.objects.exists()


def test_arrangement_form_is_for_admins_only(liaison_client):
    assert liaison_client.get(reverse("workdays:arrangement", args=[2027])).status_code == 403


# --- list of overrides --------------------------------------------------------------------------------------


def test_override_list_filters_by_year(liaison_client, admin_person):
    services.day_set(actor=admin_person, date=D(2027, 2, 20), workday=True, note="春节调休")
    services.day_set(actor=admin_person, date=D(2028, 1, 29), workday=True, note="另一年")
    html = liaison_client.get(reverse("workdays:overrides") + "?year=2027").content.decode()
    assert "春节调休" in html
    assert "另一年" not in html


def test_override_list_query_count_does_not_grow(liaison_client, admin_person, django_assert_max_num_queries):
    services.day_set(actor=admin_person, date=D(2027, 1, 31), workday=False, note="第0天")
    with django_assert_max_num_queries(12) as one_row:  # the page shell's queries included
        liaison_client.get(reverse("workdays:overrides"))
    for day in range(1, 29):
        services.day_set(actor=admin_person, date=D(2027, 2, day), workday=False, note=f"第{day}天")
    with django_assert_max_num_queries(12) as many_rows:
        response = liaison_client.get(reverse("workdays:overrides"))
    assert response.content.decode().count("<tr>") == 30
    assert len(many_rows) == len(one_row)


# --- navigation and banner ----------------------------------------------------------------------------------


def test_nav_shows_the_calendar_in_the_workbench_to_viewers_and_in_administration_to_admins(make_person):
    entry = {"label": "工作日历", "url": reverse("workdays:year"), "url_name": "workdays:year"}
    liaison = dict(nav.sections_for(make_person(Role.LIAISON)))
    admin = dict(nav.sections_for(make_person(Role.ADMIN)))

    assert entry in liaison["工作台"]
    assert "系统管理" not in liaison
    assert entry in admin["系统管理"]
    assert entry not in admin["工作台"]
    assert "系统管理" not in dict(nav.sections_for(PersonFactory()))


def _request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_banner_for_admins_while_a_notice_is_open(admin_person, django_assert_num_queries):
    notice = CalendarNotice.objects.create(year=2027)
    request = _request_for(admin_person)
    from zhongshu.core import authz

    authz.grants_of(admin_person)  # the shell already loaded the grants for this request
    with django_assert_num_queries(1):
        assert calendar_banner(request) == {"calendar_notice": notice}


def test_no_banner_for_others_and_no_query(make_person, django_assert_num_queries):
    CalendarNotice.objects.create(year=2027)
    person = make_person(Role.SUPERVISOR)
    from zhongshu.core import authz

    authz.grants_of(person)
    with django_assert_num_queries(0):
        assert calendar_banner(_request_for(person)) == {"calendar_notice": None}


def test_banner_is_rendered_on_pages_with_a_link_to_the_form(admin_client):
    CalendarNotice.objects.create(year=2027)
    html = admin_client.get(reverse("workdays:year", args=[2026])).content.decode()
    assert "请录入2027年国务院办公厅公布的节假日安排" in html
    assert reverse("workdays:arrangement", args=[2027]) in html


def test_no_banner_once_resolved(admin_client, admin_person):
    CalendarNotice.objects.create(year=2027)
    services.year_arrangement_enter(actor=admin_person, year=2027, holidays=[D(2027, 1, 1)], workdays=[])
    html = admin_client.get(reverse("workdays:year", args=[2026])).content.decode()
    assert "请录入2027年" not in html
