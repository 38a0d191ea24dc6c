"""Ticket numbers from a counter row (issue 15): per year, gapless, carried over on upgrade.

The number is taken by one atomic UPDATE … RETURNING in the ticket's own transaction,
so a refused ticket gives its number back, and a store made before the counter keeps
counting from its latest ticket.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from test_feedback import T0, draft, make_settings

from bot.feedback import Attachment, FeedbackRefused, FeedbackService
from bot.store import open_database
from bot.store.db import _statements, migrations
from bot.workdays.calendar import default_calendar


async def test_a_refused_ticket_gives_its_number_back(tmp_path, store_target):
    db = await open_database(store_target)
    service = FeedbackService(db, make_settings(tmp_path), default_calendar())
    try:
        first = await service.submit(draft(), T0)
        # Refused after the number was taken (an attachment of no known kind): rolled back.
        with pytest.raises(FeedbackRefused, match="bad_attachment"):
            await service.submit(
                draft(user="u3", attachments=[Attachment("video", file_id="x")]),
                T0 + timedelta(minutes=1),
            )
        second = await service.submit(draft(user="u2"), T0 + timedelta(minutes=2))
        counter = await db.fetchone("SELECT n FROM counters WHERE name = 'pakn-2026'")
    finally:
        await db.close()
    assert (first.number, second.number) == ("PAKN-2026-000001", "PAKN-2026-000002")
    assert counter["n"] == 2


async def test_a_store_from_before_the_counter_goes_on_from_its_latest_ticket(tmp_path):
    path = tmp_path / "fb.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT)")
    for version, name, sql in migrations():
        if version < 21:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, name))
    for number in ("PAKN-2025-000007", "PAKN-2026-000040", "PAKN-2026-000041"):
        conn.execute(
            "INSERT INTO feedback(number, channel, user_id, chat_id, category, agency_code,"
            " text, anonymous, created_at, updated_at, text_hash) VALUES"
            " (?, 'telegram', 'old', 'old', 'khac', '18496', 'Một phản ánh cũ đã lưu.', 1,"
            " '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z', ?)",
            (number, number),
        )
    conn.commit()
    conn.close()
    db = await open_database(path)
    try:
        ticket = await FeedbackService(db, make_settings(tmp_path), default_calendar()).submit(
            draft(), T0
        )
        counters = {r["name"]: r["n"] for r in await db.fetchall("SELECT name, n FROM counters")}
    finally:
        await db.close()
    assert ticket.number == "PAKN-2026-000042"
    assert counters == {"pakn-2025": 7, "pakn-2026": 42}
