from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhongshu.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from zhongshu.core import nav

        from . import permissions

        nav.register(
            nav.Entry(
                section="系统管理",
                label="后台任务",
                url_name="jobs:list",
                perm=permissions.JOBS_VIEW,
                order=60,
            )
        )
