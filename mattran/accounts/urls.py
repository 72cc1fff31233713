from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.urls import path, reverse_lazy

from mattran.accounts.forms import LoginForm


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own view (old password, new one twice, the password validators; the session stays signed in)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("workspace:dashboard")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)

app_name = "accounts"

urlpatterns = [
    # Public: the login form itself.
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Signed in: change one's own password (a new account's temporary one first of all).
    path("doi-mat-khau/", PasswordChange.as_view(), name="password_change"),
]
