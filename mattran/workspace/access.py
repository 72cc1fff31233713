"""How workspace views declare the permission they need. Every staff view uses one of these; none is open."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from mattran.accounts.permissions import Action, require

View = Callable[..., HttpResponse]


def staff_view(action: Action) -> Callable[[View], View]:
    """Log in first; then the user must hold ``action`` on at least one unit.

    The view itself then checks ``action`` on the particular unit it touches (through a selector or a
    service); this decorator is the coarse gate, and it marks the view as a staff view for the matrix test.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.required_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator
