from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mattran.organisations"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "organisations.body.create": "khai báo cơ quan Mặt trận",
            "organisations.term.create": "thêm khóa",
            "organisations.member_org.create": "thêm tổ chức thành viên",
            "organisations.person.create": "thêm cá nhân",
            "organisations.person.update": "sửa thông tin cá nhân",
            "organisations.position.assign": "giao chức danh",
            "organisations.admin_units.load": "nạp dữ liệu đơn vị hành chính",
        })
