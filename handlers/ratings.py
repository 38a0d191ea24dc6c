"""Satisfaction ratings: the level, a few optional follow-ups from the real form, a comment.

Only the verified owner of a returned dossier rates it; buttons pressed twice
store once; the rating can change for 7 days. The 👍/👎 under procedure
answers is separate: it rates the bot, not the public service.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dossiers.codes import find_dossier_code
from bot.dossiers.lateness import load_verdict
from bot.ratings.model import FOLLOW_UPS, RETURNED, RatingRefused
from bot.ratings.notices import LEVEL_ACTIONS, level_buttons
from bot.reply import Button, Reply, esc
from handlers.contact import contact_line
from handlers.context import Turn
from handlers.menu import back_to_menu

COMMENT_FLOW = "rating_comment"
COMMENT_IDLE = timedelta(minutes=30)
FIELDS = tuple(FOLLOW_UPS)  # the order follow-ups are asked in


def _level_name(turn: Turn, level: str) -> str:
    _ = turn.t.gettext
    return {
        "rat_hai_long": _("Very satisfied"),
        "hai_long": _("Satisfied"),
        "khong_hai_long": _("Not satisfied"),
    }[level]


def _follow_up(turn: Turn, field: str) -> tuple[str, list[tuple[str, str]]]:
    """The question and its options in the user's language (values from the form)."""
    _ = turn.t.gettext
    questions = {
        "contacts_count": (
            _("How many times did you have to come or contact the office to complete it?"),
            {"1": _("Once"), "2": _("Twice"), "3+": _("3 times or more")},
        ),
        "staff_attitude": (
            _("How was the staff's attitude?"),
            {
                "tan_tinh": _("Helpful and caring"),
                "binh_thuong": _("Normal, by the rules"),
                "phien_ha": _("Troublesome, asked for favours"),
            },
        ),
        "timeliness": (
            _("When did you get the result, compared with the appointment?"),
            {"truoc_hen": _("Before"), "dung_hen": _("On the day"), "sau_hen": _("After")},
        ),
    }
    question, labels = questions[field]
    return question, [(value, labels[value]) for value in FOLLOW_UPS[field].values]


async def start(turn: Turn, args: str = "") -> list[Reply]:
    """/danhgia [CODE] and the menu entry: rate a returned dossier on request."""
    _ = turn.t.gettext
    code = find_dossier_code(args) if args else None
    if code is not None:
        return await _offer(turn, code)
    core, msg = turn.core, turn.msg
    phone = await core.privacy.verified_phone(msg.channel, msg.user_id)
    if phone is None:
        text = _("To rate, type /danhgia and the code of your returned dossier,")
        text += " " + _("after verifying that it is yours.")
        rows = [[Button("📱 " + _("It is mine: verify"), "d:verify")], back_to_menu(turn)]
        return [Reply("⭐ " + text, rows)]
    returned = [d for d in await core.dossiers.by_phone(phone) if d.status == RETURNED]
    if not returned:
        text = _("You have no returned dossier to rate yet.")
        return [Reply("⭐ " + text, [back_to_menu(turn)])]
    rows = [[Button(d.code, f"r:o:{d.code}")] for d in returned[:10]]
    rows.append(back_to_menu(turn))
    return [Reply("⭐ " + _("Which dossier would you like to rate?"), rows)]


async def _offer(turn: Turn, code: str) -> list[Reply]:
    _ = turn.t.gettext
    refusal = await _check(turn, code)
    if refusal:
        return [refusal]
    text = "⭐ <b>" + _("Are you satisfied with how dossier %s was handled?") % esc(code) + "</b>"
    return [Reply(text, level_buttons(turn.t, code) + [back_to_menu(turn)])]


