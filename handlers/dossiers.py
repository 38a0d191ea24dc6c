"""Dossier status for citizens: look up by code, follow it, verify ownership, see your own.

Personal data stays masked until the citizen proves, by sharing their own
contact after explicit consent, that the dossier's phone number is theirs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.dossiers.codes import (
    BAD_DATE,
    BAD_NUMBER,
    MISSING_AGENCY,
    MISSING_NUMBER,
    dossier_code_problem,
    find_dossier_code,
    looks_like_dossier_code,
)
from bot.dossiers.lateness import load_verdict
from bot.dossiers.model import Dossier
from bot.dossiers.phones import normalize_phone
from bot.dossiers.wording import LATE, RETURNED, CardContext, lateness, status_name, timeliness
from bot.people.privacy import DOSSIER_TRACKING
from bot.reply import CONTACT_ACTION, Button, Reply, esc
from handlers import ratings
from handlers.cards import display_name
from handlers.context import Turn
from handlers.dossier_text import dossier_card
from handlers.incoming import CONTACT
from handlers.menu import back_to_menu

EXAMPLE_CODE = "000.00.06.H56-231027-0361"
MAX_LISTED = 10


def is_dossier_message(text: str) -> bool:
    """A message about a dossier: it holds a code, or something shaped almost like one."""
    return find_dossier_code(text) is not None or looks_like_dossier_code(text)


async def prompt(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "📂 " + _("Type your dossier code. It is printed on your receipt, for example:"),
            f"<b>{EXAMPLE_CODE}</b>",
            "👉 " + _("Or share your phone number once to see all your dossiers."),
        ]
    )
    rows = [[Button("📋 " + _("My dossiers"), "d:mine")], back_to_menu(turn)]
    return [Reply(text, rows)]


async def lookup(turn: Turn, text: str) -> list[Reply]:
    """A message with a dossier code in it (or `/hoso CODE`)."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    wait = core.lookup_guard.wait_seconds(msg.channel, msg.user_id)
    if wait:
        minutes = max(1, round(wait / 60))
        text = _("Too many codes that were not found. Please try again in %s minutes.") % minutes
        return [Reply("⏳ " + text, [back_to_menu(turn)])]
    code = find_dossier_code(text)
    if code is None:
        problem = dossier_code_problem(text) or ""
        return [_hint(turn, problem)]
    dossier = await core.dossiers.get(code)
    if dossier is None:
        core.lookup_guard.failed(msg.channel, msg.user_id)
        reply = _("I could not find dossier %s.") % f"<b>{esc(code)}</b>"
        return [_hint(turn, "", reply)]
    return [await card(turn, dossier)]


def problem_text(turn: Turn, problem: str) -> str:
    """What is wrong with an almost-code, in the citizen's words (never the raw key)."""
    _ = turn.t.gettext
    texts = {
        BAD_DATE: _("The date in the middle (6 digits, such as 231027) is not right."),
        BAD_NUMBER: _("The number at the end must have 4 digits, such as 0361."),
        MISSING_NUMBER: _("The number at the end (4 digits, such as 0361) is missing."),
        MISSING_AGENCY: _("The agency part at the start (such as 000.00.06.H56) is missing."),
    }
    return texts.get(problem, "")


def _hint(turn: Turn, problem: str, head: str | None = None) -> Reply:
    _ = turn.t.gettext
    lines = ["🤔 " + (head or _("That does not look like a full dossier code."))]
    if problem_text(turn, problem):
        lines.append(esc(problem_text(turn, problem)))
    lines.append(_("A dossier code looks like %s (agency, date, number).") % EXAMPLE_CODE)
    lines.append("👉 " + _("Check the code on your receipt and type it again."))
    return Reply(
        "\n".join(lines), [[Button("📋 " + _("My dossiers"), "d:mine")], back_to_menu(turn)]
    )


async def card(turn: Turn, dossier: Dossier) -> Reply:
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    verified = await _is_owner(turn, dossier)
    await core.recent.dossier_shown(msg.channel, msg.user_id, dossier.code)
    proc = await core.procedure(dossier.procedure_code)
    if proc is not None:  # the latest topic: "còn phí thì sao?" is about this procedure now
        await core.recent.procedure_shown(msg.channel, msg.user_id, proc.code8, [])
    ctx = await card_context(turn, dossier)
    name = display_name(turn.t, proc) if proc else None  # English in English mode
    text = dossier_card(turn.t, dossier, name, verified=verified, ctx=ctx)
    rows: list[list[Button]] = []
    if lateness(dossier, ctx.now, ctx.verdict) is not None:
        rows.append([Button("✉️ " + _("Complain about the delay"), f"fb:late:{dossier.code}")])
    if dossier.status == RETURNED:
        rows.append([Button("⭐ " + _("Rate this service"), f"r:o:{dossier.code}")])
    if not await core.subscriptions.is_subscribed(msg.channel, msg.chat_id, dossier.code):
        rows.append([Button("🔔 " + _("Tell me when it changes"), f"d:sub:{dossier.code}")])
    if not verified:
        rows.append([Button("📱 " + _("It is mine: verify"), "d:verify")])
    rows.append(back_to_menu(turn))
    return Reply(text, rows)


