"""The Bot API methods the fake answers, each refusing what Telegram refuses.

Handlers take the FakeBotApi and the decoded parameters and return the ``result`` or raise
ApiError. Required parameters are checked from the spec before a handler runs; getUpdates is
in server.py because it waits on the connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .entities import FormatError, format_text, utf16_len
from .errors import BLOCKED, CHAT_NOT_FOUND, NOT_MODIFIED, QUERY_TOO_OLD, ApiError, bad
from .http import Upload
from .markup import check_reply_markup
from .pushes import document_json, photo_sizes
from .state import JSON, StoredFile
from .textutil import check_link

if TYPE_CHECKING:
    from .server import FakeBotApi

Handler = Callable[["FakeBotApi", JSON], Any]
HANDLERS: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


# Shared checks --------------------------------------------------------------------------
def chat_of(api: FakeBotApi, p: JSON) -> JSON:
    chat_id = p.get("chat_id")
    if chat_id in (None, ""):
        raise bad("chat_id is empty")
    chat = api.world.find_chat(chat_id)
    if chat is None:
        raise bad(CHAT_NOT_FOUND)
    return chat


def writable(api: FakeBotApi, chat: JSON) -> None:
    if chat["id"] in api.world.blocked:
        raise ApiError(403, BLOCKED)


def formatted(
    api: FakeBotApi, p: JSON, owner: str, name: str, parse: str, entities: str
) -> tuple[str, list[JSON]]:
    """Text as stored after entity parsing and trimming; refused if over the spec's limit."""
    try:
        text, found = format_text(
            p.get(name) or "",
            p.get(parse),
            p.get(entities),
            entity_types=api.spec.entity_types,
            strict_amp=api.strict_html,
        )
    except FormatError as exc:
        raise bad(exc.description) from None
    limit = api.spec.limit(owner, name)
    if limit.low and not text:
        raise bad("text must be non-empty")
    if utf16_len(text) > limit.high:
        raise bad("message is too long" if name == "text" else "message caption is too long")
    return text, found


def reply_markup(api: FakeBotApi, p: JSON, *, inline_only: bool = False) -> JSON | None:
    markup = p.get("reply_markup")
    if markup in (None, ""):
        return None
    return check_reply_markup(markup, api.spec, inline_only=inline_only)


def _content(text_key: str, text: str, entities_key: str, entities: list[JSON]) -> JSON:
    content: JSON = {text_key: text} if text else {}
    if entities:
        content[entities_key] = entities
    return content


def send(api: FakeBotApi, chat: JSON, p: JSON, content: JSON, markup: JSON | None) -> JSON:
    """Store the bot's message; the returned Message shows only an inline keyboard."""
    reply = p.get("reply_parameters")
    if isinstance(reply, dict):
        if "message_id" not in reply:
            raise bad('can\'t find field "message_id"')
        original = api.world.message(chat["id"], reply["message_id"])
        if original is not None:
            content["reply_to_message"] = api.world.snapshot(original)
        elif not reply.get("allow_sending_without_reply"):
            raise bad("message to be replied not found")
    writable(api, chat)
    if markup and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    elif markup and "keyboard" in markup:
        api.world.keyboards[chat["id"]] = markup
    elif markup and markup.get("remove_keyboard"):
        api.world.keyboards.pop(chat["id"], None)
    return api.world.new_message(chat["id"], api.world.bot, content)


