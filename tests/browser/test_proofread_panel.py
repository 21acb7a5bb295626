"""The proofreading panel on tracking's registration form, in a real browser: findings appear beside the
text and are underlined in it, a click selects the span, a suggestion is accepted in one click, a finding is
dismissed with a reason (stored for the document), and typing goes on while a (slow) check runs.
Screenshots: test-artifacts/screenshots/proofread-panel-*.png (desktop and 390 px)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from zhongshu.checking.models import Dismissal
from zhongshu.tracking.tests.conftest import district  # noqa: F401  # the small district of the tracking tests

from .test_tracking import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

TEXT = "请区教委认真布署，务必截止今年底完成整治。"


def findings(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".pf-item .pf-text").all_inner_texts()]


def wait_for_findings(page: Any, expected: list[str]) -> None:
    deadline = time.monotonic() + 10
    while findings(page) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"findings {findings(page)} != {expected}")
        page.wait_for_timeout(100)


def open_form(page: Any, base: str) -> Any:
    sign_in(page, base, "ducha")
    page.goto(f"{base}{reverse('tracking:item_create')}")
    return page.locator("#id_content")


def test_findings_jump_accept_and_dismiss(live_server, page, district, screenshot):  # noqa: F811
    content = open_form(page, live_server.url)
    assert page.locator("[data-proofread-panel]").is_visible()

    content.click()
    content.press_sequentially(TEXT, delay=10)
    wait_for_findings(page, ["“布署”", "“截止”"])

    marks = page.locator(".pf-mirror mark")
    assert marks.all_inner_texts() == ["布署", "截止"]
    assert "pf-error" in (marks.first.get_attribute("class") or "")
    box = marks.first.bounding_box()
    area = content.bounding_box()
    assert box
    assert area
    assert area["x"] <= box["x"] < area["x"] + area["width"]
    expect(page.locator("[data-pf-status]")).to_contain_text("发现 2 处")
    screenshot(page, "proofread-panel-desktop")

    # Click a finding: the span is selected in the text.
    page.locator(".pf-item").nth(1).locator(".pf-jump").click()
    selection = content.evaluate("t => [t.selectionStart, t.selectionEnd, document.activeElement === t]")
    assert selection == [TEXT.index("截止"), TEXT.index("截止") + 2, True]

    # Accept the first suggestion: only that span changes, then the text is checked again.
    page.locator(".pf-item").first.get_by_role("button", name="改为“部署”").click()
    assert content.input_value() == TEXT.replace("布署", "部署")
    wait_for_findings(page, ["“截止”"])

    # Dismiss the other with a reason: it goes away and is stored for this form's document.
    item = page.locator(".pf-item").first
    item.get_by_role("button", name="忽略").click()
    item.locator("[data-pf-reason]").fill("引用文件原文")
    item.get_by_role("button", name="确认忽略").click()
    wait_for_findings(page, [])
    expect(page.locator("[data-pf-status]")).to_contain_text("已忽略 1 处")
    key = page.locator("input[name=request_key]").input_value()
    dismissal = Dismissal.objects.get()
    assert (dismissal.doc_key, dismissal.rule, dismissal.text, dismissal.reason) == (
        f"tracking:request:{key}",
        "W2",
        "截止",
        "引用文件原文",
    )
    assert dismissal.created_by_name == district.ducha.name
    assert page.locator(".pf-mirror mark").count() == 0


def test_typing_goes_on_while_a_slow_check_runs(live_server, page, district, monkeypatch):  # noqa: F811
    from zhongshu.api import proofread as api

    calls: list[str] = []
    real_check = api.check

    def slow_check(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        time.sleep(1.2)  # the live server's thread; the browser must not wait for it
        return real_check(text, **kwargs)

    monkeypatch.setattr(api, "check", slow_check)
    content = open_form(page, live_server.url)
    content.click()
    content.press_sequentially("请认真布署", delay=10)
    page.wait_for_timeout(800)  # the debounce has passed: a check is on its way
    assert page.locator("[data-pf-status]").inner_text().startswith("正在检查")
    started = time.monotonic()
    content.press_sequentially("，务必截止今年底完成。", delay=20)
    assert time.monotonic() - started < 1.0  # keystrokes were not held up by the pending request
    final = "请认真布署，务必截止今年底完成。"
    assert content.input_value() == final
    assert content.evaluate("t => [t.selectionStart, t.selectionEnd]") == [len(final), len(final)]
    wait_for_findings(page, ["“布署”", "“截止”"])  # the stale answer for the first part was thrown away
    assert calls[0] == "请认真布署"
    assert calls[-1] == final


def test_the_panel_below_the_text_on_a_phone(live_server, phone_page, district, screenshot):  # noqa: F811
    content = open_form(phone_page, live_server.url)
    content.click()
    content.press_sequentially(TEXT, delay=10)
    wait_for_findings(phone_page, ["“布署”", "“截止”"])
    panel = phone_page.locator("[data-proofread-panel]").bounding_box()
    area = content.bounding_box()
    assert panel
    assert area
    assert panel["y"] >= area["y"] + area["height"] - 1
    assert panel["width"] <= 390
    screenshot(phone_page, "proofread-panel-phone")


def test_a_finding_far_down_a_long_text_scrolls_into_view(live_server, page, district):  # noqa: F811
    content = open_form(page, live_server.url)
    long_text = "本项工作按计划推进，情况正常。\n" * 30 + "请认真布署。"
    content.fill(long_text)
    content.dispatch_event("input")
    wait_for_findings(page, ["“布署”"])
    content.evaluate("t => { t.scrollTop = 0; t.dispatchEvent(new Event('scroll')); }")

    page.locator(".pf-item .pf-jump").first.click()

    assert content.evaluate("t => t.scrollTop") > 0
    mark = page.locator(".pf-mirror mark").bounding_box()
    area = content.bounding_box()
    assert mark
    assert area
    assert area["y"] <= mark["y"]
    assert mark["y"] + mark["height"] <= area["y"] + area["height"]
    start = long_text.index("布署")
    assert content.evaluate("t => [t.selectionStart, t.selectionEnd]") == [start, start + 2]


def test_the_item_page_panel_and_the_dismissals_shown_to_the_officer(
    live_server,
    page,
    phone_page,
    district,  # noqa: F811
    screenshot,
):
    from zhongshu.tracking import services as tracking

    item = tracking.item_create(
        actor=district.ducha,
        title="推进学校周边交通秩序整治",
        content="请区教委牵头研究解决。",
        source_type="leader_instruction",
        instructing_leader_id=district.quzhang.pk,
        instruction="请抓紧研究。",
        lead_unit_id=district.jiaowei.pk,
        co_unit_ids=[],
        due_in_workdays=10,
        assign=True,
    )
    tracking.item_accept(actor=district.liaison, item=item.pk)
    base = live_server.url
    sign_in(phone_page, base, "ll-jiaowei")
    phone_page.goto(f"{base}{item.get_absolute_url()}")
    box = phone_page.locator("#action-progress")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    area = box.locator("textarea")
    area.click()
    area.press_sequentially("已召开专题会议，认真布署。", delay=10)
    wait_for_findings(phone_page, ["“布署”"])
    item_box = phone_page.locator("#action-progress .pf-item").first
    item_box.get_by_role("button", name="忽略").click()
    item_box.locator("[data-pf-reason]").fill("会议通知原文")
    item_box.get_by_role("button", name="确认忽略").click()
    wait_for_findings(phone_page, [])
    screenshot(phone_page, "proofread-panel-item-phone")
    assert Dismissal.objects.get().doc_key == f"tracking:item:{item.pk}"

    sign_in(page, base, "ducha")
    page.goto(f"{base}{item.get_absolute_url()}")
    card = page.locator("[data-pf-dismissals]")
    assert "会议通知原文" in card.inner_text()
    assert "布署" in card.inner_text()
    screenshot(page, "proofread-panel-item-officer")


def test_an_entry_added_by_the_administrator_is_flagged_at_once(
    live_server,
    page,
    phone_page,
    district,  # noqa: F811
    screenshot,
):
    base = live_server.url
    sign_in(page, base, "admin")
    page.goto(f"{base}{reverse('checking:entry_create', args=['w1'])}")
    page.get_by_label("错误写法").fill("督办单位办")
    page.get_by_label("正确写法").fill("督办单办")
    page.get_by_label("说明").fill("本办规范用语")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "词条已保存" in page.locator(".alert-ok").inner_text()
    assert "督办单位办" in page.locator(".checking-entries").inner_text()
    screenshot(page, "proofread-dictionary-page")

    content = open_form(phone_page, base)  # the supervision officer, at the same time
    content.click()
    content.press_sequentially("请报督办单位办备案。", delay=10)
    wait_for_findings(phone_page, ["“督办单位办”"])
