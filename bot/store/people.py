"""The officials' roster in the store: who is on it, with which role and agency.

Every question the bot asks of the roster (is this account an official, who are
the leaders, what do colleagues call someone) is asked here, once.
"""

from __future__ import annotations

from bot.store.sql import Row, Source, one, rows, run

_OFFICIAL = "SELECT channel, user_id, name, role, agency_code FROM officials"


async def official(src: Source, channel: str, user_id: str) -> Row | None:
    """The roster row of (channel, user_id), or None: read afresh at each action."""
    return await one(src, _OFFICIAL + " WHERE channel = ? AND user_id = ?", (channel, user_id))


async def officials(src: Source) -> list[Row]:
    return await rows(src, _OFFICIAL + " ORDER BY role, user_id")


async def leaders(src: Source) -> list[Row]:
    """The leaders on the roster (channel, user_id), in a stable order."""
    return await rows(
        src,
        "SELECT channel, user_id FROM officials WHERE role = 'leader' ORDER BY channel, user_id",
    )


async def roster_name(src: Source, channel: str, user_id: str) -> str | None:
    row = await one(
        src, "SELECT name FROM officials WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
    return row["name"] if row else None


async def put_official(
    src: Source, channel: str, user_id: str, name: str, role: str, agency_code: str | None
) -> None:
    await run(
        src,
        "INSERT INTO officials(channel, user_id, name, role, agency_code) VALUES (?,?,?,?,?)"
        " ON CONFLICT(channel, user_id) DO UPDATE SET name = excluded.name,"
        " role = excluded.role, agency_code = excluded.agency_code",
        (channel, user_id, name, role, agency_code),
    )


async def remove_official(src: Source, channel: str, user_id: str) -> int:
    return await run(
        src, "DELETE FROM officials WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
