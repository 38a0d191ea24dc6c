"""Messages the ratings feature sends because something changed, texts included.

The invitation goes to the verified owner when a dossier reaches status 10,
once per dossier, never at night (on `DossierReturned`, recorded by the dossier
notices); a
"Không hài lòng" alerts the agency's officials at once, harassment the leaders,
and an agency's rate crossing the target the leaders' chat. All are written in
the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import utcnow
from bot.dossiers.events import DossierReturned
from bot.dossiers.model import Dossier
from bot.feedback.model import HARASSMENT
from bot.feedback.routing import Route, route
from bot.i18n import Translator, translator
from bot.notify.events import notice
from bot.notify.outbox import Priority, enqueue
from bot.notify.quiet import quiet_until
from bot.notify.zns import dossier_notice
from bot.ratings.events import HarassmentReported, RateCrossed, RatingLow
from bot.ratings.model import RETURNED, Rating, percent
from bot.ratings.repository import Ratings
from bot.reply import Button, Reply, esc
from bot.settings import Settings
from bot.store import dossiers as dossier_store
from bot.store import people
from bot.store.sql import Conn
from bot.users import stored_locale

LEVEL_ACTIONS = (("1", "rat_hai_long"), ("2", "hai_long"), ("3", "khong_hai_long"))


def level_buttons(t: Translator, code: str) -> list[list[Button]]:
    """Big buttons, one a row, the best first."""
    _ = t.gettext
    labels = {
        "1": "😀 " + _("Very satisfied"),
        "2": "🙂 " + _("Satisfied"),
        "3": "🙁 " + _("Not satisfied"),
    }
    return [[Button(labels[n], f"r:l:{code}:{n}")] for n, _level in LEVEL_ACTIONS]


def invitation(t: Translator, dossier: Dossier, procedure_name: str | None) -> Reply:
    _ = t.gettext
    lines = [
        "⭐ <b>"
        + _("Are you satisfied with how dossier %s was handled?") % esc(dossier.code)
        + "</b>",
    ]
    if procedure_name:
        lines.append(esc(procedure_name))
    lines.append("👉 " + _("Press one button. Your answer helps the office serve you better."))
    return Reply("\n".join(lines), level_buttons(t, dossier.code))


@notice(DossierReturned)
async def dossier_returned(conn: Conn, e: DossierReturned, settings) -> int:
    async def locale_of(conn, channel: str, user_id: str) -> str:
        return await stored_locale(conn, channel, user_id) or settings.locale

    return await invite_owners(conn, e.dossier, e.procedure_name, settings, utcnow(), locale_of)


async def invite_owners(
    conn: Conn,
    dossier: Dossier,
    procedure_name: str | None,
    settings: Settings,
    now: datetime,
    locale_of,
) -> int:
    """Invite the verified owner(s) of a dossier that just reached status 10; once ever."""
    if dossier.status != RETURNED or not dossier.applicant_phone:
        return 0
    owners = await people.owners(conn, dossier.applicant_phone)
    if not owners:
        return 0
    channel, user_id = owners[0]
    if not await Ratings.mark_invited(conn, dossier.code, channel, user_id, now):
        return 0
    later = quiet_until(now, settings.timezone)
    sent = 0
    for channel, user_id in owners:
        reply = invitation(
            translator(await locale_of(conn, channel, user_id)), dossier, procedure_name
        )
        key = f"rating-invite:{dossier.code}:{channel}:{user_id}"
        notice = dossier_notice(dossier, settings.timezone, "Mời đánh giá hài lòng")
        sent += await enqueue(
            conn, channel, user_id, reply, dedupe_key=key, not_before=later, zns=notice
        )
    return sent


@notice(RatingLow)
async def rating_low(conn: Conn, e: RatingLow, settings: Settings) -> int:
    return await alert_unsatisfied(conn, e.dossier, e.rating, e.procedure_name, settings)


async def alert_unsatisfied(
    conn: Conn,
    dossier: Dossier,
    rating: Rating,
    procedure_name: str | None,
    settings: Settings,
) -> bool:
    """Tell the agency's officials at once: dossier, procedure, who handled it, the comment."""
    agency = settings.agency(dossier.agency_code)
    way = await route(conn, settings, "cham_tre", dossier.agency_code)
    if not way.ok:
        return False
    _ = translator(settings.locale).gettext
    actor, name = await dossier_store.last_official(conn, dossier.code, settings.staff_channel)
    handled_by = name or actor  # the roster name, as colleagues know them
    lines = ["🙁 <b>" + _("A citizen is not satisfied: dossier %s") % esc(dossier.code) + "</b>"]
    if procedure_name:
        lines.append(_("Procedure: %s") % esc(procedure_name))
    lines.append(_("Agency: %s") % esc(agency.name if agency else dossier.agency_code))
    if handled_by:
        lines.append(_("Official who last handled it: %s") % esc(handled_by))
    if rating.comment:
        lines.append(_("Comment: %s") % esc(rating.comment))
    lines.append("👉 " + _("Please contact the citizen and see what went wrong."))
    key = f"unsatisfied:{dossier.code}:{rating.comment or ''}"[:200]
    return await _urgent(conn, way, lines, key)


