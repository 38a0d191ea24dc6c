"""The terminal chat: the same dialog as Telegram, with buttons shown as numbered choices.

Needs no token and no network, so anyone can try MotCua on a fresh machine.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from typing import TextIO

from bot.core import Core
from bot.dialog import router
from bot.dialog.incoming import ACTION, CONTACT, TEXT, Incoming
from bot.notify.outbox import Outbox
from bot.reply import Button, Reply

QUIT = {"/quit", "/exit", "/thoat"}
CONTACT_ACTION = "contact"  # the button that asks for the user's own phone number


def render(reply: Reply, numbering_from: int = 1) -> tuple[str, list[Button]]:
    """Plain text plus numbered buttons; link buttons show their address; pictures go to a file."""
    lines = [reply.plain()]
    if reply.photo is not None:
        with tempfile.NamedTemporaryFile(prefix="motcua-", suffix=".png", delete=False) as fh:
            fh.write(reply.photo)
        lines.append(f"  [picture: {fh.name}]")
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
    core: Core, stdin: TextIO | None = None, stdout: TextIO | None = None, user_id: str = "local"
) -> None:
    """Read a line, answer it, until end of input or /quit."""
    stdin = stdin or sys.stdin  # looked up now, not when the module was imported
    stdout = stdout or sys.stdout
    choices: list[Button] = []

    async def say(msg: Incoming) -> None:
        nonlocal choices
        choices = []
        for reply in await router.handle(core, msg) + await notifications(core, user_id):
            text, buttons = render(reply, len(choices) + 1)
            choices.extend(buttons)
            stdout.write(text + "\n\n")
        stdout.flush()

    base = {"channel": "terminal", "user_id": user_id, "chat_id": user_id}
    await say(Incoming(kind=TEXT, text="/start", **base))
    while True:
        stdout.write("> ")
        stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
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
                phone = (await asyncio.to_thread(stdin.readline)).strip()
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
