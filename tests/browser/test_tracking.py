"""One tracked item walked through its life in a real browser: the supervision officer registers and assigns
it on the form, the liaison of 区教委 signs for it, reports progress with an attachment and asks for more time
from a phone, the officer approves, the liaison submits the completion report and the officer verifies it
with a rating. Screenshots of every step go to the test's temporary directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from zhongshu.core import clock
from zhongshu.tracking.models import Attachment, Item
from zhongshu.tracking.tests.conftest import district  # noqa: F401  # the small district of the tracking tests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "zhongshu-test"  # the factories' password


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def status_of(page: Any) -> str:
    return str(page.locator(".item-flags [data-status]").get_attribute("data-status"))


def alert(page: Any) -> str:
    return str(page.locator(".alert-ok").first.inner_text())


def act(page: Any, action: str, fill: dict[str, str] | None = None, check: str = "", files: Path | None = None) -> None:
    """Open an action of the item page, fill its form and submit it."""
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for selector, value in (fill or {}).items():
        box.locator(selector).fill(value)
    if check:
        box.locator(check).check()
    if files is not None:
        box.locator("input[type=file]").set_input_files(str(files))
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_item_from_registration_to_verification(live_server, page, phone_page, district, tmp_path):  # noqa: F811
    base = live_server.url
    shots = tmp_path / "screenshots"
    shots.mkdir()

    def shot(tab: Any, name: str) -> None:
        tab.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    # 督查员 registers the item on the form and assigns it.
    sign_in(page, base, "ducha")
    page.goto(f"{base}{reverse('tracking:item_create')}")
    page.get_by_label("事项名称").fill("推进学校周边交通秩序整治")
    page.get_by_label("事项内容").fill("请区教委牵头，会同区住房城乡建委研究解决。")
    page.select_option("#id_source_type", "leader_instruction")
    page.select_option("#id_instructing_leader", str(district.quzhang.pk))
    page.get_by_label("批示内容").fill("请教委牵头抓紧研究，两周内报结果。")
    page.select_option("#id_lead_unit", str(district.jiaowei.pk))
    page.locator(f"input[name=co_units][value='{district.zhujian.pk}']").check()
    assert page.locator("#id_due_workdays").is_visible()
    assert not page.locator("#id_due_on").is_visible()
    page.get_by_label("工作日数").fill("10")
    page.locator("input[name='ms-0-title']").fill("制定整治方案")
    page.locator("input[name='ms-0-due_on']").fill((clock.today() + dt.timedelta(days=5)).isoformat())
    page.locator("[data-add-milestone]").click()
    assert page.locator("input[name='ms-5-title']").count() == 1
    shot(page, "01-create-form")
    page.get_by_role("button", name="保存并交办").click()
    page.wait_for_load_state()
    assert Item.objects.exists(), page.locator(".alert-error, .errorlist").all_inner_texts()
    item = Item.objects.get()
    assert page.url == f"{base}{item.get_absolute_url()}"
    assert "已登记并交办" in alert(page)
    assert status_of(page) == "assigned"
    shot(page, "02-assigned")

    # The liaison signs for it on a phone.
    sign_in(phone_page, base, "ll-jiaowei")
    phone_page.goto(f"{base}{item.get_absolute_url()}")
    phone_page.get_by_role("button", name="签收").click()
    phone_page.wait_for_load_state()
    assert "已签收" in alert(phone_page)
    assert status_of(phone_page) == "in_progress"
    item.refresh_from_db()
    assert item.due_at is not None

    # ... reports progress with an attachment ...
    photo = tmp_path / "现场照片.pdf"
    photo.write_bytes(b"%PDF-1.4 browser test")
    act(phone_page, "progress", {"textarea": "已召开专题会议，制定整治方案。"}, files=photo)
    assert "已反馈进展。" in alert(phone_page)
    assert "已召开专题会议，制定整治方案。" in phone_page.locator(".log").inner_text()
    assert "现场照片.pdf" in phone_page.locator(".log").inner_text()
    assert Attachment.objects.get().name == "现场照片.pdf"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone_page, "03-progress-phone")

    # ... and asks for a week more before the deadline.
    proposed = clock.localtime(item.due_at).date() + dt.timedelta(days=7)
    act(phone_page, "extend", {"input[type=date]": proposed.isoformat(), "textarea": "需等待市级部门审批。"})
    assert "已提交延期申请" in alert(phone_page)
    shot(phone_page, "04-extension-requested")

    # The officer approves the extension.
    page.goto(f"{base}{item.get_absolute_url()}")
    act(page, "decide-extension", {"input[type=text]": "同意。"}, check="input[value='1']")
    assert "已同意延期。" in alert(page)
    assert "原定" in page.locator(".item-head").inner_text()
    item.refresh_from_db()
    assert clock.localtime(item.due_at).date() == proposed
    shot(page, "05-extension-approved")

    # The liaison submits the completion report.
    phone_page.goto(f"{base}{item.get_absolute_url()}")
    act(phone_page, "report", {"textarea": "周边道路已完成整治，增设护栏和信号灯。"})
    assert "已报送办结报告" in alert(phone_page)
    assert status_of(phone_page) == "reported"
    shot(phone_page, "06-reported-phone")

    # The officer verifies it with a rating: 已办结.
    page.goto(f"{base}{item.get_absolute_url()}")
    act(page, "close", {"textarea": "经核查，整治到位。"}, check="input[value='good']")
    assert "已核查办结。" in alert(page)
    assert status_of(page) == "closed"
    assert "已办结" in page.locator(".item-flags").inner_text()
    assert "质量评价：良好" in page.locator(".item-flags").inner_text()
    shot(page, "07-closed")
    item.refresh_from_db()
    assert (item.status, item.rating, item.closed_on_time) == ("closed", "good", True)
    assert sorted(p.name for p in shots.iterdir()) == [
        "01-create-form.png",
        "02-assigned.png",
        "03-progress-phone.png",
        "04-extension-requested.png",
        "05-extension-approved.png",
        "06-reported-phone.png",
        "07-closed.png",
    ]
