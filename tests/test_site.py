"""Site-wide behaviour: health check, error pages, security headers, settings from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from mattran.common import views

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_the_database(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_unknown_pages_get_a_friendly_vietnamese_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Traceback" not in body


def test_the_500_page_shows_no_stack_trace() -> None:
    response = views.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in body
    assert "Traceback" not in body and "File \"" not in body


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def _settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); print(json.dumps({"
        "'DEBUG': s.DEBUG, 'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE,"
        "'CSRF_COOKIE_SECURE': s.CSRF_COOKIE_SECURE,"
        "'SECURE_HSTS_SECONDS': s.SECURE_HSTS_SECONDS, 'SECURE_SSL_REDIRECT': s.SECURE_SSL_REDIRECT,"
        "'ENGINE': s.DATABASES['default']['ENGINE']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MATTRAN_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_safe_sqlite_and_debug_off(tmp_path: Path) -> None:
    values = _settings_under({"MATTRAN_VAR_DIR": str(tmp_path)})
    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["SECURE_HSTS_SECONDS"] == 0  # localhost only


def test_a_public_host_turns_on_secure_cookies_and_hsts(tmp_path: Path) -> None:
    values = _settings_under({
        "MATTRAN_VAR_DIR": str(tmp_path), "MATTRAN_ALLOWED_HOSTS": "mattran.example.gov.vn",
        "MATTRAN_SECRET_KEY": "x" * 50,
    })
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_SSL_REDIRECT"] is True


def test_a_public_host_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings_under({"MATTRAN_VAR_DIR": str(tmp_path), "MATTRAN_ALLOWED_HOSTS": "mattran.example.gov.vn"})
    assert "MATTRAN_SECRET_KEY" in excinfo.value.stderr


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor();"
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MATTRAN_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "MATTRAN_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.strip() == "wal"
    assert (tmp_path / "mattran.sqlite3").exists()
