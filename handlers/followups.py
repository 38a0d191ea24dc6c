"""Follow-ups on the card shown last: "còn phí thì sao?", "mất bao lâu", "nộp ở đâu".

Answered from the procedure the user saw within the last half hour (kept in the store,
`bot.recent`), with just the part asked about and the card's buttons. Without a card
to refer to, the citizen is asked which procedure they mean, never shown a guess.
"""

from __future__ import annotations

from bot.catalog.life_events import event_by_id
from bot.recent import Recent
from bot.reply import Button, Reply, esc
from handlers import intents, life_events, procedures
from handlers.context import Turn
from handlers.menu import back_to_menu


def section_text(turn: Turn, proc, section: str) -> str:
    return procedures.aspect_text(turn, proc, section)


async def answer(turn: Turn, intent: intents.Intent, recent: Recent) -> list[Reply]:
    """The part of the remembered procedure asked about (or of the dossier's procedure)."""
    code = intent.code or recent.procedure_code
    others = recent.others if code == recent.procedure_code else []
    if code is None and recent.event:  # a life event's group, like a card, before a dossier
        return [await which_of_event(turn, recent.event, intent.section or intents.STEPS)]
    if code is None and recent.dossier_code:
        dossier = await turn.core.dossiers.get(recent.dossier_code)
        code = dossier.procedure_code if dossier else None
    proc = await turn.core.procedure(code) if code else None
    if proc is None:
        return [which_procedure(turn)]
    await procedures.remember(turn, proc, others)  # the conversation goes on about it
    return [procedures.section_reply(turn, proc, others, intent.section, first=False)]


# The button action (procedures.on_action) showing each section of a procedure.
SECTION_ACTIONS = procedures.ASPECTS


async def which_of_event(turn: Turn, event_id: str, section: str) -> Reply:
    """After a life event's group, "còn phí thì sao?" could mean any of its procedures:
    ask which, each a button straight to that part of it."""
    _ = turn.t.gettext
    event = event_by_id(event_id)
    found = await life_events.event_procedures(turn, event) if event else []
    if not found and event and event.elsewhere:  # a divorce, a passport: not at the commune
        return elsewhere(turn, event)
    if not found:
        return which_procedure(turn)
    kind = SECTION_ACTIONS.get(section, "s")
    rows = [
        [Button(life_events.step_label(turn, n, step), f"p:{kind}:{proc.code8}")]
        for n, (step, proc) in enumerate(found, 1)
    ]
    rows.append([life_events.event_button(turn, event)])
    rows.append(back_to_menu(turn))
    text = "🤔 " + _("Which procedure do you mean?") + "\n👉 " + _("Press one of them:")
    return Reply(text, rows)


def elsewhere(turn: Turn, event) -> Reply:
    """The fee, time or papers of a matter the commune does not handle: where to ask."""
    _ = turn.t.gettext
    locale = turn.t.locale
    lines = ["🏛 <b>" + esc(_("Not at the commune's one-stop desk")) + "</b>"]
    lines += [f"• {esc(i.what.get(locale))}: {esc(i.where.get(locale))}" for i in event.elsewhere]
    lines.append("👉 " + esc(_("That office tells you its fee, papers and time.")))
    return Reply("\n".join(lines), [[life_events.event_button(turn, event)], back_to_menu(turn)])


def which_procedure(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "🤔 " + _("Which procedure do you mean?"),
            "👉 " + _('Type its name in a few words, for example "dang ky khai sinh".'),
        ]
    )
    return Reply(text, [back_to_menu(turn)])
