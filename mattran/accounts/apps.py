from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mattran.accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from mattran.audit.labels import register

        register({
            "accounts.user.create": "tạo tài khoản",
            "accounts.role.grant": "phân quyền",
            "accounts.role.revoke": "thu hồi quyền",
        })
