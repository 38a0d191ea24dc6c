"""Dialog tests that read as conversations (after Zulip's verify_dialog).

A `Conversation` talks to the real core as one user on the terminal channel:
`say` sends text, `press` presses a button of the last replies by its label.
"""

from __future__ import annotations

from bot import dispatch
from bot.reply import Reply
from handlers.incoming import ACTION, MEDIA, TEXT, Incoming


class Conversation:
    def __init__(self, core, user_id: str = "u1", channel: str = "terminal"):
        self.core = core
        self.base = {"channel": channel, "user_id": user_id, "chat_id": user_id}
        self.replies: list[Reply] = []

    async def _send(self, msg: Incoming) -> str:
        self.replies = await dispatch.handle(self.core, msg)
        return "\n\n".join(r.plain() for r in self.replies)

    async def say(self, text: str) -> str:
        return await self._send(Incoming(kind=TEXT, text=text, **self.base))

    async def send_media(self) -> str:
        return await self._send(Incoming(kind=MEDIA, **self.base))

    def buttons(self) -> list[str]:
        return [b.label for r in self.replies for row in r.buttons for b in row]

    async def press(self, label_part: str) -> str:
        for reply in self.replies:
            for row in reply.buttons:
                for button in row:
                    if label_part.lower() in button.label.lower():
                        return await self._send(
                            Incoming(kind=ACTION, text=button.action, **self.base)
                        )
        raise AssertionError(f"no button with {label_part!r} among {self.buttons()}")


async def verify_dialog(conv: Conversation, steps: list[tuple[str, list[str]]]) -> None:
    """Each step: what the user says (or `[press] label`), and fragments the answer must hold."""
    for said, expected in steps:
        if said.startswith("[press] "):
            answer = await conv.press(said.removeprefix("[press] "))
        else:
            answer = await conv.say(said)
        for fragment in expected:
            assert fragment in answer, f"after {said!r}: {fragment!r} not in:\n{answer}"
