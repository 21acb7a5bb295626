"""Tracked items (督办事项): every instruction, decision or task that needs action, from assignment to a
verified result. Only `services.py` changes these rows; overdue is derived from the deadline in force and the
clock (see `selectors`), never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhongshu.core import clock

from .choices import (
    DeclineStatus,
    DueMode,
    EntryKind,
    ExtensionStatus,
    FeedbackCycle,
    NoticeLevel,
    PartRole,
    Rating,
    SourceType,
    Status,
    Urgency,
)

PERSON = settings.AUTH_USER_MODEL


class Item(models.Model):
    """A 督办事项."""

    number = models.CharField("督办编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    sub = models.PositiveSmallIntegerField("分项序号", default=0)  # child items of a split: 0123-1, 0123-2
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("事项内容", blank=True)
    source_type = models.CharField("事项来源", max_length=30, choices=SourceType.choices)
    source_model = models.CharField("来源对象类型", max_length=60, blank=True)
    source_id = models.CharField("来源对象编号", max_length=40, blank=True)
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    instructing_leader = models.ForeignKey(
        PERSON, verbose_name="批示领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.TextField("批示内容", blank=True)
    instructed_on = models.DateField("批示日期", null=True, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="lead_items"
    )
    officer = models.ForeignKey(
        PERSON, verbose_name="督查员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    urgency = models.CharField("紧急程度", max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    due_mode = models.CharField("时限方式", max_length=10, choices=DueMode.choices)
    due_workdays = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, blank=True)
    due_at = models.DateTimeField("办结时限", null=True, blank=True)
    original_due_at = models.DateTimeField("原定办结时限", null=True, blank=True)
    extended_in_time = models.BooleanField("到期前获准延期", default=False)
    feedback_cycle = models.CharField(
        "定期反馈", max_length=10, choices=FeedbackCycle.choices, default=FeedbackCycle.NONE, blank=True
    )
    feedback_weekday = models.PositiveSmallIntegerField("每周反馈日（0=周一）", null=True, blank=True)
    feedback_day = models.PositiveSmallIntegerField("每月反馈日", null=True, blank=True)
    feedback_every = models.PositiveSmallIntegerField("每N个工作日反馈", null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级事项", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_parent = models.BooleanField("已分解", default=False)  # split into child items; closes with them
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", default=clock.now)
    updated_at = models.DateTimeField("更新时间", default=clock.now)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    accepted_auto = models.BooleanField("逾期自动签收", default=False)
    sign_late_workdays = models.PositiveSmallIntegerField("签收延误（工作日）", default=0)
    last_progress_at = models.DateTimeField("最近反馈时间", null=True, blank=True)
    reported_at = models.DateTimeField("办结报告时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按现行时限按期办结", null=True, blank=True)
    closed_on_time_original = models.BooleanField("按原定时限按期办结", null=True, blank=True)
    rating = models.CharField("质量评价", max_length=10, choices=Rating.choices, blank=True)
    returned_count = models.PositiveSmallIntegerField("退回次数", default=0)
    last_returned_at = models.DateTimeField("最近退回时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=500, blank=True)
    request_key = models.CharField("提交标识", max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-year", "-seq", "sub"]
        constraints = [models.UniqueConstraint(fields=["year", "seq", "sub"], name="tracking_item_year_seq_sub_unique")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="tracking_item_status_due"),
            models.Index(fields=["lead_unit", "status"], name="tracking_item_unit_status"),
            models.Index(fields=["officer", "status"], name="tracking_item_officer_status"),
            models.Index(fields=["instructing_leader", "status"], name="tracking_item_leader_status"),
            models.Index(fields=["source_type", "status"], name="tracking_item_source_status"),
            models.Index(fields=["assigned_at"], name="tracking_item_assigned"),
            models.Index(fields=["closed_at"], name="tracking_item_closed"),
            models.Index(fields=["status", "closed_at"], name="tracking_item_status_closed"),
            models.Index(fields=["status", "assigned_at"], name="tracking_item_status_assigned"),
            models.Index(fields=["due_at"], name="tracking_item_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tracking:item_detail", args=[self.pk])


class Part(models.Model):
    """A unit's share of an item: the lead unit (one row) and each co-operating unit. Co-operating units
    report their part to the lead unit; their lateness is tracked here, apart from the lead unit's."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="parts")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=10, choices=PartRole.choices)
    last_report_at = models.DateTimeField("最近反馈时间", null=True, blank=True)
    report_count = models.PositiveIntegerField("反馈次数", default=0)

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["item", "role", "unit__display_order"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="tracking_part_item_unit_unique")]
        indexes = [
            models.Index(fields=["unit", "item"], name="tracking_part_unit_item"),
            models.Index(fields=["role", "item"], name="tracking_part_role_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} · {self.unit.short_name}（{self.get_role_display()}）"


class Milestone(models.Model):
    """A planned step of a project (民心工程) with its own date: lateness against the schedule (序时进度)
    shows before the final deadline."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点名称", max_length=200)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["item", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on:%Y-%m-%d}）"


class Entry(models.Model):
    """One line of an item's log: progress, a co-operating unit's report, a completion report, a return, the
    verification, a further instruction, a 催办. What the unit said, in its own words."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("类别", max_length=20, choices=EntryKind.choices)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField("填报人", max_length=60, blank=True)
    recorded_by = models.ForeignKey(  # a secretary who entered a leader's instruction for them ("代录")
        PERSON, verbose_name="代录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("内容", blank=True)
    rating = models.CharField("质量评价", max_length=10, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["item", "created_at", "id"]
        indexes = [models.Index(fields=["item", "kind", "created_at"], name="tracking_entry_item_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A file given with an item or with one of its log entries."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="tracking/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DeadlineChange(models.Model):
    """The deadline history of an item: the clock starting at 签收, approved extensions, reassignment."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="deadline_changes")
    before = models.DateTimeField("原时限", null=True, blank=True)
    after = models.DateTimeField("新时限")
    reason = models.CharField("原因", max_length=500)
    changed_at = models.DateTimeField("时间", default=clock.now)
    changed_by_name = models.CharField("办理人", max_length=60, blank=True)

    class Meta:
        verbose_name = "时限变更"
        verbose_name_plural = "时限变更"
        ordering = ["item", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.before} → {self.after}"


class Extension(models.Model):
    """A request for more time (延期): only before the deadline, decided by the officer, or by a leader when
    it is longer than the configured number of working days."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(PERSON, null=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField("申请人", max_length=60, blank=True)
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    reason = models.TextField("延期理由")
    proposed_due_at = models.DateTimeField("申请延至")
    previous_due_at = models.DateTimeField("申请时的时限")
    extra_workdays = models.PositiveSmallIntegerField("延长工作日", default=0)
    needs_leader = models.BooleanField("需领导审批", default=False)
    status = models.CharField("状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField("审批人", max_length=60, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    comment = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["item", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="pending"), name="tracking_extension_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} 延期至 {self.proposed_due_at:%Y-%m-%d}（{self.get_status_display()}）"


class Decline(models.Model):
    """The lead unit says the item is not theirs (退办); the officer reassigns or insists."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="declines")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    declined_by_name = models.CharField("退办人", max_length=60, blank=True)
    declined_at = models.DateTimeField("退办时间", default=clock.now)
    reason = models.TextField("退办理由")
    status = models.CharField("处理结果", max_length=12, choices=DeclineStatus.choices, default=DeclineStatus.PENDING)
    new_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField("处理人", max_length=60, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    comment = models.CharField("处理意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "退办"
        verbose_name_plural = "退办"
        ordering = ["item", "declined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="pending"), name="tracking_decline_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} 退办（{self.get_status_display()}）"


class Notice(models.Model):
    """A step of the escalation ladder issued for an item: a numbered 三色督办单, a 催办通知书, or the item put
    on the list for the next 督查通报. Counted per unit for assessment. One per (item, level, deadline in force,
    occasion): the occasion tells apart the yellow notices of successive returns for rework."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("级别", max_length=10, choices=NoticeLevel.choices)
    number = models.CharField("编号", max_length=40, blank=True)
    issued_at = models.DateTimeField("发出时间", default=clock.now)
    due_at = models.DateTimeField("当时的办结时限", null=True, blank=True)
    overdue_workdays = models.PositiveSmallIntegerField("超期工作日", default=0)
    reason = models.CharField("事由", max_length=300, blank=True)
    bulletin_no = models.CharField("已列入通报期数", max_length=40, blank=True)
    occasion = models.PositiveSmallIntegerField("次序", default=0)  # a yellow notice per return: returned_count

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["item", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "due_at", "occasion"], name="tracking_notice_once_per_deadline"
            )
        ]
        indexes = [models.Index(fields=["unit", "level", "issued_at"], name="tracking_notice_unit_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"


class Counter(models.Model):
    """Yearly number sequences (督办编号, notice numbers): one row per key and year, locked to take a number."""

    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="tracking_counter_key_year")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"


class Config(models.Model):
    """The office's settings of 督查督办 (one row): numbering, the signing rule, reminders and the ladder."""

    number_prefix = models.CharField("督办编号代字", max_length=20, default="示范督")
    sign_chase_workdays = models.PositiveSmallIntegerField("未签收催签（工作日）", default=1)
    auto_sign_workdays = models.PositiveSmallIntegerField("未签收自动签收（工作日）", default=2)
    decline_decide_workdays = models.PositiveSmallIntegerField("退办处理时限（工作日）", default=2)
    remind_before = models.CharField("到期前提醒（工作日，逗号分隔）", max_length=40, default="3,1")
    warn_workdays = models.PositiveSmallIntegerField("临近到期（工作日，黄色/蓝色督办单）", default=3)
    blue_enabled = models.BooleanField("发蓝色督办单（临近到期）", default=True)
    yellow_enabled = models.BooleanField("发黄色督办单（进度滞后或退回重办）", default=True)
    red_enabled = models.BooleanField("发红色督办单（超期）", default=True)
    urge_enabled = models.BooleanField("发催办通知书", default=True)
    urge_after_workdays = models.PositiveSmallIntegerField("超期后第N个工作日发催办通知书", default=1)
    bulletin_enabled = models.BooleanField("列入督查通报", default=True)
    bulletin_after_workdays = models.PositiveSmallIntegerField("催办后再过N个工作日列入通报", default=5)
    leader_extension_workdays = models.PositiveSmallIntegerField("延期超过N个工作日需领导审批", default=10)
    assess_basis = models.CharField("考核口径", max_length=10, default="auto")
    max_upload_mb = models.PositiveSmallIntegerField("附件大小上限（MB）", default=20)
    allowed_extensions = models.CharField(
        "允许的附件类型", max_length=200, default="pdf,ofd,doc,docx,wps,xls,xlsx,et,txt,jpg,jpeg,png,zip"
    )
    updated_at = models.DateTimeField("更新时间", default=clock.now)

    class Meta:
        verbose_name = "督查督办设置"
        verbose_name_plural = "督查督办设置"

    def __str__(self) -> str:
        return "督查督办设置"

    def remind_days(self) -> list[int]:
        days = {int(part) for part in self.remind_before.replace("，", ",").split(",") if part.strip().isdigit()}
        return sorted(days, reverse=True)

    def extensions(self) -> set[str]:
        return {part.strip().lower().lstrip(".") for part in self.allowed_extensions.split(",") if part.strip()}


class LedgerSnapshot(models.Model):
    """The ledger as it stood on a date (第N期台账): the office can show what it said then."""

    year = models.PositiveSmallIntegerField("年度")
    period_no = models.PositiveIntegerField("期数")
    as_of = models.DateField("截至日期")
    taken_at = models.DateTimeField("生成时间", default=clock.now)
    taken_by_name = models.CharField("生成人", max_length=60, blank=True)
    row_count = models.PositiveIntegerField("事项数", default=0)
    file = models.FileField("台账文件", upload_to="tracking/ledgers/")

    class Meta:
        verbose_name = "台账快照"
        verbose_name_plural = "台账快照"
        ordering = ["-year", "-period_no"]
        constraints = [models.UniqueConstraint(fields=["year", "period_no"], name="tracking_ledger_year_period")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.period_no}期台账"
