from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "mattran.common"
    verbose_name = "Dùng chung"
