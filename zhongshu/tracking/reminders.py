"""The reminder sweep of 督查督办: the signing rule, reminders before and on the deadline, periodic feedback,
milestones, co-operating units, and the escalation ladder (三色督办单 → 催办通知书 → 督查通报).

Pure functions over the database taking `now`; `tasks.py` runs `sweep()` every 15 minutes inside the job's
transaction (the slot claim and everything written here commit together or not at all).

Set-based: every check selects with one query only the items that need something at `now` (due in a window
of days, past the deadline without the notice for that deadline, unsigned since before a cut-off...), so the
sweep costs the same whatever the number of open items; only those few candidates are handled in Python.

Exactly once: every message has a dedupe key ``tracking:{item}:{reason}:{slot}`` where the slot is the day
for daily reminders and the deadline (or the milestone, the return, the decline) for one-off ones; the notify
app refuses a second message with the same (recipient, key), also when two workers send at the same moment.
Ladder steps are `Notice` rows, unique per (item, level, deadline in force).

Timing: the day's checks (signing rule, reminders, blue/yellow/催办/通报) start at the office's opening time
(ZHONGSHU_OFFICE_START) so that nobody is messaged at midnight; reminders are sent on working days only. The
red notice is issued as soon as the deadline has passed, at any hour.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from zhongshu.core import clock
from zhongshu.org.choices import Role
from zhongshu.org.models import Person, RoleGrant

from . import selectors, services
from .choices import RUNNING_STATUSES, DeclineStatus, FeedbackCycle, NoticeLevel, PartRole, Status
from .models import Config, Decline, Item, Milestone, Notice, Part

ACTOR: Final = None
"""Ladder steps, automatic signing and lapsed declines are done by the system (no person)."""

KEY_CHUNK: Final = 500


# The day being swept ------------------------------------------------------------------------------------


@dataclass
class Day:
    """`now` seen by the office: the local day, whether it is a working day, whether the office has opened,
    and the cut-offs in working days that the candidate queries compare with."""

    now: dt.datetime
    cfg: Config = field(default_factory=services.config)

    @cached_property
    def cal(self) -> Any:
        from zhongshu.workdays.selectors import calendar

        return calendar()

    @cached_property
    def local(self) -> dt.datetime:
        return clock.localtime(self.now)

    @property
    def today(self) -> dt.date:
        return self.local.date()

    @cached_property
    def workday(self) -> bool:
        return bool(self.cal.is_workday(self.today))

    @property
    def opened(self) -> bool:
        """The office's day has begun (reminders and day-based steps wait for it)."""
        return self.local.time() >= self.cal.office_start

    def midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.cal.tz)

    def add(self, day: dt.date, n: int) -> dt.date:
        result: dt.date = self.cal.add_workdays(day, n).value
        return result

    def elapsed_before(self, n: int) -> dt.datetime:
        """Moments before this one lie on a day after which at least `n` working days have passed by today
        (``workdays_between(day, today) >= n``)."""
        return self.midnight(self.add(self.today + dt.timedelta(days=1), -n))

    def since_previous_workday(self) -> list[dt.date]:
        """The days after the previous working day up to today: what became due "today" (a weekend or a
        holiday that fell since the last working day is handled on this working day)."""
        first = self.add(self.today, -1) + dt.timedelta(days=1)
        return [first + dt.timedelta(days=i) for i in range((self.today - first).days + 1)]


def _stamp(moment: dt.datetime | None) -> str:
    return f"{clock.localtime(moment):%Y%m%d%H%M}" if moment else "none"


