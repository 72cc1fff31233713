"""Facts about the HTTP request that do not belong to any one app."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's IP address.

    Without proxies this is ``REMOTE_ADDR``. Behind ``MATTRAN_TRUSTED_PROXY_COUNT`` reverse proxies (load
    balancer, nginx) that each append to ``X-Forwarded-For``, it is the address the outermost trusted proxy
    saw — the entry that many places from the right. Entries further left were written by the client and are
    never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
