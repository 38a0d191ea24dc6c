"""Short replies to what is not a procedure question: a greeting, thanks, a goodbye,
small talk, abuse, asking for a person, a dossier without its code, a follow-up, and
"cho hỏi" with nothing asked yet.

`answer` runs before search (`router.free_text`): it returns None for a procedure
question, which search then answers. Each reply fits on a phone screen and says
what to do next; none is the "not found" message.
"""

from __future__ import annotations

from bot.catalog import variants
from bot.catalog.english import search_query
from bot.catalog.life_events import find_event
from bot.recent import Recent
from bot.reply import Button, Reply
from bot.text import fold
from handlers import dossiers, followups, intents, procedures
from handlers import feedback as feedback_form
from handlers.context import Turn
from handlers.menu import back_to_menu, main_menu

# Anger at the officials is a complaint not yet written: offer the form, not a calm line.
_OFFICIALS = ("can bo", "cong chuc", "nhan vien xa", "ubnd", "uy ban", "chinh quyen", "bon xa")
_INSULTS = ("an hai", "vo dung", "vo tich su", "tham nhung", "sau bo", "an bam")

# A message this short that gives an age is about the card in context: its version for
# that age. A longer one is a question of its own.
AGE_WORDS = 10


def _finds(turn: Turn):
    """The codes search answers a query with (as `procedures.ask` asks, so it is cached)."""

    def finds(query: str) -> list[str]:
        query, _english = search_query(query)  # as `procedures.ask` will search it
        result = turn.core.index.search(query, limit=1 + procedures.OTHER_MATCHES)
        return [] if result.abstained else [m.code[:8] for m in result.matches]

    return finds


async def answer(turn: Turn, text: str) -> list[Reply] | None:
    if len(text) > procedures.MAX_QUESTION:  # search says it is too long
        return None
    if at_officials(text) and insulting(text):  # "bọn cán bộ xã ăn hại": heard, not searched
        return [abuse_at_officials(turn)]
    reading = intents.read(text)
    if not reading.scores and not reading.content and intents.has_words(text):
        return await procedures.prompt(turn)  # "sao", "có", "bác ơi": nothing asked yet
    age = variants.of_question(text)[0]
    recent, in_context = None, True  # read only when a follow-up or an age needs it
    if reading.sections or age is not None:
        recent = await turn.core.recent.get(turn.msg.channel, turn.msg.user_id)
        in_context = bool(recent.procedure_code or recent.event or recent.dossier_code)
    if age is not None and recent.procedure_code and len(text.split()) <= AGE_WORDS:
        replies = await procedures.for_age(turn, recent.procedure_code, age, text, _finds(turn))
        if replies is not None:  # "thế còn đứa lớn 16 tuổi?" after the under-14 card
            return replies
    intent = intents.classify(text, _finds(turn), reading, in_context)
    if intent.kind == intents.PROCEDURE:
        if (intent.query and intent.query != text) or intent.section:
            return await procedures.ask(turn, intent.query or text, said=text)
        return None
    if intent.kind in (intents.FOLLOWUP, intents.DOSSIER):
        if recent is None:
            recent = await turn.core.recent.get(turn.msg.channel, turn.msg.user_id)
        if intent.kind == intents.FOLLOWUP and _new_situation(text, recent):
            return await procedures.ask(turn, text)
        if intent.kind == intents.FOLLOWUP:
            return await followups.answer(turn, intent, recent)
        return await dossier(turn, recent)
    if intent.kind == intents.HUMAN:
        return [await human(turn, text)]
    if intent.kind == intents.ASK:
        return await procedures.prompt(turn)
    if intent.kind == intents.FEEDBACK:
        started = await feedback_form.start_with(turn, text)
        if started is not None:
            return started
    if intent.kind == intents.ABUSE and at_officials(text):
        return [abuse_at_officials(turn)]
    return [REPLIES[intent.kind](turn)]