async def _check(turn: Turn, code: str) -> Reply | None:
    """A polite refusal when this user may not rate this dossier now."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    dossier = await core.dossiers.get(code)
    if dossier is None:
        text = _("I could not find dossier %s.") % esc(code)
        text += "\n👉 " + _("Check the code on your receipt and type it again.")
        return Reply("🤔 " + text, [back_to_menu(turn)])
    phone = await core.privacy.verified_phone(msg.channel, msg.user_id)
    reason = await core.ratings.can_rate(dossier, msg.channel, msg.user_id, phone)
    texts = {
        "not_returned": _("You can rate this dossier once its result has been returned."),
        "not_owner": _("Only the applicant, after verifying their phone number, can rate it."),
        "window_closed": _("The 7 days to change this rating have passed. Thank you!"),
    }
    if reason is None:
        return None
    rows = [back_to_menu(turn)]
    if reason == "not_owner":
        rows.insert(0, [Button("📱 " + _("It is mine: verify"), f"d:verify:r:{code}")])
    return Reply("🔒 " + texts.get(reason, reason), rows)


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """r:o:CODE offer · r:l:CODE:N level · r:f:CODE:I:J follow-up · r:c:CODE comment · r:x"""
    parts = action.split(":")
    kind = parts[1] if len(parts) > 1 else ""
    code = parts[2] if len(parts) > 2 else ""
    if kind == "o":
        return await _offer(turn, code)
    if kind == "l" and len(parts) == 4:
        return await _rate(turn, code, parts[3])
    if kind == "f" and len(parts) == 5:
        return await _answer(turn, code, parts[3], parts[4])
    if kind == "c":
        return await _ask_comment(turn, code)
    return await _done(turn)


async def _rate(turn: Turn, code: str, n: str) -> list[Reply]:
    _ = turn.t.gettext
    level = dict(LEVEL_ACTIONS).get(n)
    refusal = await _check(turn, code)
    if refusal or level is None:
        return [refusal or Reply(_("Please press one of the buttons."))]
    core, msg = turn.core, turn.msg
    dossier = await core.dossiers.get(code)
    proc = await core.procedure(dossier.procedure_code)
    _rating, alerted = await core.ratings.rate_level(
        dossier, msg.channel, msg.user_id, level, proc.name if proc else None
    )
    head = "✅ " + _("Thank you! Your rating: %s.") % esc(_level_name(turn, level))
    if alerted:
        head += "\n" + _("The office has been told and will look into it.")
    elif level == "khong_hai_long":  # nobody was told: say what the citizen can do instead
        head += "\n" + _("Your rating is recorded. To be heard now, send a complaint.")
        head += contact_line(turn, dossier.agency_code)
    return [await _next_question(turn, code, head)]


async def _next_question(turn: Turn, code: str, head: str) -> Reply:
    """The first follow-up not answered yet, or the offer to write a comment."""
    _ = turn.t.gettext
    rating = await turn.core.ratings.get(code)
    answers = rating.answers() if rating else {}
    if answers.get("timeliness") is None and await _returned_late(turn, code):
        # a fact of the dossier's history, not a question: never "trước hẹn?" after a late result
        dossier = await turn.core.dossiers.get(code)
        await turn.core.ratings.answer_follow_up(dossier, "timeliness", "sau_hen")
        answers["timeliness"] = "sau_hen"
    for i, field in enumerate(FIELDS):
        if answers.get(field) is None:
            question, options = _follow_up(turn, field)
            rows = [[Button(label, f"r:f:{code}:{i}:{j}")] for j, (_v, label) in enumerate(options)]
            rows.append([Button("⏭ " + _("Skip the questions"), f"r:c:{code}")])
            optional = _("(optional)")
            return Reply(f"{head}\n\n❓ {esc(question)} <i>{esc(optional)}</i>", rows)
    rows = [
        [Button("✍️ " + _("Write a comment"), f"r:c:{code}")],
        [Button("✅ " + _("Done"), "r:x")],
    ]
    # a citizen who types the comment at once, without the button, is heard too
    await turn.core.conversations.set(
        turn.msg.channel, turn.msg.user_id, COMMENT_FLOW, {"code": code}
    )
    ask = _("Would you like to add a comment?") + "\n👉 " + _("Type it, or press Done.")
    return Reply(head + "\n\n" + ask, rows)


async def _returned_late(turn: Turn, code: str) -> bool:
    core = turn.core
    dossier = await core.dossiers.get(code)
    if dossier is None:
        return False
    now, tz = datetime.now(UTC), core.settings.timezone
    return (await load_verdict(core.db.fetchall, dossier, now, core.calendar, tz)).returned_late


async def _answer(turn: Turn, code: str, i: str, j: str) -> list[Reply]:
    _ = turn.t.gettext
    refusal = await _check(turn, code)
    if refusal:
        return [refusal]
    try:
        field = FIELDS[int(i)]
        value = FOLLOW_UPS[field].values[int(j)]
    except (ValueError, IndexError):
        return await _done(turn)
    try:
        dossier = await turn.core.dossiers.get(code)
        await turn.core.ratings.answer_follow_up(dossier, field, value)
    except RatingRefused:
        return await _offer(turn, code)
    return [await _next_question(turn, code, "✅ " + _("Noted, thank you."))]


async def _ask_comment(turn: Turn, code: str) -> list[Reply]:
    _ = turn.t.gettext
    refusal = await _check(turn, code)
    if refusal:
        return [refusal]
    await turn.core.conversations.set(
        turn.msg.channel, turn.msg.user_id, COMMENT_FLOW, {"code": code}
    )
    text = _("Type your comment in one message (up to 1,000 characters).")
    return [Reply("✍️ " + text, [[Button("✅ " + _("No comment, done"), "r:x")]])]


async def comment(turn: Turn, text: str, code: str) -> list[Reply]:
    """The message after 'write a comment' is the comment."""
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    await core.conversations.clear(msg.channel, msg.user_id)
    refusal = await _check(turn, code)
    if refusal:
        return [refusal]
    dossier = await core.dossiers.get(code)
    proc = await core.procedure(dossier.procedure_code)
    try:
        await core.ratings.add_comment(dossier, text, proc.name if proc else None)
    except RatingRefused as exc:
        if exc.reason == "too_long":
            return [
                Reply(
                    "✋ " + _("That is too long: please keep it under 1,000 characters."),
                    [[Button("✍️ " + _("Write a comment"), f"r:c:{code}")]],
                )
            ]
        return [Reply(_("Please type your comment in words."), [back_to_menu(turn)])]
    return [Reply("🙏 " + _("Thank you, your comment was recorded."), [back_to_menu(turn)])]


async def _done(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    await turn.core.conversations.clear(turn.msg.channel, turn.msg.user_id)
    return [Reply("🙏 " + _("Thank you for your rating."), [back_to_menu(turn)])]


async def answer_vote(turn: Turn, action: str) -> list[Reply]:
    """a:1:CODE / a:0:CODE — 👍/👎 under a procedure answer (rates the bot, not the office)."""
    _ = turn.t.gettext
    parts = action.split(":")
    if len(parts) != 3 or parts[1] not in ("0", "1"):
        return await _done(turn)
    helpful = parts[1] == "1"
    await turn.core.ratings.record_answer_feedback(
        turn.msg.channel, turn.msg.user_id, parts[2], None, helpful
    )
    if helpful:
        return [Reply("🙏 " + _("Thank you! Glad it helped."), [back_to_menu(turn)])]
    text = _("Thank you. Try asking in other words, or send your question to the officials.")
    return [Reply("🙏 " + text, [back_to_menu(turn)])]
