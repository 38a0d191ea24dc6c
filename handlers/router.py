"""Route one incoming message to its feature: the whole conversation map in one file.

Every channel reaches it through the core's one entry point (bot/dispatch.py), which
holds the person's lock, starts the turn with `begin` and calls `dispatch`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.catalog.english import is_english
from bot.conversations import ENDED
from bot.core import Core
from bot.i18n import N_, translator
from bot.reply import Reply, esc
from bot.text import clean
from handlers import (
    dossiers,
    everyday,
    feedback,
    feedback_officials,
    menu,
    officials,
    procedures,
    questions,
    questions_officials,
    ratings,
)
from handlers.context import Turn
from handlers.incoming import ACTION, CONTACT, MEDIA, TEXT, Incoming

log = logging.getLogger(__name__)
Feature = Callable[[Turn, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    """A slash command: its feature gets the words after the command."""

    feature: Feature
    description: str | None = None  # msgid: listed in the command menu and /help
    private: bool = False  # only in a private chat; in a group it is an unknown command
    officials: bool = False  # only officials on the roster (the feature finds turn.official)
    refusal_hint: bool = False  # anyone else is also told how to look a dossier up


@dataclass(frozen=True)
class Action:
    """A button's route: its feature gets the whole action."""

    feature: Feature
    officials: bool = False  # as Command.officials


# Listed commands come first, in the order the menu and /help show them.
COMMANDS: dict[str, Command] = {
    "start": Command(lambda turn, _a: menu.start(turn), N_("main menu")),
    "hoso": Command(lambda turn, a: dossier_command(turn, a), N_("check a dossier by its code")),
    "hosocuatoi": Command(lambda turn, _a: dossiers.mine(turn), N_("my dossiers"), private=True),
    "danhgia": Command(ratings.start, N_("rate a returned dossier")),
    "phananh": Command(feedback.start, N_("send feedback or a complaint"), private=True),
    "phananhcuatoi": Command(feedback.mine, N_("my feedback")),
    "xoadulieu": Command(
        lambda turn, _a: dossiers.delete_ask(turn), N_("delete my personal data"), private=True
    ),
    "huy": Command(lambda turn, _a: cancel(turn), N_("cancel what I am doing")),
    "lang": Command(lambda turn, a: menu.language_command(turn, a), N_("change language")),
    "help": Command(lambda turn, _a: menu.help_(turn, listed_commands()), N_("how to use the bot")),
    "menu": Command(lambda turn, _a: menu.menu(turn)),
    # the officials' commands (refused politely to anyone not on the roster)
    "quahan": Command(
        lambda turn, _a: officials.overdue_command(turn), officials=True, refusal_hint=True
    ),
    "xinloi": Command(officials.apology_command, officials=True, refusal_hint=True),
    "thongke": Command(
        lambda turn, _a: officials.stats_command(turn), officials=True, refusal_hint=True
    ),
    "traloi": Command(feedback_officials.answer_command, officials=True),
    "phananhquahan": Command(feedback_officials.overdue_command, officials=True),
}
# Button actions by prefix: the first two parts of the action (`f:ok`), else the part before
# the first ':' (`f`). The feature gets the whole action.
ACTIONS: dict[str, Action] = {
    "menu": Action(lambda turn, _a: menu.menu(turn)),
    "lang": Action(
        lambda turn, a: (
            menu.set_language(turn, a.split(":", 1)[1]) if ":" in a else menu.choose_language(turn)
        )
    ),
    "m": Action(lambda turn, a: MENU.get(a, menu.coming_soon)(turn)),
    "p": Action(procedures.on_action),
    "e": Action(procedures.on_event_action),
    "q": Action(questions_officials.on_action, officials=True),  # under the desk's alert
    "q:send": Action(questions.on_action),  # the citizen sends their question on
    "d": Action(dossiers.on_action),
    "r": Action(ratings.on_action),
    "a": Action(ratings.answer_vote),
    "fb": Action(feedback.on_action),
    "f": Action(feedback_officials.on_action, officials=True),  # under the desk's alert
    "f:ok": Action(feedback.rate_answer),  # the citizen rates the desk's answer
    "f:ko": Action(feedback.rate_answer),
}
MENU = {
    "m:ask": procedures.prompt,
    "m:dos": dossiers.prompt,
    "m:rate": ratings.start,
    "m:fb": feedback.start,
}
def listed_commands() -> list[tuple[str, str]]:
    """(name, description msgid) of the commands shown in the menu and /help, in order."""
    return [(name, c.description) for name, c in COMMANDS.items() if c.description]


