"""The installation's part of the text checker: its dictionary entries (added to the shipped files, or
overriding and disabling shipped entries), the version row that tells every process its cached profile is
stale, the W3 statistics of its approved documents, and the findings that writers dismissed with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhongshu.core import clock


class Dictionary(models.TextChoices):
    W1 = "w1", "错别字（非词）"
    W2 = "w2", "易混词语"
    W4 = "w4", "规范表述"
    WHITELIST = "whitelist", "本地名称白名单"


class DictionaryEntry(models.Model):
    """One entry of a dictionary, in the columns of the shipped CSV file (`fields`). `key` identifies the
    entry across the shipped file and the installation (a hash of the key columns, e.g. W1's wrong form);
    a row with the key of a shipped entry overrides it (`shipped`), and `active=False` disables it."""

    dictionary = models.CharField("词典", max_length=20, choices=Dictionary.choices)
    key = models.CharField("词条标识", max_length=40)
    label = models.CharField("词条", max_length=200)
    fields = models.JSONField("内容", default=dict)
    active = models.BooleanField("启用", default=True)
    shipped = models.BooleanField("系统内置词条", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "校核词条"
        verbose_name_plural = "校核词条"
        ordering = ["dictionary", "label"]
        constraints = [models.UniqueConstraint(fields=["dictionary", "key"], name="checking_entry_unique_key")]

    def __str__(self) -> str:
        return f"{self.get_dictionary_display()}：{self.label}"


class ProfileVersion(models.Model):
    """One row whose number goes up (and whose stamp changes) with every dictionary change and statistics
    rebuild, in the same transaction: each process compares it with its cached profile."""

    version = models.PositiveBigIntegerField(default=0)
    stamp = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = "校核配置版本"
        verbose_name_plural = "校核配置版本"

    def __str__(self) -> str:
        return f"校核配置第 {self.version} 版"


class CorpusStats(models.Model):
    """The W3 statistics of the installation's approved documents (one row, pk=1), in the format of
    `zhongshu.proofread.slips` (gzip-compressed JSON), with the digest of the texts it was built from."""

    data = models.BinaryField("统计数据")
    digest = models.CharField("文稿摘要", max_length=64)
    documents = models.PositiveIntegerField("文稿数", default=0)
    characters = models.PositiveBigIntegerField("字数", default=0)
    sources = models.JSONField("来源", default=dict, blank=True)
    built_at = models.DateTimeField("生成时间", default=clock.now)

    class Meta:
        verbose_name = "本单位用语统计"
        verbose_name_plural = "本单位用语统计"

    def __str__(self) -> str:
        return f"本单位用语统计（{self.documents} 篇，{self.characters} 字）"


class Dismissal(models.Model):
    """A finding that the writer of a document dismissed, with the reason: it is not shown again for that
    document (`doc_key`, e.g. "tracking:item:12") and reviewers see it with the reason."""

    doc_key = models.CharField("文稿标识", max_length=120, db_index=True)
    rule = models.CharField("规则", max_length=20)
    text = models.CharField("原文", max_length=200)
    message = models.CharField("提示", max_length=500, blank=True)
    reason = models.CharField("忽略理由", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="忽略人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_name = models.CharField("忽略人姓名", max_length=60, blank=True)
    created_at = models.DateTimeField("忽略时间", default=clock.now)

    class Meta:
        verbose_name = "忽略的校核提示"
        verbose_name_plural = "忽略的校核提示"
        ordering = ["doc_key", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["doc_key", "rule", "text"], name="checking_dismissal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}“{self.text}”：{self.reason}"
