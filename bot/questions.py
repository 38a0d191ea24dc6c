"""Questions the catalog could not answer, passed to officials on the citizen's request."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import stamp, utcnow
from bot.notify.outbox import Priority, enqueue
from bot.reply import Reply
from bot.store import Database


@dataclass
class Question:
    id: int
    channel: str
    user_id: str
    chat_id: str
    text: str
    sent_at: str | None


class Questions:
    def __init__(self, db: Database):
        self.db = db

    async def record(self, channel: str, user_id: str, chat_id: str, text: str, locale: str) -> int:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO questions(channel, user_id, chat_id, text, locale) VALUES (?,?,?,?,?)",
                (channel, user_id, chat_id, text, locale),
            )
            return int(cur.lastrowid)

    async def get(self, question_id: int) -> Question | None:
        row = await self.db.fetchone(
            "SELECT id, channel, user_id, chat_id, text, sent_at FROM questions WHERE id = ?",
            (question_id,),
        )
        return Question(*row) if row else None

    async def send_to_officials(
        self, question: Question, chat_id: int, alert: Reply, staff_channel: str = "telegram"
    ) -> bool:
        """Mark sent and queue the alert in one transaction; False if it was sent before."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE questions SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                (stamp(utcnow()), question.id),
            )
            if cur.rowcount != 1:
                return False
            await enqueue(
                conn,
                staff_channel,
                chat_id,
                alert,
                dedupe_key=f"question:{question.id}",
                priority=Priority.URGENT,
            )
            return True