def _date(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    day = clock.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


def _time(moment: dt.datetime | None) -> str:
    return f"{clock.localtime(moment):%H:%M}" if moment else ""


def _label(item: Item) -> str:
    return f"{item.number}《{item.title}》"


# Sending --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    item: Item
    kind: str
    people: tuple[Person, ...]
    title: str
    body: str
    key: str


def liaisons_by_unit(unit_ids: Iterable[int]) -> dict[int, list[Person]]:
    """The active liaisons of each unit, in one query."""
    found: dict[int, list[Person]] = {}
    grants = (
        RoleGrant.objects.filter(role=Role.LIAISON, unit_id__in=set(unit_ids), person__is_active=True)
        .select_related("person")
        .order_by("unit_id", "person_id")
    )
    for grant in grants:
        found.setdefault(grant.unit_id, []).append(grant.person)
    return found


def deliver(batch: Sequence[Send]) -> int:
    """Send each message of `batch` to its people once per dedupe key. Keys already delivered are skipped
    with one indexed query per chunk (the 15-minute sweep sees the same candidates all day); the unique key in
    notify is what guarantees once-only under concurrency. Returns the number of new inbox messages."""
    from zhongshu.notify import services as notify
    from zhongshu.notify.models import Message

    batch = [send for send in batch if send.people]
    done: set[tuple[int, str]] = set()
    for start in range(0, len(batch), KEY_CHUNK):
        chunk = batch[start : start + KEY_CHUNK]
        done.update(
            Message.objects.filter(
                recipient_id__in={p.pk for send in chunk for p in send.people},
                dedupe_key__in={send.key for send in chunk},
            ).values_list("recipient_id", "dedupe_key")
        )
    sent = 0
    for send in batch:
        people = [p for p in dict.fromkeys(send.people) if p.is_active and (p.pk, send.key) not in done]
        if not people:
            continue
        sent += notify.send_many(
            recipients=people,
            kind=send.kind,
            title=send.title,
            body=send.body,
            link=send.item.get_absolute_url(),
            dedupe_key=send.key,
            target=send.item,
        )
    return sent


# Candidates -----------------------------------------------------------------------------------------------


def _actionable() -> QuerySet[Item]:
    """Items the unit still owes (split parents are containers: their children are chased instead)."""
    return Item.objects.filter(status__in=RUNNING_STATUSES, is_parent=False)


def _pending_decline() -> Exists:
    return Exists(Decline.objects.filter(item=OuterRef("pk"), status=DeclineStatus.PENDING))


def _locked(qs: QuerySet[Item]) -> list[Item]:
    """Lock the candidates (in id order) so that a person acting on one of them at the same moment either
    goes first (and the row no longer matches) or waits for the sweep to commit."""
    return list(
        qs.select_related("lead_unit__leader_in_charge", "officer").select_for_update(of=("self",)).order_by("pk")
    )


# The signing rule -----------------------------------------------------------------------------------------


def lapse_declines(day: Day) -> int:
    """A 退办 the officer left undecided for `decline_decide_workdays` working days counts as insisted: the
    unit is told to sign (its signing clock, counted from the assignment, never stopped)."""
    declines = list(
        Decline.objects.filter(
            status=DeclineStatus.PENDING,
            declined_at__lt=day.elapsed_before(day.cfg.decline_decide_workdays),
            item__status=Status.ASSIGNED,
        )
        .select_related("item__lead_unit")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    batch = []
    for decline in declines:
        services.lapse_decline(decline, now=day.now, actor=ACTOR)
        item = decline.item
        batch.append((item, decline))
    people = liaisons_by_unit(item.lead_unit_id for item, _ in batch)
    deliver(
        [
            Send(
                item,
                "tracking.decline_decided",
                tuple(people.get(item.lead_unit_id, ())),
                f"退办逾期未处理，请签收：{_label(item)}",
                f"督查员在 {day.cfg.decline_decide_workdays} 个工作日内未处理你单位的退办申请，视为坚持交办。"
                "请及时签收办理。",
                f"tracking:{item.pk}:decline_lapsed:{decline.pk}",
            )
            for item, decline in batch
        ]
    )
    return len(declines)


def auto_sign(day: Day) -> int:
    """Items left unsigned for `auto_sign_workdays` working days after assignment are signed automatically:
    the clock starts and the delay is recorded against the unit. A pending 退办 suspends this."""
    candidates = _locked(
        Item.objects.filter(
            status=Status.ASSIGNED,
            is_parent=False,
            assigned_at__lt=day.elapsed_before(day.cfg.auto_sign_workdays),
        ).exclude(_pending_decline())
    )
    for item in candidates:
        services.auto_accept(item, now=day.now, actor=ACTOR)
    return len(candidates)


def chase_unsigned(day: Day) -> int:
    """催签: unsigned after `sign_chase_workdays` working days → the lead unit's liaisons, once a working day."""
    items = list(
        Item.objects.filter(
            status=Status.ASSIGNED,
            is_parent=False,
            assigned_at__lt=day.elapsed_before(day.cfg.sign_chase_workdays),
        )
        .exclude(_pending_decline())
        .select_related("lead_unit")
        .order_by("pk")
    )
    people = liaisons_by_unit(item.lead_unit_id for item in items)
    left = max(0, day.cfg.auto_sign_workdays)
    return deliver(
        [
            Send(
                item,
                "tracking.unsigned",
                tuple(people.get(item.lead_unit_id, ())),
                f"请尽快签收：{_label(item)}",
                f"该事项于{_date(item.assigned_at or day.now)}交办，你单位尚未签收。"
                f"交办后 {left} 个工作日仍未签收的，系统将自动签收并开始计算办理时限，签收延误记入单位考核。",
                f"tracking:{item.pk}:unsigned:{day.today:%Y%m%d}",
            )
            for item in items
        ]
    )


def remind_pending_declines(day: Day) -> int:
    """While a 退办 waits for the officer's decision, the officer is reminded once a working day."""
    declines = list(
        Decline.objects.filter(status=DeclineStatus.PENDING, item__status=Status.ASSIGNED)
        .select_related("item__officer", "item__lead_unit")
        .order_by("pk")
    )
    batch = []
    for decline in declines:
        item = decline.item
        if item.officer is None:
            continue
        last = day.add(clock.localtime(decline.declined_at).date(), day.cfg.decline_decide_workdays)
        batch.append(
            Send(
                item,
                "tracking.declined",
                (item.officer,),
                f"退办待处理：{_label(item)}",
                f"{item.lead_unit.short_name}于{_date(decline.declined_at)}申请退办：{decline.reason}"
                f"请于{_date(last)}前改派或坚持交办，逾期未处理视为坚持交办。",
                f"tracking:{item.pk}:decline_pending:{decline.pk}:{day.today:%Y%m%d}",
            )
        )
    return deliver(batch)


# Reminders before and on the deadline ---------------------------------------------------------------------


def _due_window(day: Day, n: int) -> tuple[dt.datetime, dt.datetime]:
    """Deadlines whose n-th working day before is today: due after the (n-1)-th working day from today, up to
    the end of the n-th one (a deadline on a weekend is reminded counting from the working day before it)."""
    return (
        day.midnight(day.add(day.today, n - 1) + dt.timedelta(days=1)),
        day.midnight(day.add(day.today, n) + dt.timedelta(days=1)),
    )


def remind_due(day: Day) -> int:
    """到期前提醒 (Config.remind_days(), default 3 and 1 working days before) and 当日到期提醒, to the lead unit's
    liaisons, once per deadline; co-operating units that have not reported are reminded with the 1-day one."""
    batch: list[Send] = []
    items_by_n: list[tuple[int, list[Item]]] = []
    for n in day.cfg.remind_days():
        if n <= 0:
            continue
        start, end = _due_window(day, n)
        found = list(_actionable().filter(due_at__gte=max(start, day.now), due_at__lt=end).select_related("lead_unit"))
        items_by_n.append((n, found))
    today_items = list(
        _actionable()
        .filter(due_at__gte=day.now, due_at__lt=day.midnight(day.today + dt.timedelta(days=1)))
        .select_related("lead_unit")
    )
    start, end = _due_window(day, 1)
    co_parts = list(
        Part.objects.filter(
            role=PartRole.CO,
            last_report_at__isnull=True,
            item__status=Status.IN_PROGRESS,
            item__is_parent=False,
            item__due_at__gte=max(start, day.now),
            item__due_at__lt=end,
        )
        .select_related("item", "unit")
        .order_by("item_id", "unit_id")
    )
    units = {item.lead_unit_id for _, found in items_by_n for item in found}
    units |= {item.lead_unit_id for item in today_items} | {part.unit_id for part in co_parts}
    people = liaisons_by_unit(units)
    for n, found in items_by_n:
        for item in found:
            batch.append(
                Send(
                    item,
                    "tracking.due_soon",
                    tuple(people.get(item.lead_unit_id, ())),
                    f"还有 {n} 个工作日到期：{_label(item)}",
                    f"办结时限为{_date(item.due_at)}{_time(item.due_at)}，请抓紧办理，按时报送办结报告；"
                    "确需延期的，请在到期前申请。",
                    f"tracking:{item.pk}:due_soon:{n}:{_stamp(item.due_at)}",
                )
            )
    for item in today_items:
        batch.append(
            Send(
                item,
                "tracking.due_today",
                tuple(people.get(item.lead_unit_id, ())),
                f"今天到期：{_label(item)}",
                f"办结时限为今天{_time(item.due_at)}，请在此之前报送办结报告，逾期将发出红色督办单。",
                f"tracking:{item.pk}:due_today:{_stamp(item.due_at)}",
            )
        )
    for part in co_parts:
        item = part.item
        batch.append(
            Send(
                item,
                "tracking.due_soon",
                tuple(people.get(part.unit_id, ())),
                f"请报送配合情况：{_label(item)}",
                f"该事项将于{_date(item.due_at)}到期，你单位（配合单位）尚未向牵头单位报送配合情况，请于今天报送。",
                f"tracking:{item.pk}:co_due:{part.unit_id}:{_stamp(item.due_at)}",
            )
        )
    return deliver(batch)


# Periodic feedback ----------------------------------------------------------------------------------------


def _previous_month(day: dt.date) -> dt.date:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, 28))


