"""Deadlines of a ticket in working days, reminders before them, escalation after.

Limits follow the national system (domain.md): reject or forward within 2
working days of receipt, ask for more within 5, answer within 15, publish within
2 of answering. Run periodically: dedupe keys and an 'escalated' event make
every reminder and escalation happen once however often it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.feedback.events import FeedbackDeadlineNear
from bot.feedback.model import Deadlines, Ticket
from bot.notify import events
from bot.workdays.calendar import WorkCalendar

REJECT_DAYS, ASK_INFO_DAYS, ANSWER_DAYS, PUBLISH_DAYS = 2, 5, 15, 2
REMIND_BEFORE = 2  # working days
# Publishing has only 2 working days: remind on the last one before the deadline, or the
# 2-day lead would equal the whole limit and the reminder could never fire.
LEAD = {"publish": 1}


def local_day(moment: datetime, tz) -> date:
    return moment.astimezone(tz).date()


def compute(t: Ticket, calendar: WorkCalendar, tz) -> Deadlines:
    received = local_day(t.created_at, tz)
    publish_by = None
    if t.publish_consent and t.answered_at is not None:
        publish_by = calendar.add_working_days(local_day(t.answered_at, tz), PUBLISH_DAYS)
    return Deadlines(
        reject_by=calendar.add_working_days(received, REJECT_DAYS),
        ask_info_by=calendar.add_working_days(received, ASK_INFO_DAYS),
        answer_by=calendar.add_working_days(received, ANSWER_DAYS),
        publish_by=publish_by,
    )


def running(t: Ticket, dl: Deadlines, tz) -> list[tuple[str, date, date]]:
    """The deadlines still to meet: (kind, counted from, due)."""
    received = local_day(t.created_at, tz)
    found = []
    if t.status in ("received", "forwarded"):  # nobody has taken it up yet
        found.append(("reject", received, dl.reject_by))
    if t.status in ("received", "assigned", "need_info", "forwarded") and not t.anonymous:
        found.append(("answer", received, dl.answer_by))
    if t.status == "answered" and dl.publish_by and t.published_at is None:
        found.append(("publish", local_day(t.answered_at, tz), dl.publish_by))
    return found


@dataclass
class DeadlineReport:
    reminded: int = 0
    escalated: int = 0
    unrouted: list[str] = field(default_factory=list)  # numbers with nowhere to send


async def run_deadlines(service, now: datetime) -> DeadlineReport:
    """Remind 2 working days before a deadline, escalate once when it is missed."""
    report = DeadlineReport()
    settings, calendar = service.settings, service.calendar
    tz = settings.timezone
    today = local_day(now, tz)
    for t in await service.open_tickets():
        dl = compute(t, calendar, tz)
        for kind, start, due in running(t, dl, tz):
            if today > due:
                if await service.escalate(t, kind, due, now):
                    report.escalated += 1
                continue
            left = calendar.working_days_between(today, due)
            lead = LEAD.get(kind, REMIND_BEFORE)
            # A limit as short as the reminder lead (rejecting: 2 days) needs none: the alert
            # was the notice.
            if left > lead or calendar.working_days_between(start, due) <= lead:
                continue
            chat = t.assignee or t.routed_chat_id
            if chat is None:
                report.unrouted.append(t.number)
                continue
            near = FeedbackDeadlineNear(t, kind, due, left, chat, service.staff_channel)
            async with service.db.transaction() as conn:
                sent = await events.record(conn, near, settings)
                if sent:
                    await service.record(conn, t.id, "reminded", "system", now, f"{kind}:{due}")
                    report.reminded += 1
    return report