@notice(HarassmentReported)
async def harassment(conn: Conn, e: HarassmentReported, settings: Settings) -> int:
    return await alert_harassment(conn, e.dossier, settings)


async def alert_harassment(conn: Conn, dossier: Dossier, settings: Settings) -> bool:
    """A citizen says staff caused trouble or sought favours: the leaders, never the desk."""
    way = await route(conn, settings, HARASSMENT, dossier.agency_code)
    if not way.ok:
        return False
    _ = translator(settings.locale).gettext
    agency = settings.agency(dossier.agency_code)
    lines = [
        "🚨 <b>"
        + _("Possible harassment reported in a rating: dossier %s") % esc(dossier.code)
        + "</b>",
        _("Agency: %s") % esc(agency.name if agency else dossier.agency_code),
        "👉 " + _("Please have the inspection look into it; do not forward to the desk concerned."),
    ]
    return await _urgent(conn, way, lines, f"harassment-rating:{dossier.code}")


async def _urgent(conn, way: Route, lines: list[str], key: str) -> bool:
    """An alert to the route's staff, ahead of bulk work, once per key; True when it is
    queued now or was before (the citizen may be told the office knows)."""
    reply = Reply("\n".join(lines))
    for i, to in enumerate(way.targets):
        await enqueue(
            conn, to.channel, to.chat_id, reply, dedupe_key=key + (f":{i}" if i else ""),
            priority=Priority.URGENT,
        )  # fmt: skip
    return True


@notice(RateCrossed)
async def rate_crossed(conn: Conn, e: RateCrossed, settings) -> int:
    """One message per agency, crossing and local day, to the leaders' chat."""
    if e.below:
        reply, key = alert_reply(e.name, e.satisfied, e.count, e.target), "rate-below"
    else:
        reply, key = recovery_reply(e.name, e.satisfied, e.count, e.target), "rate-recovered"
    return await enqueue(conn, e.channel, e.chat, reply, f"{key}:{e.agency}:{e.day}")


def alert_reply(name: str, satisfied: int, n: int, target: float) -> Reply:
    return Reply(
        f"⚠️ <b>Tỷ lệ hài lòng dưới mục tiêu</b>\n{esc(name)}: {percent(satisfied / n)}"
        f" ({satisfied}/{n} đánh giá trong 30 ngày qua), mục tiêu {percent(target, 0)}."
    )


def recovery_reply(name: str, satisfied: int, n: int, target: float) -> Reply:
    return Reply(
        f"✅ <b>Tỷ lệ hài lòng đã đạt lại mục tiêu</b>\n{esc(name)}: {percent(satisfied / n)}"
        f" ({satisfied}/{n} đánh giá trong 30 ngày qua), mục tiêu {percent(target, 0)}."
    )
