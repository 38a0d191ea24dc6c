"""`motcua chat` and `motcua ask`: the conversation in a terminal, one question at a time."""

from __future__ import annotations

import json
import logging
import sys


async def chat(settings) -> int:
    from bot.channels.terminal import chat as terminal_chat
    from bot.core import open_core

    logging.getLogger().setLevel(logging.WARNING)
    core = await open_core(settings, check=True)  # the bot refuses a damaged store
    try:
        await terminal_chat(core)
    finally:
        await core.close()
    return 0


async def ask(settings, question: str | None) -> int:
    from bot.core import open_core

    core = await open_core(settings)
    try:
        if question is not None:
            print(json.dumps(_result(core, question), ensure_ascii=False))
            return 0
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(_result(core, line.strip()), ensure_ascii=False), flush=True)
    finally:
        await core.close()
    return 0


def _result(core, question: str) -> dict:
    result = core.index.search(question, limit=5)
    return {
        "query": result.query,
        "abstained": result.abstained,
        "matches": [
            {"code": m.code, "name": m.name, "score": round(m.score, 4)} for m in result.matches
        ],
    }
