"""Procedure answers: a free-text question in, the best procedure's card out.

When search abstains the citizen is told plainly and offered a human, never a
wrong procedure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import variants
from bot.catalog.english import search_query
from bot.catalog.life_events import event_by_id, find_event, words_of
from bot.catalog.model import is_valid_code, normalize_code
from bot.reply import Button, Reply, esc
from handlers import intents, life_events, questions
from handlers.card_facts import fee_section, online_section, place_section, time_section
from handlers.card_rules import deadline_section, who_section
from handlers.cards import (
    code_line,
    documents_section,
    legal_section,
    procedure_card,
    steps_section,
)
from handlers.context import Turn
from handlers.menu import LANGUAGE_NAMES, back_to_menu

MAX_QUESTION = 1000
OTHER_MATCHES = 3
_WORDY = re.compile(r"\w", re.UNICODE)
_CODE_IN_TEXT = re.compile(r"\b\d\.\d{6}(?:\.[0-9A-Za-z]+)*\b")
# A search this sure names the procedure a life event's message is about.
NAMED = 0.6
# ... in a message of at least this many words: a shorter one is the event's own words.
NAMING_WORDS = 6
# A question this short that search cannot place, asked after a card, is about that card.
FOLLOW_WORDS = 8
# Folded words that make a few words a question ("được không", "ở đâu", Nghệ Tĩnh "mô").
ASKING_WORDS = frozenset(
    [
        "ko",
        "k",
        "khong",
        "kg",
        "hong",
        "chua",
        "gi",
        "j",
        "sao",
        "nao",
        "dau",
        "mo",
        "bao",
        "may",
        "ai",
        "chi",
        "rang",
        "nhi",
    ]
)
RENDERED_KEPT = 8192  # cards kept rendered (two locales of a 2,642-procedure catalog fit)
SECTIONS = {"d": documents_section, "s": steps_section, "l": legal_section}
# One fact of the card, for a follow-up's button ("which procedure's fee?"): fee, time,
# where (w), online (n).
FACTS = {
    "f": lambda turn, proc: fee_section(turn.t, proc),
    "t": lambda turn, proc: time_section(turn.t, proc),
    "w": lambda turn, proc: place_section(turn.t, proc, turn.core.settings.portal_url),
    "n": lambda turn, proc: online_section(turn.t, proc, turn.core.settings.portal_url),
    "k": lambda turn, proc: who_section(turn.t, proc),
    "h": lambda turn, proc: deadline_section(turn.t, proc),
}


# The button action (on_action) showing each part of a procedure a question may ask about.
ASPECTS = {
    intents.FEE: "f",
    intents.TIME: "t",
    intents.PLACE: "w",
    intents.ONLINE: "n",
    intents.DOCUMENTS: "d",
    intents.STEPS: "s",
    intents.LEGAL: "l",
    intents.WHO: "k",
    intents.DEADLINE: "h",
}


def aspect_text(turn: Turn, proc, aspect: str | None) -> str:
    """The part of the procedure asked about (its steps when the question did not say)."""
    kind = ASPECTS.get(aspect or intents.STEPS, "s")
    render = SECTIONS.get(kind)
    return _rendered(
        turn,
        proc,
        ("part", kind),
        lambda: render(turn.t, proc) if render else FACTS[kind](turn, proc),
    )


def section_reply(turn: Turn, proc, others: list[str], aspect: str | None, first: bool) -> Reply:
    """The part asked about, with the whole card one press away. A first answer also says
    which procedure this is by its code; a follow-up on the card just shown does not."""
    _ = turn.t.gettext
    others = _others(proc, others)
    whole = [Button("📋 " + _("Show the whole procedure"), "p:c:" + _ref(proc, others))]
    text = aspect_text(turn, proc, aspect)
    if first:
        head, _sep, body = text.partition("\n")
        text = head + "\n" + code_line(turn.t, proc) + ("\n" + body if body else "")
    if "👉" not in text:  # every reply says what to do next
        more = _('Ask more, for example "what documents", or press a button.')
        text += "\n\n👉 " + more
    return Reply(text, [whole, *card_rows(turn, proc, others)])


async def prompt(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "🔎 " + _("Type your question in a few words, with or without accents."),
            _('For example: "lam giay khai sinh", "dang ky tam tru", "chung thuc ban sao".'),
        ]
    )
    return [Reply(text, [back_to_menu(turn)])]


async def ask(turn: Turn, question: str, said: str | None = None) -> list[Reply]:
    """Answer a free-text question with the best procedure, or abstain honestly.

    A question that asks for one part ("… cần giấy tờ gì", "… ở đâu") gets that part
    first, with the whole card one press away. `said`: the whole message, when
    `question` is the part of it that names the procedure.
    """
    _ = turn.t.gettext
    question = question.strip()
    if not question:
        return await prompt(turn)
    if len(question) > MAX_QUESTION:
        text = _("Your message is too long (%(n)s characters). Please ask in under %(max)s.") % {
            "n": turn.t.number(len(question)),
            "max": turn.t.number(MAX_QUESTION),
        }
        return [Reply("✋ " + text, [back_to_menu(turn)])]
    if not _WORDY.search(question):
        return [Reply("🙂 " + _("Please type your question in words."), [back_to_menu(turn)])]
    code = _CODE_IN_TEXT.search(question)
    if code and is_valid_code(normalize_code(code.group())):
        proc = await turn.core.procedure(normalize_code(code.group()))
        if proc:
            await remember(turn, proc, [])
            return [card_reply(turn, proc, [])]
    query, english = search_query(question)
    reading = intents.read(said or question)
    aspect = intents.aspect(reading)
    # Asked in English by someone reading Vietnamese: offer English replies.
    extra = []
    if english and await turn.core.users.locale(turn.msg.channel, turn.msg.user_id) != "en":
        extra = [[Button(LANGUAGE_NAMES["en"], "lang:en")]]
    event = find_event(question)  # "bố em mới mất": the event's group, not one card
    if event and not event.deferred and _event_answers(turn, event, query, aspect):
        replies = await _event_replies(turn, event.event, aspect)
    else:
        replies = await _search_reply(turn, question, query, event, reading)
    replies[-1].buttons[-1:-1] = extra  # above "main menu", the last row
    return replies


async def _event_replies(turn: Turn, event, aspect: str | None) -> list[Reply]:
    """The event's group, then the card of its first step ("Đăng ký khai tử"), which a
    follow-up ("cần mang gì") is then about; the group's buttons show the others."""
    group = await life_events.event_reply(turn, event)
    main = await turn.core.procedure(event.main) if event.main else None
    if main is None:
        return [group]
    await remember(turn, main, [])
    reply = first_reply(turn, main, [], aspect)
    reply.buttons[-1:-1] = [[life_events.event_button(turn, event)]]  # the group, again
    # A part asked about ("... có được không") is the answer: it comes first.
    return [reply, group] if aspect and aspect != intents.STEPS else [group, reply]


def _elsewhere_than(result, event) -> bool:
    """Search, unsure, offers procedures and none is the event's: the situation was
    only context ("mẹ tôi 70 tuổi, giấy khai sinh cũ mất rồi, làm lại thế nào")."""
    steps = {step.code[:8] for step in event.event.steps}
    offered = {m.code[:8] for m in result.suggestions}
    return bool(offered) and not offered & steps


def _event_answers(turn: Turn, event, query: str, aspect: str | None) -> bool:
    """Whether a message describing a life event is answered with the event's group.

    A matter the commune does not handle (divorce) always is. Otherwise the event's group
    answers what the situation asks ("bố em mới mất thì làm gì", "mẹ 80 tuổi thì sao"),
    but a message that clearly names one procedure ("bố mất, đổi chủ hộ sang tên mẹ",
    "mẹ 82 tuổi có được hưởng trợ cấp người cao tuổi không") gets that procedure, as does
    one part of a procedure asked about ("bố mất, khai tử cần gì").
    """
    if not event.event.steps:
        return True
    result = turn.core.index.search(query, limit=1 + OTHER_MATCHES)
    if result.abstained:
        return not _elsewhere_than(result, event)
    if aspect not in (None, intents.WHO, intents.STEPS):
        return False
    if len(query.split()) < NAMING_WORDS:  # "move my residence" is the event itself
        return True
    if result.confidence < NAMED:
        return True
    # Named surely: its card (the group one press away), unless it is the step the
    # event shows first anyway ("bố mất, phải làm những thủ tục gì": the group and it).
    main = event.event.main
    return main is not None and result.matches[0].code[:8] == main[:8]


