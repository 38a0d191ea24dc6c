"""Whether a dossier was late, as the one-stop decree counts it: from its history.

Lateness is a fact about what happened, not the current status (domain.md): a
result returned after the appointment was late, a request for papers made after
the appointment does not erase it, one made in time stops the count while the
citizen is awaited (the time already used still counts), and asking for papers
more than once counts as late. The rules, with the decree's words, are in
tests/test_lateness_rules.py; every screen (card, /quahan, statistics) asks here.

Decree 61/2018/NĐ-CP (carried into Decree 118/2025/NĐ-CP, which replaced it; the
article numbers there are not confirmed here), Article 21(3): "Thời gian mà cơ
quan, tổ chức đã giải quyết lần đầu được tính trong thời gian giải quyết hồ sơ."
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dossiers.model import Apology, Dossier, DossierEvent
from bot.workdays.calendar import WorkCalendar

MORE_PAPERS = 5
# The office's work on the dossier ends here: a result (9, 10) or an end without one.
ENDS = frozenset({3, 7, 8, 9, 10})
RESULT = frozenset({9, 10})


@dataclass(frozen=True)
class Verdict:
    late: bool  # it missed its appointment at some point: stays true whatever comes next
    appointment: datetime | None  # the first appointment, moved on by in-time pauses
    waiting_papers: bool = False  # status 5 asked in time: the count is stopped
    returned_late: bool = False  # the result came after the appointment
    papers_requests: int = 0
    late_since: datetime | None = None  # when it became late (None: not late)


def first_appointment(
    dossier: Dossier, history: Iterable[DossierEvent], apologies=()
) -> datetime | None:
    """The receipt's appointment: before any apology moved it."""
    for event in history:
        if event.kind == "created" and event.new_due_at is not None:
            return event.new_due_at
    for apology in apologies:
        if apology.old_due_at is not None:
            return apology.old_due_at
    return dossier.due_at


def judge(
    dossier: Dossier,
    history: list[DossierEvent],
    now: datetime,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    apologies: list[Apology] | tuple = (),
) -> Verdict:
    """Walk the status history against the appointment (see the module's rules)."""
    due = first_appointment(dossier, history, apologies)
    if due is None:
        return Verdict(False, None)
    changes = _status_changes(dossier, history)
    late_at: datetime | None = None
    paused_at: datetime | None = None
    requests = 0
    ended_at: datetime | None = None
    returned_late = False
    for at, status in changes:
        if ended_at is not None:
            break
        if paused_at is not None and status != MORE_PAPERS:  # the papers came: count again
            due = _shift(due, paused_at, at, calendar, tz)
            paused_at = None
        if status == MORE_PAPERS and paused_at is None:
            requests += 1
            if at <= due and late_at is None:
                paused_at = at
            elif late_at is None:
                late_at = due  # asked after the appointment: it was already late
            if requests > 1 and late_at is None:
                late_at = at  # asking twice counts as late
        elif status in ENDS:
            ended_at = at
            if at > due and late_at is None:
                late_at = due
                returned_late = status in RESULT
            elif late_at is not None and status in RESULT:
                returned_late = True
    if ended_at is None and paused_at is None and now > due and late_at is None:
        late_at = due
    return Verdict(
        late=late_at is not None,
        appointment=due,
        waiting_papers=paused_at is not None and ended_at is None,
        returned_late=returned_late,
        papers_requests=requests,
        late_since=late_at,
    )


def _status_changes(dossier: Dossier, history: list[DossierEvent]) -> list[tuple[datetime, int]]:
    """(when, status) in order; a dossier imported mid-way gets its current status's time."""
    changes = [
        (e.at, e.to_status)
        for e in history
        if e.kind in ("created", "status") and e.to_status is not None and e.at is not None
    ]
    if not changes or changes[-1][1] != dossier.status:
        changes.append((dossier.status_at or dossier.received_at, dossier.status))
    return changes


def _shift(due: datetime, start: datetime, end: datetime, calendar: WorkCalendar, tz) -> datetime:
    """The appointment moved on by the working days the citizen was awaited."""
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    waited = calendar.working_days_between(first, last)
    if waited <= 0:
        return due + (end - start) if end > start and first == last else due
    local = due.astimezone(tz)
    moved = calendar.add_working_days(local.date(), waited)
    return local.replace(year=moved.year, month=moved.month, day=moved.day)


async def load_verdict(source, dossier: Dossier, now, calendar, tz) -> Verdict:
    """The verdict from the store: `source` is the Database, or the connection of the
    writer's transaction (notifications run inside it); `db.fetchall`, as callers
    passed before, means the Database."""
    from bot.clock import unstamp
    from bot.dossiers.merge import to_event
    from bot.store import dossiers as store

    src = _source(source)
    rows = await store.events_of(src, dossier.code, ("created", "status"))
    olds = await store.first_old_due(src, dossier.code)
    apologies = [
        Apology(0, dossier.code, "", dossier.due_at, now, old_due_at=unstamp(o)) for o in olds
    ]
    return judge(dossier, [to_event(r) for r in rows], now, calendar, tz, apologies)


def _source(source):
    """The Database behind a bound `db.fetchall`, else `source` itself."""
    owner = getattr(source, "__self__", None)
    return owner if owner is not None and getattr(source, "__name__", "") == "fetchall" else source


def conn_fetchall(conn):
    """What load_verdict takes for a connection: the connection itself (kept for callers)."""
    return conn
