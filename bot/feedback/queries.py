"""What the desk and the public may read of tickets: one, a citizen's, open, overdue, published."""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import unstamp
from bot.feedback import deadlines as dl
from bot.feedback.desk import TicketDesk
from bot.feedback.model import CATEGORIES, Attachment, Event, Published, Ticket, ticket_from_row
from bot.store import feedback as store


class TicketQueries(TicketDesk):
    async def get(self, feedback_id: int) -> Ticket | None:
        return self._ticket(await store.ticket(self.db, feedback_id))

    async def by_number(self, number: str) -> Ticket | None:
        return self._ticket(await store.ticket_by_number(self.db, number.strip().upper()))

    async def mine(self, channel: str, user_id: str, limit: int = 20) -> list[Ticket]:
        rows = await store.tickets_of(self.db, channel, str(user_id), limit)
        return [self._ticket(r) for r in rows]

    async def attachments(self, feedback_id: int) -> list[Attachment]:
        return [Attachment(**dict(r)) for r in await store.attachments(self.db, feedback_id)]

    async def events(self, feedback_id: int) -> list[Event]:
        rows = await store.events(self.db, feedback_id)
        return [Event(r["action"], r["actor"], unstamp(r["at"]), r["note"]) for r in rows]

    async def open_tickets(self, agency: str | None = None) -> list[Ticket]:
        """Tickets with a deadline still running: open ones and answers waiting to be public."""
        return [self._ticket(r) for r in await store.running(self.db, agency)]

    async def overdue(self, now: datetime, agency: str | None = None) -> list[Ticket]:
        """Tickets late against any running deadline, oldest first."""
        tz = self.settings.timezone
        today = dl.local_day(now, tz)
        return [
            t
            for t in await self.open_tickets(agency)
            if any(today > due for _k, _s, due in dl.running(t, t.deadlines, tz))
        ]

    async def published(self, start: date | datetime, end: date | datetime) -> list[Published]:
        """Answers made public in [start, end): no personal data."""
        rows = await store.published_between(self.db, self._bound(start), self._bound(end))
        tz = self.settings.timezone
        return [
            Published(
                number=r["number"],
                category=CATEGORIES.get(r["category"], r["category"]),
                agency=self._agency_name(r["agency_code"]),
                question=r["question"],
                answer=r["answer"],
                received=dl.local_day(unstamp(r["created_at"]), tz),
                answered=dl.local_day(unstamp(r["answered_at"]), tz),
                published=dl.local_day(unstamp(r["published_at"]), tz),
            )
            for r in rows
        ]

    def _ticket(self, row) -> Ticket | None:
        return self._with_deadlines(ticket_from_row(row)) if row else None
