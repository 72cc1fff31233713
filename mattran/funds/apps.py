from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "mattran.funds"
    verbose_name = "Quỹ, vận động ủng hộ"