async def begin(core: Core, msg: Incoming) -> Turn:
    """Clean what came in (nothing stored keeps a NUL or a control character) and load the
    user's language for this turn."""
    if clean(msg.text) != msg.text:
        msg = replace(msg, text=clean(msg.text))
    locale = await core.users.locale(msg.channel, msg.user_id)
    if msg.kind == TEXT and _written_in_english(msg.text):
        locale = "en"  # a sentence in English is answered in English (the setting stays)
    return Turn(core, msg, translator(locale))


# A message of at least this many words in English gets its answer in English; shorter
# ones ("hello", "ok", "thank you") are said in Vietnamese chats too.
ENGLISH_WORDS = 3


def _written_in_english(text: str) -> bool:
    return len(text.split()) >= ENGLISH_WORDS and not text.startswith("/") and is_english(text)


async def dispatch(turn: Turn) -> list[Reply]:
    msg = turn.msg
    if msg.kind == ACTION:
        return await on_action(turn, msg.text)
    if msg.kind == TEXT:
        command = msg.command
        if command:
            return await on_command(turn, *command)
        return await text(turn, msg.text)
    if msg.kind == CONTACT:
        return await contact(turn)
    if msg.kind == MEDIA:
        return await on_media(turn)
    return await menu.menu(turn)


async def on_command(turn: Turn, name: str, args: str) -> list[Reply]:
    command = COMMANDS.get(name)
    if command is None or (command.private and not turn.msg.private):
        return await unknown_command(turn, name)
    if command.officials and not await on_roster(turn):
        return officials.refusal(turn, hint=command.refusal_hint)
    return await command.feature(turn, args)


async def on_roster(turn: Turn) -> bool:
    """The one check of the officials' routes: the roster's entry goes on the turn."""
    turn.official = await turn.core.officials.get(turn.msg.channel, turn.msg.user_id)
    return turn.official is not None


async def text(turn: Turn, text: str) -> list[Reply]:
    """Words that are not a command: a citizen's question in a private chat; in a group,
    only the text an official's pressed button is waiting for."""
    if turn.msg.private:
        return await free_text(turn, text)
    return await staff_text(turn, text)


async def contact(turn: Turn) -> list[Reply]:
    """A shared contact proves a phone number in a private chat only."""
    return await dossiers.contact(turn) if turn.msg.private else []


async def free_text(turn: Turn, text: str) -> list[Reply]:
    """A flow waiting for text takes it; a dossier code goes to the lookup; else a question."""
    waiting = await turn.core.conversations.waiting_kinds(turn.msg.channel, turn.msg.user_id)
    if waiting:
        replies = await waiting_text(turn, text, waiting)
        if replies is not None:
            return replies
    if dossiers.is_dossier_message(text):
        return await dossiers.lookup(turn, text)
    replies = await everyday.answer(turn, text)  # greetings, follow-ups... before search
    if replies is not None:
        return replies
    return await procedures.ask(turn, text)


async def waiting_text(turn: Turn, text: str, waiting: set[str]) -> list[Reply] | None:
    """The text something was waiting for (a comment, a form step, an answer, more info)."""
    if "flow" in waiting:
        state = await turn.core.conversations.get(
            turn.msg.channel, turn.msg.user_id, max_idle=ratings.COMMENT_IDLE
        )
        if state is not None and state.flow == ratings.COMMENT_FLOW:
            if not state.data.get("expired"):
                return await ratings.comment(turn, text, state.data["code"])
        elif state is not None and state.flow == feedback.FLOW:
            return await feedback.on_text(turn, text)
        elif state is not None and state.flow == dossiers.SHARE_FLOW:
            replies = await dossiers.typed_phone(turn, text)  # None: a question after all
            if replies is not None:
                return replies
        elif state is not None and state.flow in questions_officials.FLOWS:
            replies = await questions_officials.pending_text(turn, text)
            if replies is not None:
                return replies
    if "pending" in waiting:
        return await feedback_officials.pending_text(turn, text)
    if "need_info" in waiting:
        awaiting = await turn.core.feedback.awaiting_info(turn.msg.channel, turn.msg.user_id)
        if awaiting is not None:
            return await feedback_info(turn, awaiting, text)
    return None


