from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhongshu.api"
    label = "api"
    verbose_name = "接口"
