"""Phản ánh, kiến nghị — the citizen's guided flow, one question a message.

The flow's state lives in the store (conversation_state), so a restart loses
nothing; /huy cancels; 30 idle minutes end it with a notice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dossiers.codes import find_dossier_code, looks_like_dossier_code
from bot.dossiers.phones import normalize_phone
from bot.feedback import CATEGORIES, Attachment, Draft, FeedbackRefused
from bot.feedback.messages import refusal_text, status_label
from bot.reply import Button, Reply, esc
from bot.text import fold, parse_id
from handlers.context import Turn
from handlers.menu import back_to_menu

FLOW = "feedback"
IDLE = timedelta(minutes=30)
MIN_TEXT, MAX_TEXT = 15, 4000
MAX_ATTACHMENTS = 5


def cancel_button(turn: Turn) -> list[Button]:
    """One language per reply: the label is translated, never "Hủy / Cancel"."""
    return [Button("✖️ " + turn.t.gettext("Cancel"), "fb:x")]


def _now() -> datetime:
    return datetime.now(UTC)


async def _save(turn: Turn, data: dict) -> None:
    await turn.core.conversations.set(turn.msg.channel, turn.msg.user_id, FLOW, data)


async def start(turn: Turn, _args: str = "") -> list[Reply]:
    """/phananh and the menu: first, what is it about?"""
    _ = turn.t.gettext
    await _save(turn, {"step": "category"})
    labels = {
        "thu_tuc": _("Administrative procedure"),
        "cham_tre": _("Dossier late or overdue"),
        "nhung_nhieu": _("Staff attitude, harassment"),
        "de_xuat": _("Proposal, recommendation"),
        "khac": _("Other"),
    }
    rows = [[Button(labels.get(code, label), f"fb:c:{code}")] for code, label in CATEGORIES.items()]
    text = "✉️ <b>" + _("Send feedback to the authorities") + "</b>\n"
    text += "👉 " + _("Step 1: what is it about? Press one. (/huy to cancel)")
    return [Reply(text, [*rows, cancel_button(turn)])]


# Folded words that name the topic in a first message (the citizen need not pick it again).
_TOPIC_CUES = {
    "nhung_nhieu": (
        "hach dich", "nhung nhieu", "doi tien", "voi tien", "boi duong", "gay kho", "lam kho",
        "cua quyen", "hoi lo", "tham nhung", "an hai", "thai do",
    ),
    "cham_tre": ("cham tre", "qua han", "qua hen", "tre hen", "tre han", "lau qua", "cham qua"),
}  # fmt: skip
KEEP_WORDS = 8  # "tôi muốn phản ánh cán bộ" is a wish to start; more words say what happened


def guess_topic(text: str) -> str | None:
    folded = " ".join(fold(text).replace(",", " ").split())
    for category, cues in _TOPIC_CUES.items():
        if any(cue in folded for cue in cues):
            return category
    return None


async def start_with(turn: Turn, text: str) -> list[Reply] | None:
    """A first message that is a complaint: its topic pre-selected when its words say it,
    and the message kept as the content, so the citizen does not type it again.
    None: only a wish to complain ("tôi muốn phản ánh"), nothing to keep."""
    _ = turn.t.gettext
    text = text.strip()
    category = guess_topic(text)
    keep = len(text.split()) >= KEEP_WORDS and MIN_TEXT <= len(text) <= MAX_TEXT
    if category is None and not keep:
        return None
    data: dict = {"step": "agency" if category else "category"}
    lines = ["✉️ <b>" + _("Send feedback to the authorities") + "</b>"]
    if keep:
        data["text"] = text
        lines.append("📝 " + _("I kept your message as the feedback's content."))
    if category is None:
        await _save(turn, data)
        first = (await start(turn))[0]
        await _save(turn, data)  # start() reset the state: keep the text
        return [Reply("\n".join(lines)), first]
    data["category"] = category
    await _save(turn, data)
    lines.append(_("Topic: %s") % esc(_topic_label(turn, category)))
    return [Reply("\n".join(lines)), _ask_agency(turn)]


def _topic_label(turn: Turn, code: str) -> str:
    _ = turn.t.gettext
    return {
        "cham_tre": _("Dossier late or overdue"),
        "nhung_nhieu": _("Staff attitude, harassment"),
    }.get(code, CATEGORIES.get(code, code))


def _after_dossier(turn: Turn, data: dict) -> Reply:
    """The text was kept from the first message: straight to photos, else ask for it."""
    return _ask_extras(turn) if data.get("text") else _ask_text(turn)


async def start_about_delay(turn: Turn, code: str) -> list[Reply]:
    """The dossier card's "complain about the delay": topic, agency and code filled in."""
    _ = turn.t.gettext
    dossier = await turn.core.dossiers.get(code)
    if dossier is None:
        return await start(turn)
    agency = turn.core.settings.agency(dossier.agency_code)
    data = {"category": "cham_tre", "dossier": dossier.code}
    if agency is not None:
        data.update(agency=agency.code, step="text")
    else:
        data.update(step="agency")
    await _save(turn, data)
    lines = [
        "✉️ <b>" + _("Complaint about the delay of dossier %s") % esc(dossier.code) + "</b>",
        _("Topic: %s") % esc(_("Dossier late or overdue")),
    ]
    if agency is None:
        return [Reply("\n".join(lines), []), _ask_agency(turn)]
    lines.append(_("Concerns: %s") % esc(agency.name))
    return [Reply("\n".join(lines)), _ask_text(turn)]


