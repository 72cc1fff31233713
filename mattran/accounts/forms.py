from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa hoặc chỉ dùng được ở chế độ trình diễn.",
    }

    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="Mật khẩu", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _role_field(roles: list[Any]) -> forms.ChoiceField:
    return forms.ChoiceField(label="Vai trò", choices=[(r.value, r.label) for r in roles],
                             error_messages={"required": "Vui lòng chọn vai trò.",
                                             "invalid_choice": "Bạn không cấp được vai trò này trên đơn vị này."})


class AccountCreateForm(forms.Form):
    """A new account for a cadre of the unit, with its first role (the password is made by the service)."""

    full_name = forms.CharField(label="Họ và tên", max_length=120,
                                error_messages={"required": "Vui lòng nhập họ và tên."})
    username = forms.CharField(label="Tên đăng nhập", max_length=40,
                               help_text="Chữ thường không dấu, chữ số, dấu . _ -; ví dụ: nguyenvana.",
                               error_messages={"required": "Vui lòng nhập tên đăng nhập."})
    email = forms.EmailField(label="Thư điện tử", required=False,
                             error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."})

    def __init__(self, *args: Any, roles: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tk_%s")
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(roles)


class GrantForm(forms.Form):
    """A role on the unit for an account that already exists."""

    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               error_messages={"required": "Vui lòng nhập tên đăng nhập."})

    def __init__(self, *args: Any, roles: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cq_%s")
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(roles)
