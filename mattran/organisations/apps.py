from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mattran.organisations"
    verbose_name = "Tổ chức"
