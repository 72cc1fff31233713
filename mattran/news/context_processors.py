"""Template context for every page: the portal's category menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mattran.news import selectors


def categories(request: HttpRequest) -> dict[str, Any]:
    """``nav_categories``: loaded only by pages that show the menu, and cached (see ``selectors.categories``)."""
    return {"nav_categories": SimpleLazyObject(selectors.categories)}
