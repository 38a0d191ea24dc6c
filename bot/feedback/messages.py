"""Every message the feedback service sends, in one place so they can move to gettext.

Short plain Vietnamese; each one says what happens next. Text that came from a
citizen or an official is escaped here, nowhere else.
"""

from __future__ import annotations

from datetime import date

from bot.dialog.reply import Button, Reply, esc
from bot.feedback.model import Deadlines, Ticket

KIND_NAMES = {
    "reject": "xem xét, từ chối hoặc chuyển",
    "answer": "trả lời",
    "publish": "công khai trả lời",
}

# What the dialog says when an action is refused (FeedbackRefused.reason).
REFUSALS = {
    "too_short": "Nội dung quá ngắn. Vui lòng viết rõ hơn (ít nhất 15 ký tự).",
    "too_long": "Nội dung quá dài (tối đa 4000 ký tự). Vui lòng viết gọn lại.",
    "bad_category": "Vui lòng chọn một lĩnh vực trong danh sách.",
    "bad_agency": "Vui lòng chọn xã, phường trong danh sách.",
    "bad_dossier_code": "Mã hồ sơ chưa đúng. Vui lòng kiểm tra lại trên giấy hẹn.",
    "bad_phone": "Số điện thoại chưa đúng. Vui lòng nhập lại, ví dụ 0912345678.",
    "no_consent": "Cần bạn đồng ý cho dùng họ tên, số điện thoại để xử lý phản ánh.",
    "too_many_attachments": "Mỗi phản ánh gửi kèm tối đa 10 ảnh hoặc vị trí.",
    "daily_limit": "Hôm nay bạn đã gửi 5 phản ánh. Bạn có thể gửi tiếp vào ngày mai.",
    "duplicate": "Bạn đã gửi nội dung này rồi (số {detail}). Cơ quan đang xử lý, bạn chờ tin nhé.",
    "not_found": "Không tìm thấy phản ánh này.",
    "not_official": "Chỉ cán bộ có tên trong danh sách mới làm được việc này.",
    "other_agency": "Phản ánh này thuộc cơ quan khác.",
    "leaders_only": "Phản ánh về cán bộ chỉ lãnh đạo được xử lý.",
    "bad_state": "Phản ánh đang ở trạng thái không cho phép việc này.",
    "too_late": "Đã quá 5 ngày làm việc, không còn được yêu cầu bổ sung. Vui lòng trả lời.",
    "empty": "Vui lòng viết nội dung.",
    "not_owner": "Đây không phải phản ánh của bạn.",
    "already_rated": "Bạn đã đánh giá trả lời này rồi. Cảm ơn bạn.",
    "no_publish_consent": "Người gửi không đồng ý công khai phản ánh này.",
}


def refusal_text(reason: str, detail: str | None = None) -> str:
    return REFUSALS.get(reason, "Không thực hiện được. Vui lòng thử lại.").format(
        detail=esc(detail or "")
    )


