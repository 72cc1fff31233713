from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mattran.accounts"
    verbose_name = "Tài khoản"
