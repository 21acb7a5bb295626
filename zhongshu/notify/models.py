"""Messages in a person's inbox, their outward deliveries (e-mail, webhook), a person's delivery mode and the
office's channel rule per kind of message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhongshu.core import clock

from .choices import Channel, DeliveryStatus, Mode


class Message(models.Model):
    """One thing the system told one person (a reminder, a notice, a 催办): shown in their inbox at once and
    sent at most once per `dedupe_key`, however often or concurrently the sender runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField("类别", max_length=60)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=clock.now, editable=False)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notify_message_once_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_msg_recipient_read")]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class Delivery(models.Model):
    """One outward sending of a message over one channel — or, with no message, one person's daily digest
    over one channel, which carries the held deliveries that point to it (`batch`)."""

    message = models.ForeignKey(
        Message, verbose_name="消息", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    status = models.CharField("状态", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)
    digest_day = models.DateField("汇总日期", null=True, blank=True)
    batch = models.ForeignKey(
        "self",
        verbose_name="所属汇总",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="notify_delivery_once_per_channel"),
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_day"],
                condition=Q(message__isnull=True),
                name="notify_digest_once_per_day",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due")]

    def __str__(self) -> str:
        what = f"{self.digest_day}每日汇总" if self.is_digest else f"消息 {self.message_id}"
        return f"{what} · {self.get_channel_display()} · {self.get_status_display()}"

    @property
    def is_digest(self) -> bool:
        return self.message_id is None


class Preference(models.Model):
    """A person's own choice: outward messages at once, or gathered into one digest a day."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="notify_preference"
    )
    mode = models.CharField("推送方式", max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "消息推送偏好"
        verbose_name_plural = "消息推送偏好"

    def __str__(self) -> str:
        return f"{self.person} · {self.get_mode_display()}"


class ChannelRule(models.Model):
    """The office's switch of outward channels for one kind of message (without a row, the kind's defaults)."""

    kind = models.CharField("类别", max_length=60, unique=True)
    email = models.BooleanField("电子邮件")
    webhook = models.BooleanField("群机器人/推送接口")
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "推送渠道设置"
        verbose_name_plural = "推送渠道设置"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind
