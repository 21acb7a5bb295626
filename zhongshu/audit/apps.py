from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhongshu.audit"
    label = "audit"
    verbose_name = "留痕"

    def ready(self) -> None:
        from zhongshu.core import nav

        from . import permissions  # defines audit.view_all and audit.verify

        nav.register(
            nav.Entry(
                section="系统管理",
                label="留痕日志",
                url_name="audit:log",
                perm=permissions.VIEW_ALL,
                order=50,
            )
        )
