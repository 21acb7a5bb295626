"""The shell's pages: signing in and out, lockout, password change, the workbench, navigation, error pages,
static files and the offline API documentation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

import pytest
import time_machine
from axes.models import AccessAttempt
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse

from zhongshu.audit import services as audit
from zhongshu.audit.models import Event
from zhongshu.core import htmx, workbench
from zhongshu.org.choices import Role
from zhongshu.org.models import Delegation, Person, Unit
from zhongshu.org.tests.factories import PersonFactory, UnitFactory, person_with_role
from zhongshu.workdays.models import CalendarNotice

PASSWORD = "zhongshu-test"
NEW_PASSWORD = "Qiuyue-2026-xin"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def make_unit(**kwargs: Any) -> Unit:
    return cast(Unit, UnitFactory(**kwargs))


def make_person(role: Role | None = None, unit: Unit | None = None, **kwargs: Any) -> Person:
    if role is None:
        return cast(Person, PersonFactory(unit=unit or make_unit(), **kwargs))
    return person_with_role(role, unit=unit, **kwargs)


@pytest.fixture
def jiaowei(db) -> Unit:
    return make_unit(code="jiaowei", full_name="示范区教育委员会", short_name="区教委")


@pytest.fixture
def liaison(jiaowei) -> Person:
    return make_person(Role.LIAISON, unit=jiaowei, username="ll-jiaowei", name="李联络", title="办公室副主任")


@pytest.fixture
def admin(db) -> Person:
    office = make_unit(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办")
    return make_person(Role.ADMIN, unit=office, username="admin", name="王管理", title="信息中心主任")


def login(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def text(response: Any) -> str:
    return response.content.decode()


# --- signing in ---------------------------------------------------------------------------------------------


def test_login_page_shows_district_and_chinese_fields(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    body = text(response)
    assert "示范区人民政府办公室工作平台" in body
    assert "<title>登录 · 中枢 · 示范区人民政府办公室</title>" in body
    assert ">用户名<" in body
    assert ">密码<" in body
    assert 'class="sidebar"' not in body


def test_login_with_right_password_opens_the_workbench(client, liaison):
    response = login(client, "ll-jiaowei")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(liaison.pk)


def test_login_follows_next_to_the_page_asked_for(client, liaison):
    response = login(client, "ll-jiaowei", next=reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")


def test_login_ignores_next_pointing_to_another_host(client, liaison):
    response = login(client, "ll-jiaowei", next="https://evil.example.com/")

    assert response["Location"] == reverse("home")


def test_login_page_keeps_next_in_the_form(client, db):
    response = client.get(reverse("login") + "?next=/password/")

    assert '<input type="hidden" name="next" value="/password/">' in text(response)


def test_login_with_wrong_password_shows_chinese_error_and_keeps_username(client, liaison):
    response = login(client, "ll-jiaowei", password="wrong-password")

    assert response.status_code == 200
    body = text(response)
    assert "用户名或密码错误" in body
    assert 'value="ll-jiaowei"' in body
    assert "_auth_user_id" not in client.session


def test_login_with_empty_fields_names_each_field(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    body = text(response)
    assert "请填写用户名。" in body
    assert "请填写密码。" in body


def test_signed_in_person_opening_login_goes_to_workbench(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_fifth_failure_locks_the_account_even_for_the_right_password(client, liaison):
    for _ in range(4):
        assert login(client, "ll-jiaowei", password="wrong-password").status_code == 200

    fifth = login(client, "ll-jiaowei", password="wrong-password")
    with_right_password = login(client, "ll-jiaowei")

    assert fifth.status_code == 429
    assert "登录失败次数过多" in text(fifth)
    assert "30 分钟" in text(fifth)
    assert "请稍后再试或联系系统管理员" in text(fifth)
    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.count() == 1


def test_lockout_of_one_account_leaves_another_account_alone(client, liaison, admin):
    for _ in range(5):
        login(client, "ll-jiaowei", password="wrong-password")

    response = login(client, "admin")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_inactive_person_cannot_sign_in(client, liaison):
    liaison.is_active = False
    liaison.save(update_fields=["is_active"])

    response = login(client, "ll-jiaowei")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- signing out --------------------------------------------------------------------------------------------


def test_logout_by_post_ends_the_session(client, liaison):
    client.force_login(liaison)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused_and_keeps_the_session(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(liaison.pk)


def test_every_signed_in_page_offers_password_change_and_a_logout_form(client, liaison):
    client.force_login(liaison)

    body = text(client.get(reverse("home")))

    assert f'<a href="{reverse("password_change")}">修改密码</a>' in body
    assert re.search(r'<form method="post" action="/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"', body)
    assert "李联络" in body
    assert "区教委" in body
    assert "部门联络员" in body


# --- password change ----------------------------------------------------------------------------------------


def password_form(old: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None) -> dict[str, str]:
    return {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}


def test_password_change_sets_the_new_password_and_keeps_the_session(client, liaison):
    client.force_login(liaison)

    response = client.post(reverse("password_change"), password_form())

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    liaison.refresh_from_db()
    assert liaison.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    event = Event.objects.get(verb="org.person.password_changed")
    assert (event.actor_id, event.target_id) == (liaison.pk, str(liaison.pk))
    assert "密码已修改" in text(client.get(reverse("password_change_done")))


def test_password_change_page_marks_required_fields_in_chinese(client, liaison):
    client.force_login(liaison)

    body = text(client.get(reverse("password_change")))

    assert "原密码" in body
    assert "再次输入新密码" in body
    assert body.count('<span class="req" title="必填">*</span>') == 3
    assert "密码至少需要 10 个字符。" in body


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (password_form(old="wrong-password"), "old_password", "原密码不正确，请重新输入。"),
        (password_form(again="Qiuyue-2026-other"), "new_password2", "两次输入的新密码不一致。"),
        (password_form(new="short"), "new_password2", "密码太短：至少需要 10 个字符。"),
        (password_form(old=""), "old_password", "请填写原密码。"),
    ],
)
def test_password_change_refusal_names_the_field_and_writes_nothing(client, liaison, form, field, message):
    client.force_login(liaison)

    response = client.post(reverse("password_change"), form)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert 'class="field has-error"' in text(response)
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD)
    assert not Event.objects.exists()


def test_password_change_by_anonymous_redirects_to_login_and_writes_nothing(client, liaison):
    response = client.post(reverse("password_change"), password_form())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD)
    assert not Event.objects.exists()


# --- workbench and navigation -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_with_next(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def panel_keys(response: Any) -> list[str]:
    """The foundation's panels on the page (modules add their own between them)."""
    return [item.panel.key for item in response.context["panels"] if item.panel.key.startswith("core.")]


