from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mattran.reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "reports.period.create": "tạo kỳ báo cáo",
            "reports.report.create": "lập báo cáo",
            "reports.report.save_draft": "lưu bản thảo báo cáo",
            "reports.report.submit": "gửi báo cáo",
            "reports.report.return": "trả lại báo cáo",
            "reports.report.note": "ghi ý kiến trả lại",
            "reports.report.approve": "duyệt báo cáo",
        })
