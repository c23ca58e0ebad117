"""Django settings for Vanphong, read from the environment.

Every setting an operator may change is an environment variable (see docs/configuration.md).
The defaults give a laptop installation: SQLite and files under ./var, Vietnamese UI.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin[Model], ModelForm[Model], ...) subscriptable at run time, as the
# type annotations of mypy --strict write them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# All state of a laptop installation lives in one folder: database, secret key, stored files.
DATA_DIR = Path(os.environ.get("VANPHONG_DATA_DIR", "var")).resolve()


def _generated_secret(name: str, env: str, make: Callable[[], str]) -> str:
    """The value of the variable `env`, or one made once by `make()` and kept in DATA_DIR / name (0600)."""
    from_env = os.environ.get(env)
    if from_env:
        return from_env
    key_file = DATA_DIR / name
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    # O_EXCL: two processes starting at once must not write two different values.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value


SECRET_KEY = _generated_secret("secret_key", "VANPHONG_SECRET_KEY", lambda: secrets.token_urlsafe(50))
DEBUG = _env_bool("VANPHONG_DEBUG", False)
ALLOWED_HOSTS = _env_list("VANPHONG_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("VANPHONG_CSRF_TRUSTED_ORIGINS", "")

# Behind TLS in production: VANPHONG_SECURE=1 turns on secure cookies, HSTS and the HTTPS redirect.
SECURE = _env_bool("VANPHONG_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "vanphong.web.admin_site.VanphongAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "vanphong.core",
    "vanphong.accounts",
    "vanphong.org",
    "vanphong.documents",
    "vanphong.search",
    "vanphong.meetings",
    "vanphong.followup",
    "vanphong.petitions",
    "vanphong.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vanphong.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vanphong.core.middleware.InputCleaningMiddleware",
    "vanphong.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vanphong.core.tenancy.CurrentOrganisationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vanphong.urls"
WSGI_APPLICATION = "vanphong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanphong.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'vanphong.sqlite3'}",
        conn_max_age=int(os.environ.get("VANPHONG_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a clerk writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # mmap: a connection (one per request) reads pages from the shared OS cache without copying.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA mmap_size=1073741824;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(DATA_DIR / "test.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after 5 failures for one username from one address,
# that pair is locked out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("VANPHONG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "vanphong_language"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even before collectstatic
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(os.environ.get("VANPHONG_STORAGE_DIR", DATA_DIR / "files")))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo and tests serve static files without collectstatic; production runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Attachments (vanphong.core.files): the upload limit, and the master key that wraps the per-file
# keys of encrypted files (base64url of 32 bytes). Losing the master key loses every encrypted file:
# in production set VANPHONG_MASTER_KEY from a secret store and keep a copy apart from the backups.
MAX_UPLOAD_BYTES = int(os.environ.get("VANPHONG_MAX_UPLOAD_MB", "50")) * 1024 * 1024
MASTER_KEY = _generated_secret(
    "master_key", "VANPHONG_MASTER_KEY", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
# OCR of scans (vanphong.documents.ocr): the longest one file may take, in seconds, and the CPU cores
# one OCR run may use (one by default, so the web server keeps the other core of a small machine).
OCR_TIMEOUT = int(os.environ.get("VANPHONG_OCR_TIMEOUT", "900"))
OCR_JOBS = int(os.environ.get("VANPHONG_OCR_JOBS", "1"))

EMAIL_BACKEND = os.environ.get("VANPHONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("VANPHONG_FROM_EMAIL", "vanphong@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VANPHONG_LOG_LEVEL", "INFO")},
    # pikepdf (used by OCR) logs its set-up at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}
