"""Shared fixtures: real settings, a real SQLite file under tmp_path, the core opened on it,
and the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


def working_day(calendar, days: int = 10) -> str:
    """DD/MM/YYYY of the first working day `days` or more from today (/xinloi refuses
    days off, issue 18)."""
    from datetime import UTC, datetime, timedelta

    day = datetime.now(UTC).date() + timedelta(days=days)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return f"{day:%d/%m/%Y}"


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
