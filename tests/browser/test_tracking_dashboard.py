"""The 督查督办 dashboard in a real browser: the office director sees the headline figures and the four ECharts
charts drawn (a canvas inside each chart container) without a JavaScript error, at an office screen's size and
at a phone's; clicking a bar opens the board filtered to that unit's items."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.tests.factories import PersonFactory, UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "zhongshu-test"
CHARTS = ["onTime", "overdue", "trend", "sources"]


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def office(transactional_db: Any) -> dict[str, Any]:
    """Three units, a director, a supervisor and liaisons; items assigned, closed on time, late and overdue."""
    from zhongshu.tracking import services

    leadership = UnitFactory(
        code="lingdao", full_name="示范区人民政府领导", short_name="区领导", kind=UnitKind.LEADERSHIP
    )
    office_unit = UnitFactory(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办", kind=UnitKind.OFFICE)
    units = [
        UnitFactory(code="jiaowei", full_name="示范区教育委员会", short_name="区教委"),
        UnitFactory(code="zhujian", full_name="示范区住房和城乡建设委员会", short_name="区住房城乡建委"),
        UnitFactory(code="qingshan", full_name="示范区青山镇人民政府", short_name="青山镇", kind=UnitKind.TOWN),
    ]
    leader = PersonFactory(username="quzhang", name="王区长", unit=leadership, roles=[Role.LEADER])
    ducha = PersonFactory(username="ducha", name="周督查", unit=office_unit, roles=[Role.SUPERVISOR])
    zhuren = PersonFactory(username="zhuren", name="吴主任", unit=office_unit, roles=[Role.DIRECTOR])
    liaisons = [PersonFactory(unit=unit, roles=[Role.LIAISON]) for unit in units]
    sources = ["leader_instruction", "meeting_decision", "public_complaint"]
    plans = [  # (unit index, report day or None, due day)
        (0, 5, 13),
        (0, 18, 13),
        (0, None, 10),
        (1, 6, 13),
        (1, None, 11),
        (1, 9, 13),
        (2, 10, 13),
        (0, 12, 20),
    ]
    with time_machine.travel(at(3, 2, 9), tick=False) as traveller:
        items = []
        for n, (index, _report, due) in enumerate(plans):
            items.append(
                services.item_create(
                    actor=ducha,
                    title=f"浏览器测试事项{n}",
                    source_type=sources[n % 3],
                    instructing_leader_id=leader.pk,
                    instruction="请抓紧办理。",
                    lead_unit_id=units[index].pk,
                    due_at=dt.date(2026, 3, due),
                    assign=True,
                )
            )
        traveller.move_to(at(3, 2, 11))
        for item, (index, _report, _due) in zip(items, plans, strict=True):
            services.item_accept(actor=liaisons[index], item=item)
        for day in range(3, 19):
            for item, (index, report, _due) in zip(items, plans, strict=True):
                if report == day:
                    traveller.move_to(at(3, day))
                    services.item_report(actor=liaisons[index], item=item, text="已完成。")
                    services.item_close(actor=ducha, item=item, rating="good")
    return {"zhuren": zhuren, "units": units, "items": items}


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def open_dashboard(page: Any, base: str) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}{reverse('tracking:dashboard')}?period=custom&from=2026-01-01&to=2026-03-20")
    for name in CHARTS:
        page.wait_for_selector(f'[data-chart="{name}"][data-chart-ready="1"] canvas')
    return errors


@time_machine.travel(at(3, 20, 12), tick=False)
def test_dashboard_draws_its_charts_and_bars_open_the_items(live_server, page, office, screenshot):
    base = live_server.url
    sign_in(page, base, "zhuren")

    errors = open_dashboard(page, base)

    assert page.locator("h1").inner_text() == "统计分析"
    for name in CHARTS:
        chart = page.locator(f'[data-chart="{name}"]')
        assert chart.locator("canvas, svg").count() >= 1
        assert chart.bounding_box()["height"] >= 150
    tiles = {
        key: page.locator(f'[data-figure="{key}"] .stat-value').inner_text()
        for key in ("open", "overdue", "on_time_rate", "assigned")
    }
    assert tiles == {"open": "2", "overdue": "2", "on_time_rate": "83.3%", "assigned": "8"}  # on time 5 of 6
    assert errors == []
    screenshot(page, "tracking-dashboard")

    # The first bar of the on-time chart (区教委, fixed order) opens the board with that unit's closed items.
    box = page.locator('[data-chart="onTime"]').bounding_box()
    x, y = page.evaluate(
        """() => echarts.getInstanceByDom(document.querySelector('[data-chart="onTime"]'))
                  .convertToPixel({seriesIndex: 0}, [30, 0])"""
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/tracking/?**")
    assert "lead_unit=" in page.url
    assert "closed_from=2026-01-01" in page.url


@time_machine.travel(at(3, 20, 12), tick=False)
def test_dashboard_on_a_phone(live_server, phone_page, office, screenshot):
    base = live_server.url
    sign_in(phone_page, base, "zhuren")

    errors = open_dashboard(phone_page, base)

    assert errors == []
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "tracking-dashboard-phone")
