from typing import Any


def workspace_due_items(*, user: Any) -> list[dict[str, Any]]:
    return []
