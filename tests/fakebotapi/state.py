"""What the fake Telegram knows: users, chats, messages, files, pending updates.

Kept apart from the HTTP side so tests can inspect it directly (``api.world``) and so pushed
updates and the bot's own calls share one view of chats and message ids, as on Telegram where
a private chat numbers the user's and the bot's messages in one sequence.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None
    path: str = ""

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


@dataclass
class Query:
    """A callback query waiting for answerCallbackQuery."""

    created: float
    answered: bool = False


@dataclass
class World:
    bot: JSON
    allowed: frozenset[str]
    users: dict[int, JSON] = field(default_factory=dict)
    chats: dict[int | str, JSON] = field(default_factory=dict)
    messages: dict[int | str, dict[int, JSON]] = field(default_factory=dict)
    keyboards: dict[int | str, JSON] = field(default_factory=dict)
    blocked: set[int | str] = field(default_factory=set)
    updates: list[JSON] = field(default_factory=list)
    dropped: list[JSON] = field(default_factory=list)
    queries: dict[str, Query] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    webhook: JSON | None = None  # setWebhook's url, secret_token, max_connections
    on_update: Callable[[], None] = lambda: None
    _ids: dict[int | str, itertools.count] = field(default_factory=dict)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(700_000_001))
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    # People and chats --------------------------------------------------------------------
    def add_user(self, user_id: int, **profile: Any) -> JSON:
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        )
        user.update({k: v for k, v in profile.items() if v is not None})
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        chat |= {k: user[k] for k in ("last_name", "username") if k in user}
        self.chats[user_id] = chat
        return user

    def add_chat(self, chat_id: int, chat_type: str = "group", **extra: Any) -> JSON:
        chat = {"id": chat_id, "type": chat_type, **extra}
        if chat_type != "private":
            chat.setdefault("title", f"Chat {chat_id}")
        self.chats[chat_id] = chat
        return chat

    def find_chat(self, chat_id: int | str) -> JSON | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            return next(
                (c for c in self.chats.values() if str(c.get("username", "")).lower() == name),
                None,
            )
        return self.chats.get(chat_id)

    # Messages ----------------------------------------------------------------------------
    def new_message(self, chat_id: int | str, sender: JSON, content: JSON) -> JSON:
        """Store a message of ``sender`` in the chat with the chat's next message id."""
        ids = self._ids.setdefault(chat_id, itertools.count(1))
        message = {
            "message_id": next(ids),
            "from": sender,
            "chat": self.chats[chat_id],
            "date": int(time.time()),
            **content,
        }
        self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def message(self, chat_id: int | str, message_id: Any) -> JSON | None:
        return self.messages.get(chat_id, {}).get(message_id)

    def snapshot(self, message: JSON) -> JSON:
        return copy.deepcopy(message)

    # Files -------------------------------------------------------------------------------
    def new_file(self, kind: str, data: bytes | None = None, **meta: Any) -> StoredFile:
        n = next(self._serial)
        prefix = {"photo": "AgACAgIAAxk", "document": "BQACAgIAAxk"}.get(kind, "CAACAgIAAxk")
        folder = {"photo": "photos", "document": "documents"}.get(kind, kind + "s")
        ext = {"photo": ".jpg"}.get(kind, "")
        stored = StoredFile(
            f"{prefix}{n:06d}fake{kind}", f"AQAD{n:06d}", kind, data, path=f"{folder}/file_{n}{ext}"
        )
        for key, value in meta.items():
            setattr(stored, key, value)
        self.files[stored.file_id] = stored
        return stored

    # Updates -----------------------------------------------------------------------------
    def enqueue(self, kind: str, payload: JSON) -> JSON:
        """Queue an update unless its type is not allowed (Telegram drops those at creation)."""
        update = {"update_id": next(self._update_ids), kind: payload}
        if kind in self.allowed:
            self.updates.append(update)
            self.on_update()
        else:
            self.dropped.append(update)
        return update

    def confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def new_query_id(self) -> str:
        query_id = str(4_382_000_000_000_000_000 + next(self._serial))
        self.queries[query_id] = Query(time.monotonic())
        return query_id