def _feedback_candidates(day: Day) -> list[tuple[Item, dt.date]]:
    """(item, feedback date) for each item whose feedback fell due today (weekly on its weekday, monthly on
    its day: on the first working day on or after that date) with no progress from the lead unit since the
    previous feedback date; every N working days: N working days since the lead unit's last progress (or the
    signing) and again every N working days while none comes."""
    running = Item.objects.filter(status=Status.IN_PROGRESS, is_parent=False)
    rules: list[tuple[dt.date, str, dt.datetime, Q]] = []
    for due in day.since_previous_workday():
        for cycle, previous, match in (
            (FeedbackCycle.WEEKLY.value, due - dt.timedelta(days=7), Q(feedback_weekday=due.weekday())),
            (FeedbackCycle.MONTHLY.value, _previous_month(due), Q(feedback_day=due.day)),
        ):
            rules.append((due, cycle, day.midnight(previous + dt.timedelta(days=1)), match))
    fixed = Q(pk__in=[])
    for due, cycle, period_start, match in rules:
        quiet = Q(last_progress_at__isnull=True) | Q(last_progress_at__lt=period_start)
        fixed |= match & quiet & Q(feedback_cycle=cycle, accepted_at__lt=day.midnight(due))
    due_of: dict[int, dt.date] = {}
    rows = running.filter(fixed).values_list(
        "pk", "feedback_cycle", "feedback_weekday", "feedback_day", "last_progress_at", "accepted_at"
    )
    for pk, cycle, weekday, month_day, last, accepted in rows:
        for due, rule_cycle, period_start, _ in reversed(rules):  # the latest feedback date that applies
            if (
                cycle == rule_cycle
                and (weekday == due.weekday() if cycle == FeedbackCycle.WEEKLY else month_day == due.day)
                and (last is None or last < period_start)
                and accepted is not None
                and accepted < day.midnight(due)
            ):
                due_of[pk] = due
                break
    # every N working days: only the few behind on feedback are read, then the count is checked per item
    behind = (
        running.filter(feedback_cycle=FeedbackCycle.WORKDAYS, feedback_every__gte=1)
        .annotate(base=Coalesce(F("last_progress_at"), F("accepted_at")))
        .filter(base__lt=day.elapsed_before(1))
        .values_list("pk", "base", "feedback_every")
    )
    for pk, base, every in behind:
        elapsed = day.cal.workdays_between(clock.localtime(base).date(), day.today).value
        if every and elapsed > 0 and elapsed % every == 0:
            due_of[pk] = day.today
    items = Item.objects.filter(pk__in=list(due_of)).select_related("lead_unit").order_by("pk")
    return [(item, due_of[item.pk]) for item in items]


def remind_feedback(day: Day) -> int:
    """定期反馈提醒 to the lead unit's liaisons, once per feedback date."""
    found = _feedback_candidates(day)
    people = liaisons_by_unit(item.lead_unit_id for item, _ in found)
    return deliver(
        [
            Send(
                item,
                "tracking.feedback_due",
                tuple(people.get(item.lead_unit_id, ())),
                f"请报送定期进展：{_label(item)}",
                f"该事项要求{item.get_feedback_cycle_display()}反馈进展，{_date(due)}为反馈日，"
                "本期尚未收到你单位的进展反馈，请及时报送。",
                f"tracking:{item.pk}:feedback:{due:%Y%m%d}",
            )
            for item, due in found
        ]
    )


# Milestones -----------------------------------------------------------------------------------------------


def remind_milestones(day: Day) -> int:
    """节点提醒: a planned step due on the next working day (or the days before it), and a step whose date has
    just passed without being done (on the first working day after its date), once each."""
    next_day = day.add(day.today, 1)
    previous = day.add(day.today, -1)
    milestones = list(
        Milestone.objects.filter(
            Q(due_on__gt=day.today, due_on__lte=next_day) | Q(due_on__gte=previous, due_on__lt=day.today),
            done_on__isnull=True,
            item__status__in=RUNNING_STATUSES,
            item__is_parent=False,
        )
        .select_related("item__lead_unit")
        .order_by("item_id", "due_on", "pk")
    )
    people = liaisons_by_unit(m.item.lead_unit_id for m in milestones)
    batch = []
    for milestone in milestones:
        item = milestone.item
        late = milestone.due_on < day.today
        batch.append(
            Send(
                item,
                "tracking.milestone_due",
                tuple(people.get(item.lead_unit_id, ())),
                f"节点{'已逾期' if late else '即将到期'}：{milestone.title}（{_label(item)}）",
                (
                    f"节点“{milestone.title}”计划于{_date(milestone.due_on)}完成，至今未报告完成，进度滞后。"
                    "请抓紧推进并及时报告节点完成情况。"
                    if late
                    else f"节点“{milestone.title}”计划于{_date(milestone.due_on)}完成，完成后请及时报告。"
                ),
                f"tracking:{item.pk}:milestone:{milestone.pk}:{'late' if late else 'soon'}:{milestone.due_on:%Y%m%d}",
            )
        )
    return deliver(batch)


