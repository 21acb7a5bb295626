"""The append-only, hash-chained event log behind every timeline (留痕)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from zhongshu.core.exceptions import ApplicationError

from .chain import GENESIS

_appending: ContextVar[bool] = ContextVar("audit_appending", default=False)


class AppendOnlyError(ApplicationError):
    """An attempt to edit, delete or bypass the chain of the audit trail."""


@contextmanager
def appending() -> Iterator[None]:
    """The only context in which a new Event may be inserted (used by `services.record`)."""
    token = _appending.set(True)
    try:
        yield
    finally:
        _appending.reset(token)


class EventQuerySet(models.QuerySet["Event"]):
    """Events can be read and counted, never changed or removed in bulk."""

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能修改。")

    def _update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能修改。")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能修改。")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能删除。")

    def _raw_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能删除。")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能通过 audit.record 逐条追加。")


EventManager = models.Manager.from_queryset(EventQuerySet)


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
        settings.AUTH_USER_MODEL,
        verbose_name="被代理人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of_name = models.CharField("被代理人姓名", max_length=60, blank=True)
    verb = models.CharField("事件", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=60)
    target_id = models.CharField("对象编号", max_length=40)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    prev_hash = models.CharField("前序哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = EventManager()

    class Meta:
        verbose_name = "留痕事件"
        verbose_name_plural = "留痕事件"
        ordering = ["seq"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="audit_event_target"),
            models.Index(fields=["prev_hash"], name="audit_event_prev_hash"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise AppendOnlyError("留痕记录只能追加，不能修改。")
        if not _appending.get():
            raise AppendOnlyError("留痕记录只能通过 audit.record 追加。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("留痕记录只能追加，不能删除。")

    @property
    def actor_display(self) -> str:
        """ "X 代 Y" when a deputy acted on a principal's behalf."""
        if self.on_behalf_of_name:
            return f"{self.actor_name or '系统'} 代 {self.on_behalf_of_name}"
        return self.actor_name or "系统"


class ChainHead(models.Model):
    """The single row that serialises appends to the chain: the last sequence number and hash. Comparing
    it with the table reveals events deleted from the end."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "留痕链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
