from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "mattran.conferences"
    verbose_name = "Hội nghị"
