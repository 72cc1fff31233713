from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "mattran.documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "documents.number.reserve": "lấy số văn bản",
        })
