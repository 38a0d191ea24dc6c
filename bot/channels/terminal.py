"""The terminal chat: the same dialog as Telegram, with buttons shown as numbered choices.

Needs no token and no network, so anyone can try MotCua on a fresh machine.
`motcua chat` runs `chat` on its own; `motcua run` without a Telegram token runs it
as a channel of the runtime (`TerminalChannel`), whose outbox drainer hands the
local user's notifications to the chat, shown after the next answer as before.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot import dispatch
from bot.channels.base import PHONE_TYPED, Capabilities, Channel, Hold, PartDone
from bot.core import Core
from bot.notify.outbox import Outbox
from bot.reply import CONTACT_ACTION, Button, Reply
from handlers.incoming import ACTION, CONTACT, TEXT, Incoming

QUIT = {"/quit", "/exit", "/thoat"}


def picture_file(data: bytes) -> Path:
    """One file per chat, overwritten by the next picture and removed when the chat ends,
    so /thongke called ten times leaves nothing in the temp folder."""
    path = Path(tempfile.gettempdir()) / f"motcua-picture-{os.getpid()}.png"
    if not path.exists():
        atexit.register(path.unlink, missing_ok=True)
    path.write_bytes(data)
    return path


def render(reply: Reply, numbering_from: int = 1) -> tuple[str, list[Button]]:
    """Plain text plus numbered buttons; link buttons show their address; pictures go to a file."""
    lines = [reply.plain()]
    if reply.photo is not None:
        lines.append(f"  [picture: {picture_file(reply.photo)}]")
    buttons: list[Button] = []
    for row in reply.buttons:
        for button in row:
            n = numbering_from + len(buttons)
            shown = f"{button.label} <{button.url}>" if button.url else button.label
            lines.append(f"  [{n}] {shown}")
            if not button.url:
                buttons.append(button)
    return "\n".join(lines), buttons


async def chat(
    core: Core,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    user_id: str = "local",
    *,
    pending: Callable[[], Awaitable[list[Reply]]] | None = None,
    readline: Callable[[], Awaitable[str]] | None = None,
) -> None:
    """Read a line, answer it, until end of input or /quit.

    `pending` gives the notifications to show after each answer (default: taken from
    the outbox here); `readline` reads the next line (default: stdin in a thread).
    """
    stdin = stdin or sys.stdin  # looked up now, not when the module was imported
    stdout = stdout or sys.stdout
    pending = pending or (lambda: notifications(core, user_id))
    readline = readline or (lambda: asyncio.to_thread(stdin.readline))
    choices: list[Button] = []

    def show(replies: list[Reply]) -> None:
        for reply in replies:
            text, buttons = render(reply, len(choices) + 1)
            choices.extend(buttons)
            stdout.write(text + "\n\n")
        stdout.flush()

    async def answer(replies: list[Reply]) -> None:
        show(replies)

    async def say(msg: Incoming) -> None:
        choices.clear()
        await dispatch.handle(core, msg, answer)
        show(await pending())

    base = {"channel": "terminal", "user_id": user_id, "chat_id": user_id}
    await say(Incoming(kind=TEXT, text="/start", **base))
    while True:
        stdout.write("> ")
        stdout.flush()
        line = await readline()
        if not line:
            break
        line = line.rstrip("\n")
        if line.strip().lower() in QUIT:
            break
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
            chosen = choices[int(stripped) - 1]
            if chosen.action == CONTACT_ACTION:  # no contact button here: type the number
                stdout.write("📱 ")
                stdout.flush()
                phone = (await readline()).strip()
                await say(
                    Incoming(kind=CONTACT, contact_phone=phone, contact_user_id=user_id, **base)
                )
                continue
            await say(Incoming(kind=ACTION, text=chosen.action, **base))
        else:
            await say(Incoming(kind=TEXT, text=line, **base))


async def notifications(core: Core, user_id: str) -> list[Reply]:
    """The terminal's outbox sender: what is due for this user, shown after each answer."""
    outbox = Outbox(core.db)
    replies = []
    for message in await outbox.due("terminal"):
        if message.chat_id == user_id:
            replies.append(message.reply)
            await outbox.mark_sent(message.id)
    return replies


class TerminalChannel(Channel):
    """The terminal chat as a channel: one local user, typed phone, plain text, no limit."""

    name = "terminal"
    capabilities = Capabilities(
        edit_in_place=False,
        buttons_per_message=None,
        text_limit=1_000_000,
        markup="plain",
        phone_proof=PHONE_TYPED,
    )

    def __init__(
        self, stdin: TextIO | None = None, stdout: TextIO | None = None, user_id: str = "local"
    ):
        self.stdin, self.stdout, self.user_id = stdin, stdout, user_id
        self.core: Core | None = None
        self.ended = asyncio.Event()  # the user left (/quit, end of input): the runtime stops
        self._shown: list[Reply] = []
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._chat(), name="terminal-chat")

    async def _chat(self) -> None:
        try:
            await chat(
                self.core,
                self.stdin,
                self.stdout,
                self.user_id,
                pending=self._pending,
                readline=_daemon_reader(self.stdin or sys.stdin),
            )
        finally:
            self.ended.set()

    async def _pending(self) -> list[Reply]:
        """What the drainer delivered since the last answer, after one round of its own."""
        if self.drain is not None:
            await self.drain()
        shown, self._shown = self._shown, []
        return shown

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def deliver(
        self, chat_id: str, reply: Reply, *, skip: int = 0, on_part: PartDone | None = None
    ) -> None:
        if str(chat_id) != self.user_id:  # nobody reads other chats here
            raise Hold(f"terminal: chat {chat_id} is not the local user")
        self._shown.append(reply)


def _daemon_reader(stdin: TextIO) -> Callable[[], Awaitable[str]]:
    """Read lines in a daemon thread, so a stop never waits for the user to press Enter."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        while True:
            line = stdin.readline()
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop closed: the chat is over
                return
            if not line:
                return

    threading.Thread(target=pump, name="terminal-stdin", daemon=True).start()
    return lines.get
