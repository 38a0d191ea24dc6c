"""Test-side helpers that play the user: updates shaped like the ones Telegram sends.

Every push registers the user and their private chat (so the bot may answer), unblocks a user
who had blocked the bot (they could not write otherwise) and returns the update as queued.
"""

from __future__ import annotations

import re
from typing import Any

from .state import JSON, World
from .textutil import utf16_len

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![^\s.,;:!?])")
_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class Pushes:
    world: World

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        language_code: str | None = "vi",
        last_name: str | None = None,
        username: str | None = None,
    ) -> JSON:
        """Register a user and their private chat (the bot may then write to them)."""
        return self.world.add_user(
            user_id,
            first_name=first_name,
            language_code=language_code,
            last_name=last_name,
            username=username,
        )

    def add_chat(self, chat_id: int, chat_type: str = "group", **extra: Any) -> JSON:
        """Register a group, supergroup or channel chat the bot is a member of."""
        return self.world.add_chat(chat_id, chat_type, **extra)

    def _sender(self, user_id: int, profile: dict[str, Any]) -> JSON:
        """The user, registered if new (language "vi" unless told); unblocks them."""
        if user_id not in self.world.users:
            profile = {"language_code": "vi"} | profile
        self.world.blocked.discard(user_id)
        return self.world.add_user(user_id, **profile)

    def _user_message(self, user_id: int, content: JSON, profile: dict[str, Any]) -> JSON:
        user = self._sender(user_id, profile)
        message = self.world.new_message(user_id, user, content)
        return self.world.enqueue("message", self.world.snapshot(message))

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        entities: list[JSON] | None = None,
        **profile: Any,
    ) -> JSON:
        """A text message; /commands get bot_command entities as Telegram adds them."""
        content: JSON = {"text": text}
        if entities is None:
            entities = [
                {
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m[0]),
                    "type": "bot_command",
                }
                for m in _COMMAND.finditer(text)
            ]
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            original = self.world.message(user_id, reply_to)
            if original is None:
                raise ValueError(f"no message {reply_to} in chat {user_id} to reply to")
            content["reply_to_message"] = self.world.snapshot(original)
        return self._user_message(user_id, content, profile)

    def push_callback(
        self, user_id: int, message_id: int, data: str, *, check: bool = True, **profile: Any
    ) -> JSON:
        """A press on an inline button of a message the bot sent to the user."""
        message = self.world.message(user_id, message_id)
        if message is None or not message["from"].get("is_bot"):
            raise ValueError(f"the bot sent no message {message_id} to chat {user_id}")
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        offered = {b.get("callback_data") for row in rows for b in row}
        if check and data not in offered:
            raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
        user = self._sender(user_id, profile)
        query = {
            "id": self.world.new_query_id(),
            "from": user,
            "message": self.world.snapshot(message),
            "chat_instance": str(-(6_000_000_000_000_000_000 + user_id)),
            "data": data,
        }
        return self.world.enqueue("callback_query", query)

    def push_contact(
        self,
        user_id: int,
        phone_number: str,
        contact_user_id: int | None = None,
        *,
        first_name: str | None = None,
        **profile: Any,
    ) -> JSON:
        """A shared contact; by default the user's own, as a request_contact button sends."""
        owner = self._sender(user_id, profile)
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or owner["first_name"],
            "user_id": user_id if contact_user_id is None else contact_user_id,
        }
        if contact["user_id"] == user_id and "last_name" in owner:
            contact["last_name"] = owner["last_name"]
        return self._user_message(user_id, {"contact": contact}, profile)

    def push_location(
        self, user_id: int, latitude: float, longitude: float, **profile: Any
    ) -> JSON:
        location = {"latitude": latitude, "longitude": longitude}
        return self._user_message(user_id, {"location": location}, profile)

    def push_sticker(self, user_id: int, emoji: str = "👍", **profile: Any) -> JSON:
        stored = self.world.new_file("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "HotCherry",
            "file_size": stored.size,
        }
        return self._user_message(user_id, {"sticker": sticker}, profile)

    def push_photo(
        self,
        user_id: int,
        caption: str | None = None,
        *,
        data: bytes = _JPEG,
        width: int = 1280,
        height: int = 960,
        **profile: Any,
    ) -> JSON:
        """A photo, as the sizes Telegram generates; getFile serves ``data``."""
        stored = self.world.new_file("photo", data)
        content: JSON = {"photo": photo_sizes(self.world, stored, width, height)}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user_id, content, profile)

    def push_document(
        self,
        user_id: int,
        file_name: str = "ho-so.pdf",
        mime_type: str = "application/pdf",
        *,
        data: bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n%%EOF\n",
        caption: str | None = None,
        **profile: Any,
    ) -> JSON:
        stored = self.world.new_file("document", data, file_name=file_name, mime_type=mime_type)
        content: JSON = {"document": document_json(stored)}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user_id, content, profile)

    def push_update(self, kind: str, payload: JSON) -> JSON:
        """Any other update, e.g. ``push_update("my_chat_member", {...})``."""
        return self.world.enqueue(kind, payload)


def photo_sizes(world: World, stored: Any, width: int, height: int) -> list[JSON]:
    scale = 90 / max(width, height)
    thumb = world.new_file("photo", stored.data)
    return [
        {
            "file_id": thumb.file_id,
            "file_unique_id": thumb.file_unique_id,
            "width": round(width * scale),
            "height": round(height * scale),
            "file_size": thumb.size,
        },
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": stored.size,
        },
    ]


def document_json(stored: Any) -> JSON:
    doc = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    doc |= {"file_name": stored.file_name, "mime_type": stored.mime_type}
    return {k: v for k, v in doc.items() if v is not None} | {"file_size": stored.size}
