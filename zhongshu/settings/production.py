"""Production: behind an HTTPS reverse proxy. `zhongshu check --deploy` is clean with these settings."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import env_bool

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ZHONGSHU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("ZHONGSHU_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
