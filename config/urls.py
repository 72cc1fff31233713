from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path, re_path
from django.views.static import serve

from mattran.common import views as common_views

admin.site.site_header = "Quản trị hệ thống Mặt trận"
admin.site.site_title = "Quản trị"


def _superusers_only(request: HttpRequest) -> bool:
    """Django admin is for superusers only; staff work in the workspace, under the tree policy."""
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("", include("mattran.accounts.urls")),
    path("quan-ly/", include("mattran.workspace.urls")),
    path("quan-ly/tai-khoan/", include("mattran.accounts.staff_urls")),
    path("quan-ly/", include("mattran.news.staff_urls")),
    path("quan-ly/hoi-nghi/", include("mattran.conferences.urls")),
    path("quan-ly/ke-hoach/", include("mattran.plans.urls")),
    path("quan-ly/bao-cao/", include("mattran.reports.urls")),
    path("quan-ly/van-ban/", include("mattran.documents.urls")),
    path("quan-ly/quy/nhap-sao-ke/", include("mattran.funds.import_urls")),
    path("quan-ly/quy/phan-bo/", include("mattran.funds.disbursement_urls")),
    path("quan-ly/quy/", include("mattran.funds.urls")),
    path("minh-bach/", include("mattran.funds.public_urls")),
    path("", include("mattran.news.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "mattran.common.views.bad_request"
handler403 = "mattran.common.views.permission_denied"
handler404 = "mattran.common.views.page_not_found"
handler500 = "mattran.common.views.server_error"
