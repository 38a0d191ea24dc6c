"""Questions the catalog could not answer, passed to officials on the citizen's request."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog import learned
from bot.clock import stamp, utcnow
from bot.notify import events
from bot.question_events import QuestionAnswered, QuestionLinked, QuestionSent
from bot.store import Database
from bot.store import questions as store

_NUMBER = re.compile(r"^CH-?(\d+)$", re.IGNORECASE)


@dataclass
class Question:
    id: int
    channel: str
    user_id: str
    chat_id: str
    text: str
    sent_at: str | None
    locale: str = "vi"
    answered_at: str | None = None
    procedure_code: str | None = None

    @property
    def number(self) -> str:
        """How people name it ("CH-12"): not to be confused with a feedback ticket's id."""
        return f"CH-{self.id}"


def parse_number(text: str) -> int | None:
    """CH-12 (or ch12) → 12; anything else → None."""
    m = _NUMBER.match(text.strip())
    return int(m.group(1)) if m else None


class Questions:
    def __init__(self, db: Database):
        self.db = db

    async def record(self, channel: str, user_id: str, chat_id: str, text: str, locale: str) -> int:
        async with self.db.transaction() as conn:
            return await store.add_question(conn, channel, user_id, chat_id, text, locale)

    async def get(self, question_id: int) -> Question | None:
        if not 0 < question_id < 2**63:  # a typed number: SQLite integers stop there
            return None
        row = await store.question(self.db, question_id)
        return Question(**dict(row)) if row else None

    async def send_to_officials(
        self, question: Question, targets: tuple[tuple[str, str], ...], locale: str
    ) -> bool:
        """Mark sent and record it (its notices alert `targets`, (channel, chat), the desk's
        first) in one transaction; False if it was sent before."""
        async with self.db.transaction() as conn:
            if not await store.mark_sent(conn, question.id, stamp(utcnow())):
                return False
            await events.record(conn, QuestionSent(question, targets, locale))
            return True

    async def answer(self, question: Question, who: tuple[str, str], text: str) -> bool:
        """Record an official's answer (its notice takes it to the citizen); False if
        answered before."""
        async with self.db.transaction() as conn:
            if not await store.set_answer(conn, question.id, stamp(utcnow()), text, ":".join(who)):
                return False
            await events.record(conn, QuestionAnswered(question, text))
            return True

    async def link(
        self, question: Question, code: str, who: tuple[str, str], procedure_name: str
    ) -> bool:
        """An official says which procedure answers the question: the citizen is told, and
        the wording is kept so the search answers it next time; False if linked before."""
        async with self.db.transaction() as conn:
            if not await store.set_procedure(conn, question.id, code, ":".join(who)):
                return False
            await learned.add(conn, question.text, code, question.id, who)
            await events.record(conn, QuestionLinked(question, code, procedure_name))
            return True
