from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command


def _reference_data_seeded_by_migrations() -> None:
    """Live-server tests empty every table after each test, including the rows data migrations seeded
    (report indicators and templates). Put them back the way the migration does, if they are gone."""
    from mattran.reports.models import ReportTemplate

    if not ReportTemplate.objects.exists():
        seed = importlib.import_module("mattran.reports.migrations.0002_seed_indicators_and_templates").seed
        seed(apps, None)


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any, settings: Any) -> Any:
    """The live server with the real demo scenario loaded, as `make run` serves it."""
    from mattran.demo import scenario

    settings.DEMO_MODE = True
    cache.clear()
    _reference_data_seeded_by_migrations()
    call_command("load_admin_units", verbosity=0)
    scenario.load()
    return live_server


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