def test_liaison_workbench_shows_own_panels_but_not_system_status(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert panel_keys(response) == ["core.me", "core.today", "core.recent"]
    body = text(response)
    assert "<h1>我的工作台</h1>" in body
    assert "示范区教育委员会" in body
    assert "办公室副主任" in body
    assert "系统状况" not in body


def test_admin_workbench_adds_system_status(client, admin, liaison):
    client.force_login(admin)

    response = client.get(reverse("home"))

    assert panel_keys(response) == ["core.me", "core.today", "core.system", "core.recent"]
    system = next(item.data for item in response.context["panels"] if item.panel.key == "core.system")
    assert (system["units"], system["people"], system["last_event_at"]) == (2, 2, None)
    assert "系统状况" in text(response)


def test_my_information_lists_roles_with_units_and_delegations(client, liaison, admin):
    leader = make_person(Role.LEADER, name="赵区长")
    Delegation.objects.create(principal=leader, deputy=liaison)
    Delegation.objects.create(principal=liaison, deputy=admin)
    Delegation.objects.create(principal=admin, deputy=liaison, active=False)
    client.force_login(liaison)

    body = text(client.get(reverse("home")))

    assert "您可代 赵区长 办理" in body
    assert "王管理 可代您办理" in body
    assert "您可代 王管理 办理" not in body
    assert re.search(r'<span class="badge">部门联络员</span> <span class="muted">区教委</span>', body)


@time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_today_panel_shows_weekday_workday_and_next_three_holidays(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("home"))

    today = next(item.data for item in response.context["panels"] if item.panel.key == "core.today")
    assert today["today"] == dt.date(2026, 9, 30)
    assert today["day"].workday
    assert [(p.name, p.start, p.end, p.provisional) for p in today["holidays"]] == [
        ("国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 7), False),
        ("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3), True),
        ("春节", dt.date(2027, 2, 5), dt.date(2027, 2, 10), True),
    ]
    body = text(response)
    assert "2026年9月30日 星期三" in body
    assert "10月1日—10月7日，共 7 天" in body


@time_machine.travel(dt.datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_today_panel_on_a_holiday_names_it_and_skips_the_current_period(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("home"))

    today = next(item.data for item in response.context["panels"] if item.panel.key == "core.today")
    assert (today["day"].workday, today["day"].name) == (False, "国庆节")
    assert today["holidays"][0].name == "元旦"
    assert "法定节假日" in text(response)


def test_recent_operations_list_only_own_events_newest_first_with_labels(client, liaison, admin, jiaowei):
    audit.record(actor=liaison, verb="org.unit.updated", target=jiaowei)
    audit.record(actor=admin, verb="org.unit.renamed", target=jiaowei)
    audit.record(actor=liaison, verb="org.person.password_changed", target=liaison)
    client.force_login(liaison)

    response = client.get(reverse("home"))

    recent = next(item.data for item in response.context["panels"] if item.panel.key == "core.recent")
    assert [row["event"].verb for row in recent["events"]] == [
        "org.person.password_changed",
        "org.unit.updated",
    ]
    assert "修改本人密码" in text(response)


def test_panel_returning_none_is_hidden_and_perm_limits_panels(rf, liaison, admin):
    hidden = workbench.Panel("test.hidden", "隐藏", "core/panels/_me.html", lambda request: None, order=1)
    admin_only = workbench.Panel("test.admin", "仅管理员", "core/panels/_me.html", perm=workbench.SYSTEM_VIEW)
    workbench.register(hidden)
    workbench.register(admin_only)
    try:
        keys: dict[str, list[str]] = {}
        for person in (liaison, admin):
            request = rf.get("/")
            request.user = person
            keys[person.username] = [item.panel.key for item in workbench.panels_for(request)]
    finally:
        workbench._PANELS.pop("test.hidden")
        workbench._PANELS.pop("test.admin")

    assert "test.hidden" not in keys["ll-jiaowei"] + keys["admin"]
    assert "test.admin" not in keys["ll-jiaowei"]
    assert "test.admin" in keys["admin"]


def test_workbench_queries_do_not_grow_with_events_grants_and_delegations(
    client, admin, jiaowei, django_assert_max_num_queries
):
    client.force_login(admin)
    client.get(reverse("home"))  # warm the per-process calendar cache
    with django_assert_max_num_queries(16):
        client.get(reverse("home"))
    # More roles bring more panels (each module's own, with fixed queries): measure with them, then add more
    # events, grants of the same roles and delegations.
    for role in (Role.DIRECTOR, Role.SECRETARY, Role.SUPERVISOR):
        admin.grants.create(role=role, unit=jiaowei)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    for _ in range(12):
        audit.record(actor=admin, verb="org.unit.updated", target=jiaowei)
    for role in (Role.DIRECTOR, Role.SECRETARY, Role.SUPERVISOR):
        admin.grants.create(role=role, unit=make_person(Role.LIAISON).unit)
    for _ in range(3):
        Delegation.objects.create(principal=make_person(Role.LEADER), deputy=admin)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))

    assert response.status_code == 200


def nav_labels(response: Any) -> dict[str, list[str]]:
    return {section: [item["label"] for item in items] for section, items in response.context["nav_sections"]}


def test_admin_navigation_includes_system_administration(client, admin):
    client.force_login(admin)

    response = client.get(reverse("home"))

    nav = nav_labels(response)
    assert nav["工作台"][0] == "我的工作台"
    assert "接口文档" in nav["系统管理"]
    assert "工作日历" in nav["系统管理"]
    assert "工作日历" not in nav["工作台"]
    body = text(response)
    assert '<a href="/" class="active" aria-current="page">我的工作台</a>' in body
    assert f'<a href="{reverse("api:openapi-view")}">接口文档</a>' in body


def test_liaison_navigation_hides_system_administration(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("home"))

    nav = nav_labels(response)
    entries = [label for labels in nav.values() for label in labels]
    assert "我的工作台" in nav["工作台"]
    assert not {"单位", "人员", "导入", "接口文档", "留痕日志", "后台任务"} & set(entries)
    assert "系统管理" not in nav
    assert "工作日历" in nav["工作台"]
    assert "接口文档" not in text(response)


def test_navigation_highlights_the_entry_of_the_current_page(client, admin):
    client.force_login(admin)

    body = text(client.get(reverse("workdays:year")))

    assert f'<a href="{reverse("workdays:year")}" class="active" aria-current="page">工作日历</a>' in body
    assert '<a href="/" class="active"' not in body


# --- banners ------------------------------------------------------------------------------------------------

PINNED_BANNER = "演示时钟：系统时间固定为 2027年1月10日 10:00（ZHONGSHU_CLOCK）"


@pytest.mark.parametrize("signed_in", [False, True])
def test_pinned_clock_banner_on_every_page_including_login(client, settings, liaison, signed_in):
    settings.ZHONGSHU_CLOCK = "2027-01-10T10:00:00+08:00"
    if signed_in:
        client.force_login(liaison)
    page = reverse("home") if signed_in else reverse("login")

    body = text(client.get(page))

    assert PINNED_BANNER in body


def test_no_clock_banner_when_the_clock_is_not_pinned(client, settings, db):
    settings.ZHONGSHU_CLOCK = None

    assert "演示时钟" not in text(client.get(reverse("login")))


def test_calendar_notice_shows_its_banner_and_status_line_to_administrators_only(client, admin, liaison):
    CalendarNotice.objects.create(year=2027)

    client.force_login(admin)
    admin_body = text(client.get(reverse("home")))
    client.force_login(liaison)
    liaison_body = text(client.get(reverse("home")))

    assert "请录入2027年国务院办公厅公布的节假日安排" in admin_body
    assert "工作日历：2027年国务院办公厅放假安排尚未录入" in admin_body
    assert "请录入2027年" not in liaison_body


def test_django_messages_are_shown_as_alerts(client, liaison):
    client.force_login(liaison)
    client.post(reverse("password_change"), password_form())

    body = text(client.get(reverse("password_change_done")))

    assert '<div class="alert alert-ok" role="status">密码已修改。下次登录请使用新密码。</div>' in body


# --- error pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_missing_page_answers_404_in_chinese_within_the_layout(client, liaison, signed_in):
    if signed_in:
        client.force_login(liaison)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = text(response)
    assert "<h1>页面不存在</h1>" in body
    assert "未找到您要访问的页面或对象，或者您无权查看它。" in body
    assert "中枢 · 示范区人民政府办公室" in body
    assert ('class="sidebar"' in body) is signed_in


def test_refused_page_answers_403_saying_what_is_missing(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("org:import"))

    assert response.status_code == 403
    body = text(response)
    assert "<h1>您无权访问此页面</h1>" in body
    assert "您无权进行此操作：导入单位和人员。" in body


def test_server_error_page_renders_without_request_context(rf, db):
    from zhongshu.core.views import bad_request, server_error

    error = server_error(rf.get("/"))
    bad = bad_request(rf.get("/"), Exception("bad"))

    assert error.status_code == 500
    assert "系统处理您的请求时出错" in error.content.decode()
    assert "示范区人民政府办公室" in error.content.decode()
    assert bad.status_code == 400
    assert "请求的格式不正确" in bad.content.decode()


def test_csrf_failure_page_is_in_chinese(liaison):
    client = Client(enforce_csrf_checks=True)
    client.force_login(liaison)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert "页面已过期或来源无法验证" in text(response)


# --- static files and API docs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type", "marker"),
    [
        ("/static/css/zhongshu.css", "text/css", b"--topbar"),
        ("/static/js/zhongshu.js", "text/javascript", b"data-nav-toggle"),
        ("/static/vendor/htmx/htmx.min.js", "text/javascript", b"htmx"),
    ],
)
def test_static_files_are_served_by_the_app(client, db, path, content_type, marker):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert marker in b"".join(response.streaming_content)


def test_every_page_links_only_local_assets(client, liaison):
    client.force_login(liaison)

    body = text(client.get(reverse("home")))

    assert re.findall(r'(?:src|href)="(/static/[^"]+)"', body) == [
        "/static/img/favicon.svg",
        "/static/css/zhongshu.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/zhongshu.js",
    ]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)
    assert """hx-headers='{"X-CSRFToken": \"""" in body


