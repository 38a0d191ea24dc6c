"""Officials handle feedback from their chat: one tap to act, their next message is the text.

The service checks the roster and the agency on every action and records who
did what and when; the citizen hears of each step through the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.feedback import FeedbackRefused
from bot.feedback.messages import forward_buttons, refusal_text, status_label
from bot.reply import Button, Reply, esc
from bot.text import parse_id
from handlers import questions_officials
from handlers.context import Turn
from handlers.officials import refusal

PENDING = {"an": "answer", "ni": "need_info", "rj": "reject"}


def _now() -> datetime:
    return datetime.now(UTC)


def _who(turn: Turn) -> tuple[str, str]:
    return (turn.msg.channel, turn.msg.user_id)


def _refused(turn: Turn, exc: FeedbackRefused) -> list[Reply]:
    if exc.reason == "not_official":  # removed from the roster since the last check
        return refusal(turn, hint=False)
    return [Reply("🔒 " + refusal_text(exc.reason, exc.detail, turn.t))]


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """f:as|an|ni|rj|cl|pb|fw:ID[:AGENCY] from the alert's buttons (the officials' route:
    the router checked the roster before anything is shown or remembered)."""
    _ = turn.t.gettext
    parts = action.split(":")
    ticket_id = parse_id(parts[2]) if len(parts) >= 3 else None
    if ticket_id is None:  # a forged or garbled button: no such ticket
        return _refused(turn, FeedbackRefused("not_found"))
    kind = parts[1]
    service = turn.core.feedback
    try:
        if kind in PENDING:
            ticket = await service.set_pending(*_who(turn), ticket_id, PENDING[kind], _now())
            prompts = {
                "an": _("Type the answer to %s in your next message."),
                "ni": _("Type what the citizen must add to %s in your next message."),
                "rj": _("Type the reason for rejecting %s in your next message."),
            }
            return [Reply("✍️ " + prompts[kind] % esc(ticket.number))]
        if kind == "as":
            ticket = await service.assign(ticket_id, _who(turn), _now())
            return [Reply("✅ " + _("%s is assigned to you.") % esc(ticket.number))]
        if kind == "cl":
            ticket = await service.close(ticket_id, _who(turn), _now())
            return [Reply("✅ " + _("%s is closed.") % esc(ticket.number))]
        if kind == "pb":
            ticket = await service.publish(ticket_id, _who(turn), _now())
            text = _("%s is published: it is in the public report and the export.")
            return [Reply("✅ " + text % esc(ticket.number))]
        if kind == "fw" and len(parts) == 4:
            ticket = await service.forward(ticket_id, _who(turn), parts[3], _now())
            return [Reply("✅ " + _("%s was forwarded.") % esc(ticket.number))]
        if kind == "fw":
            ticket = await service.check(_who(turn), ticket_id, "forward")
            rows = forward_buttons(ticket, turn.core.settings.agencies)
            return [Reply(_("Forward %s to which agency?") % esc(ticket.number), rows)]
    except FeedbackRefused as exc:
        return _refused(turn, exc)
    return []


async def has_pending(turn: Turn) -> bool:
    return await turn.core.feedback.pending_answer_for(*_who(turn)) is not None


async def pending_text(turn: Turn, text: str) -> list[Reply]:
    """The official's next message after pressing Answer / Need info / Reject."""
    _ = turn.t.gettext
    pending = await turn.core.feedback.pop_pending(*_who(turn))
    if pending is None:
        return []
    return await _act(turn, pending.feedback_id, pending.action, text)


async def _act(turn: Turn, ticket_id: int, action: str, text: str) -> list[Reply]:
    _ = turn.t.gettext
    service = turn.core.feedback
    rows: list[list[Button]] = []
    try:
        if action == "answer":
            ticket = await service.answer(ticket_id, _who(turn), text, _now())
            done = _("Answer to %s recorded and sent to the citizen.")
            if ticket.publish_consent and ticket.published_at is None:
                # the sender agreed: offer publishing now, not only in a reminder days later
                offer = _("The sender agreed to publishing: press 📢 to publish the answer.")
                done += "\n👉 " + offer
                rows = [[Button("📢 Công khai", f"f:pb:{ticket.id}")]]
        elif action == "need_info":
            ticket = await service.ask_info(ticket_id, _who(turn), text, _now())
            done = _("The citizen was asked to add information to %s.")
        else:
            ticket = await service.reject(ticket_id, _who(turn), text, _now())
            done = _("%s rejected; the citizen was told why.")
    except FeedbackRefused as exc:
        return _refused(turn, exc)
    return [Reply("✅ " + done % esc(ticket.number), rows)]


async def answer_command(turn: Turn, args: str) -> list[Reply]:
    """/traloi N text — N is the ticket number (PAKN-2026-000001) or its short id."""
    _ = turn.t.gettext
    head, _sep, text = args.strip().partition(" ")
    replies = await questions_officials.answer_command(turn, head, text)
    if replies is not None:  # CH-12: a question passed on by the bot, not a ticket
        return replies
    if not head or not text.strip():
        return [Reply(_("Usage: /traloi TICKET text, e.g. /traloi PAKN-2026-000001 Dear citizen…"))]
    ticket = await turn.core.feedback.by_number(head) if "-" in head else None
    if ticket is None and parse_id(head) is not None:
        ticket = await turn.core.feedback.get(parse_id(head))
    if ticket is None:
        return [Reply("🤔 " + _("Feedback %s was not found.") % esc(head[:40]))]
    return await _act(turn, ticket.id, "answer", text.strip())


async def overdue_command(turn: Turn, _args: str = "") -> list[Reply]:
    """/phananhquahan: tickets past a deadline (officials: their agency; leaders: all)."""
    _ = turn.t.gettext
    official = turn.official  # the route is the officials' (router.Command)
    agency = None if official.is_leader else official.agency_code
    late = await turn.core.feedback.overdue(_now(), agency)
    lines = ["⏰ <b>" + _("Feedback past a deadline: %s") % len(late) + "</b>"]
    for t in late[:30]:
        state = status_label(turn.t, t.status)
        where = (
            f" — {esc(turn.core.settings.agency_name(t.agency_code))}" if official.is_leader else ""
        )
        text = t.text if len(t.text) <= 50 else t.text[:49].rstrip() + "…"
        lines.append(f"• <b>{esc(t.number)}</b>{where} — {esc(state)} — {esc(text)}")
    if late:
        lines += ["", "👉 " + _("To answer one: /traloi NUMBER text")]
    return [Reply("\n".join(lines))]
