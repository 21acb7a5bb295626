from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhongshu.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from . import permissions

        permissions.register()
