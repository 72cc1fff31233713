from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mattran.reports"
    verbose_name = "Báo cáo định kỳ"
