"""What Zalo refuses, as the fact sheet (../shared/docs/zalo.md) says, in the strict reading.

Each check returns None (accepted) or (error code, message); Zalo answers every
refusal with HTTP 200 and a non-zero `error`.
"""

from __future__ import annotations

import re
import unicodedata

Refusal = tuple[int, str] | None

TEXT_MAX = 2000
QUERY_TYPES = ("oa.query.show", "oa.query.hide")
BUTTON_TYPES = (*QUERY_TYPES, "oa.open.url", "oa.open.phone", "oa.open.sms")
_ZNS_PHONE = re.compile(r"^\+?84\d{9,10}$")


def text_problem(text, limit: int = TEXT_MAX) -> Refusal:
    if not isinstance(text, str) or not text.strip():
        return (-201, "text is invalid!")
    if len(unicodedata.normalize("NFC", text)) > limit:
        return (-210, "Parameter exceeds allowable limit: text")
    return None


def button_problem(b, title_max: int, payload_max: int) -> Refusal:
    if not isinstance(b, dict) or b.get("type") not in BUTTON_TYPES:
        return (-201, "buttons is invalid!")
    title = b.get("title")
    if not isinstance(title, str) or not title.strip():
        return (-201, "title is invalid!")
    if len(title) > title_max:
        return (-210, "Parameter exceeds allowable limit: title")
    payload = b.get("payload")
    if b["type"] in QUERY_TYPES:
        if not isinstance(payload, str) or not payload:
            return (-201, "payload is invalid!")
        if len(payload) > payload_max:
            return (-210, "Parameter exceeds allowable limit: payload")
    elif b["type"] == "oa.open.url":
        if not isinstance(payload, dict) or not str(payload.get("url", "")).startswith("http"):
            return (-201, "url is invalid!")
    elif not isinstance(payload, dict) or "phone_code" not in payload:
        return (-201, "phone_code is invalid!")
    return None


def message_problem(message, *, max_buttons: int, title_max: int, payload_max: int,
                    require_image_url: bool) -> Refusal:  # fmt: skip
    """A /cs message: text, text+buttons ([U] shape), media, or request_user_info."""
    if not isinstance(message, dict) or not message:
        return (-201, "message is invalid!")
    attachment = message.get("attachment")
    if attachment is None:
        return text_problem(message.get("text"))
    if not isinstance(attachment, dict) or attachment.get("type") != "template":
        return (-233, "Message type is not supported")
    payload = attachment.get("payload")
    if not isinstance(payload, dict):
        return (-201, "payload is invalid!")
    kind = payload.get("template_type")
    if kind is None:  # text with buttons
        problem = text_problem(message.get("text"))
        if problem:
            return problem
        buttons = payload.get("buttons")
        if not isinstance(buttons, list) or not buttons:
            return (-201, "buttons is invalid!")
        if len(buttons) > max_buttons:
            return (-210, f"Parameter exceeds allowable limit: only support {max_buttons} buttons")
        for b in buttons:
            problem = button_problem(b, title_max, payload_max)
            if problem:
                return problem
        return None
    elements = payload.get("elements")
    if kind == "request_user_info":
        if not isinstance(elements, list) or len(elements) != 1:
            return (-201, "elements is invalid!")
        e = elements[0]
        if not isinstance(e, dict) or not str(e.get("title", "")).strip():
            return (-201, "title is invalid!")
        if len(e["title"]) > 100 or len(str(e.get("subtitle", ""))) > 500:
            return (-210, "Parameter exceeds allowable limit: title/subtitle")
        if require_image_url and not str(e.get("image_url", "")).startswith("http"):
            return (-201, "image_url is invalid!")
        return None
    if kind == "media":
        if not isinstance(elements, list) or len(elements) != 1:
            return (-201, "elements is invalid!")
        e = elements[0]
        if not isinstance(e, dict) or e.get("media_type") not in ("image", "gif", "sticker"):
            return (-201, "media_type is invalid!")
        if ("url" in e) == ("attachment_id" in e):
            return (-201, "url or attachment_id is invalid!")
        if "text" in message and message["text"] is not None:
            return text_problem(message["text"])
        return None
    return (-233, "Message type is not supported")


def zns_problem(body, templates: dict[str, dict[str, int]]) -> Refusal:
    """A ZNS template send: phone 84…, an approved template, every parameter within length."""
    if not isinstance(body, dict):
        return (-201, "body is invalid!")
    if not _ZNS_PHONE.match(str(body.get("phone", ""))):
        return (-108, "Phone number is invalid")
    params = templates.get(str(body.get("template_id", "")))
    if params is None:
        return (-131, "Template is not approved or does not exist")
    data = body.get("template_data")
    if not isinstance(data, dict):
        return (-1122, "template_data is missing")
    for name, limit in params.items():
        value = data.get(name)
        if value is None or str(value) == "":
            return (-1122, f"Missing parameter {name}")
        if len(str(value)) > limit:
            return (-1121, f"Parameter {name} is too long")
    tracking = body.get("tracking_id")
    if tracking is not None and (not isinstance(tracking, str) or len(tracking) > 48):
        return (-201, "tracking_id is invalid!")
    return None
