from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhongshu.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import workbench  # noqa: F401 — registers the foundation panels and nav entries
