"""What a channel hands to the dialog: one message or button press, platform-free."""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
ACTION = "action"
CONTACT = "contact"
MEDIA = "media"  # stickers, photos, files, voice: anything that is not text
OTHER = "other"


@dataclass(frozen=True)
class Incoming:
    channel: str  # telegram | terminal | zalo ...
    user_id: str
    chat_id: str
    kind: str = TEXT
    text: str = ""  # the message text, or the action string of a button press
    language_code: str | None = None  # what the platform says the user's language is
    contact_phone: str | None = None
    contact_user_id: str | None = None
    file_id: str | None = None  # a photo the platform keeps for us
    file_size: int | None = None
    file_url: str | None = None  # a photo the platform serves at a URL (Zalo)
    latitude: float | None = None  # a shared location
    longitude: float | None = None
    private: bool = True  # a one-to-one chat (False: a group, e.g. the officials')

    @property
    def command(self) -> tuple[str, str] | None:
        """('start', 'args') for `/start args` or `/start@MotCuaBot args`; None otherwise."""
        if self.kind != TEXT or not self.text.startswith("/"):
            return None
        head, _, rest = self.text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        return (name, rest.strip()) if name else None
