"""Every message the feedback service sends, in one place.

What citizens read goes through gettext in their language; what officials read
is in Vietnamese, the desks' language. Each one says what happens next. Text that
came from a citizen or an official is escaped here, nowhere else.
"""

from __future__ import annotations

import html
from datetime import date

from bot.feedback.model import Deadlines, Ticket
from bot.i18n import DEFAULT_LOCALE, Translator, translator
from bot.reply import Button, Reply, esc

KIND_NAMES = {
    "reject": "xem xét, từ chối hoặc chuyển",
    "answer": "trả lời",
    "publish": "công khai trả lời",
}


def _refusals(tr: Translator) -> dict[str, str]:
    """What the dialog says when an action is refused (FeedbackRefused.reason)."""
    _ = tr.gettext
    return {
        "too_short": _(
            "The text is too short. Please write more clearly (at least 15 characters)."
        ),
        "too_long": _("The text is too long (at most 4,000 characters). Please shorten it."),
        "bad_category": _("Please choose a topic from the list."),
        "bad_agency": _("Please choose a commune from the list."),
        "bad_dossier_code": _("The dossier code is not right. Please check it on your receipt."),
        "bad_phone": _("The phone number is not right. Please type it again, e.g. 0912345678."),
        "no_consent": _("We need your consent to use your name and phone to handle it."),
        "too_many_attachments": _("At most 10 photos or locations per feedback."),
        "daily_limit": _("You have sent 5 feedbacks today. You can send more tomorrow."),
        "duplicate": _("You already sent this (no. %s). The office is on it; please wait."),
        "not_found": _("This feedback cannot be found."),
        "not_official": _("Only officials on the roster can do this."),
        "other_agency": _("This feedback belongs to another agency."),
        "leaders_only": _("Feedback about staff is handled by the leaders only."),
        "bad_state": _("This feedback is in a state that does not allow this."),
        "too_late": _("More than 5 working days have passed: please answer instead."),
        "empty": _("Please write the text."),
        "not_owner": _("This is not your feedback."),
        "already_rated": _("You already rated this answer. Thank you."),
        "no_publish_consent": _("The sender did not agree to publish this feedback."),
    }


def status_label(tr: Translator, status: str) -> str:
    """A ticket's state in words, never the stored keyword."""
    _ = tr.gettext
    labels = {
        "received": _("received, waiting for an official"),
        "assigned": _("an official is handling it"),
        "need_info": _("waiting for more information from you"),
        "forwarded": _("forwarded to another agency"),
        "answered": _("answered"),
        "rejected": _("not accepted"),
        "closed": _("closed"),
    }
    return labels.get(status, status)


def refusal_text(reason: str, detail: str | None = None, tr: Translator | None = None) -> str:
    tr = tr or translator(DEFAULT_LOCALE)
    text = _refusals(tr).get(reason) or tr.gettext("That could not be done. Please try again.")
    return text % esc(detail or "") if "%s" in text else text


