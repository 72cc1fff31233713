from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mattran.demo"
    verbose_name = "Dữ liệu trình diễn"
