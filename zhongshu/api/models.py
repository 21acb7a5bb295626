"""API access tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhongshu.core import clock


class ApiToken(models.Model):
    """A bearer token issued to a person by POST /api/v1/auth/token; only its SHA-256 is stored."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", default=clock.now)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.person} 的令牌 #{self.pk}"