def day(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def receipt(tr: Translator, t: Ticket, agency_name: str, dl: Deadlines, phone: str = "") -> Reply:
    """Promises only what will happen: no deadline for a tip no one owes an answer to,
    no "sent to" when no official can read it (and never why: that is configuration)."""
    _ = tr.gettext
    about_staff = t.category == "nhung_nhieu"
    # A report about staff goes to the leaders: the receipt never names the desk it is about.
    sent_to = _("the commune's leaders and inspection") if about_staff else agency_name
    lines = [
        "✅ <b>" + _("Feedback no. %s received") % esc(t.number) + "</b>",
        _("Topic: %s") % esc(t.category_label),
    ]
    if not t.routed and about_staff:  # never point them back to the desk it is about
        lines.append(
            "⚠️ "
            + _(
                "It is saved, but no leader can read it in the app yet. Please tell the"
                " commune's leaders or inspection directly and give them the number above."
            )
        )
        lines.append("🔒 " + _("It is never passed to the staff it is about."))
        return Reply("\n".join(lines))
    if not t.routed:
        lines.append(
            "⚠️ "
            + _(
                "It is saved, but no official can read it in the app yet. Please call or"
                " visit the one-stop desk and give them the number above."
            )
        )
        if phone:
            lines.append("☎️ " + _("Phone: %s") % esc(phone))
        return Reply("\n".join(lines))
    lines.append(_("Sent to: %s") % esc(sent_to))
    if t.anonymous:
        lines.append(_("Looked into by: %s (15 working days).") % day(dl.answer_by))
        lines.append(
            "ℹ️ "
            + _(
                "You left no name and phone, so this is an anonymous tip: the office will look"
                " into it, but the law does not oblige it to answer."
            )
        )
    else:
        lines.append(_("Answer due by: %s (15 working days).") % day(dl.answer_by))
    lines.append("👉 " + _("You will get a message here when officials act. Keep the number."))
    return Reply("\n".join(lines))


def official_buttons(t: Ticket) -> list[list[Button]]:
    """The actions open to officials in the ticket's current state (≤ 64-byte actions)."""
    i = t.id
    if t.status in ("received", "assigned", "need_info", "forwarded"):
        return [
            [Button("🙋 Nhận xử lý", f"f:as:{i}"), Button("❓ Yêu cầu bổ sung", f"f:ni:{i}")],
            [Button("✍️ Trả lời", f"f:an:{i}"), Button("↪️ Chuyển cơ quan", f"f:fw:{i}")],
            [Button("⛔ Từ chối", f"f:rj:{i}"), Button("✔️ Đóng", f"f:cl:{i}")],
        ]
    if t.status == "answered" and t.publish_consent and t.published_at is None:
        return [[Button("📢 Công khai", f"f:pb:{i}"), Button("✔️ Đóng", f"f:cl:{i}")]]
    if t.status == "answered":
        return [[Button("✔️ Đóng", f"f:cl:{i}")]]
    return []


def forward_buttons(t: Ticket, agencies) -> list[list[Button]]:
    """One button per other agency: `f:fw:<id>:<agency code>`."""
    return [[Button(a.name, f"f:fw:{t.id}:{a.code}")] for a in agencies if a.code != t.agency_code]


def alert(
    t: Ticket,
    agency_name: str,
    dl: Deadlines,
    forwarded_from: str | None = None,
    links: list[str] | tuple[str, ...] = (),
) -> Reply:
    head = "🚨 Phản ánh về cán bộ" if t.category == "nhung_nhieu" else "📨 Phản ánh, kiến nghị"
    lines = [f"<b>{head} {esc(t.number)}</b>"]
    if forwarded_from:
        lines.append(f"Chuyển từ: {esc(forwarded_from)}")
    lines += [
        f"Lĩnh vực: {esc(t.category_label)}",
        f"Xã, phường: {esc(agency_name)}",
    ]
    if t.dossier_code:
        lines.append(f"Hồ sơ: {esc(t.dossier_code)}")
    lines.append(f"Nội dung: {esc(t.text)}")
    if t.attachments:
        lines.append(f"Kèm theo: {t.attachments} ảnh, vị trí")
    lines += photo_links(links)
    lines.append("Người gửi: không để lại tên" if t.anonymous else "Người gửi: có họ tên, SĐT")
    lines.append(f"Hạn từ chối/chuyển: {day(dl.reject_by)} · Hạn trả lời: {day(dl.answer_by)}")
    if t.category == "nhung_nhieu":
        lines.append("Không chuyển phản ánh này cho bộ phận bị phản ánh.")
    lines.append("👉 Bấm “Nhận xử lý” để nhận việc.")
    return Reply("\n".join(lines), official_buttons(t))


def info_added(t: Ticket, text: str, links: list[str] | tuple[str, ...] = ()) -> Reply:
    lines = [f"📎 <b>Người dân bổ sung thông tin cho {esc(t.number)}</b>", esc(text)]
    lines += photo_links(links)
    lines.append("👉 Bấm “Trả lời” khi đã đủ thông tin.")
    return Reply("\n".join(lines), official_buttons(t))


def photo_links(links) -> list[str]:
    """Photos kept as links (Zalo): one line each that officials can open."""
    return [
        f'🖼 <a href="{html.escape(url, quote=True)}">Mở ảnh {n}</a>'
        for n, url in enumerate(links, 1)
    ]


def citizen_update(tr: Translator, t: Ticket, action: str, note: str | None = None) -> Reply:
    """The citizen's message after an official's action."""
    _ = tr.gettext
    n = esc(t.number)
    if action == "assigned":
        text = "🙋 " + _("An official is handling your feedback %s.") % n
        text += "\n👉 " + _("You will get the answer here.")
    elif action == "need_info":
        text = "❓ <b>" + _("The official needs more information for your feedback %s:") % n
        text += "</b>\n" + esc(note or "")
        text += "\n👉 " + _("Reply with one message right here.")
    elif action == "forwarded":
        text = "↪️ " + _("Your feedback %(n)s was forwarded to %(to)s, which is in charge.") % {
            "n": n,
            "to": esc(note or ""),
        }
        text += "\n👉 " + _("That office will handle it and answer you here.")
    elif action == "rejected":
        text = "⛔ " + _("Your feedback %s was not accepted.") % n
        text += "\n" + _("Reason: %s") % esc(note or "")
        text += "\n👉 " + _("If you can add what is missing, you may send a new feedback.")
    elif action == "closed":
        text = "✔️ " + _("Your feedback %s is closed. Thank you.") % n
    elif action == "published":
        text = "📢 " + _("The answer to %s was published, without your name or phone.") % n
    else:
        text = f"{n}: {esc(action)}"
    return Reply(text)


def answer(tr: Translator, t: Ticket) -> Reply:
    _ = tr.gettext
    text = "💬 <b>" + _("Answer to your feedback %s") % esc(t.number) + "</b>\n"
    text += esc(t.answer or "") + "\n\n<b>" + _("Are you satisfied with this answer?") + "</b>"
    text += "\n👉 " + _("Press a button to tell us.")
    return Reply(
        text,
        [
            [
                Button("🙂 " + _("Satisfied"), f"f:ok:{t.id}"),
                Button("🙁 " + _("Not satisfied"), f"f:ko:{t.id}"),
            ]
        ],
    )


def rated(tr: Translator, t: Ticket, satisfied: bool) -> Reply:
    _ = tr.gettext
    if satisfied:
        return Reply(_("Thank you for your rating. It helps the office serve you better."))
    return Reply(
        _("Thank you. The leaders will be told to review the answer.")
        + "\n👉 "
        + _("If you wish, send a new feedback saying what was not right.")
    )


def unsatisfied_alert(t: Ticket, agency_name: str) -> Reply:
    return Reply(
        f"🙁 <b>Người dân chưa hài lòng với trả lời {esc(t.number)}</b>\n"
        f"Xã, phường: {esc(agency_name)}\nLĩnh vực: {esc(t.category_label)}\n"
        "👉 Vui lòng xem lại trả lời và liên hệ người dân nếu cần."
    )


def reminder(t: Ticket, kind: str, due: date, days_left: int) -> Reply:
    return Reply(
        f"⏰ <b>Phản ánh {esc(t.number)}</b>: còn {days_left} ngày làm việc để"
        f" {KIND_NAMES.get(kind, kind)} (hạn {day(due)}).\n"
        f"Lĩnh vực: {esc(t.category_label)}\n👉 Vui lòng xử lý trước hạn.",
        official_buttons(t),
    )


def escalation(t: Ticket, agency_name: str, kind: str, due: date, assignee_name: str = "") -> Reply:
    """`assignee_name`: the roster name of the assignee (their account id when unnamed)."""
    name = assignee_name or t.assignee
    who = f"cán bộ {esc(name)}" if t.assignee else "chưa có cán bộ nhận"
    return Reply(
        f"🔺 <b>Phản ánh {esc(t.number)} quá hạn {KIND_NAMES.get(kind, kind)}</b>"
        f" (hạn {day(due)})\n"
        f"Xã, phường: {esc(agency_name)}\nLĩnh vực: {esc(t.category_label)}\nXử lý: {who}\n"
        "👉 Lãnh đạo vui lòng đôn đốc xử lý.",
        official_buttons(t),
    )
