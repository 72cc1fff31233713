from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any, settings: Any) -> Any:
    """The live server with the real demo scenario loaded, as `make run` serves it."""
    from mattran.demo import scenario

    settings.DEMO_MODE = True
    cache.clear()
    call_command("load_admin_units", verbosity=0)
    scenario.load()
    return live_server


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
