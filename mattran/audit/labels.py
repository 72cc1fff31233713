"""Human labels for audit actions. Each app registers its own in ``AppConfig.ready()``; the audit app
imports none of them. An action without a label is shown by its code."""

from __future__ import annotations

from collections.abc import Mapping

_LABELS: dict[str, str] = {}


def register(labels: Mapping[str, str]) -> None:
    _LABELS.update(labels)


def label_for(action: str) -> str:
    return _LABELS.get(action, action)
