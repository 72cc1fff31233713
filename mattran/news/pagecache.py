"""Cached page shells for visitors who are not logged in: the busiest public pages (home, article) in one piece.

A *shell* is a whole rendered page in which every CSRF token is a random slot, and every part that must be
fresh for each request (the comment form) is a second random slot. Serving it is two string replacements.

Why this is safe:

* Only for anonymous ``GET``/``HEAD`` requests without a query string and without a pending flash message.
  For such a visitor ``base.html`` depends only on the language, the scheme and host, the path, today's date
  (the header) and the category menu, and all of these are in the key.
* The caller adds the data version to the key (an article's ``updated_at`` and ``comments_version``, the
  newest change among articles), read from the database on every request. Publishing, editing or moderating
  therefore changes the key in every process at once; nothing has to be told to forget anything, and entries
  that are no longer asked for expire.
* Each visitor gets their own CSRF token (``get_token``), written into the slots on the way out.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from mattran.news import selectors

#: The category menu is itself cached for a minute per process; a shell lives no longer than that.
SHELL_TTL = 60


@dataclass(frozen=True)
class Shell:
    html: str
    csrf_slot: str
    hole_slots: dict[str, str]

    def fill(self, *, csrf_token: str, **holes: str) -> HttpResponse:
        html = self.html.replace(self.csrf_slot, csrf_token)
        for name, content in holes.items():
            html = html.replace(self.hole_slots[name], content)
        return HttpResponse(html)


def usable(request: HttpRequest) -> bool:
    """May this request be answered from a shell?"""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.GET
        and not len(messages.get_messages(request))
    )


def key(request: HttpRequest, name: str, *version: object) -> str:
    """Cache key of the page ``name`` at data ``version``, for everything else the page depends on."""
    variant = repr((
        version, get_language(), request.scheme, request.get_host(), request.path,
        timezone.localdate().isoformat(), selectors.categories(),
    ))
    return f"news:shell:v1:{name}:{hashlib.blake2b(variant.encode(), digest_size=20).hexdigest()}"


def get_or_render(
    request: HttpRequest, cache_key: str, template: str, context: Callable[[], dict[str, Any]],
    holes: tuple[str, ...] = (),
) -> Shell:
    """The cached shell, or render ``template`` with ``context()`` (called only on a miss) and cache it."""
    shell = cache.get(cache_key)
    if shell is None:
        csrf_slot = secrets.token_hex(16)
        hole_slots = {name: f"<!--{secrets.token_hex(16)}-->" for name in holes}
        values = {**context(), **{name: mark_safe(slot) for name, slot in hole_slots.items()}}  # noqa: S308
        values["csrf_token"] = csrf_slot  # wins over the context processor's token
        shell = Shell(render_to_string(template, values, request), csrf_slot, hole_slots)
        cache.set(cache_key, shell, SHELL_TTL)
    return shell