def day(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def receipt(t: Ticket, agency_name: str, dl: Deadlines) -> Reply:
    lines = [
        f"✅ <b>Đã nhận phản ánh, kiến nghị số {esc(t.number)}</b>",
        f"Lĩnh vực: {esc(t.category_label)}",
        f"Gửi đến: {esc(agency_name)}",
        f"Hạn trả lời: {day(dl.answer_by)} (15 ngày làm việc).",
    ]
    if t.anonymous:
        lines.append(
            "ℹ️ Bạn không để lại họ tên và số điện thoại nên đây là tin báo không tên:"
            " cơ quan sẽ xem xét, nhưng pháp luật không bắt buộc trả lời."
        )
    if not t.routed:
        lines.append(
            "⚠️ Cơ quan chưa có nhóm cán bộ nhận phản ánh qua ứng dụng. Phản ánh đã được lưu;"
            " nếu việc gấp, bạn nên đến hoặc gọi bộ phận một cửa."
        )
    lines.append("👉 Khi cán bộ xử lý, bạn sẽ nhận tin nhắn tại đây. Hãy giữ số phản ánh.")
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


def alert(t: Ticket, agency_name: str, dl: Deadlines, forwarded_from: str | None = None) -> Reply:
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
    lines.append("Người gửi: không để lại tên" if t.anonymous else "Người gửi: có họ tên, SĐT")
    lines.append(f"Hạn từ chối/chuyển: {day(dl.reject_by)} · Hạn trả lời: {day(dl.answer_by)}")
    if t.category == "nhung_nhieu":
        lines.append("Không chuyển phản ánh này cho bộ phận bị phản ánh.")
    lines.append("👉 Bấm “Nhận xử lý” để nhận việc.")
    return Reply("\n".join(lines), official_buttons(t))


def info_added(t: Ticket, text: str) -> Reply:
    return Reply(
        f"📎 <b>Người dân bổ sung thông tin cho {esc(t.number)}</b>\n{esc(text)}\n"
        "👉 Bấm “Trả lời” khi đã đủ thông tin.",
        official_buttons(t),
    )


def citizen_update(t: Ticket, action: str, note: str | None = None) -> Reply:
    """The citizen's message after an official's action."""
    n = esc(t.number)
    if action == "assigned":
        text = f"🙋 Phản ánh {n} đã có cán bộ nhận xử lý.\n👉 Bạn sẽ nhận trả lời tại đây."
    elif action == "need_info":
        text = (
            f"❓ <b>Cán bộ cần bạn bổ sung thông tin cho phản ánh {n}:</b>\n{esc(note or '')}\n"
            "👉 Hãy trả lời bằng một tin nhắn ngay tại đây."
        )
    elif action == "forwarded":
        text = (
            f"↪️ Phản ánh {n} không thuộc thẩm quyền nơi bạn gửi, đã được chuyển đến"
            f" {esc(note or '')}.\n👉 Cơ quan đó sẽ xử lý và trả lời bạn tại đây."
        )
    elif action == "rejected":
        text = (
            f"⛔ Phản ánh {n} không được tiếp nhận.\nLý do: {esc(note or '')}\n"
            "👉 Nếu bổ sung được, bạn có thể gửi một phản ánh mới."
        )
    elif action == "closed":
        text = f"✔️ Phản ánh {n} đã kết thúc xử lý. Cảm ơn bạn đã góp ý."
    elif action == "published":
        text = (
            f"📢 Trả lời phản ánh {n} đã được công khai, không kèm họ tên, số điện thoại của bạn."
        )
    else:
        text = f"Phản ánh {n}: {esc(action)}"
    return Reply(text)


def answer(t: Ticket) -> Reply:
    return Reply(
        f"💬 <b>Trả lời phản ánh {esc(t.number)}</b>\n{esc(t.answer or '')}\n\n"
        "<b>Bạn có hài lòng với trả lời này?</b>\n👉 Bấm một nút để cho biết.",
        [[Button("🙂 Hài lòng", f"f:ok:{t.id}"), Button("🙁 Chưa hài lòng", f"f:ko:{t.id}")]],
    )


def rated(t: Ticket, satisfied: bool) -> Reply:
    if satisfied:
        return Reply("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.")
    return Reply(
        "Cảm ơn bạn. Lãnh đạo sẽ được báo để xem lại trả lời.\n"
        "👉 Nếu muốn, bạn có thể gửi một phản ánh mới nói rõ điều chưa hài lòng."
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


def escalation(t: Ticket, agency_name: str, kind: str, due: date) -> Reply:
    who = f"cán bộ {esc(t.assignee)}" if t.assignee else "chưa có cán bộ nhận"
    return Reply(
        f"🔺 <b>Phản ánh {esc(t.number)} quá hạn {KIND_NAMES.get(kind, kind)}</b>"
        f" (hạn {day(due)})\n"
        f"Xã, phường: {esc(agency_name)}\nLĩnh vực: {esc(t.category_label)}\nXử lý: {who}\n"
        "👉 Lãnh đạo vui lòng đôn đốc xử lý.",
        official_buttons(t),
    )
