"""The append-only, hash-chained event log behind every timeline (留痕)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from zhongshu.core.exceptions import ApplicationError


class Event(models.Model):
    """One state change: who (and on whose behalf), what, to which object, when, from where, and the fields
    before and after. `seq` has no gaps and `hash` chains to the previous event, so editing, deleting or
    reordering rows is detected by `zhongshu audit verify`."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=60, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="被代理人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of_name = models.CharField("被代理人姓名", max_length=60, blank=True)
    verb = models.CharField("事件", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=60)
    target_id = models.CharField("对象编号", max_length=40)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "留痕事件"
        verbose_name_plural = "留痕事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"], name="audit_event_target")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    @property
    def actor_display(self) -> str:
        """"X 代 Y" when a deputy acted on a principal's behalf."""
        if self.on_behalf_of_name:
            return f"{self.actor_name} 代 {self.on_behalf_of_name}"
        return self.actor_name or "系统"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ApplicationError("留痕记录只能追加,不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ApplicationError("留痕记录只能追加,不能删除。")


class ChainHead(models.Model):
    """The single row that serialises appends to the chain: the last sequence number and hash."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "留痕链头"