def input_file(api: FakeBotApi, value: Any, kind: str) -> StoredFile:
    """An uploaded file, a file_id Telegram issued or an HTTP URL (never fetched)."""
    world = api.world
    if isinstance(value, Upload):
        if not value.data:
            raise bad("file must be non-empty")
        return world.new_file(
            kind, value.data, file_name=value.filename, mime_type=value.content_type
        )
    value = str(value).strip()
    stored = world.files.get(value)
    if stored is not None:
        if stored.kind != kind:
            raise bad(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored
    if re.match(r"https?://", value, re.IGNORECASE) and check_link(value) is None:
        name = value.rsplit("/", 1)[-1].split("?")[0] or None
        return world.new_file(kind, None, file_name=name)
    raise bad("wrong file identifier/HTTP URL specified")


def message_to_edit(api: FakeBotApi, p: JSON) -> tuple[JSON, JSON]:
    if p.get("inline_message_id"):
        raise bad("MESSAGE_ID_INVALID")  # the fake sends no inline messages
    if p.get("message_id") in (None, ""):
        raise bad("message identifier is not specified")
    chat = chat_of(api, p)
    message = api.world.message(chat["id"], p["message_id"])
    if message is None:
        raise bad("message to edit not found")
    if message["from"]["id"] != api.world.bot["id"]:
        raise bad("message can't be edited")
    return chat, message


def apply_edit(api: FakeBotApi, message: JSON, new: JSON, keys: tuple[str, ...]) -> JSON:
    if all(message.get(k) == new.get(k) for k in keys):
        raise bad(NOT_MODIFIED)
    for key in keys:
        if new.get(key) is None:
            message.pop(key, None)
        else:
            message[key] = new[key]
    message["edit_date"] = max(message["date"] + 1, api.now())
    return message


# Methods --------------------------------------------------------------------------------
@method("getMe")
def get_me(api: FakeBotApi, p: JSON) -> JSON:
    return api.world.bot | api.bot_flags


_SECRET_CHARS = re.compile(r"[A-Za-z0-9_-]*")
WEBHOOK_PORTS = (443, 80, 88, 8443)  # Telegram's webhook guide: no other port is called


@method("setWebhook")
def set_webhook(api: FakeBotApi, p: JSON) -> bool:
    """Store the webhook (an empty url removes it); getUpdates is refused while it is set."""
    url = str(p.get("url") or "").strip()
    if p.get("drop_pending_updates"):
        api.world.updates.clear()
    if not url:
        api.world.webhook = None
        return True
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise bad("bad webhook: An HTTPS URL must be provided for webhook")
    if check_link(url) or not parts.hostname:
        raise bad("bad webhook: Failed to resolve host: Name or service not known")
    if (parts.port or 443) not in WEBHOOK_PORTS:
        raise bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret = p.get("secret_token")
    if secret is not None:
        limit = api.spec.limit("setWebhook", "secret_token")
        if not limit.low <= len(str(secret)) <= limit.high:
            raise bad("secret token must be 1-256 characters long")
        if not _SECRET_CHARS.fullmatch(str(secret)):
            raise bad("secret token contains unallowed characters")
    connections = p.get("max_connections", 40)
    if not isinstance(connections, int) or not 1 <= connections <= 100:
        raise bad("bad webhook: max_connections must be between 1 and 100")
    allowed = p.get("allowed_updates")
    if isinstance(allowed, list):
        api.world.allowed = frozenset(allowed) or api.spec.default_update_types
    api.world.webhook = {"url": url, "secret_token": secret, "max_connections": connections}
    return True


@method("deleteWebhook")
def delete_webhook(api: FakeBotApi, p: JSON) -> bool:
    if p.get("drop_pending_updates"):
        api.world.updates.clear()
    api.world.webhook = None
    return True


@method("getWebhookInfo")
def get_webhook_info(api: FakeBotApi, p: JSON) -> JSON:
    pending = len(api.world.updates)
    info = {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
    hook = api.world.webhook
    if hook is not None:
        info |= {"url": hook["url"], "max_connections": hook["max_connections"]}
        info["allowed_updates"] = sorted(api.world.allowed)
    return info


@method("sendMessage")
def send_message(api: FakeBotApi, p: JSON) -> JSON:
    markup = reply_markup(api, p)
    text, entities = formatted(api, p, "sendMessage", "text", "parse_mode", "entities")
    chat = chat_of(api, p)
    return send(api, chat, p, _content("text", text, "entities", entities), markup)


def _send_media(api: FakeBotApi, p: JSON, method_name: str, kind: str) -> JSON:
    markup = reply_markup(api, p)
    caption, entities = formatted(api, p, method_name, "caption", "parse_mode", "caption_entities")
    chat = chat_of(api, p)
    stored = input_file(api, p[kind], kind)
    media = photo_sizes(api.world, stored, 1280, 960) if kind == "photo" else document_json(stored)
    content = {kind: media} | _content("caption", caption, "caption_entities", entities)
    return send(api, chat, p, content, markup)


@method("sendPhoto")
def send_photo(api: FakeBotApi, p: JSON) -> JSON:
    return _send_media(api, p, "sendPhoto", "photo")


@method("sendDocument")
def send_document(api: FakeBotApi, p: JSON) -> JSON:
    return _send_media(api, p, "sendDocument", "document")


@method("editMessageText")
def edit_message_text(api: FakeBotApi, p: JSON) -> JSON:
    if p.get("text") in (None, ""):
        raise bad("message text is empty")
    markup = reply_markup(api, p, inline_only=True)
    text, entities = formatted(api, p, "editMessageText", "text", "parse_mode", "entities")
    _, message = message_to_edit(api, p)
    if "text" not in message:
        raise bad("there is no text in the message to edit")
    new = _content("text", text, "entities", entities) | {"reply_markup": markup}
    return apply_edit(api, message, new, ("text", "entities", "reply_markup"))


@method("editMessageCaption")
def edit_message_caption(api: FakeBotApi, p: JSON) -> JSON:
    markup = reply_markup(api, p, inline_only=True)
    caption, entities = formatted(
        api, p, "editMessageCaption", "caption", "parse_mode", "caption_entities"
    )
    _, message = message_to_edit(api, p)
    if "text" in message:
        raise bad("there is no caption in the message to edit")
    new = _content("caption", caption, "caption_entities", entities) | {"reply_markup": markup}
    return apply_edit(api, message, new, ("caption", "caption_entities", "reply_markup"))


@method("editMessageReplyMarkup")
def edit_message_reply_markup(api: FakeBotApi, p: JSON) -> JSON:
    markup = reply_markup(api, p, inline_only=True)
    _, message = message_to_edit(api, p)
    return apply_edit(api, message, {"reply_markup": markup}, ("reply_markup",))


@method("deleteMessage")
def delete_message(api: FakeBotApi, p: JSON) -> bool:
    chat = chat_of(api, p)
    if api.world.messages.get(chat["id"], {}).pop(p["message_id"], None) is None:
        raise bad("message to delete not found")
    return True


@method("answerCallbackQuery")
def answer_callback_query(api: FakeBotApi, p: JSON) -> bool:
    query = api.world.queries.get(str(p["callback_query_id"]))
    if query is None or query.answered or api.clock() - query.created > api.callback_timeout:
        raise bad(QUERY_TOO_OLD)
    if len(p.get("text") or "") > api.spec.limit("answerCallbackQuery", "text").high:
        raise bad("MESSAGE_TOO_LONG")
    query.answered = True
    return True


@method("sendChatAction")
def send_chat_action(api: FakeBotApi, p: JSON) -> bool:
    chat = chat_of(api, p)
    description = api.spec.field("sendChatAction", "action").description
    actions = set(re.findall(r"\b(typing|(?:upload|record|choose|find)_[a-z_]+)\b", description))
    if p["action"] not in actions:
        raise bad("wrong parameter action in request")
    writable(api, chat)
    return True


@method("getChat")
def get_chat(api: FakeBotApi, p: JSON) -> JSON:
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return chat_of(api, p) | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict.fromkeys(gifts, True) | {"gifts_from_channels": True},
    }


@method("getFile")
def get_file(api: FakeBotApi, p: JSON) -> JSON:
    stored = api.world.files.get(str(p["file_id"]).strip())
    if stored is None:
        raise bad("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.path,
    }


def _commands_key(p: JSON) -> tuple[str, str]:
    scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
    return repr(sorted(scope.items())), str(p.get("language_code") or "")


@method("setMyCommands")
def set_my_commands(api: FakeBotApi, p: JSON) -> bool:
    commands = p["commands"]
    if not isinstance(commands, list):
        raise bad('field "commands" must be of type Array')
    if len(commands) > api.spec.at_most("setMyCommands", "commands"):
        raise bad("BOT_COMMANDS_TOO_MUCH")
    name_limit = api.spec.limit("BotCommand", "command").high
    text_limit = api.spec.limit("BotCommand", "description").high
    for command in commands:
        if not isinstance(command, dict) or not isinstance(command.get("command"), str):
            raise bad('can\'t find field "command"')
        if not isinstance(command.get("description"), str):
            raise bad('can\'t find field "description"')
        name, text = command["command"], command["description"].strip()
        if not name:
            raise bad("command must be non-empty")
        if len(name) > name_limit or not re.fullmatch(r"[a-z0-9_]+", name):
            raise bad("BOT_COMMAND_INVALID")
        if not text:
            raise bad("command description must be non-empty")
        if len(text) > text_limit:
            raise bad("command description is too long")
    api.world.commands[_commands_key(p)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@method("getMyCommands")
def get_my_commands(api: FakeBotApi, p: JSON) -> list[JSON]:
    return api.world.commands.get(_commands_key(p), [])


@method("deleteMyCommands")
def delete_my_commands(api: FakeBotApi, p: JSON) -> bool:
    api.world.commands.pop(_commands_key(p), None)
    return True
