"""Reading dossiers for the dialog and the daily lists; the writers, as methods too.

The writers themselves live in writers.py (and are importable from here, as
before); the rules for a record arriving in merge.py; the SQL in
bot/store/dossiers.py.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.clock import unstamp, utcnow
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.merge import (
    RUNNING,
    DossierNotFound,
    OnEvents,
    Outcome,
    _s,
    to_dossier,
    to_event,
)
from bot.dossiers.model import Apology, Dossier, DossierEvent
from bot.dossiers.phones import normalize_phone
from bot.dossiers.writers import (
    apply,
    apply_many,
    apply_rows,
    record_apology,
    set_note,
    set_status,
)
from bot.store import Database
from bot.store import dossiers as store
from bot.store.dossiers import COLUMNS, EVENT_COLUMNS
from bot.workdays.calendar import WorkCalendar, default_calendar

__all__ = [
    "COLUMNS",
    "EVENT_COLUMNS",
    "DossierNotFound",
    "DossierRepository",
    "OnEvents",
    "Outcome",
    "apply",
    "apply_many",
    "apply_rows",
    "record_apology",
    "set_note",
    "set_status",
    "to_dossier",
    "to_event",
]


class DossierRepository:
    """Lookups for the dialog and the daily lists; the writers above, as methods too."""

    def __init__(self, db: Database, tz: tzinfo | None = None):
        self.db = db
        self.tz = tz or ZoneInfo("Asia/Ho_Chi_Minh")

    apply = staticmethod(apply)
    apply_many = staticmethod(apply_many)
    set_status = staticmethod(set_status)
    record_apology = staticmethod(record_apology)

    async def change_status(
        self,
        code: str,
        status: int,
        actor: str,
        note: str | None = None,
        on_events: OnEvents | None = None,
    ) -> DossierEvent | None:
        """An official's status change in its own transaction (followers told in it)."""
        async with self.db.transaction() as conn:
            return await set_status(conn, code, status, actor, note, on_events=on_events)

    async def change_note(self, code: str, note: str, on_note=None) -> Dossier | None:
        """set_note in its own transaction; `on_note(conn, dossier)` tells the owner in it."""
        async with self.db.transaction() as conn:
            dossier = await set_note(conn, code, note)
            if dossier is not None and on_note is not None:
                await on_note(conn, dossier)
            return dossier

    async def apologise(
        self,
        code: str,
        reason: str,
        new_due_at: datetime,
        actor: str,
        on_events: OnEvents | None = None,
    ) -> Apology:
        """An official's apology with the new date, in its own transaction (ValueError: refused)."""
        async with self.db.transaction() as conn:
            return await record_apology(conn, code, reason, new_due_at, actor, on_events=on_events)

    async def get(self, code: str) -> Dossier | None:
        """By code, in any form a citizen types it."""
        canonical = normalize_dossier_code(code)
        if canonical is None:
            return None
        row = await store.row_by_code(self.db, canonical)
        return to_dossier(row) if row else None

    async def by_phone(self, phone: str, limit: int = 20) -> list[Dossier]:
        """The applicant's dossiers, newest first."""
        normalized = normalize_phone(phone)
        if normalized is None:
            return []
        return [to_dossier(r) for r in await store.rows_by_phone(self.db, normalized, limit)]

    async def counts_by_procedure(self) -> dict[str, int]:
        """Dossiers per national procedure code (its first 8 characters): what is filed here."""
        return await store.counts_by_procedure(self.db)

    async def count(self) -> int:
        return await store.count(self.db)

    async def _running(
        self, agency_codes: list[str] | None, low: str | None, high: str, limit: int | None
    ) -> list[Dossier]:
        if agency_codes is not None and not agency_codes:
            return []
        found = await store.running_rows(self.db, RUNNING, agency_codes, low, high, limit)
        return [to_dossier(r) for r in found]

    async def overdue(
        self,
        agency_codes: list[str] | None = None,
        now: datetime | None = None,
        calendar: WorkCalendar | None = None,
        limit: int | None = None,
    ) -> list[Dossier]:
        """Still running and past the appointment, most overdue first.

        `calendar` is unused (overdue needs no working days); it keeps the
        signature the same as due_soon's. None means every agency.
        """
        return await self._running(agency_codes, None, _s(now or utcnow()), limit)

    async def late_candidates(
        self, agency_codes: list[str] | None, now: datetime, limit: int = 500
    ) -> list[Dossier]:
        """Still running and past the appointment, or moved on by an apology (it was late
        then); bot/dossiers/lateness.py judges each from its history."""
        if agency_codes is not None and not agency_codes:
            return []
        found = await store.late_candidate_rows(self.db, RUNNING, agency_codes, _s(now), limit)
        return [to_dossier(r) for r in found]

    async def due_soon(
        self,
        agency_codes: list[str] | None = None,
        now: datetime | None = None,
        calendar: WorkCalendar | None = None,
        limit: int | None = None,
    ) -> list[Dossier]:
        """Still running, not yet late, due before the end of the next working day (local)."""
        now = now or utcnow()
        calendar = calendar or default_calendar()
        local_today = now.astimezone(self.tz).date()
        next_day = calendar.add_working_days(local_today, 1)
        end = datetime.combine(next_day + timedelta(days=1), time(), self.tz)
        return await self._running(agency_codes, _s(now), _s(end), limit)

    async def history(self, code: str) -> list[DossierEvent]:
        """The dossier's events, oldest first."""
        canonical = normalize_dossier_code(code) or code
        return [to_event(r) for r in await store.events_of(self.db, canonical)]

    async def apologies(self, code: str) -> list[Apology]:
        canonical = normalize_dossier_code(code) or code
        return [
            Apology(
                r["id"],
                r["dossier_code"],
                r["reason"],
                unstamp(r["new_due_at"]),
                unstamp(r["recorded_at"]),
                r["recorded_by"],
                r["event_id"],
                unstamp(r["old_due_at"]),
            )
            for r in await store.apologies_of(self.db, canonical)
        ]
