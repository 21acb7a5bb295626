"""One item through its whole life, through the services (the detailed tests are in test_services*.py)."""

from __future__ import annotations

import datetime as dt

from zhongshu.audit.models import Event
from zhongshu.tracking import selectors, services
from zhongshu.tracking.models import Item

from .conftest import at


def test_whole_lifecycle(district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))  # Monday before the National Day holiday
    item = make_item()
    assert item.status == "assigned"
    assert item.number == "示范督〔2026〕0001号"
    assert item.due_at is None

    clock_at(at(2026, 9, 29, 15))
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.status == "in_progress"
    # 10 working days counted from 9-30 (the day after signing), skipping the 10-01..10-07 holiday;
    # Saturday 10-10 is a working day
    assert services.local_date(item.due_at) == dt.date(2026, 10, 19)
    assert item.sign_late_workdays == 0

    services.item_progress(actor=district.other_liaison, item=item, text="配合单位已完成路口改造设计。")
    services.item_progress(actor=district.liaison, item=item, text="已召开专题会。")
    services.extension_request(
        actor=district.liaison, item=item, reason="需等待市级审批。", due_at=dt.date(2026, 10, 30)
    )
    services.extension_decide(actor=district.ducha, item=item, approve=True, comment="同意")
    item.refresh_from_db()
    assert services.local_date(item.due_at) == dt.date(2026, 10, 30)
    assert services.local_date(item.original_due_at) == dt.date(2026, 10, 19)
    assert item.extended_in_time

    clock_at(at(2026, 10, 22, 10))
    services.item_report(actor=district.liaison, item=item, text="已全部完成。")
    services.item_return(actor=district.ducha, item=item, reason="缺少整改照片。")
    services.item_report(actor=district.liaison, item=item, text="补充照片。")
    services.item_close(actor=district.ducha, item=item, rating="good")
    item.refresh_from_db()
    assert item.status == "closed"
    assert item.closed_on_time is True
    assert item.closed_on_time_original is False
    verbs = list(Event.objects.filter(target_type="tracking.item").order_by("seq").values_list("verb", flat=True))
    assert verbs[0] == "tracking.item.created"
    assert verbs[-1] == "tracking.item.closed"
    annotated = selectors.with_state(Item.objects.filter(pk=item.pk), item.closed_at).get()
    assert annotated.colour == "grey"
    assert annotated.is_overdue is False
