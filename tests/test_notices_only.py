"""Only the notices modules write messages to the outbox; every event has its notices.

A service records a domain event and its feature's notices module (bot/notify/events.py,
NOTICE_MODULES) renders and queues the text. This reads every module's source, so a new
`enqueue(...)` or `INSERT INTO outbox` anywhere else fails here, with the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.notify import events

ROOT = Path(__file__).resolve().parents[1]
# Not notices, but the outbox itself and the dispatch path's "reply now, queue the rest"
# (the tail of a reply to the user's own message, when the platform says wait).
NOT_NOTICES = {
    "bot/notify/outbox.py": "the outbox itself",
    "bot/store/outbox.py": "the outbox table's SQL (bot/store)",
    "bot/unsent.py": "queues the rest of a reply the platform deferred",
}
WRITERS = {"enqueue", "enqueue_with_id"}  # the outbox's ways to add a message


def _module_path(name: str) -> str:
    return name.replace(".", "/") + ".py"


def _allowed() -> set[str]:
    return {_module_path(m) for m in events.NOTICE_MODULES} | set(NOT_NOTICES)


def _sources():
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _called(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _writes_to_outbox(source: str) -> list[int]:
    """Lines that import or call `enqueue` (or `enqueue_with_id`), or insert into the outbox
    table directly."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "bot.notify.outbox":
            if any(alias.name in WRITERS for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and _called(node.func) in WRITERS:
            lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = " ".join(node.value.lower().split())
            if "insert into outbox" in words:
                lines.append(node.lineno)
    return lines


def test_only_notices_modules_write_to_the_outbox():
    allowed = _allowed()
    offenders = [
        f"{path}:{line}"
        for path, source in _sources()
        if path not in allowed
        for line in _writes_to_outbox(source)
    ]
    assert offenders == [], "record an event instead; its notices module queues the text"


def test_the_scan_sees_an_enqueue_and_a_raw_insert():
    """The guard itself: both ways of writing to the outbox are caught."""
    sneaky = (
        "from bot.notify.outbox import enqueue\n"
        "async def f(conn, reply):\n"
        "    await enqueue(conn, 'telegram', 1, reply)\n"
        "    await conn.execute('INSERT INTO  outbox(channel) VALUES (?)', ('x',))\n"
    )
    assert _writes_to_outbox(sneaky) == [1, 3, 4]


def test_every_notices_module_exists_and_registers_something():
    events.load()
    for name in events.NOTICE_MODULES:
        assert (ROOT / _module_path(name)).is_file(), name
        assert any(h.__module__ == name for h in events._handlers.values()), name


def test_every_event_type_has_its_notices():
    events.load()

    def all_kinds(kind):
        for sub in kind.__subclasses__():
            yield sub
            yield from all_kinds(sub)

    kinds = [k for k in all_kinds(events.Event) if k.__module__.startswith("bot.")]
    assert len(kinds) >= 10
    missing = [k.__name__ for k in kinds if events.handler_of(k) is None]
    assert missing == []


async def test_an_event_nobody_handles_is_refused():
    import pytest

    class Unheard(events.Event):
        pass

    with pytest.raises(LookupError):
        await events.record(None, Unheard())
