from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from mattran.common import vn


def site(request: HttpRequest) -> dict[str, Any]:
    """Site name and today's date (Vietnamese style) for every page header."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "today_label": vn.weekday_date(timezone.now()),
    }