async def on_action(turn: Turn, action: str) -> list[Reply]:
    """fb:c:CAT · fb:a:AGENCY · fb:skip · fb:next · fb:me · fb:anon · fb:ok · fb:pub:1|0
    · fb:send · fb:x · fb:late:CODE (from a late dossier's card)"""
    if action.startswith("fb:late:"):
        return await start_about_delay(turn, action.removeprefix("fb:late:"))
    state = await _state(turn)
    if state is None:  # a button of a form that is over: say how it ended
        return await _stale(turn) if action.startswith("fb:") else []
    if action == "fb:x":
        return await cancel(turn)
    data = state
    parts = action.split(":")
    kind = parts[1] if len(parts) > 1 else ""
    arg = parts[2] if len(parts) > 2 else ""
    if kind == "c" and arg in CATEGORIES:
        data.update(category=arg, step="agency")
        await _save(turn, data)
        return [_ask_agency(turn)]
    if kind == "a" and turn.core.settings.agency(arg):
        data.update(agency=arg, step="dossier")
        await _save(turn, data)
        return [_ask_dossier(turn)]
    if kind == "skip" and data.get("step") == "dossier":
        data.update(step="extras" if data.get("text") else "text")
        await _save(turn, data)
        return [_after_dossier(turn, data)]
    if kind == "next" and data.get("step") == "extras":
        data.update(step="name")
        await _save(turn, data)
        return [await _ask_name(turn)]
    if kind == "anon" and data.get("step") in ("name", "phone"):
        data.update(name=None, phone=None, step="publish")
        await _save(turn, data)
        return [_ask_publish(turn)]
    if kind == "me" and data.get("step") == "phone":
        phone = await turn.core.privacy.verified_phone(turn.msg.channel, turn.msg.user_id)
        if phone:
            data.update(phone=phone, step="consent")
            await _save(turn, data)
            return [_ask_consent(turn)]
    if kind == "ok" and data.get("step") == "consent":
        data.update(consent_at=_now().isoformat(), step="publish")
        await _save(turn, data)
        return [_ask_publish(turn)]
    if kind == "pub" and data.get("step") == "publish":
        data.update(publish=arg == "1", step="confirm")
        await _save(turn, data)
        return [_summary(turn, data)]
    if kind == "send" and data.get("step") == "confirm":
        return await _submit(turn, data)
    return [_reask(turn, data)]


async def _state(turn: Turn) -> dict | None:
    state = await turn.core.conversations.get(turn.msg.channel, turn.msg.user_id, max_idle=IDLE)
    if state is None or state.flow != FLOW:
        return None
    if state.data.get("expired"):
        await end(turn, "idle")
        return None
    return state.data


async def end(turn: Turn, how: str, **data) -> None:
    """The form is over (sent, cancelled, idle, refused): its old buttons will say so."""
    await turn.core.conversations.end(turn.msg.channel, turn.msg.user_id, FLOW, how, **data)


