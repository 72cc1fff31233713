from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from mattran.news.tests.factories import build_tree


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The cache is per process (LocMem): clear it so one test's menu or fragment never leaks into another."""
    cache.clear()


@pytest.fixture
def tree(db: Any) -> dict[str, Any]:
    return build_tree()
