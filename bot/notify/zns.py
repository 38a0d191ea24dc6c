"""Template data for notifications a channel may have to send outside a conversation.

Zalo lets an OA write first only through ZNS templates approved in advance, whose
parameters are fixed (README "Putting it on a Zalo OA"). The data rides on the outbox
row with the message, so the channel can choose at delivery time. Values are in
Vietnamese (the templates are) and cut to the usual ZNS lengths.
"""

from __future__ import annotations

from datetime import tzinfo

# The status of a ticket as a ZNS template shows it (the templates are Vietnamese).
FEEDBACK_STATES = {
    "received": "Đã tiếp nhận",
    "assigned": "Đang xử lý",
    "need_info": "Cần bổ sung thông tin",
    "answered": "Đã trả lời",
    "forwarded": "Đã chuyển cơ quan khác",
    "rejected": "Không thụ lý",
    "closed": "Đã đóng",
}


def dossier_notice(dossier, tz: tzinfo, status: str) -> dict:
    """{ma_ho_so, trang_thai, ngay_hen} for MOTCUA_ZNS_TEMPLATE_DOSSIER; `status` is the
    caller's words (the dossiers' notices know them; this layer knows no feature)."""
    due = dossier.due_at.astimezone(tz).strftime("%d/%m/%Y") if dossier.due_at else "Chưa có"
    return {
        "kind": "dossier",
        "params": {"ma_ho_so": dossier.code[:30], "trang_thai": status[:30], "ngay_hen": due},
    }


def feedback_notice(ticket) -> dict:
    """{ma_phan_anh, trang_thai} for MOTCUA_ZNS_TEMPLATE_FEEDBACK."""
    state = FEEDBACK_STATES.get(ticket.status, ticket.status)
    return {"kind": "feedback", "params": {"ma_phan_anh": ticket.number, "trang_thai": state}}