async def card_context(turn: Turn, dossier: Dossier) -> CardContext:
    """Now, the calendar, the desk and the latest apology (read only when there is one)."""
    core = turn.core
    apology = None
    if dossier.apologized_due_at is not None:
        recorded = await core.dossiers.apologies(dossier.code)
        apology = recorded[-1] if recorded else None
    now = datetime.now(UTC)
    tz = core.settings.timezone
    return CardContext(
        now=now,
        calendar=core.calendar,
        tz=tz,
        agency=core.settings.agency(dossier.agency_code),
        apology=apology,
        verdict=await load_verdict(core.db.fetchall, dossier, now, core.calendar, tz),
    )


async def _is_owner(turn: Turn, dossier: Dossier) -> bool:
    if not dossier.applicant_phone:
        return False
    phone = await turn.core.privacy.verified_phone(turn.msg.channel, turn.msg.user_id)
    return phone == dossier.applicant_phone


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """d:show:CODE · d:sub:CODE · d:verify · d:consent · d:mine · d:del"""
    parts = action.split(":", 2)
    kind = parts[1] if len(parts) > 1 else ""
    arg = parts[2] if len(parts) > 2 else ""
    if kind == "show":
        return await lookup(turn, arg)
    if kind == "sub":
        return await subscribe(turn, arg)
    if kind == "verify":
        return await verify(turn, arg)
    if kind == "consent":
        return await consent(turn)
    if kind == "mine":
        return await mine(turn)
    if kind == "del":
        return await delete_confirmed(turn)
    return await prompt(turn)


async def subscribe(turn: Turn, code: str) -> list[Reply]:
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    dossier = await core.dossiers.get(code)
    if dossier is None:
        return await prompt(turn)
    await core.subscriptions.add(msg.channel, msg.chat_id, msg.user_id, dossier.code, "lookup")
    text = _("Done: I will message you each time dossier %s changes.") % esc(dossier.code)
    hint = _("To stop and delete your data, send /xoadulieu.")
    return [Reply("🔔 " + text + "\n" + hint, [back_to_menu(turn)])]


def consent_wording(turn: Turn) -> str:
    _ = turn.t.gettext
    return _(
        "I agree that MotCua stores my phone number to find my dossiers and to notify me "
        "about them, until I ask to delete it (/xoadulieu)."
    )


SHARE_FLOW = "share_phone"  # waiting for the contact: a typed phone gets the right hint


async def verify(turn: Turn, then: str = "") -> list[Reply]:
    """Ask for consent first; only then ask for the contact. `then` (r:CODE: the rating
    of that dossier) is where the citizen returns once verified."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    await core.conversations.set(msg.channel, msg.user_id, SHARE_FLOW, {"then": then[:40]})
    if not await core.privacy.has_consent(msg.channel, msg.user_id, DOSSIER_TRACKING):
        text = "\n".join(
            [
                "🔒 " + _("To find your dossiers I need your phone number. Do you agree?"),
                "<i>" + esc(consent_wording(turn)) + "</i>",
            ]
        )
        rows = [[Button("✅ " + _("I agree"), "d:consent")], back_to_menu(turn)]
        return [Reply(text, rows)]
    return [_ask_contact(turn)]


def _ask_contact(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "📱 " + _("Press the button below to share your own phone number.")
    return Reply(
        text, [[Button("📱 " + _("Share my phone number"), CONTACT_ACTION)]], request_contact=True
    )


async def consent(turn: Turn) -> list[Reply]:
    core, msg = turn.core, turn.msg
    await core.privacy.grant(msg.channel, msg.user_id, DOSSIER_TRACKING, consent_wording(turn))
    return [_ask_contact(turn)]


async def contact(turn: Turn) -> list[Reply]:
    """A shared contact: only the sender's own, only with consent on record."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    if msg.contact_user_id != msg.user_id:
        text = _("Please share your own phone number with the button, not someone else's.")
        return [Reply("✋ " + text, remove_keyboard=True), *await verify(turn)]
    if not await core.privacy.has_consent(msg.channel, msg.user_id, DOSSIER_TRACKING):
        return await verify(turn)
    phone = normalize_phone(msg.contact_phone)
    if phone is None:
        text = _("That phone number is not a Vietnamese number I can match to dossiers.")
        return [Reply("🤔 " + text, [back_to_menu(turn)], remove_keyboard=True)]
    await core.privacy.save_phone(msg.channel, msg.user_id, phone)
    thanks = Reply("✅ " + _("Thank you, your phone number is verified."), remove_keyboard=True)
    state = await core.conversations.get(msg.channel, msg.user_id)
    then = state.data.get("then", "") if state and state.flow == SHARE_FLOW else ""
    if state and state.flow == SHARE_FLOW:
        await core.conversations.clear(msg.channel, msg.user_id)
    if then.startswith("r:"):  # back to the rating that asked for it
        return [thanks, *await ratings.on_action(turn, "r:o:" + then[2:])]
    return [thanks, *await mine(turn)]