async def in_flow(turn: Turn) -> bool:
    """Whether this user's next text or media belongs to the feedback form (or just expired)."""
    state = await turn.core.conversations.get(turn.msg.channel, turn.msg.user_id)
    return state is not None and state.flow == FLOW


async def on_text(turn: Turn, text: str) -> list[Reply]:
    """Typed answers: dossier code, the text, name, phone."""
    _ = turn.t.gettext
    data = await _state(turn)
    if data is None:
        return await _stale(turn)
    step = data.get("step")
    text = text.strip()
    n = turn.t.number  # 4.000 in Vietnamese, as everywhere
    if step == "dossier":
        code = find_dossier_code(text)
        if code is None and not looks_like_dossier_code(text) and MIN_TEXT <= len(text) <= MAX_TEXT:
            # no code at all but what happened, written ahead: keep it, do not make them retype
            data.update(text="\n".join(filter(None, [data.get("text"), text])), step="extras")
            await _save(turn, data)
            kept = "📝 " + _("No dossier code: I kept your message as the feedback's content.")
            extras = _ask_extras(turn)
            return [Reply(kept + "\n" + extras.text, extras.buttons)]
        if code is None:
            hint = _("That is not a dossier code. Type it again, or press Skip.")
            return [Reply("🤔 " + hint, _ask_dossier(turn).buttons)]
        data.update(dossier=code, step="extras" if data.get("text") else "text")
        await _save(turn, data)
        return [_after_dossier(turn, data)]
    if step == "text":
        if not MIN_TEXT <= len(text) <= MAX_TEXT:
            msg = _("Please write between %(min)s and %(max)s characters (you wrote %(n)s).")
            return [
                Reply(
                    "✋ " + msg % {"min": MIN_TEXT, "max": n(MAX_TEXT), "n": n(len(text))},
                    [cancel_button(turn)],
                )
            ]
        data.update(text=text, step="extras")
        await _save(turn, data)
        return [_ask_extras(turn)]
    if step == "name":
        data.update(name=text[:100], step="phone")
        await _save(turn, data)
        return [await _ask_phone(turn)]
    if step == "phone":
        phone = normalize_phone(text)
        if phone is None:
            return [
                Reply(
                    "🤔 " + _("That is not a Vietnamese phone number. Type it again."),
                    (await _ask_phone(turn)).buttons,
                )
            ]
        data.update(phone=phone, step="consent")
        await _save(turn, data)
        return [_ask_consent(turn)]
    return [_reask(turn, data)]


async def on_media(turn: Turn) -> list[Reply]:
    """Photos and a location, at the 'extras' step only."""
    _ = turn.t.gettext
    data = await _state(turn)
    if data is None:
        return await _stale(turn)
    msg = turn.msg
    if data.get("step") != "extras" or not (
        msg.file_id or msg.file_url or msg.latitude is not None
    ):
        return [_reask(turn, data)]
    extras = data.setdefault("attachments", [])
    if len(extras) >= MAX_ATTACHMENTS:
        return [
            Reply("✋ " + _("That is enough attachments. Press Next."), _ask_extras(turn).buttons)
        ]
    if msg.file_id:
        extras.append({"kind": "photo", "file_id": msg.file_id, "size": msg.file_size})
    elif msg.file_url:
        extras.append({"kind": "url", "file_id": msg.file_url, "size": msg.file_size})
    else:
        extras.append({"kind": "location", "lat": msg.latitude, "lon": msg.longitude})
    await _save(turn, data)
    text = _("Received (%s). Send more, or press Next.") % len(extras)
    return [Reply("📎 " + text, _ask_extras(turn).buttons)]


def _ask_agency(turn: Turn) -> Reply:
    _ = turn.t.gettext
    rows = [[Button(a.name, f"fb:a:{a.code}")] for a in turn.core.settings.agencies]
    return Reply(
        "🏛 " + _("Step 2: which commune or office does it concern?"), [*rows, cancel_button(turn)]
    )