async def _search_reply(turn: Turn, question: str, query: str, event, reading) -> list[Reply]:
    """The best procedure's card (with its life event's group one press away), else the
    step of the event the message names, else the event, else "not found"."""
    await turn.core.refresh_learned()  # wordings officials linked (checked once a minute)
    result = turn.core.index.search(query, limit=1 + OTHER_MATCHES)
    proc = None
    others: list[str] = []
    if not result.abstained and result.matches:
        proc = await turn.core.procedure(result.matches[0].code)
        others = [m.code for m in result.matches[1:]]
    elif event and event.deferred:  # "bố mất, đi khai tử đem theo gì": that step
        named = turn.core.index.best_among(query, [s.code for s in event.event.steps])
        proc = await turn.core.procedure(named) if named else None
    if proc is None:  # nothing fits (or the index and the store disagree): never guess
        turn.core.metrics.abstained()
        if event and not _elsewhere_than(result, event):
            return await _event_replies(turn, event.event, intents.aspect(reading))
        if not result.suggestions and _short_question(question):
            about = await _card_in_context(turn, intents.aspect(reading))
            if about is not None:  # "lấy ngay được không", "nộp ở mô" after a card
                return [about]
        maybe = [await turn.core.procedure(m.code) for m in result.suggestions]
        return [await questions.not_found(turn, question, [p for p in maybe if p])]
    aspect = intents.aspect(reading, proc.name)  # "gia hạn tạm trú" asks no deadline
    # a follow-up ("còn phí thì sao?", or "15 tuổi" after the question below) answers from it
    await remember(turn, proc, others)
    ages = turn.core.index.age_siblings(proc.code)
    if ages and variants.of_question(question)[3] == variants.CHILD:  # how old? ask
        return [which_age(turn, ages, aspect)]
    reply = first_reply(turn, proc, others, aspect)
    if event:
        reply.buttons[-1:-1] = [[life_events.event_button(turn, event.event)]]
    return [reply]


def _short_question(text: str) -> bool:
    """A few words that ask something ("lấy ngay được không", "nộp ở mô")."""
    words = words_of(text)
    return len(words) <= FOLLOW_WORDS and ("?" in text or any(w in ASKING_WORDS for w in words))


async def _card_in_context(turn: Turn, aspect: str | None) -> Reply | None:
    """A short question that names nothing search knows, after a card, is about that
    card: its part asked about, else the card, saying how to ask about something else."""
    recent = await turn.core.recent.get(turn.msg.channel, turn.msg.user_id)
    proc = await turn.core.procedure(recent.procedure_code) if recent.procedure_code else None
    if proc is None:
        return None
    if aspect and aspect != intents.STEPS:
        reply = section_reply(turn, proc, recent.others, aspect, first=False)
    else:
        reply = card_reply(turn, proc, recent.others)
    other = turn.t.gettext("Asking about something else? Type its name in a few words.")
    return Reply(reply.text + "\n" + esc(other), reply.buttons)


def age_label(turn: Turn, variant) -> str:
    _ = turn.t.gettext
    if variant.age_under is not None and variant.age_from is None:
        return _("Under %d years old") % variant.age_under
    if variant.age_from is not None and variant.age_under is None:
        return _("%d years old or more") % variant.age_from
    return _("From %(a)d to under %(b)d years old") % {
        "a": variant.age_from,
        "b": variant.age_under,
    }


