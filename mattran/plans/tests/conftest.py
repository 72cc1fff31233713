from __future__ import annotations

from typing import Any

import pytest

from mattran.organisations.tests.factories import build_tree


@pytest.fixture
def tree(db: Any) -> dict[str, Any]:
    return build_tree()
