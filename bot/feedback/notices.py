"""Who hears of a ticket's change, and in which words: the feedback events as outbox messages.

Citizens read their own language (their stored choice, else the deployment's); desks and
leaders read Vietnamese (see `messages`). Keys make each message once; priorities put
alerts about complaints ahead of bulk work and a citizen's own news ahead of reminders.
"""

from __future__ import annotations

from bot.feedback import messages
from bot.feedback.events import (
    FeedbackAnswered,
    FeedbackDeadlineNear,
    FeedbackForwarded,
    FeedbackInfoAdded,
    FeedbackOverdue,
    FeedbackRated,
    FeedbackReceived,
    FeedbackStep,
)
from bot.feedback.model import HARASSMENT, Ticket
from bot.i18n import Translator, translator
from bot.notify.events import notice
from bot.notify.outbox import Priority, enqueue
from bot.notify.zns import feedback_notice
from bot.settings import Settings
from bot.store.sql import Conn
from bot.users import stored_locale


@notice(FeedbackReceived)
async def received(conn: Conn, e: FeedbackReceived, settings: Settings) -> int:
    """The receipt first, then the route's alert; a desk's alert is mirrored (never one
    about staff: that route is the leaders')."""
    t, way = e.ticket, e.route
    agency = _agency_name(settings, t.agency_code)
    phone = _agency_phone(settings, t.agency_code)
    await enqueue(
        conn,
        t.channel,
        t.chat_id,
        messages.receipt(await _tr(conn, settings, t), t, agency, t.deadlines, phone),
        dedupe_key=f"fb-receipt:{t.id}",
        priority=Priority.REPLY,
    )
    for i, target in enumerate(way.targets):
        await enqueue(
            conn,
            target.channel,
            target.chat_id,
            messages.alert(t, agency, t.deadlines, links=list(e.links)),
            dedupe_key=f"fb-alert:{t.id}:{t.agency_code}" + (f":{i}" if i else ""),
            priority=Priority.URGENT,
        )
    if way.reason in ("agency", "officials"):
        for channel, chat in settings.staff_mirrors:
            await enqueue(
                conn,
                channel,
                chat,
                messages.alert(t, agency, t.deadlines, links=list(e.links)),
                dedupe_key=f"fb-alert:{t.id}:{channel}:{chat}",
            )
    return 1 + len(way.targets)


@notice(FeedbackInfoAdded)
async def info_added(conn: Conn, e: FeedbackInfoAdded, settings: Settings) -> int:
    """To the official holding the ticket, else the chat it was routed to."""
    t = e.ticket
    chat = t.assignee or t.routed_chat_id
    if chat is None:
        return 0
    await enqueue(
        conn,
        e.staff_channel,
        chat,
        messages.info_added(t, e.text, links=list(e.links)),
        dedupe_key=f"fb-ev:{e.event_id}",
        priority=Priority.URGENT,
    )
    return 1


@notice(FeedbackRated)
async def rated(conn: Conn, e: FeedbackRated, settings: Settings) -> int:
    """A "not satisfied" goes to the leaders, else the desk (never the desk for staff reports)."""
    t = e.ticket
    chat = settings.leaders_chat_id
    if chat is None and t.category != HARASSMENT:
        chat = t.routed_chat_id
    if e.satisfied or chat is None:
        return 0
    await enqueue(
        conn,
        e.staff_channel,
        chat,
        messages.unsatisfied_alert(t, _agency_name(settings, t.agency_code)),
        dedupe_key=f"fb-unsatisfied:{t.id}",
        priority=Priority.URGENT,
    )
    return 1


@notice(FeedbackStep)
async def step(conn: Conn, e: FeedbackStep, settings: Settings) -> int:
    t = e.ticket
    return await _tell_citizen(
        conn, settings, t, e.event_id, lambda tr: messages.citizen_update(tr, t, e.step, e.detail)
    )


@notice(FeedbackAnswered)
async def answered(conn: Conn, e: FeedbackAnswered, settings: Settings) -> int:
    t = e.ticket
    return await _tell_citizen(conn, settings, t, e.event_id, lambda tr: messages.answer(tr, t))


@notice(FeedbackForwarded)
async def forwarded(conn: Conn, e: FeedbackForwarded, settings: Settings) -> int:
    """The new agency's desk first, then the citizen."""
    t = e.ticket
    for i, to in enumerate(e.route.targets):
        await enqueue(
            conn,
            to.channel,
            to.chat_id,
            messages.alert(t, e.to_agency, t.deadlines, forwarded_from=e.from_agency),
            dedupe_key=f"fb-ev:{e.event_id}:alert" + (f":{i}" if i else ""),
            priority=Priority.URGENT,
        )
    told = await _tell_citizen(
        conn,
        settings,
        t,
        e.event_id,
        lambda tr: messages.citizen_update(tr, t, "forwarded", e.to_agency),
    )
    return len(e.route.targets) + told


@notice(FeedbackOverdue)
async def overdue(conn: Conn, e: FeedbackOverdue, settings: Settings) -> int:
    """The leaders' chat, when there is one (0: the escalation is recorded as "no_chat")."""
    t = e.ticket
    chat = settings.leaders_chat_id
    if chat is None:
        return 0
    await enqueue(
        conn,
        e.staff_channel,
        chat,
        messages.escalation(t, _agency_name(settings, t.agency_code), e.kind, e.due, e.assignee),
        dedupe_key=f"fb-escalate:{t.id}:{e.note}",
        priority=Priority.URGENT,
    )
    return 1


@notice(FeedbackDeadlineNear)
async def deadline_near(conn: Conn, e: FeedbackDeadlineNear, settings: Settings) -> int:
    """1 only when queued now: a reminder already sent for this deadline is not counted."""
    t = e.ticket
    return await enqueue(
        conn,
        e.staff_channel,
        e.chat,
        messages.reminder(t, e.kind, e.due, e.left),
        dedupe_key=f"fb-remind:{t.id}:{e.kind}:{e.due.isoformat()}",
        priority=Priority.BULK,
    )


async def _tell_citizen(conn, settings: Settings, t: Ticket, event_id: int, build) -> int:
    """`build(translator)` makes the message in the citizen's own language."""
    if t.chat_id is None:  # the citizen asked to be forgotten
        return 0
    await enqueue(
        conn,
        t.channel,
        t.chat_id,
        build(await _tr(conn, settings, t)),
        dedupe_key=f"fb-ev:{event_id}",
        priority=Priority.REPLY,
        zns=feedback_notice(t),
    )
    return 1


async def _tr(conn, settings: Settings, t: Ticket) -> Translator:
    """The citizen's chosen language, else the deployment's."""
    locale = await stored_locale(conn, t.channel, t.user_id or "")
    return translator(locale or settings.locale)


def _agency_name(settings: Settings, code: str) -> str:
    agency = settings.agency(code)
    return agency.name if agency else code


def _agency_phone(settings: Settings, code: str) -> str:
    agency = settings.agency(code)
    return agency.phone if agency else ""
