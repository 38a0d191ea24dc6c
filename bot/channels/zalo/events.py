"""Webhook events (fact sheet §5) read into one small record; all ids stay strings."""

from __future__ import annotations

from dataclasses import dataclass

RECEIPTS = frozenset({"user_received_message", "user_seen_message"})
FOLLOW, UNFOLLOW, SUBMIT_INFO = "follow", "unfollow", "user_submit_info"
# The events answered (fact sheet §5); an admin may switch on others (user_click_chatnow,
# user_reacted_message, user_feedback) that are not messages: those are ignored.
SENT = ("text", "image", "link", "sticker", "audio", "video", "file", "location",
        "business_card")  # fmt: skip
ALLOWED = frozenset({*(f"user_send_{kind}" for kind in SENT), FOLLOW, UNFOLLOW, SUBMIT_INFO})


@dataclass(frozen=True)
class ZaloEvent:
    name: str
    key: str  # message.msg_id, else name:user:timestamp (handled once by it)
    user_id: str | None  # the citizen; None for the OA's own events
    user_id_by_app: str | None = None
    text: str | None = None
    image_url: str | None = None
    phone: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def from_user(self) -> bool:
        """A citizen's event that may be answered (not an echo, receipt or group event)."""
        return self.user_id is not None


def parse(body: dict) -> ZaloEvent:
    name = str(body.get("event_name", ""))
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    stamp = str(body.get("timestamp", ""))
    if name.startswith("oa_") or name in RECEIPTS or "group" in name:
        return ZaloEvent(name, _key(name, message, "oa", stamp), None)
    if name in (FOLLOW, UNFOLLOW):
        user = _id(body.get("follower"))
    else:
        user = _id(body.get("sender")) if name.startswith("user_") else None
    by_app = body.get("user_id_by_app")
    fields: dict = {}
    if name == "user_send_text":
        fields["text"] = str(message.get("text", ""))
    for attachment in message.get("attachments") or ():
        if not isinstance(attachment, dict):
            continue
        payload = attachment.get("payload") or {}
        if attachment.get("type") == "image" and payload.get("url"):
            fields["image_url"] = str(payload["url"])
        elif attachment.get("type") == "location":
            coords = payload.get("coordinates") or {}
            try:
                fields["latitude"] = float(coords["latitude"])
                fields["longitude"] = float(coords["longitude"])
            except (KeyError, TypeError, ValueError):
                pass
    if name == SUBMIT_INFO:
        info = body.get("info") or {}
        fields["phone"] = str(info.get("phone", "")) or None
    return ZaloEvent(
        name,
        _key(name, message, user or "?", stamp),
        user,
        str(by_app) if by_app else None,
        **fields,
    )


def _id(part) -> str | None:
    value = part.get("id") if isinstance(part, dict) else None
    return str(value) if value else None


def _key(name: str, message: dict, who: str, stamp: str) -> str:
    msg_id = message.get("msg_id")
    return f"msg:{msg_id}" if msg_id else f"{name}:{who}:{stamp}"
