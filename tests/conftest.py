"""Shared fixtures: real settings, a real SQLite file under tmp_path, the core opened on it,
and the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


def make_settings(tmp_path: Path, **env: str):
    base = {"MOTCUA_DB": str(tmp_path / "motcua.sqlite3")}
    base.update(env)
    return load_settings(environ=base, dotenv=None)


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
async def core(settings):
    from bot.core import open_core

    core = await open_core(settings)
    yield core
    await core.close()


@pytest.fixture
async def api():
    """The fake Bot API, one per test (a file that needs chats set up overrides it)."""
    from fakebotapi import FakeBotApi

    async with FakeBotApi() as server:
        yield server
