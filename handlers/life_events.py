"""Answer a life event ("bố em mới mất") with its procedures in order, each a button.

The events are data (`bot/catalog/life_events.py`); steps whose procedure the catalog
lacks are left out, and what the commune does not handle (divorce, passports) is named
with where to go instead, rather than shown as a wrong card.
"""

from __future__ import annotations

from bot.catalog.english import english_name
from bot.catalog.life_events import LifeEvent
from bot.reply import Button, Reply, esc
from handlers.contact import contact_line
from handlers.context import Turn
from handlers.incoming import TEXT
from handlers.menu import back_to_menu

LABEL = 56  # characters of a procedure's name on its button
CONDOLENCES = frozenset({"death"})


async def _ask_button(turn: Turn) -> Button | None:
    """The citizen's own words, ready to pass to the officials (typed messages only)."""
    msg = turn.msg
    if msg.kind != TEXT or not msg.text or msg.text.startswith("/"):
        return None
    qid = await turn.core.questions.record(
        msg.channel, msg.user_id, msg.chat_id, msg.text, turn.t.locale
    )
    return Button("📨 " + turn.t.gettext("Send my question to officials"), f"q:send:{qid}")


def procedure_label(turn: Turn, proc) -> str:
    """A procedure's name for a button: English when there is one in English mode,
    else the catalog's Vietnamese name (flagged 🇻🇳 in English mode)."""
    if turn.t.locale == "en":
        name = english_name(proc.code)
        return _short(name) if name else "🇻🇳 " + _short(proc.name)
    return _short(proc.name)


def _short(name: str) -> str:
    return name if len(name) <= LABEL else name[: LABEL - 1].rstrip() + "…"


def step_label(turn: Turn, n: int, step) -> str:
    """A step's button: its number and short label, as the event's list shows it."""
    return f"{n}. {_short(step.label.get(turn.t.locale))}"


def event_button(turn: Turn, event: LifeEvent) -> Button:
    """The button a card carries to its event's whole group."""
    return Button("🧭 " + event.title.get(turn.t.locale), f"e:{event.id}")


async def event_procedures(turn: Turn, event: LifeEvent) -> list:
    """(step, procedure) for the event's steps the catalog has, in order."""
    found = []
    for step in event.steps:
        proc = await turn.core.procedure(step.code)
        if proc is not None:
            found.append((step, proc))
    return found


async def event_reply(turn: Turn, event: LifeEvent, edit: bool = False) -> Reply:
    _ = turn.t.gettext
    locale = turn.t.locale
    lines = [f"🧭 <b>{esc(event.title.get(locale))}</b>"]
    if event.id in CONDOLENCES:  # a word for the family before the paperwork
        lines.insert(0, "🕯 " + esc(_("Our deepest condolences to you and your family.")))
    rows: list[list[Button]] = []
    found = await event_procedures(turn, event)
    if found:
        lines.append(_("The procedures, in the order to do them:"))
        for n, (step, proc) in enumerate(found, 1):
            label = step.label.get(locale)
            lines.append(f"{n}. <b>{esc(label)}</b> — {esc(step.note.get(locale))}")
            rows.append([Button(step_label(turn, n, step), f"e:{event.id}:{proc.code8}")])
    for note in event.notes:
        lines += ["", "ℹ️ " + esc(note.get(locale))]
    if event.elsewhere:
        lines += ["", "🏛 <b>" + esc(_("Not at the commune's one-stop desk")) + "</b>"]
        for item in event.elsewhere:
            lines.append(f"• {esc(item.what.get(locale))}: {esc(item.where.get(locale))}")
    lines.append("")
    if found:
        lines.append("👉 " + esc(_("Press a procedure to see its documents, time and fee.")))
    else:  # nothing to press: end with a way to ask (the officials, or the desk's phone)
        lines.append("👉 " + esc(_("The one-stop desk of your commune can tell you more.")))
        ask = await _ask_button(turn)
        if ask is not None:
            lines.append(esc(_("Press the button to send your question to the officials.")))
            rows.append([ask])
        else:
            lines[-1] += contact_line(turn)
    rows.append(back_to_menu(turn))
    # a follow-up ("còn phí thì sao?") now asks which of these procedures, not the card before
    await turn.core.recent.event_shown(turn.msg.channel, turn.msg.user_id, event.id)
    return Reply("\n".join(lines), rows, edit=edit)

