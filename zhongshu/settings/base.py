"""Settings for every Zhongshu process, driven by environment variables.

SQLite under ZHONGSHU_DATA_DIR is the embedded default; DATABASE_URL selects PostgreSQL. Production adds
zhongshu.settings.production on top (HTTPS cookies, HSTS). See README.md, section 配置.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("ZHONGSHU_DATA_DIR") or BASE_DIR / "var").resolve()
DEBUG = env_bool("ZHONGSHU_DEBUG")


def _secret_key() -> str:
    """ZHONGSHU_SECRET_KEY, or a key generated once and kept in the data directory."""
    key = os.environ.get("ZHONGSHU_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ZHONGSHU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("ZHONGSHU_CSRF_TRUSTED_ORIGINS")

# The pinned clock (zhongshu.core.clock): refused outside debug mode.
ZHONGSHU_CLOCK = os.environ.get("ZHONGSHU_CLOCK", "").strip() or None
if ZHONGSHU_CLOCK and not DEBUG:
    raise ImproperlyConfigured(
        "环境变量 ZHONGSHU_CLOCK（固定时钟）只能在调试模式下使用：请同时设置 ZHONGSHU_DEBUG=1，"
        "或在生产环境中删除 ZHONGSHU_CLOCK。"
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "axes",
    "ninja",
    "zhongshu.core",
    "zhongshu.org",
    "zhongshu.audit",
    "zhongshu.workdays",
    "zhongshu.jobs",
    "zhongshu.notify",
    "zhongshu.tracking",
    "zhongshu.proofread",
    "zhongshu.checking",
    "zhongshu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhongshu.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhongshu.urls"
WSGI_APPLICATION = "zhongshu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhongshu.core.context_processors.shell",
                "zhongshu.workdays.context_processors.calendar_banner",
                "zhongshu.notify.context_processors.inbox_badge",
            ],
        },
    }
]

# Databases ---------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "zhongshu.sqlite3"),
            "OPTIONS": {
                # Writers queue behind each other instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=30000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhongshu.org.backends.PersonBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhongshu.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end after ZHONGSHU_SESSION_MINUTES (default 30) without a request.
SESSION_COOKIE_AGE = int(os.environ.get("ZHONGSHU_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures (django-axes): 5 failures lock the account for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHONGSHU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHONGSHU_LOGIN_COOLOFF_MINUTES", "30")) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhongshu.core.lockout.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("ZHONGSHU_PROXY_COUNT", "0")) or None

# Language, time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

# Static and uploaded files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Mail and webhook (notifications; each is optional) -----------------------------------------------
EMAIL_HOST = os.environ.get("ZHONGSHU_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ZHONGSHU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ZHONGSHU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZHONGSHU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ZHONGSHU_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("ZHONGSHU_EMAIL_FROM", "zhongshu@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.locmem.EmailBackend"
)
# A TOML profile of the text checker (rule selection and severities), see docs/proofread.md; empty: defaults.
ZHONGSHU_PROOFREAD_PROFILE = os.environ.get("ZHONGSHU_PROOFREAD_PROFILE", "")
ZHONGSHU_WEBHOOK_URL = os.environ.get("ZHONGSHU_WEBHOOK_URL", "")
ZHONGSHU_WEBHOOK_SECRET = os.environ.get("ZHONGSHU_WEBHOOK_SECRET", "")
# generic (JSON with an HMAC signature header), wecom (企业微信群机器人) or dingtalk (钉钉群机器人).
ZHONGSHU_WEBHOOK_FORMAT = os.environ.get("ZHONGSHU_WEBHOOK_FORMAT", "").strip().lower() or "generic"
if ZHONGSHU_WEBHOOK_FORMAT not in {"generic", "wecom", "dingtalk"}:
    raise ImproperlyConfigured(
        f"环境变量 ZHONGSHU_WEBHOOK_FORMAT 的值“{ZHONGSHU_WEBHOOK_FORMAT}”无效，应为 generic、wecom 或 dingtalk。"
    )
# The address people use to open Zhongshu, put in front of links in e-mails and webhook posts.
ZHONGSHU_BASE_URL = os.environ.get("ZHONGSHU_BASE_URL", "").strip().rstrip("/")
# When the daily digest of e-mails and webhook posts goes out (local time), for people who chose it.
ZHONGSHU_DIGEST_TIME = os.environ.get("ZHONGSHU_DIGEST_TIME", "").strip() or "08:00"

# Product settings ----------------------------------------------------------------------------------
ZHONGSHU_DISTRICT_NAME = os.environ.get("ZHONGSHU_DISTRICT_NAME", "示范区")
# The end of the office day: "N working days" end at this time on the N-th working day.
ZHONGSHU_OFFICE_END = os.environ.get("ZHONGSHU_OFFICE_END", "17:30")
ZHONGSHU_OFFICE_START = os.environ.get("ZHONGSHU_OFFICE_START", "08:30")
ZHONGSHU_API_TOKEN_DAYS = int(os.environ.get("ZHONGSHU_API_TOKEN_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHONGSHU_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# An office's staff share a few NAT addresses on the intranet: lockout counts per account, not per address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
