"""reply_markup checked like the Bot API: keyboards that Telegram refuses are refused here.

Descriptions are the Bot API's ("BUTTON_DATA_INVALID", "can't parse inline keyboard button:
Text buttons are unallowed in the inline keyboard", ...). Which fields choose a button's kind
and the callback_data byte limit come from the spec. One stricter-than-production rule: an
inline button with two kinds (say url and callback_data) is refused, as the spec says "exactly
one"; the real server silently keeps one of them.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError, bad
from .spec import Spec
from .textutil import check_link

_BOOL_FIELDS = ("resize_keyboard", "one_time_keyboard", "is_persistent", "selective")


def check_reply_markup(markup: Any, spec: Spec, *, inline_only: bool = False) -> dict[str, Any]:
    """The markup as Telegram keeps it; raises ApiError with Telegram's description."""
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_rows(markup["inline_keyboard"], spec)}
    if inline_only:
        raise bad("inline keyboard expected")
    for name in _BOOL_FIELDS + ("remove_keyboard", "force_reply"):
        if name in markup and not isinstance(markup[name], bool):
            raise bad(f'field "{name}" must be of type Boolean')
    if "keyboard" in markup:
        _reply_rows(markup["keyboard"], spec)
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad("can't parse reply keyboard markup JSON object")
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None:
        limit = spec.limit("ReplyKeyboardMarkup", "input_field_placeholder")
        if not isinstance(placeholder, str) or len(placeholder) > limit.high:
            raise bad("can't parse reply keyboard markup JSON object")
    return markup


def _rows(rows: Any, name: str, owner: str) -> list[list[Any]]:
    if not isinstance(rows, list):
        raise bad(f'field "{name}" must be of type Array')
    if not all(isinstance(row, list) for row in rows):
        raise bad(f'field "{name}" of the {owner} should be an Array of Arrays')
    return rows


def _inline_rows(rows: Any, spec: Spec) -> list[list[dict[str, Any]]]:
    kinds = spec.button_kinds("InlineKeyboardButton")
    return [
        [_inline_button(b, kinds, spec) for b in row]
        for row in _rows(rows, "inline_keyboard", "InlineKeyboardMarkup")
    ]


def _cant_parse(detail: str, what: str = "inline keyboard button") -> ApiError:
    return bad(f"can't parse {what}: {detail}")


def _inline_button(button: Any, kinds: tuple[str, ...], spec: Spec) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _cant_parse("expected an Object")
    if "text" not in button:
        raise _cant_parse('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _cant_parse('Field "text" must be of type String')
    used = [k for k in kinds if k in button and button[k] not in (None, "")]
    if not used:
        raise _cant_parse("Text buttons are unallowed in the inline keyboard")
    if len(used) > 1:
        raise _cant_parse(f"exactly one of {', '.join(used)} must be used")
    kind, value = used[0], button[used[0]]
    if kind == "callback_data":
        limit = spec.limit("InlineKeyboardButton", "callback_data")
        if not isinstance(value, str) or len(value.encode("utf-8")) > limit.high:
            raise bad("BUTTON_DATA_INVALID")
    elif kind == "url":
        why = check_link(value) if isinstance(value, str) else "Wrong HTTP URL"
        if why:
            raise bad(f"inline keyboard button URL '{value}' is invalid: {why}")
    elif kind == "web_app":
        _https(value, "inline keyboard button")
    elif kind in ("pay", "callback_game"):
        raise bad("BUTTON_TYPE_INVALID")  # only valid on invoices and games
    elif kind == "copy_text":
        text = value.get("text") if isinstance(value, dict) else None
        if not isinstance(text, str) or not 1 <= len(text) <= 256:
            raise bad("BUTTON_COPY_TEXT_INVALID")
    return {k: v for k, v in button.items() if v is not None}


def _https(web_app: Any, where: str) -> None:
    url = web_app.get("url", "") if isinstance(web_app, dict) else ""
    if not str(url).lower().startswith("https://") or check_link(url):
        raise bad(f"{where} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def _reply_rows(rows: Any, spec: Spec) -> None:
    kinds = spec.button_kinds("KeyboardButton")
    for row in _rows(rows, "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            if isinstance(button, str):
                continue
            if not isinstance(button, dict):
                raise _cant_parse("expected an Object", "keyboard button")
            if not isinstance(button.get("text"), str):
                raise _cant_parse('Can\'t find field "text"', "keyboard button")
            used = [k for k in kinds if button.get(k) not in (None, False)]
            if len(used) > 1:
                raise _cant_parse(
                    f"at most one of {', '.join(used)} can be used", "keyboard button"
                )
            for name in ("request_contact", "request_location"):
                if name in button and not isinstance(button[name], bool):
                    raise _cant_parse(f'Field "{name}" must be of type Boolean', "keyboard button")
            if "web_app" in used:
                _https(button["web_app"], "keyboard button")
