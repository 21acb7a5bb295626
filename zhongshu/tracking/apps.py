from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "zhongshu.tracking"
    label = "tracking"
    verbose_name = "督查督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions, registration

        permissions.register()
        registration.register()
