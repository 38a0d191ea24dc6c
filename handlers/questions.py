"""When search abstains: say so plainly and offer to pass the question to officials."""

from __future__ import annotations

from bot.reply import Button, Reply
from bot.text import parse_id
from handlers.contact import contact_line
from handlers.context import Turn
from handlers.life_events import procedure_label
from handlers.menu import back_to_menu


async def not_found(turn: Turn, question: str, maybe: list | None = None) -> Reply:
    """No procedure fits surely. `maybe`: procedures that might (search's suggestions),
    offered as buttons to choose from, never shown as the answer."""
    _ = turn.t.gettext
    qid = await turn.core.questions.record(
        turn.msg.channel, turn.msg.user_id, turn.msg.chat_id, question, turn.t.locale
    )
    if maybe:
        lines = [
            "🤔 " + _("I am not sure which procedure fits your question."),
            _("Is it one of these? Press it to see it."),
        ]
    else:
        lines = [
            "🤔 " + _("Sorry, I could not find a procedure that fits your question."),
            _("I would rather not guess and show you a wrong procedure."),
        ]
    lines += [
        "",
        "👉 " + _("You can:"),
        "• " + _('ask again in a few words, for example "dang ky ket hon";'),
        "• " + _("or send your question to the one-stop desk officials."),
    ]
    rows = [[Button("📨 " + _("Send my question to officials"), f"q:send:{qid}")]]
    rows += [[Button(procedure_label(turn, p), f"p:c:{p.code8}")] for p in maybe or []]
    rows.append(back_to_menu(turn))
    return Reply("\n".join(lines), rows)


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """q:send:ID — only the citizen who asked may send it, and only once (the officials'
    buttons under the alert, q:an, q:ln, q:lk, have their own route)."""
    _ = turn.t.gettext
    qid = action.rsplit(":", 1)[-1]
    question = await turn.core.questions.get(parse_id(qid)) if parse_id(qid) else None
    if question is None or (question.channel, question.user_id) != (
        turn.msg.channel,
        turn.msg.user_id,
    ):
        return [Reply(_("That question cannot be found. Please ask again."), [back_to_menu(turn)])]
    settings = turn.core.settings
    targets = [(settings.staff_channel, str(settings.officials_chat_id))]
    if settings.officials_chat_id is None:  # no officials' chat: each leader on the roster
        targets = await turn.core.officials.leaders()
    if not targets:
        text = _(
            "I cannot pass questions on to officials in the app yet, so your question was not"
            " sent. Please call or visit your commune's one-stop desk."
        )
        return [Reply("ℹ️ " + text + contact_line(turn), [back_to_menu(turn)])]
    to = (*targets, *settings.staff_mirrors)
    if not await turn.core.questions.send_to_officials(question, to, settings.locale):
        return [Reply("✅ " + _("Your question was already sent."), [back_to_menu(turn)])]
    text = "\n".join(
        [
            "✅ "
            + _("Your question no. %s was sent to the one-stop desk officials.") % question.number,
            "👉 " + _("Meanwhile you can ask me about another procedure."),
        ]
    )
    return [Reply(text, [back_to_menu(turn)])]
