"""People in the store: the officials' roster, citizens' language, consents, phone, follows.

Every question the bot asks of the roster (is this account an official, who are
the leaders, what do colleagues call someone) is asked here, once.
"""

from __future__ import annotations

from bot.store.sql import Conn, Row, Source, one, rows, run

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


# ---- citizens: language, consents, verified phone ------------------------------------------


async def locale(src: Source, channel: str, user_id: str) -> str | None:
    """The language a user chose (None: never chose)."""
    row = await one(
        src, "SELECT locale FROM users WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
    return row["locale"] if row and row["locale"] else None


async def set_locale(src: Source, channel: str, user_id: str, value: str) -> None:
    await run(
        src,
        "INSERT INTO users(channel, user_id, locale) VALUES (?, ?, ?)"
        " ON CONFLICT(channel, user_id) DO UPDATE SET locale = excluded.locale",
        (channel, user_id, value),
    )


async def has_consent(src: Source, channel: str, user_id: str, purpose: str) -> bool:
    row = await one(
        src,
        "SELECT 1 FROM consents WHERE channel = ? AND user_id = ? AND purpose = ?"
        " AND withdrawn_at IS NULL",
        (channel, user_id, purpose),
    )
    return row is not None


async def add_consent(
    src: Source, channel: str, user_id: str, purpose: str, wording: str, at: str
) -> None:
    await run(
        src,
        "INSERT INTO consents(channel, user_id, purpose, wording, granted_at) VALUES (?,?,?,?,?)",
        (channel, user_id, purpose, wording, at),
    )


async def phone(src: Source, channel: str, user_id: str) -> str | None:
    row = await one(
        src, "SELECT phone FROM contacts WHERE channel = ? AND user_id = ?", (channel, user_id)
    )
    return row["phone"] if row else None


async def set_phone(src: Source, channel: str, user_id: str, value: str, at: str) -> None:
    await run(
        src,
        "INSERT INTO contacts(channel, user_id, phone, verified_at) VALUES (?,?,?,?)"
        " ON CONFLICT(channel, user_id) DO UPDATE SET phone = excluded.phone,"
        " verified_at = excluded.verified_at",
        (channel, user_id, value, at),
    )


async def forget(conn: Conn, channel: str, user_id: str) -> tuple[int, int, int]:
    """Delete the user's phone, consents and subscriptions: how many of each went."""
    key = (channel, user_id)
    phones = await run(conn, "DELETE FROM contacts WHERE channel = ? AND user_id = ?", key)
    consents = await run(conn, "DELETE FROM consents WHERE channel = ? AND user_id = ?", key)
    subs = await run(conn, "DELETE FROM subscriptions WHERE channel = ? AND user_id = ?", key)
    return phones, consents, subs


# ---- who hears about which dossier -----------------------------------------------------------


async def subscribe(
    src: Source, channel: str, chat_id: str, user_id: str, code: str, reason: str
) -> bool:
    """False when the chat already follows the dossier."""
    added = await run(
        src,
        "INSERT INTO subscriptions(channel, chat_id, user_id, dossier_code, reason)"
        " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
        (channel, chat_id, user_id, code, reason),
    )
    return added == 1


async def is_subscribed(src: Source, channel: str, chat_id: str, code: str) -> bool:
    row = await one(
        src,
        "SELECT 1 FROM subscriptions WHERE channel = ? AND chat_id = ? AND dossier_code = ?",
        (channel, chat_id, code),
    )
    return row is not None


async def subscribers(src: Source, code: str) -> list[Row]:
    """channel, chat_id, user_id of each chat following the dossier."""
    return await rows(
        src, "SELECT channel, chat_id, user_id FROM subscriptions WHERE dossier_code = ?", (code,)
    )


async def owners(src: Source, phone: str) -> list[tuple[str, str]]:
    """(channel, user_id) of each account that verified this phone."""
    found = await rows(src, "SELECT channel, user_id FROM contacts WHERE phone = ?", (phone,))
    return [(r["channel"], r["user_id"]) for r in found]


async def owners_of_phones(src: Source, phones: list[str]) -> list[tuple[str, str, str]]:
    """(channel, user_id, phone) of each account that verified one of these phones (≤ 500)."""
    marks = ",".join("?" * len(phones))
    found = await rows(
        src, f"SELECT channel, user_id, phone FROM contacts WHERE phone IN ({marks})", phones
    )
    return [(r["channel"], r["user_id"], r["phone"]) for r in found]


async def subscribers_of(src: Source, codes: list[str]) -> list[tuple[str, str, str, str]]:
    """(dossier_code, channel, chat_id, user_id) of each chat following one of these
    dossiers (≤ 500 codes)."""
    marks = ",".join("?" * len(codes))
    found = await rows(
        src,
        "SELECT dossier_code, channel, chat_id, user_id FROM subscriptions"
        f" WHERE dossier_code IN ({marks})",
        codes,
    )
    return [(r["dossier_code"], r["channel"], r["chat_id"], r["user_id"]) for r in found]