def _new_situation(text: str, recent: Recent) -> bool:
    """A message telling a life event the card in context is no step of is a new topic,
    not a follow-up: "mạ tui 82 tuổi có được trợ cấp không" after the marriage card."""
    event = find_event(text)
    if event is None or (recent.event and recent.event == event.event.id):
        return False
    steps = {step.code[:8] for step in event.event.steps}
    return (recent.procedure_code or "")[:8] not in steps


async def dossier(turn: Turn, recent: Recent) -> list[Reply]:
    """The dossier looked at last, else the verified citizen's list, else how to find it."""
    core, msg = turn.core, turn.msg
    if recent.dossier_code:
        found = await core.dossiers.get(recent.dossier_code)
        if found is not None:
            return [await dossiers.card(turn, found)]
    if await core.privacy.verified_phone(msg.channel, msg.user_id):
        return await dossiers.mine(turn)
    return await dossiers.prompt(turn)


async def human(turn: Turn, text: str) -> Reply:
    """Offer to pass the message to the officials (the same button as an unanswered question)."""
    _ = turn.t.gettext
    msg = turn.msg
    qid = await turn.core.questions.record(
        msg.channel, msg.user_id, msg.chat_id, text, turn.t.locale
    )
    lines = [
        "🧑‍💼 " + _("I can pass your message to the one-stop desk officials."),
        "👉 " + _("Press the button to send it, or type your question: I may answer at once."),
    ]
    rows = [[Button("📨 " + _("Send my question to officials"), f"q:send:{qid}")]]
    return Reply("\n".join(lines), [*rows, back_to_menu(turn)])


def greeting(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "👋 " + _("Hello! I am MotCua, the one-stop desk assistant."),
            "👉 " + _('Type your question, for example "lam giay khai sinh", or press a button.'),
        ]
    )
    return Reply(text, main_menu(turn))


def thanks(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "😊 " + _("You are welcome!") + "\n👉 " + _("Anything else? Type it or press a button.")
    return Reply(text, main_menu(turn))


def goodbye(turn: Turn) -> Reply:
    _ = turn.t.gettext
    return Reply("👋 " + _("Goodbye! Come back any time, just type your question."))


def smalltalk(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "🙂 "
            + _("I am MotCua, a bot of the one-stop desk: I only know procedures and dossiers."),
            "👉 " + _('Type your question, for example "lam giay khai sinh", or press a button.'),
        ]
    )
    return Reply(text, main_menu(turn))


def feedback(turn: Turn) -> Reply:
    """ "Tôi muốn phản ánh", "góp ý": the form that sends it to the officials in charge."""
    _ = turn.t.gettext
    text = "\n".join(
        [
            "✉️ "
            + _(
                "You can send feedback or a complaint: I ask step by step, then pass it"
                " to the officials in charge."
            ),
            "👉 " + _("Press the button to start."),
        ]
    )
    return Reply(text, [[Button("✉️ " + _("Send feedback"), "m:fb")], back_to_menu(turn)])


def abuse(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "🙏 " + _("Sorry if I have not helped. I am a bot and I want to get it right."),
            "👉 " + _("Type your question in a few words, or press a button."),
        ]
    )
    return Reply(text, main_menu(turn))


def at_officials(text: str) -> bool:
    folded = f" {fold(text)} "  # once, not once per word
    return any(w in folded for w in _OFFICIALS)


def insulting(text: str) -> bool:
    folded = f" {fold(text)} "
    return any(w in folded for w in _INSULTS)


def abuse_at_officials(turn: Turn) -> Reply:
    """Angry words about the officials: a way to be heard by the leaders."""
    _ = turn.t.gettext
    text = "\n".join(
        [
            "🙏 " + _("I am sorry you were not served well."),
            "👉 "
            + _(
                "If an official treated you badly, send a complaint: reports about staff go"
                " to the leaders, never to the official concerned."
            ),
        ]
    )
    return Reply(text, [[Button("✉️ " + _("Send a complaint"), "m:fb")], back_to_menu(turn)])


REPLIES = {
    intents.GREETING: greeting,
    intents.THANKS: thanks,
    intents.GOODBYE: goodbye,
    intents.SMALLTALK: smalltalk,
    intents.ABUSE: abuse,
    intents.FEEDBACK: feedback,
}
