from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zhongshu.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from zhongshu.core import nav

        from . import permissions

        # Administrators keep the calendar in 系统管理; everyone else reads it from 工作台.
        nav.register(
            nav.Entry(
                section="系统管理",
                label="工作日历",
                url_name="workdays:year",
                perm=permissions.WORKDAYS_MANAGE,
                order=30,
            )
        )
        nav.register(
            nav.Entry(
                section="工作台",
                label="工作日历",
                url_name="workdays:year",
                perm=permissions.WORKDAYS_VIEW,
                unless_perm=permissions.WORKDAYS_MANAGE,
                order=80,
            )
        )