async def staff_text(turn: Turn, text: str) -> list[Reply]:
    """A message in the officials' group: the text an official's pressed button awaits
    (a question's answer or procedure code, a ticket's answer / request / reason)."""
    replies = await questions_officials.pending_text(turn, text)
    if replies is not None:
        return replies
    return await feedback_officials.pending_text(turn, text)


async def feedback_info(turn: Turn, ticket, text: str) -> list[Reply]:
    """The citizen's message after officials asked for more: attached to the ticket."""
    _ = turn.t.gettext
    await turn.core.feedback.add_info(
        ticket.id, turn.msg.channel, turn.msg.user_id, text, datetime.now(UTC)
    )
    text = _("Added to your feedback %s. The officials are told.") % esc(ticket.number)
    return [Reply("📎 " + text, menu.main_menu(turn))]


async def cancel(turn: Turn) -> list[Reply]:
    """/huy: leave whatever multi-step flow the user is in, and say which (or that none was)."""
    _ = turn.t.gettext
    channel, user_id = turn.msg.channel, turn.msg.user_id
    state = await turn.core.conversations.get(channel, user_id)
    if state is not None and state.flow.endswith(ENDED):
        state = None  # a flow that is over, remembered only to explain its old buttons
    if state is not None and state.flow == feedback.FLOW:
        await feedback.end(turn, "cancelled")  # the form's old buttons will say so
    elif state is not None:
        await turn.core.conversations.clear(channel, user_id)
    pending = await turn.core.feedback.pop_pending(channel, user_id)
    done: list[str] = []
    if state is not None and state.flow == feedback.FLOW:
        done.append(_("your feedback form (nothing was sent)"))
    elif state is not None and state.flow == ratings.COMMENT_FLOW:
        code = esc(state.data.get("code", ""))
        done.append(_("the comment on your rating of dossier %s (the rating is kept)") % code)
    elif state is not None:
        done.append(_("what you were doing"))
    if pending is not None:
        ticket = await turn.core.feedback.get(pending.feedback_id)
        number = ticket.number if ticket else str(pending.feedback_id)
        done.append(_("your reply to feedback no. %s") % esc(number))
    if not done:
        text = "👌 " + _("Nothing was in progress, so there is nothing to cancel.")
    else:
        text = "✖️ " + _("Cancelled: %s.") % "; ".join(done)
    return [
        Reply(
            text + "\n👉 " + _("What would you like to do? Press a button."), menu.main_menu(turn)
        )
    ]


async def dossier_command(turn: Turn, args: str) -> list[Reply]:
    """/hoso CODE looks up; /hoso CODE STATUS [note] is the officials' status change."""
    if not args.strip():
        return await dossiers.prompt(turn)
    if officials.has_status_argument(args):
        return await officials.set_status_command(turn, args)
    return await dossiers.lookup(turn, args)


def action_route(action: str) -> Action | None:
    parts = action.split(":", 2)
    return ACTIONS.get(":".join(parts[:2])) or ACTIONS.get(parts[0])


async def on_action(turn: Turn, action: str) -> list[Reply]:
    route = action_route(action)
    if route is None:  # a stale or unknown button
        return await menu.coming_soon(turn)
    if route.officials and not await on_roster(turn):
        return officials.refusal(turn, hint=False)
    return await route.feature(turn, action)


async def unknown_command(turn: Turn, name: str) -> list[Reply]:
    _ = turn.t.gettext
    text = _("I do not know the command /%s.") % esc(name[:32])
    return [
        Reply("🤔 " + text + "\n👉 " + _("Send /help to see what I can do."), menu.main_menu(turn))
    ]


async def on_media(turn: Turn) -> list[Reply]:
    """Photos and locations belong to a feedback form being filled; otherwise we read text.
    In a group, media is not for the bot."""
    if not turn.msg.private:
        return []
    if await feedback.in_flow(turn):
        return await feedback.on_media(turn)
    return await media(turn)


async def media(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = _("I can only read text messages for now. Please type your question in words.")
    return [Reply("🙂 " + text, menu.main_menu(turn))]


def sorry(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = _("Sorry, something went wrong on our side. Please try again in a moment.")
    return Reply("⚠️ " + text, menu.main_menu(turn))