def test_api_docs_are_served_offline(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    body = text(response)
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets
    assert all(url.startswith("/static/") for url in assets), assets
    assert not re.search(r"https?://", body)


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "中枢 Zhongshu API"


# --- htmx helpers, form and pagination snippets -------------------------------------------------------------


def test_render_page_or_partial_picks_the_partial_for_htmx(rf, liaison):
    plain = rf.get("/")
    fragment = rf.get("/", headers={"HX-Request": "true"})
    boosted = rf.get("/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    from django_htmx.middleware import HtmxDetails

    for request in (plain, fragment, boosted):
        request.user = liaison
        request.htmx = HtmxDetails(request)

    assert htmx.is_htmx(fragment)
    assert not htmx.is_htmx(plain)
    assert not htmx.is_htmx(boosted)
    ctx: dict[str, Any] = {"data": {"events": []}}
    partial = htmx.render_page_or_partial(fragment, "404.html", "core/panels/_recent.html", ctx)
    assert partial.content.decode().strip() == '<p class="empty">您还没有操作记录。</p>'
    full = htmx.render_page_or_partial(plain, "404.html", "core/panels/_recent.html", ctx, status=404)
    assert full.status_code == 404
    assert "<h1>页面不存在</h1>" in full.content.decode()


def test_hx_redirect_and_redirect_after_post(rf):
    response = htmx.hx_redirect("/org/units/")
    assert response["HX-Redirect"] == "/org/units/"

    request = rf.post("/x/", headers={"HX-Request": "true"})
    from django_htmx.middleware import HtmxDetails

    request.htmx = HtmxDetails(request)
    assert htmx.redirect_after_post(request, "/done/")["HX-Redirect"] == "/done/"
    plain = rf.post("/x/")
    plain.htmx = HtmxDetails(plain)
    assert htmx.redirect_after_post(plain, "/done/")["Location"] == "/done/"


class SampleForm(forms.Form):
    title = forms.CharField(label="标题", max_length=5, help_text="不超过 5 个字")
    note = forms.CharField(label="备注", required=False)
    urgent = forms.BooleanField(label="紧急", required=False)


def test_form_snippet_shows_errors_marks_required_and_keeps_input():
    form = SampleForm(data={"title": "太长的<标题>文字", "note": "保留我"})
    form.is_valid()
    form.add_error(None, "整体错误一")

    html = loader.render_to_string("core/_form.html", {"form": form})

    assert html.index("整体错误一") < html.index('for="id_title"')
    assert '<label for="id_title">标题<span class="req" title="必填">*</span></label>' in html
    assert '<label for="id_note">备注</label>' in html
    assert 'value="太长的&lt;标题&gt;文字"' in html
    assert 'value="保留我"' in html
    assert '<div class="field has-error">' in html
    assert '<div class="helptext" id="id_title_helptext">不超过 5 个字</div>' in html
    assert '<ul class="errorlist" id="id_title_error"><li>' in html
    assert 'class="field field-check"' in html


def test_pagination_keeps_the_query_string(db):
    request = RequestFactory().get("/org/people/", {"q": "张", "unit": "3", "page": "4"})
    request.user = AnonymousUser()
    page = Paginator(list(range(200)), 10).page(4)

    html = loader.render_to_string("core/_pagination.html", {"page_obj": page}, request)

    assert "共 200 条，第 4 / 20 页" in html
    assert 'href="?q=%E5%BC%A0&amp;unit=3&amp;page=5"' in html
    assert 'href="?q=%E5%BC%A0&amp;unit=3&amp;page=3"' in html
    assert '<span class="current" aria-current="page">4</span>' in html
    assert "…" in html
