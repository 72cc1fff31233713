from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "mattran.plans"
    verbose_name = "Kế hoạch công tác"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "plans.plan.create": "tạo kế hoạch công tác",
            "plans.plan.adopt": "thông qua kế hoạch công tác",
            "plans.group.add": "thêm nhóm nhiệm vụ",
            "plans.task.add": "giao nhiệm vụ",
            "plans.task.progress": "cập nhật tiến độ nhiệm vụ",
        })
