from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "mattran.workspace"
    verbose_name = "Khu làm việc"
