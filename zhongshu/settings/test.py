"""Tests: the suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Tests never touch a real data directory.
os.environ["ZHONGSHU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhongshu-test-")
os.environ.setdefault("ZHONGSHU_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .base import *  # noqa: E402, F403
from .base import DATA_DIR, DATABASES, STATIC_ROOT  # noqa: E402

Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = str(Path(DATA_DIR) / "test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test-db.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 — speed in tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