# The escalation ladder ------------------------------------------------------------------------------------


def _without(level: str, **extra: Any) -> Q:
    """No notice of `level` yet for the deadline in force (the key of Notice)."""
    return ~Q(Exists(Notice.objects.filter(item=OuterRef("pk"), level=level, due_at=OuterRef("due_at"), **extra)))


def _issue(item: Item, level: str, day: Day, reason: str, *, overdue: int = 0, occasion: int = 0) -> bool:
    notice = services.notice_issue(
        item, level, now=day.now, actor=ACTOR, reason=reason, overdue_workdays=overdue, occasion=occasion
    )
    return notice is not None


def issue_notices(day: Day) -> Counter[str]:
    """The ladder, each level if the office enabled it, once per item, level and deadline in force:
    blue (due within warn_workdays), yellow (a milestone late, or returned for rework), red (past the deadline),
    催办通知书 (on the urge_after_workdays-th working day after expiry), 列入督查通报 (bulletin_after_workdays
    working days after that)."""
    cfg = day.cfg
    issued: Counter[str] = Counter()
    ladder = _actionable().filter(due_at__isnull=False)
    if cfg.red_enabled:
        for item in _locked(ladder.filter(_without(NoticeLevel.RED), due_at__lt=day.now)):
            days = selectors.overdue_workdays(item, day.now)
            overdue = f"，已超期 {days} 个工作日" if days else ""
            reason = f"办结时限{_date(item.due_at)}已过，尚未办结{overdue}。请立即办理并报送办理情况。"
            issued[NoticeLevel.RED] += _issue(item, NoticeLevel.RED, day, reason, overdue=days)
    if not day.opened:
        return issued
    if cfg.urge_enabled:
        cutoff = day.elapsed_before(cfg.urge_after_workdays)
        for item in _locked(ladder.filter(_without(NoticeLevel.URGE), due_at__lt=min(cutoff, day.now))):
            days = selectors.overdue_workdays(item, day.now)
            reason = (
                f"该事项办结时限为{_date(item.due_at)}，已超期 {days} 个工作日仍未办结。"
                "请单位主要负责同志督促落实，即日起每个工作日报送进展，尽快办结。"
            )
            issued[NoticeLevel.URGE] += _issue(item, NoticeLevel.URGE, day, reason, overdue=days)
    if cfg.bulletin_enabled:
        cutoff = day.elapsed_before(cfg.urge_after_workdays + cfg.bulletin_after_workdays)
        for item in _locked(ladder.filter(_without(NoticeLevel.BULLETIN), due_at__lt=min(cutoff, day.now))):
            days = selectors.overdue_workdays(item, day.now)
            reason = f"办结时限{_date(item.due_at)}已过，超期 {days} 个工作日仍未办结，列入下期督查通报。"
            issued[NoticeLevel.BULLETIN] += _issue(item, NoticeLevel.BULLETIN, day, reason, overdue=days)
    if cfg.blue_enabled:
        cutoff = selectors.warn_cutoff(day.now, cfg)
        for item in _locked(ladder.filter(_without(NoticeLevel.BLUE), due_at__gte=day.now, due_at__lte=cutoff)):
            reason = f"办结时限为{_date(item.due_at)}，已不足 {cfg.warn_workdays} 个工作日，请抓紧办理，确保按期办结。"
            issued[NoticeLevel.BLUE] += _issue(item, NoticeLevel.BLUE, day, reason)
    if cfg.yellow_enabled:
        issued[NoticeLevel.YELLOW] += _issue_yellow(day, ladder.filter(due_at__gte=day.now))
    return issued


