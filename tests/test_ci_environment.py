"""Proof that CI ran where it says it ran.

`.ci/run` sets MATTRAN_EXPECT_DB for each of its two test runs (``sqlite``, then ``postgresql``); without this
check a mistyped DATABASE_URL would silently run the "PostgreSQL" run on SQLite. Under CI=true the browser
tests need the machine's Chromium. Outside CI, with nothing expected, these tests are not collected at all
(a skip would count as a failure under CI=true).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

EXPECTED_DB = os.environ.get("MATTRAN_EXPECT_DB", "")
IN_CI = os.environ.get("CI", "").lower() == "true"

if EXPECTED_DB:

    @pytest.mark.django_db
    def test_database_is_the_one_ci_asked_for() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert connection.vendor == EXPECTED_DB


if IN_CI:

    def test_chromium_is_installed_for_browser_tests() -> None:
        chromium = Path("/usr/bin/chromium")
        assert chromium.exists(), "apt-get install chromium"
        assert os.access(chromium, os.X_OK)
