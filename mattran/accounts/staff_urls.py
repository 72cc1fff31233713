"""Staff pages of accounts and roles, mounted at /quan-ly/tai-khoan/."""

from django.urls import path

from mattran.accounts import staff_views

app_name = "accounts_staff"

urlpatterns = [
    path("don-vi/<int:unit_id>/", staff_views.unit_access, name="unit_access"),
    path("don-vi/<int:unit_id>/tao/", staff_views.account_create, name="account_create"),
    path("don-vi/<int:unit_id>/cap-quyen/", staff_views.grant_add, name="grant_add"),
    path("vai-tro/<int:grant_id>/thu-hoi/", staff_views.grant_revoke, name="grant_revoke"),
    path("don-vi/<int:unit_id>/tai-khoan/<int:member_id>/khoa/", staff_views.account_lock, name="account_lock"),
    path("don-vi/<int:unit_id>/tai-khoan/<int:member_id>/mo-khoa/", staff_views.account_unlock,
         name="account_unlock"),
    path("don-vi/<int:unit_id>/tai-khoan/<int:member_id>/dat-lai-mat-khau/", staff_views.password_reset,
         name="password_reset"),
]
