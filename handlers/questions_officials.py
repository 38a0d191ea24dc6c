"""Officials close the loop on a question the bot could not answer.

From the alert in their chat an official answers (their next message, or
`/traloi CH-12 text`) or says which procedure it is (a suggestion of the search,
or a code typed next). The citizen hears back in their own language on their own
channel, and a linked procedure teaches the search the citizen's wording.
"""

from __future__ import annotations

from datetime import timedelta

from bot.catalog.model import is_valid_code, normalize_code
from bot.questions import Question, parse_number
from bot.reply import Button, Reply, esc
from bot.text import parse_id
from handlers.context import Turn
from handlers.menu import back_to_menu
from handlers.officials import refusal

ANSWER_FLOW = "question_answer"
LINK_FLOW = "question_link"
FLOWS = (ANSWER_FLOW, LINK_FLOW)
PENDING_IDLE = timedelta(minutes=30)
SUGGESTIONS = 3


async def _roster_refusal(turn: Turn) -> list[Reply] | None:
    """None for an official on the roster; else the private, rate-limited refusal."""
    if await turn.core.officials.get(turn.msg.channel, turn.msg.user_id) is not None:
        return None
    return refusal(turn, hint=False)


async def _question(turn: Turn, raw: str) -> Question | None:
    number = parse_id(raw)
    return await turn.core.questions.get(number) if number is not None else None


def _gone(turn: Turn) -> list[Reply]:
    return [Reply(turn.t.gettext("That question cannot be found."))]


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """q:an:ID answer · q:ln:ID which procedure · q:lk:ID:CODE link it (the officials'
    route: the router checked the roster)."""
    _ = turn.t.gettext
    parts = action.split(":")
    question = await _question(turn, parts[2]) if len(parts) >= 3 else None
    if question is None:
        return _gone(turn)
    who = (turn.msg.channel, turn.msg.user_id)
    if parts[1] == "an":
        if question.answered_at:
            return [Reply("ℹ️ " + _("Question %s was already answered.") % question.number)]
        await turn.core.conversations.set(*who, ANSWER_FLOW, {"id": question.id})
        text = _("Type the answer to question %(n)s in your next message.") % {"n": question.number}
        return [Reply("✍️ " + text)]
    if parts[1] == "ln":
        return await _suggest(turn, question)
    if parts[1] == "lk" and len(parts) == 4:
        return await link(turn, question, parts[3])
    return _gone(turn)


async def _suggest(turn: Turn, question: Question) -> list[Reply]:
    """The search's best guesses as buttons (even when it abstained), or a code typed next."""
    _ = turn.t.gettext
    if question.procedure_code:
        text = _("Question %s is already linked to a procedure.") % question.number
        return [Reply("ℹ️ " + text)]
    _parsed, ranked = turn.core.index.rank(question.text, SUGGESTIONS)
    rows = [
        [Button(c.procedure.name[:60], f"q:lk:{question.id}:{c.procedure.code8}")]
        for c in ranked[:SUGGESTIONS]
    ]
    await turn.core.conversations.set(
        turn.msg.channel, turn.msg.user_id, LINK_FLOW, {"id": question.id}
    )
    lines = ["📎 " + _("Which procedure answers question %s?") % question.number]
    lines.append(_("Press one of the search's suggestions, or type the procedure code (1.001193)."))
    return [Reply("\n".join(lines), rows)]


async def link(turn: Turn, question: Question, raw_code: str) -> list[Reply]:
    _ = turn.t.gettext
    code = normalize_code(raw_code.strip())
    proc = await turn.core.procedure(code) if is_valid_code(code) else None
    if proc is None:
        text = _("I cannot find the procedure %s in the catalog. Type a code like 1.001193.")
        return [Reply("❓ " + text % esc(raw_code.strip()[:40]))]
    await turn.core.conversations.clear(turn.msg.channel, turn.msg.user_id)
    who = (turn.msg.channel, turn.msg.user_id)
    if not await turn.core.questions.link(question, proc.code8, who, proc.name):
        text = _("Question %s is already linked to a procedure.") % question.number
        return [Reply("ℹ️ " + text)]
    await turn.core.refresh_learned(force=True)
    text = _("Linked %(n)s to %(name)s. The citizen is told, and I will answer it next time.")
    return [Reply("✅ " + text % {"n": question.number, "name": esc(proc.name)})]


async def answer(turn: Turn, question: Question, text: str) -> list[Reply]:
    _ = turn.t.gettext
    await turn.core.conversations.clear(turn.msg.channel, turn.msg.user_id)
    who = (turn.msg.channel, turn.msg.user_id)
    if not await turn.core.questions.answer(question, who, text):
        return [Reply("ℹ️ " + _("Question %s was already answered.") % question.number)]
    return [Reply("✅ " + _("Answer to %s recorded and sent to the citizen.") % question.number)]


async def pending_text(turn: Turn, text: str) -> list[Reply] | None:
    """An official's next message after Answer / This is a procedure; None if none waits."""
    state = await turn.core.conversations.get(
        turn.msg.channel, turn.msg.user_id, max_idle=PENDING_IDLE
    )
    if state is None or state.flow not in FLOWS:
        return None
    if state.data.get("expired"):
        await turn.core.conversations.clear(turn.msg.channel, turn.msg.user_id)
        return None
    refused = await _roster_refusal(turn)
    if refused is not None:  # [] once the stranger was told often enough
        return refused
    question = await turn.core.questions.get(int(state.data.get("id") or 0))
    if question is None:
        return _gone(turn)
    if state.flow == LINK_FLOW:
        return await link(turn, question, text)
    return await answer(turn, question, text.strip())


async def answer_command(turn: Turn, head: str, text: str) -> list[Reply] | None:
    """/traloi CH-12 text (the officials' route); None when `head` is not a question number
    (a feedback ticket)."""
    number = parse_number(head)
    if number is None:
        return None
    question = await turn.core.questions.get(number)
    if question is None:
        return _gone(turn)
    if not text.strip():
        _ = turn.t.gettext
        return [Reply(_("Usage: /traloi CH-12 your answer"), [back_to_menu(turn)])]
    return await answer(turn, question, text.strip())
