"""The run log of periodic jobs; a row claims one time slot of one job."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    """One job run for one time slot. The unique (job, slot) row is written in the same transaction as the
    job's own changes: a slot runs once even with several workers, and a crash leaves the slot unclaimed."""

    job = models.CharField("任务", max_length=80)
    slot = models.DateTimeField("时段")
    worker = models.CharField("执行进程", max_length=120)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True)
    summary = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "任务执行记录"
        verbose_name_plural = "任务执行记录"
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="jobs_jobrun_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class JobFailure(models.Model):
    """A run that raised: its changes were rolled back and the slot will be tried again."""

    job = models.CharField("任务", max_length=80)
    slot = models.DateTimeField("时段")
    worker = models.CharField("执行进程", max_length=120)
    failed_at = models.DateTimeField("失败时间")
    error = models.TextField("错误")

    class Meta:
        verbose_name = "任务失败记录"
        verbose_name_plural = "任务失败记录"
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.job} 失败 @ {self.failed_at:%Y-%m-%d %H:%M}"

    @property
    def error_summary(self) -> str:
        """The last line of the traceback: the exception and its message."""
        lines = [line for line in self.error.strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""