def _issue_yellow(day: Day, ladder: QuerySet[Item]) -> int:
    """Yellow: behind schedule (a planned milestone's date passed, not done) once per deadline; returned for
    poor quality once per return (the notice's occasion is the return's number)."""
    late = Milestone.objects.filter(item=OuterRef("pk"), done_on__isnull=True, due_on__lt=day.today)
    count = 0
    for item in _locked(ladder.filter(Exists(late)).filter(_without(NoticeLevel.YELLOW, occasion=0))):
        first = item.milestones.filter(done_on__isnull=True, due_on__lt=day.today).order_by("due_on", "pk").first()
        if first is None:  # done meanwhile
            continue
        reason = f"节点“{first.title}”计划于{_date(first.due_on)}完成，至今未完成，进度滞后于序时进度。"
        count += _issue(item, NoticeLevel.YELLOW, day, reason)
    returned = ladder.filter(status=Status.IN_PROGRESS, returned_count__gt=0)
    this_return = Notice.objects.filter(
        item=OuterRef("pk"), level=NoticeLevel.YELLOW, occasion=OuterRef("returned_count")
    )
    returned = returned.filter(~Q(Exists(this_return)))
    for item in _locked(returned):
        reason = f"办结报告未通过核查，第 {item.returned_count} 次退回重办，请按要求重新办理。"
        count += _issue(item, NoticeLevel.YELLOW, day, reason, occasion=item.returned_count)
    return count


# The sweep ------------------------------------------------------------------------------------------------


SUMMARY_LABELS: Final = (
    ("lapsed", "退办逾期"),
    ("auto_signed", "自动签收"),
    (NoticeLevel.BLUE.value, "蓝色督办单"),
    (NoticeLevel.YELLOW.value, "黄色督办单"),
    (NoticeLevel.RED.value, "红色督办单"),
    (NoticeLevel.URGE.value, "催办通知书"),
    (NoticeLevel.BULLETIN.value, "列入通报"),
    ("messages", "提醒消息"),
)


@dataclass
class Summary:
    """What one sweep did, by kind (for the job's run log)."""

    counts: Counter[str] = field(default_factory=Counter)

    def text(self) -> str:
        return "，".join(f"{label} {self.counts.get(key, 0)}" for key, label in SUMMARY_LABELS)


def sweep(now: dt.datetime) -> Summary:
    """Everything that is due at `now`, in order: lapsed declines, automatic signing (which may start clocks),
    the ladder, then the day's reminders. Idempotent: a second run at the same moment changes nothing."""
    day = Day(now)
    summary = Summary()
    counts = summary.counts
    if day.opened:
        counts["lapsed"] = lapse_declines(day)
        counts["auto_signed"] = auto_sign(day)
    counts.update(issue_notices(day))
    if day.opened and day.workday:
        counts["messages"] += chase_unsigned(day)
        counts["messages"] += remind_pending_declines(day)
        counts["messages"] += remind_due(day)
        counts["messages"] += remind_feedback(day)
        counts["messages"] += remind_milestones(day)
    return summary
