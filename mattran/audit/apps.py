from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mattran.audit"
    verbose_name = "Nhật ký"
