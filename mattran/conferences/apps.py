from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "mattran.conferences"
    verbose_name = "Hội nghị"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "conferences.conference.create": "tạo hội nghị",
            "conferences.agenda.add": "thêm nội dung chương trình hội nghị",
            "conferences.attendance.roll_call": "lập danh sách điểm danh",
            "conferences.attendance.mark": "điểm danh",
            "conferences.minutes.draft": "soạn biên bản",
            "conferences.minutes.adopt": "thông qua biên bản",
            "conferences.conclusion.add": "thêm kết luận",
            "conferences.conclusion.to_task": "giao kết luận thành nhiệm vụ",
        })
