"""Daily backups: one copy a day, the oldest beyond MOTCUA_BACKUP_KEEP removed; the settings."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import make_settings

from bot.settings import SettingsError
from bot.store.backup import BackupError, backup_to, rotate_backups

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_rotation_keeps_one_copy_a_day_and_the_newest_few(core, tmp_path):
    folder = tmp_path / "backups"
    day = datetime(2026, 11, 28, 2, 0, tzinfo=TZ)
    written = [await rotate_backups(core.db, folder, 2, day + timedelta(days=n)) for n in range(3)]
    assert [p.name for p in written] == [
        "motcua-2026-11-28.sqlite3",
        "motcua-2026-11-29.sqlite3",
        "motcua-2026-11-30.sqlite3",
    ]
    assert await rotate_backups(core.db, folder, 2, day + timedelta(days=2, hours=5)) is None
    (folder / "notes.txt").write_text("kept: not a daily copy")
    assert sorted(p.name for p in folder.iterdir()) == [
        "motcua-2026-11-29.sqlite3",
        "motcua-2026-11-30.sqlite3",
        "notes.txt",
    ]
    with sqlite3.connect(written[-1]) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one whole file
        assert copy.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] > 0


async def test_the_daily_job_writes_into_the_backup_folder(tmp_path):
    from bot.core import open_core
    from bot.jobs import daily_backup

    settings = make_settings(tmp_path, MOTCUA_BACKUP_DIR=str(tmp_path / "b"))
    core = await open_core(settings)
    try:
        written = await daily_backup(core)
    finally:
        await core.close()
    assert written.parent == tmp_path / "b" and written.exists()


async def test_backup_never_overwrites(core, tmp_path):
    target = tmp_path / "copy.sqlite3"
    first = await backup_to(core.db, target)
    assert first.size_bytes > 0
    with pytest.raises(BackupError, match="already exists"):
        await backup_to(core.db, target)


def test_backup_settings(tmp_path):
    settings = make_settings(tmp_path)
    assert settings.backup_dir is None and settings.backup_keep == 7
    settings = make_settings(tmp_path, MOTCUA_BACKUP_DIR="/srv/b", MOTCUA_BACKUP_KEEP="14")
    assert str(settings.backup_dir) == "/srv/b" and settings.backup_keep == 14
    for bad in ("0", "x", "1000"):
        with pytest.raises(SettingsError, match="MOTCUA_BACKUP_KEEP"):
            make_settings(tmp_path, MOTCUA_BACKUP_KEEP=bad)
    (tmp_path / "file").write_text("")
    with pytest.raises(SettingsError, match="MOTCUA_BACKUP_DIR"):
        make_settings(tmp_path, MOTCUA_BACKUP_DIR=str(tmp_path / "file"))
