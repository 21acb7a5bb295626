from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhongshu.notify"
    label = "notify"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from zhongshu.audit import verbs
        from zhongshu.core import nav

        from . import permissions as perms
        from .services import VERB_LABELS

        nav.register(nav.Entry("工作台", "消息中心", "notify:inbox", perms.INBOX_VIEW, 5))
        nav.register(nav.Entry("系统管理", "消息推送渠道", "notify:channels", perms.CHANNELS_MANAGE, 70))
        nav.register(nav.Entry("系统管理", "推送失败记录", "notify:failures", perms.FAILURES_MANAGE, 75))
        for verb, label in VERB_LABELS.items():
            verbs.register(verb, label)
