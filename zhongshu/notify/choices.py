"""The fixed vocabularies of notifications: a person's delivery mode, the outward channels, delivery states."""

from django.db import models


class Mode(models.TextChoices):
    """How a person wants outward deliveries (e-mail, webhook); the in-app inbox is always immediate."""

    IMMEDIATE = "immediate", "立即推送"
    DIGEST = "digest", "每日汇总"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "群机器人/推送接口"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    HELD = "held", "等待每日汇总"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    GIVEN_UP = "given_up", "已放弃"


class WebhookFormat(models.TextChoices):
    GENERIC = "generic", "通用 JSON"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
