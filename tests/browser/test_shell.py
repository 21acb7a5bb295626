"""Two people sign in through a real browser, see their own workbench, are refused a page their role may not
open, and sign out; the layout is checked at an office screen's size and at a phone's."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.urls import reverse

from zhongshu.org.choices import Role
from zhongshu.org.models import Person, Unit
from zhongshu.org.tests.factories import UnitFactory, person_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "zhongshu-test"
REFUSED_URL_NAME = "org:import"  # 导入单位和人员: administrators only


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Person]:
    jiaowei = cast(Unit, UnitFactory(code="jiaowei", full_name="示范区教育委员会", short_name="区教委"))
    office = cast(Unit, UnitFactory(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办"))
    return {
        "liaison": person_with_role(Role.LIAISON, unit=jiaowei, username="ll-jiaowei", name="李联络"),
        "admin": person_with_role(Role.ADMIN, unit=office, username="admin", name="王管理"),
    }


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def sign_out(page: Any, base: str) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{base}{reverse('login')}")


def test_two_roles_see_their_workbench_are_refused_and_sign_out(live_server, page, people, screenshot):
    base = live_server.url
    refused = reverse(REFUSED_URL_NAME)

    # The sign-in page is styled (CSS served by the app) and Chinese text renders.
    page.goto(f"{base}{reverse('login')}")
    assert page.title() == "登录 · 中枢 · 示范区人民政府办公室"
    assert page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundColor") == "rgb(21, 50, 90)"
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "01-login")

    # A wrong password is answered in Chinese and the username stays in the form.
    sign_in(page, base, "ll-jiaowei", password="wrong-password")
    assert page.locator(".alert-error").inner_text().startswith("用户名或密码错误")
    assert page.get_by_label("用户名").input_value() == "ll-jiaowei"
    screenshot(page, "02-login-error")

    # The liaison sees their own workbench, without the administrators' panel and entries.
    sign_in(page, base, "ll-jiaowei")
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text() == "我的工作台"
    assert "李联络" in page.locator(".who").inner_text()
    assert "示范区教育委员会" in page.locator("#panel-coreme").inner_text()
    assert page.locator("#panel-coresystem").count() == 0
    assert page.locator(".sidebar").get_by_role("link", name="单位").count() == 0
    screenshot(page, "03-workbench-liaison")

    # A page the liaison's role may not open is refused with the Chinese 403 page.
    response = page.goto(f"{base}{refused}")
    assert response is not None
    assert response.status == 403
    assert "您无权访问此页面" in page.locator("main").inner_text()
    screenshot(page, "04-refused-liaison")

    sign_out(page, base)
    assert page.goto(f"{base}/").url.startswith(f"{base}{reverse('login')}?next=/")

    # The administrator sees the system status panel and the administration entries, and may open the page.
    sign_in(page, base, "admin")
    page.wait_for_url(f"{base}/")
    assert "王管理" in page.locator(".who").inner_text()
    assert "启用单位" in page.locator("#panel-coresystem").inner_text()
    assert page.locator(".sidebar").get_by_role("link", name="接口文档").count() == 1
    screenshot(page, "05-workbench-admin")
    response = page.goto(f"{base}{refused}")
    assert response is not None
    assert response.status == 200
    sign_out(page, base)
    screenshot(page, "06-signed-out")


def test_phone_layout_folds_the_navigation_behind_the_menu_button(live_server, phone_page, people, screenshot):
    base = live_server.url
    page = phone_page
    sign_in(page, base, "admin")
    page.wait_for_url(f"{base}/")

    sidebar = page.locator("#sidebar")
    assert not sidebar.is_visible()
    screenshot(page, "07-phone-workbench")

    page.get_by_role("button", name="菜单").click()
    assert sidebar.is_visible()
    assert page.get_by_role("button", name="菜单").get_attribute("aria-expanded") == "true"
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page wider than the phone screen: {widths}"
    screenshot(page, "08-phone-menu-open")


def test_missing_page_shows_the_chinese_404_in_the_layout(live_server, page, people, screenshot):
    base = live_server.url
    sign_in(page, base, "ll-jiaowei")
    page.wait_for_url(f"{base}/")

    response = page.goto(f"{base}/no-such-page/")

    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert re.search("我的工作台", page.locator(".sidebar").inner_text())
    screenshot(page, "09-not-found")
