"""What 督查督办 adds to the shell: navigation, workbench panels, timelines, audit verbs, message kinds."""

from __future__ import annotations

from zhongshu.audit import services as audit
from zhongshu.core import nav

from . import permissions as perms


def register() -> None:
    from . import notifications, services
    from .models import Config, Item, LedgerSnapshot

    audit.timelines.register(Item, view_perm=perms.ITEM_VIEW)
    audit.timelines.register(Config, view_perm=perms.CONFIG_MANAGE)
    audit.timelines.register(LedgerSnapshot, view_perm=perms.ITEM_MANAGE)
    for verb, label in services.VERB_LABELS.items():
        audit.verbs.register(verb, label)
    notifications.register_kinds()
    for entry in NAV:
        nav.register(entry)
    from . import panels

    panels.register()


NAV = [
    nav.Entry("督查督办", "督办台", "tracking:board", perms.ITEM_VIEW, order=10),
    nav.Entry("督查督办", "登记事项", "tracking:item_create", perms.ITEM_CREATE, order=20),
    nav.Entry("督查督办", "我批示的事项", "tracking:leader", perms.ITEM_INSTRUCT, order=30),
    nav.Entry("督查督办", "统计分析", "tracking:dashboard", perms.STATS_VIEW, order=40),
    nav.Entry("督查督办", "统计报表", "tracking:stats", perms.STATS_VIEW, order=45),
    nav.Entry("督查督办", "督办台账", "tracking:ledger", perms.ITEM_VIEW, order=50),
    nav.Entry("督查督办", "督查通报", "tracking:bulletins", perms.ITEM_MANAGE, order=60),
    nav.Entry("系统管理", "督查督办设置", "tracking:config", perms.CONFIG_MANAGE, order=60),
]
