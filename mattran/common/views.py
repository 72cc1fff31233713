"""Site-wide public endpoints: health check and friendly error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public. ``{"status": "ok", "database": "ok"}``, or HTTP 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db_status = "ok"
    except Exception:  # any database failure means "unhealthy", whatever its class
        db_status = "error"
    status = 200 if db_status == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": db_status, "vendor": connection.vendor},
        status=status,
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    # Rendered without the request context processors that touch the database, so it works when that fails.
    html = render_to_string("errors/error.html", {"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Yêu cầu không hợp lệ"), _("Máy chủ không hiểu yêu cầu này. Vui lòng thử lại."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, _("Không có quyền truy cập"),
        _("Tài khoản của bạn không được phép xem trang này. Nếu cần, hãy liên hệ Ban Thường trực để được phân quyền."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Không tìm thấy trang"), _("Trang bạn tìm không có hoặc đã được chuyển đi."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, _("Hệ thống đang gặp sự cố"),
        _("Đã có lỗi xảy ra và đã được ghi lại. Vui lòng thử lại sau ít phút."),
    )