def _ask_dossier(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "📂 " + _("Step 3: if it is about a dossier, type its code. Otherwise press Skip.")
    return Reply(text, [[Button("⏭ " + _("Skip"), "fb:skip")], cancel_button(turn)])


def _ask_text(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "✍️ " + _(
        "Step 4: write what happened, clearly, in one message (15 to 4,000 characters)."
    )
    return Reply(text, [cancel_button(turn)])


def _ask_extras(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "📎 " + _("Step 5: you may send photos or your location. Then press Next.")
    return Reply(text, [[Button("➡️ " + _("Next"), "fb:next")], cancel_button(turn)])


async def _ask_name(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "👤 " + _("Step 6: type your full name."),
            _(
                "The law obliges an answer only to feedback with a name and a contact; "
                "without them it is kept as an anonymous tip."
            ),
        ]
    )
    return Reply(text, [[Button("🕶 " + _("Send anonymously"), "fb:anon")], cancel_button(turn)])


async def _ask_phone(turn: Turn) -> Reply:
    _ = turn.t.gettext
    rows = []
    if await turn.core.privacy.verified_phone(turn.msg.channel, turn.msg.user_id):
        rows.append([Button("📱 " + _("Use my verified phone number"), "fb:me")])
    rows += [[Button("🕶 " + _("Send anonymously"), "fb:anon")], cancel_button(turn)]
    return Reply("📞 " + _("Type your phone number, so the office can answer you."), rows)


def consent_wording(turn: Turn) -> str:
    return turn.t.gettext(
        "I agree that my name and phone number are used to handle and answer this feedback."
    )


def _ask_consent(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "🔒 " + _("Do you agree?") + "\n<i>" + esc(consent_wording(turn)) + "</i>"
    return Reply(text, [[Button("✅ " + _("I agree"), "fb:ok")], cancel_button(turn)])


def _ask_publish(turn: Turn) -> Reply:
    _ = turn.t.gettext
    text = "🌐 " + _("May the question and the answer be published, without your name?")
    rows = [
        [Button("✅ " + _("Yes, publish"), "fb:pub:1")],
        [Button("🚫 " + _("No, keep it private"), "fb:pub:0")],
        cancel_button(turn),
    ]
    return Reply(text, rows)


def _summary(turn: Turn, data: dict) -> Reply:
    _ = turn.t.gettext
    agency = turn.core.settings.agency(data.get("agency", ""))
    lines = [
        "📝 <b>" + _("Please check before sending:") + "</b>",
        _("Topic: %s") % esc(CATEGORIES.get(data.get("category", ""), "")),
        _("Concerns: %s") % esc(agency.name if agency else ""),
    ]
    if data.get("dossier"):
        lines.append(_("Dossier: %s") % esc(data["dossier"]))
    lines.append(_("Content: %s") % esc(data.get("text", "")))
    if data.get("attachments"):
        lines.append(_("Attachments: %s") % len(data["attachments"]))
    if data.get("name") and data.get("phone"):
        lines.append(
            _("Sender: %(name)s, %(phone)s")
            % {"name": esc(data["name"]), "phone": esc(data["phone"])}
        )
    else:
        lines.append(
            "🕶 " + _("Anonymous tip: the office may act on it but is not obliged to answer you.")
        )
    rows = [[Button("📨 " + _("Send"), "fb:send")], cancel_button(turn)]
    return Reply("\n".join(lines), rows)


async def _submit(turn: Turn, data: dict) -> list[Reply]:
    _ = turn.t.gettext
    core, msg = turn.core, turn.msg
    consent_at = datetime.fromisoformat(data["consent_at"]) if data.get("consent_at") else None
    identified = bool(data.get("name") and data.get("phone") and consent_at)
    draft = Draft(
        msg.channel,
        msg.user_id,
        msg.chat_id,
        data["category"],
        data["agency"],
        data["text"],
        dossier_code=data.get("dossier"),
        name=data.get("name") if identified else None,
        phone=data.get("phone") if identified else None,
        consent_at=consent_at if identified else None,
        consent_wording=consent_wording(turn) if identified else None,
        publish_consent=bool(data.get("publish")),
        attachments=[Attachment(**a) for a in data.get("attachments", [])],
    )
    try:
        ticket = await core.feedback.submit(draft, _now())
    except FeedbackRefused as exc:
        await end(turn, "refused")
        return [Reply("✋ " + refusal_text(exc.reason, exc.detail, turn.t), [back_to_menu(turn)])]
    await end(turn, "sent", number=ticket.number)
    # The receipt, queued with the ticket, announces its number: once is enough.
    text = "✅ " + _("Sent.")
    text += "\n👉 " + _("I will message you at each step. /phananhcuatoi lists your tickets.")
    return [Reply(text, [back_to_menu(turn)])]


def _reask(turn: Turn, data: dict) -> Reply:
    _ = turn.t.gettext
    step = data.get("step")
    asks = {
        "agency": _ask_agency,
        "dossier": _ask_dossier,
        "text": _ask_text,
        "extras": _ask_extras,
        "consent": _ask_consent,
        "publish": _ask_publish,
    }
    if step in asks:
        return asks[step](turn)
    if step == "confirm":
        return _summary(turn, data)
    return Reply(
        "👉 " + _("Please answer the question above, or /huy to cancel."), [cancel_button(turn)]
    )


async def cancel(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    await end(turn, "cancelled")
    return [
        Reply("✖️ " + _("Your feedback form is cancelled. Nothing was sent."), [back_to_menu(turn)])
    ]


async def _stale(turn: Turn) -> list[Reply]:
    """A button (or the text) of a form that is no longer open: tell how it ended."""
    _ = turn.t.gettext
    ended = await turn.core.conversations.ended(turn.msg.channel, turn.msg.user_id, FLOW) or {}
    how = ended.get("how")
    if how == "sent":
        text = "✅ " + _("This form was already sent as no. %s. Nothing more to do here.") % esc(
            ended.get("number", "")
        )
        text += "\n👉 " + _("/phananhcuatoi lists your tickets.")
        return [Reply(text, [back_to_menu(turn)])]
    if how == "idle":
        text = "⌛ " + _(
            "Your feedback form was idle for 30 minutes and has ended. Nothing was sent."
        )
    elif how == "cancelled":
        text = "✖️ " + _("This form was cancelled. Nothing was sent.")
    else:
        text = "ℹ️ " + _("This form is no longer open.")
    rows = [[Button("✉️ " + _("Start again"), "m:fb")], back_to_menu(turn)]
    return [Reply(text, rows)]


async def mine(turn: Turn, _args: str = "") -> list[Reply]:
    """/phananhcuatoi: the citizen's tickets with their status."""
    _ = turn.t.gettext
    tickets = await turn.core.feedback.mine(turn.msg.channel, turn.msg.user_id)
    start = [Button("✉️ " + _("Send feedback"), "m:fb")]
    if not tickets:
        text = _("You have not sent any feedback yet.")
        text += "\n👉 " + _("Press the button to send one.")
        return [Reply(text, [start, back_to_menu(turn)])]
    lines = ["📋 <b>" + _("Your feedback") + "</b>"]
    for t in tickets:
        state = status_label(turn.t, t.status)
        said = t.text if len(t.text) <= 60 else t.text[:59].rstrip() + "…"
        lines.append(f"• <b>{esc(t.number)}</b> — {esc(state)} — {esc(said)}")
    return [Reply("\n".join(lines), [start, back_to_menu(turn)])]


async def rate_answer(turn: Turn, action: str) -> list[Reply]:
    """f:ok:ID / f:ko:ID — the citizen's satisfaction with the answer (feeds Decision 766)."""
    _ = turn.t.gettext
    parts = action.split(":")
    ticket_id = parse_id(parts[2]) if len(parts) == 3 else None
    if ticket_id is None:  # a forged or garbled button: no such ticket
        return [Reply(refusal_text("not_found", None, turn.t), [back_to_menu(turn)])]
    try:
        await turn.core.feedback.rate_answer(
            ticket_id, turn.msg.channel, turn.msg.user_id, parts[1] == "ok", _now()
        )
    except FeedbackRefused as exc:
        return [Reply(refusal_text(exc.reason, exc.detail, turn.t), [back_to_menu(turn)])]
    return [Reply("🙏 " + _("Thank you for telling us."), [back_to_menu(turn)])]