def which_age(turn: Turn, ages: list, aspect: str | None) -> Reply:
    """The question fits versions of a procedure for different ages and does not say the
    age: one short question, a button per age range, each opening its own version (the
    part asked about, when one was)."""
    _ = turn.t.gettext
    kind = ASPECTS.get(aspect, "c") if aspect and aspect != intents.STEPS else "c"
    rows = [[Button("👤 " + age_label(turn, v), f"p:{kind}:{p.code8}")] for p, v in ages]
    rows.append(back_to_menu(turn))
    text = "\n".join(
        [
            "🤔 " + _("How old is the person it is for?"),
            "👉 " + _("The papers differ by age. Press one, or type the age, e.g. 15 tuổi."),
        ]
    )
    return Reply(text, rows)


async def for_age(
    turn: Turn, code: str, age: int, said: str, finds: Callable[[str], list[str]]
) -> list[Reply] | None:
    """A short message giving an age after a card that exists for several ages ("thế còn
    đứa lớn 16 tuổi thì sao", "15 tuổi"): that age's version; None when it has no versions
    or names something else. `finds`: the codes search answers a message with."""
    ages = turn.core.index.age_siblings(code)
    fitting = [p for p, v in ages if v.fits_age(age)]
    if not fitting:
        return None
    found = finds(said)
    if found and found[0] not in {p.code8 for p, _ in ages}:
        return None  # "mẹ tôi 82 tuổi có được trợ cấp không" asks about something else
    proc = fitting[0]
    await remember(turn, proc, [])
    return [first_reply(turn, proc, [], intents.aspect(intents.read(said), proc.name))]


def first_reply(turn: Turn, proc, others: list[str], aspect: str | None) -> Reply:
    """The part asked about first, else the whole card ("làm thế nào" asks for the card)."""
    if aspect and aspect != intents.STEPS:
        return section_reply(turn, proc, others, aspect, first=True)
    return card_reply(turn, proc, others)


async def remember(turn: Turn, proc, other_codes: list[str]) -> None:
    """The card a follow-up ("còn phí thì sao?") will refer to, for a while."""
    msg = turn.msg
    await turn.core.recent.procedure_shown(
        msg.channel, msg.user_id, proc.code8, _others(proc, other_codes)
    )


def card_reply(turn: Turn, proc, other_codes: list[str], edit: bool = False) -> Reply:
    """The card with its buttons. Sections replace the card in place and carry the other
    matches along (`p:d:CODE:C1,C2`), so "back to the procedure" shows the same card."""
    return Reply(_card_text(turn, proc), card_rows(turn, proc, other_codes), edit=edit)


def card_rows(turn: Turn, proc, other_codes: list[str]) -> list[list[Button]]:
    """The card's buttons: its sections, the answer's rating, other matches, the menu."""
    _ = turn.t.gettext
    code = proc.code8
    others = _others(proc, other_codes)
    ref = _ref(proc, others)
    rows = [
        [Button("📄 " + _("Documents"), f"p:d:{ref}"), Button("📝 " + _("Steps"), f"p:s:{ref}")],
        [Button("⚖️ " + _("Legal basis"), f"p:l:{ref}")],
        [
            Button("👍 " + _("Helpful"), f"a:1:{code}"),
            Button("👎 " + _("Not right"), f"a:0:{code}"),
        ],
    ]
    if others:
        rows[1].append(Button("🔀 " + _("Other matches"), "p:o:" + ",".join(others)))
    rows.append(back_to_menu(turn))
    return rows


def _others(proc, codes: list[str]) -> list[str]:
    """The other matches a card offers: national codes, not this procedure, at most three."""
    codes = [c[:8] for c in codes]
    return [c for c in codes if c != proc.code8 and is_valid_code(c)][:OTHER_MATCHES]