async def typed_phone(turn: Turn, text: str) -> list[Reply] | None:
    """A phone typed where the button was asked for: the terminal trusts it (nobody else
    is there); elsewhere only the app's own share proves it. None: not a phone."""
    _ = turn.t.gettext
    if normalize_phone(text) is None:
        return None
    msg = turn.msg
    if msg.channel == "terminal":
        shared = replace(msg, kind=CONTACT, contact_phone=text, contact_user_id=msg.user_id)
        return await contact(Turn(turn.core, shared, turn.t))
    text = _(
        "Please press the Share my phone number button below instead of typing it:"
        " the app then proves the number is yours."
    )
    return [Reply("📱 " + text, _ask_contact(turn).buttons, request_contact=True)]


async def mine(turn: Turn) -> list[Reply]:
    """/hosocuatoi: the verified citizen's dossiers, each followed."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    phone = await core.privacy.verified_phone(msg.channel, msg.user_id)
    if phone is None:
        text = _("To see your dossiers, first share your phone number (once).")
        rows = [[Button("📱 " + _("It is mine: verify"), "d:verify")], back_to_menu(turn)]
        return [Reply("📋 " + text, rows)]
    dossiers = await core.dossiers.by_phone(phone, limit=MAX_LISTED)
    if not dossiers:
        text = _("No dossier is registered with your phone number yet.")
        hint = _("If you filed one, type its code from the receipt.")
        return [Reply("📋 " + text + "\n👉 " + hint, [back_to_menu(turn)])]
    lines = ["📋 <b>" + _("Your dossiers") + "</b>"]
    rows = []
    now, tz = datetime.now(UTC), core.settings.timezone
    # Late ones first: they are what the citizen has to act on.
    dossiers.sort(key=lambda d: lateness(d, now) != LATE)
    late_count = 0
    for d in dossiers:
        await core.subscriptions.add(msg.channel, msg.chat_id, msg.user_id, d.code, "owner")
        due = turn.t.day(d.due_at.astimezone(tz)) if d.due_at else "—"
        line = f"• <b>{esc(d.code)}</b>: {esc(status_name(turn.t, d.status))} · {esc(due)}"
        label = d.code
        if lateness(d, now) == LATE:
            late_count += 1
            line += " · ⚠️ <b>" + esc(timeliness(turn.t, d, now, core.calendar, tz)) + "</b>"
            label = "⚠️ " + d.code
        lines.append(line)
        rows.append([Button(label, f"d:show:{d.code}")])
    if late_count:
        lines.append(
            "⚠️ "
            + turn.t.ngettext(
                "%s dossier is late: press it to see the apology, the desk's contact"
                " and how to complain.",
                "%s dossiers are late: press one to see the apology, the desk's contact"
                " and how to complain.",
                late_count,
            )
            % late_count
        )
    lines.append("👉 " + _("I will message you when any of them changes. Press one for details."))
    rows.append(back_to_menu(turn))
    return [Reply("\n".join(lines), rows)]


async def delete_ask(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = _(
        "This deletes your phone number, your consents and the dossiers you follow. "
        "Your dossiers themselves stay with the office. Delete?"
    )
    rows = [[Button("🗑 " + _("Yes, delete my data"), "d:del")], back_to_menu(turn)]
    return [Reply("⚠️ " + text, rows)]


async def delete_confirmed(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    deleted = await turn.core.privacy.delete_all(turn.msg.channel, turn.msg.user_id)
    await turn.core.recent.forget(turn.msg.channel, turn.msg.user_id)  # the last cards seen
    lines = ["✅ " + _("Deleted:")]
    lines.append("• " + (_("your phone number") if deleted.phone else _("no phone number stored")))
    lines.append("• " + _("consents: %s") % deleted.consents)
    lines.append("• " + _("followed dossiers: %s") % deleted.subscriptions)
    return [Reply("\n".join(lines), [back_to_menu(turn)])]
