"""The fixed vocabularies of 督查督办. API values are part of the integration contract: keep them."""

from django.db import models


class SourceType(models.TextChoices):
    LEADER_INSTRUCTION = "leader_instruction", "领导批示"
    MEETING_DECISION = "meeting_decision", "会议议定"
    INCOMING_DOCUMENT = "incoming_document", "来文办理"
    ASSIGNMENT = "assignment", "交办"
    LIVELIHOOD_PROJECT = "livelihood_project", "民心工程"
    TARGET_TASK = "target_task", "目标任务"
    INCIDENT = "incident", "突发事件"
    NPC_SUGGESTION = "npc_suggestion", "人大建议"
    CPPCC_PROPOSAL = "cppcc_proposal", "政协提案"
    PUBLIC_COMPLAINT = "public_complaint", "群众反映"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    DRAFT = "draft", "待交办"
    ASSIGNED = "assigned", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "待核查"
    CLOSED = "closed", "已办结"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.REPORTED)
"""Assigned and not yet finished: the clock of these items matters."""

RUNNING_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)
"""The unit still owes the result: an item in these states past its deadline is overdue."""


class Urgency(models.TextChoices):
    EXTRA_URGENT = "extra_urgent", "特急"
    URGENT = "urgent", "加急"
    NORMAL = "normal", "平件"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class DueMode(models.TextChoices):
    DATE = "date", "指定日期"
    WORKDAYS = "workdays", "工作日数"


class FeedbackCycle(models.TextChoices):
    NONE = "", "不定期"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    WORKDAYS = "workdays", "每N个工作日"


class PartRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    CO = "co", "配合单位"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class DeclineStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    REASSIGNED = "reassigned", "已改派"
    INSISTED = "insisted", "坚持交办"
    LAPSED = "lapsed", "逾期未处理，视为坚持交办"


class EntryKind(models.TextChoices):
    """Kinds of entries in an item's progress log."""

    PROGRESS = "progress", "进展反馈"
    CO_REPORT = "co_report", "配合单位反馈"
    REPORT = "report", "办结报告"
    RETURN = "return", "退回重办"
    VERIFY = "verify", "核查办结"
    INSTRUCTION = "instruction", "领导再批示"
    REMIND = "remind", "催办"


class Colour(models.TextChoices):
    """How offices colour an item: green on track, yellow near due or behind, red overdue."""

    GREEN = "green", "绿"
    YELLOW = "yellow", "黄"
    RED = "red", "红"
    GREY = "grey", "灰"


class NoticeLevel(models.TextChoices):
    """The escalation ladder: 三色督办单, then the formal 催办通知书, then the list for the next 督查通报."""

    BLUE = "blue", "蓝色督办单"
    YELLOW = "yellow", "黄色督办单"
    RED = "red", "红色督办单"
    URGE = "urge", "催办通知书"
    BULLETIN = "bulletin", "列入督查通报"


class AssessBasis(models.TextChoices):
    AUTO = "auto", "按原定时限（延期在到期前获批的，按延期后的时限）"
    ORIGINAL = "original", "一律按原定时限"
    IN_FORCE = "in_force", "一律按现行时限"
