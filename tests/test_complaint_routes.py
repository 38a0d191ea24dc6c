"""Issue 18 (1): a complaint reaches someone, or `motcua run` does not start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import make_settings

from bot.feedback.reach import live_channels, refusal, route_states
from bot.people.officials import Officials
from bot.store import open_database

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


def motcua(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "TELEGRAM_"))}
    environ.update(PYTHONPATH=str(ROOT), MOTCUA_DB=str(tmp_path / "r.sqlite3"), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path, env=environ, input="/quit\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_run_refuses_when_only_the_officials_chat_is_set(tmp_path):
    """The README's Telegram steps set only the officials' chat: reports about staff then
    reached no one, silently. Now `run` stops before Telegram is called, in one line."""
    done = motcua(
        tmp_path,
        "run",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",  # never reached
        MOTCUA_OFFICIALS_CHAT_ID="-100123",
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "reports about staff" in lines[0]
    assert "MOTCUA_LEADERS_CHAT_ID" in lines[0] and "--role leader" in lines[0]


def test_check_reports_each_route(tmp_path):
    first = motcua(tmp_path, "officials", "add", "42", "--role", "leader")
    assert first.returncode == 0, first.stderr
    done = motcua(tmp_path, "check", TELEGRAM_BOT_TOKEN=TOKEN, MOTCUA_OFFICIALS_CHAT_ID="-100")
    assert done.returncode == 0, done.stderr
    assert "route officials 18496 (UBND xã Hương Khê): reachable via officials" in done.stdout
    assert "route leaders 18496 (UBND xã Hương Khê): reachable via roster_leaders" in done.stdout


async def test_zalo_alone_reaches_only_leaders_on_zalo(tmp_path):
    """Zalo without Telegram started and reported healthy with no official reachable."""
    zalo = {
        "MOTCUA_ZALO_APP_ID": "1234",
        "MOTCUA_ZALO_APP_SECRET": "s",
        "MOTCUA_ZALO_OA_SECRET": "o",
        "MOTCUA_ZALO_REFRESH_TOKEN": "r",
    }
    settings = make_settings(tmp_path, **zalo)
    assert live_channels(settings) == {"zalo"}
    db = await open_database(settings.db_path)
    try:
        assert refusal(await route_states(db, settings)) is not None
        await Officials(db).add("telegram", "42", "leader", None)  # Telegram does not run
        assert refusal(await route_states(db, settings)) is not None
        await Officials(db).add("zalo", "8001", "leader", None)
        assert refusal(await route_states(db, settings)) is None
    finally:
        await db.close()