def _ref(proc, others: list[str]) -> str:
    """A card in callback data, with its other matches: at most 39 of Telegram's 64 bytes."""
    return f"{proc.code8}:{','.join(others)}" if others else proc.code8


def _card_text(turn: Turn, proc) -> str:
    return _rendered(
        turn, proc, ("card",), lambda: procedure_card(turn.t, proc, turn.core.settings.portal_url)
    )


def _rendered(turn: Turn, proc, what: tuple[str, ...], render) -> str:
    """A card or one of its parts, rendered once per procedure and locale while the catalog
    in memory lasts (a procedure read from the store is rendered afresh)."""
    core = turn.core
    if core.index.procedures.get(proc.code) is not proc:
        return render()
    key = (*what, proc.code, turn.t.locale)
    text = core.rendered.get(key)
    if text is None:
        if len(core.rendered) >= RENDERED_KEPT:
            core.rendered.clear()
        text = core.rendered[key] = render()
    return text


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """p:c:CODE card · p:d/s/l:CODE a section · p:f/t/w/n:CODE its fee, time, place or
    online filing · p:o:C1,C2 other matches; a card or a
    section may carry the card's other matches (`p:d:CODE:C1,C2`). Each replaces the
    message whose button was pressed, so the chat keeps one card, not a pile of them."""
    _ = turn.t.gettext
    parts = action.split(":", 2)
    if len(parts) != 3:
        return await prompt(turn)
    _p, kind, arg = parts
    if kind == "o":
        return await other_matches(turn, [c for c in arg.split(",") if c][:OTHER_MATCHES])
    code, _sep, carried = arg.partition(":")
    others = [c for c in carried.split(",") if c][:OTHER_MATCHES]
    proc = await turn.core.procedure(code)
    if proc is None:
        text = _("That procedure is no longer in the catalog. Please ask again.")
        return [Reply(text, [back_to_menu(turn)])]
    render = SECTIONS.get(kind)
    fact = FACTS.get(kind)
    await remember(turn, proc, others)
    if render is None and fact is None:  # "c", or an action from an older version
        return [card_reply(turn, proc, others, edit=True)]
    back = "p:c:" + _ref(proc, _others(proc, others))
    rows = [[Button("↩️ " + _("Back to the procedure"), back)], back_to_menu(turn)]
    text = render(turn.t, proc) if render else fact(turn, proc)
    return [Reply(text, rows, edit=True)]


async def on_event_action(turn: Turn, action: str) -> list[Reply]:
    """e:ID — the event's group (from a card's button); e:ID:CODE — a step's card, with a
    button back to the group. Both replace the message in place, as card sections do."""
    _ = turn.t.gettext
    _e, _sep, rest = action.partition(":")
    event_id, _sep, code = rest.partition(":")
    event = event_by_id(event_id)
    if event is None:
        return [Reply(_("That procedure is no longer in the catalog. Please ask again."))]
    if not code:
        return [await life_events.event_reply(turn, event, edit=True)]
    proc = await turn.core.procedure(code)
    if proc is None:
        text = _("That procedure is no longer in the catalog. Please ask again.")
        return [Reply(text, [back_to_menu(turn)])]
    await remember(turn, proc, [])  # the card a follow-up refers to from now on
    reply = card_reply(turn, proc, [], edit=True)
    back = Button("↩️ " + event.title.get(turn.t.locale), f"e:{event.id}")
    reply.buttons[-1:-1] = [[back]]
    return [reply]


async def other_matches(turn: Turn, codes: list[str]) -> list[Reply]:
    _ = turn.t.gettext
    rows = []
    for code in codes:
        proc = await turn.core.procedure(code)
        if proc:
            rows.append([Button(life_events.procedure_label(turn, proc), f"p:c:{proc.code8}")])
    if not rows:
        return await prompt(turn)
    rows.append(back_to_menu(turn))
    text = "🔀 " + esc(_("Other procedures that may fit — press one:"))
    return [Reply(text, rows, edit=True)]
