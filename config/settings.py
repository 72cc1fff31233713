"""One settings module, read from the environment, with safe defaults.

Without any environment variable the platform runs on an embedded SQLite file under ``var/`` with DEBUG
off. Every variable is listed in README.md ("Cấu hình").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MATTRAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("MATTRAN_DEBUG", False)
ALLOWED_HOSTS = env_list("MATTRAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
#: True when the platform is only reachable from this machine (development, demo, tests).
IS_LOCAL = all(host in LOCAL_HOSTS for host in ALLOWED_HOSTS)

# Demo accounts log in only when the demo scenario was loaded on purpose *and* this flag is on.
DEMO_MODE = env_bool("MATTRAN_DEMO", False)


def _secret_key() -> str:
    key = os.environ.get("MATTRAN_SECRET_KEY")
    if key:
        return key
    if not IS_LOCAL:
        raise ImproperlyConfigured("MATTRAN_SECRET_KEY must be set when the site is served beyond localhost.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mattran.common",
    "mattran.audit",
    "mattran.organisations",
    "mattran.accounts",
    "mattran.workspace",
    "mattran.news",
    "mattran.documents",
    "mattran.plans",
    "mattran.conferences",
    "mattran.reports",
    "mattran.funds",
    "mattran.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mattran.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mattran.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mattran.common.context_processors.site",
                "mattran.news.context_processors.categories",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "mattran.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("MATTRAN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the single writer work side by side; IMMEDIATE avoids lock upgrades failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("MATTRAN_TEST_SQLITE") or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["mattran.accounts.backends.ScopedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "news:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time -------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("MATTRAN_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
#: The place printed in date lines ("Hà Nội, ngày 19 tháng 8 năm 2022").
SITE_PLACE = os.environ.get("MATTRAN_SITE_PLACE", "Hà Nội")
SITE_NAME = os.environ.get("MATTRAN_SITE_NAME", "Mặt trận Tổ quốc Việt Nam")

# --- Static and uploaded files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MATTRAN_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("MATTRAN_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MATTRAN_MEDIA_ROOT", VAR_DIR / "media"))
#: Serve uploaded files from Django itself (single-machine setups); put them behind nginx in production.
SERVE_MEDIA = env_bool("MATTRAN_SERVE_MEDIA", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
#: PostgreSQL: where this machine keeps its replica of the ledger's search index (decision 0018); local disk.
LEDGER_SEARCH_REPLICA_DIR = Path(os.environ.get("MATTRAN_SEARCH_REPLICA_DIR", VAR_DIR / "search"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("MATTRAN_CSRF_TRUSTED_ORIGINS", "")
if not IS_LOCAL:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("MATTRAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("MATTRAN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("MATTRAN_TRUSTED_PROXY_COUNT", "0"))
#: Sent on every response; on localhost too, so that development sees what production enforces.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# --- Cache, logging -------------------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MATTRAN_LOG_LEVEL", "WARNING")},
}

# --- News portal ----------------------------------------------------------------------------------------
NEWS_PAGE_SIZE = 10
#: A visitor (by IP) may post at most this many comments per window.
COMMENT_RATE_LIMIT = int(os.environ.get("MATTRAN_COMMENT_RATE_LIMIT", "3"))
COMMENT_RATE_WINDOW_SECONDS = int(os.environ.get("MATTRAN_COMMENT_RATE_WINDOW", "600"))
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_SIDE = 1600
