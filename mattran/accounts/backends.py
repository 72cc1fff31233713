from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """Django's model backend, except that demo accounts log in only in demo mode.

    Demo passwords are public (they are in the README), so a deployment that happens to contain the demo data
    must not accept them unless the operator turned demo mode on with ``MATTRAN_DEMO=1``.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
