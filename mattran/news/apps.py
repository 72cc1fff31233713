from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "mattran.news"
    verbose_name = "Tin tức"
