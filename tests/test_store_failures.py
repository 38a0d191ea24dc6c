"""A broken store, bad import files, kill -9 and backups, through the real `motcua` process.

Each command runs as `python -m bot` with MOTCUA_DB in tmp_path; the subprocess
timeout is the guard (a process that hangs fails the test), never a timing
assertion. Issue 11 points 1, 7, 9.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUARD = 5  # seconds: a process that cannot do its job must be gone by then
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"
FIELDS = [
    *("code", "procedure_code", "agency_code", "applicant_name", "applicant_phone", "channel"),
    *("received_at", "due_at", "status", "status_at", "result_place", "note"),
]


def dossier(n: int, status: str = "2") -> list[str]:
    day = 250303 + n // 10_000  # 10,000 numbers a day
    return [
        f"000.21.32.H42-{day}-{n % 10_000:04d}",
        "1.001193",
        "18496",
        "Nguyễn Văn An",
        "0912345623",
        "truc_tiep",
        "2025-03-03T08:15:00",
        "2025-03-05T16:30:00",
        status,
        "2025-03-03T08:20:00",
        "Một cửa xã",
        "",
    ]


def dossiers_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FIELDS)
        out.writerows(rows)
    return path


def procedures_csv(path: Path, count: int, huge_at: int | None = None, bad_at=()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name", "field", "org", "level"])
        for n in range(1, count + 1):
            name = f"Thủ tục số {n}" + (" x" * 70_000 if n == huge_at else "")
            code = "TEST_MOT_CAP" if n in bad_at else f"2.{n:06d}"
            out.writerow([code, name, "Hộ tịch", "UBND Xã", "Toàn trình"])
    return path


def motcua(tmp: Path, db: Path, *args: str, stdin: str = "/quit\n", guard: float = GUARD, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "TELEGRAM_"))}
    environ.update(PYTHONPATH=str(ROOT), MOTCUA_DB=str(db), TELEGRAM_BOT_TOKEN="")
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=guard,
    )


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def page_of(db: Path, name: str) -> tuple[int, int]:
    """(byte offset, size) of the root page of table or index `name`."""
    size = int.from_bytes(db.read_bytes()[16:18], "big")
    with sqlite3.connect(db) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (name,)).fetchone()
    return (root[0] - 1) * size, size


def overwrite(db: Path, offset: int, data: bytes) -> None:
    with db.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def read_only(db: Path) -> bool:
    """The file and its folder (no -wal beside it); root ignores modes: chattr +i then."""
    if os.geteuid() != 0:
        db.chmod(0o444)
        db.parent.chmod(0o555)
        return True
    done = subprocess.run(["chattr", "+i", str(db), str(db.parent)], capture_output=True)
    return done.returncode == 0


def writable(db: Path) -> None:
    if os.geteuid() != 0:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    else:
        subprocess.run(["chattr", "-i", str(db), str(db.parent)], capture_output=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A healthy store with the default catalog and 39 dossiers, made by the real command."""
    tmp = tmp_path_factory.mktemp("template")
    db = tmp / "store.sqlite3"
    assert motcua(tmp, db, "ask", "x", guard=60).returncode == 0
    rows = dossiers_csv(tmp / "d.csv", [dossier(n) for n in range(1, 40)])
    assert motcua(tmp, db, "import", "dossiers", str(rows), guard=60).returncode == 0
    return db


@pytest.fixture
def store(template, tmp_path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copy(template, folder / "motcua.sqlite3")
    return folder / "motcua.sqlite3"


def damage(kind: str, db: Path) -> None:
    if kind == "header":
        overwrite(db, 0, b"this is no db!!\0" + b"\xff" * 84)
    elif kind == "schema page":
        _, size = page_of(db, "dossiers")
        overwrite(db, 100, bytes((i * 7 + 13) % 256 for i in range(size - 100)))
    elif kind == "table page":
        offset, size = page_of(db, "dossiers")
        overwrite(db, offset, b"\x0d" + b"\xff" * (size - 1))
    elif kind == "read-only" and not read_only(db):
        pytest.skip("cannot make a file read-only here (root without chattr)")


COMMANDS = {
    "run": ["run"],
    "run telegram": ["run"],
    "check": ["check"],
    "import procedures": ["import", "procedures", "p.csv"],
    "import dossiers": ["import", "dossiers", "d.csv"],
    "stats": ["stats"],
}


@pytest.mark.parametrize("kind", ["header", "schema page", "read-only"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_broken_store_stops_every_command_with_one_line(store, tmp_path, kind, command):
    procedures_csv(tmp_path / "p.csv", 3)
    dossiers_csv(tmp_path / "d.csv", [dossier(n) for n in range(50, 53)])
    # Telegram: the store is checked before the Bot API is called (a closed local port).
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}
    damage(kind, store)
    try:
        result = motcua(
            tmp_path, store, *COMMANDS[command], **(env if "telegram" in command else {})
        )
    finally:
        writable(store)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"motcua: store {store}: ")
    assert "backup" in line or "write" in line or "folder" in line  # what to do


def test_check_on_a_healthy_store(store, tmp_path):
    result = motcua(tmp_path, store, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert f"store {store}: ok" in out and "schema version" in out
    assert "free disk" in out and "outbox: 0 message(s) waiting" in out


def test_damaged_pages_are_found_by_check_and_refused_by_the_bot(store, tmp_path):
    damage("table page", store)
    result = motcua(tmp_path, store, "check")
    assert result.returncode == 1 and "DAMAGED" in result.stdout
    assert "damaged" in one_line(result)
    result = motcua(tmp_path, store, "run")
    assert result.returncode == 1 and "damaged" in one_line(result)
    assert "terminal chat" not in result.stderr  # it never started


def test_damaged_index_page_is_found_at_start(store, tmp_path):
    with sqlite3.connect(store) as conn:
        index = conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'dossiers'"
            " AND sql IS NOT NULL ORDER BY name LIMIT 1"
        ).fetchone()[0]
    offset, _size = page_of(store, index)
    overwrite(store, offset + 8, b"\x00\x01" * 40)
    assert motcua(tmp_path, store, "check").returncode == 1
    result = motcua(tmp_path, store, "run")
    assert result.returncode == 1 and "damaged" in one_line(result)


def test_an_import_meeting_a_damaged_table_exits_non_zero(store, tmp_path):
    damage("table page", store)
    rows = dossiers_csv(tmp_path / "d.csv", [dossier(n) for n in range(1, 5)])
    result = motcua(tmp_path, store, "import", "dossiers", str(rows))
    assert result.returncode == 1
    assert "damaged" in one_line(result)


async def test_damage_met_while_running_is_kept_for_health(store):
    from bot.dossiers.repository import DossierRepository
    from bot.store import StoreError, open_database

    damage("table page", store)
    db = await open_database(store)  # no check: the damage is found by the first read
    try:
        assert db.problem is None
        with pytest.raises(StoreError) as raised:
            await DossierRepository(db, None).get("000.21.32.H42-250303-0001")
        assert "malformed" in db.problem and "damaged" in str(raised.value)
    finally:
        await db.close()


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        letter = parts[0] + "".join(c for c in parts[1:] if c in "\u0302\u0306\u031b")
        tones = "".join(c for c in parts[1:] if c not in "\u0302\u0306\u031b")
        out += unicodedata.normalize("NFC", letter).encode("cp1258") + tones.encode("cp1258")
    return out


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, make",
    [
        ("missing path", lambda tmp: tmp / "nope.csv"),
        ("binary", lambda tmp: write(tmp / "bin.csv", bytes(range(256)) * 16)),
        (
            "CP1258",
            lambda tmp: write(
                tmp / "cp.csv",
                cp1258(
                    "code,name,field,org,level\n2.000001,Thủ tục đăng ký hộ tịch,Hộ tịch,UBND Xã,\n"
                ),
            ),
        ),  # fmt: skip
        ("empty", lambda tmp: write(tmp / "empty.csv", b"")),
        ("nothing accepted", lambda tmp: procedures_csv(tmp / "bad.csv", 2, bad_at=(1, 2))),
    ],
)
@pytest.mark.parametrize("kind", ["procedures", "dossiers"])
def test_import_exits_1_when_the_file_cannot_be_read(store, tmp_path, name, make, kind):
    path = make(tmp_path)
    if kind == "dossiers" and name == "nothing accepted":
        path = dossiers_csv(tmp_path / "r.csv", [dossier(n, "42") for n in range(1, 5)])
    before = count(store, "procedures"), count(store, "dossiers")
    result = motcua(tmp_path, store, "import", kind, str(path))
    assert result.returncode == 1
    assert one_line(result).startswith("motcua: import: ")
    assert (count(store, "procedures"), count(store, "dossiers")) == before


def test_the_same_reasons_from_both_importers(store, tmp_path):
    empty = write(tmp_path / "empty.csv", b"")
    procs = motcua(tmp_path, store, "import", "procedures", str(empty)).stdout
    dossiers = motcua(tmp_path, store, "import", "dossiers", str(empty)).stdout
    assert f"  rejected {empty}: empty file" in procs
    assert f"  rejected {empty}: empty file" in dossiers


def test_import_exit_codes_0_and_2(store, tmp_path):
    good = procedures_csv(tmp_path / "good.csv", 5)
    assert motcua(tmp_path, store, "import", "procedures", str(good)).returncode == 0
    some = procedures_csv(tmp_path / "some.csv", 5, bad_at=(3,))
    result = motcua(tmp_path, store, "import", "procedures", str(some))
    assert result.returncode == 2 and "1 rejected" in one_line(result)
    rows = dossiers_csv(tmp_path / "d.csv", [dossier(n) for n in range(100, 105)])
    assert motcua(tmp_path, store, "import", "dossiers", str(rows)).returncode == 0
    mixed = dossiers_csv(tmp_path / "m.csv", [dossier(200), dossier(201, "42")])
    result = motcua(tmp_path, store, "import", "dossiers", str(mixed))
    assert result.returncode == 2 and "line 3" in result.stdout


def test_a_csv_field_over_131072_characters_rejects_its_row_only(store, tmp_path):
    before = count(store, "procedures")
    big = procedures_csv(tmp_path / "big.csv", 600, huge_at=501)
    result = motcua(tmp_path, store, "import", "procedures", str(big))
    assert result.returncode == 2
    one_line(result)
    assert f"rejected {big}:502: not CSV: field larger than field limit" in result.stdout
    assert count(store, "procedures") == before + 599


def test_a_locked_store_makes_the_import_exit_1(store, tmp_path):
    rows = dossiers_csv(tmp_path / "d.csv", [dossier(n) for n in range(300, 305)])
    locker = sqlite3.connect(store, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = motcua(tmp_path, store, "import", "dossiers", str(rows), guard=30)
    finally:
        locker.rollback()
        locker.close()
    assert result.returncode == 1
    assert "another process holds its write lock" in one_line(result)


@pytest.mark.slow
def test_kill_9_midway_then_reimport_loses_nothing_and_leaves_no_half_file(store, tmp_path):
    total = 60_000
    rows = dossiers_csv(tmp_path / "big.csv", [dossier(n) for n in range(10_000, 10_000 + total)])
    before = count(store, "dossiers")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environ.update(PYTHONPATH=str(ROOT), MOTCUA_DB=str(store))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "import", "dossiers", str(rows)],
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if cpu_seconds(proc.pid) >= 2.0:  # well into parsing and writing the file
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert count(store, "dossiers") in (before, before + total)  # never part of the file
    result = motcua(tmp_path, store, "import", "dossiers", str(rows), guard=300)
    assert result.returncode == 0, result.stderr
    assert count(store, "dossiers") == before + total
    assert motcua(tmp_path, store, "check", guard=60).returncode == 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
n = 0
while True:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO questions(channel, user_id, chat_id, text, locale) VALUES (?,?,?,?,?)",
        ("terminal", "w", "w", "câu hỏi %d " % n + "x" * 2000, "vi"),
    )
    conn.execute("COMMIT")
    n += 1
    if n == 50:
        print("writing", flush=True)
"""


@pytest.mark.slow
async def test_backup_under_concurrent_writes_then_the_bot_starts_on_the_copy(store, tmp_path):
    from conftest import make_settings

    from bot.core import open_core

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        copy = tmp_path / "backups" / "copy.sqlite3"
        copy.parent.mkdir()
        result = motcua(tmp_path, store, "backup", str(copy), guard=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"backup {copy}:")
        again = motcua(tmp_path, store, "backup", str(copy))
        assert again.returncode == 1 and "already exists" in one_line(again)
    finally:
        writer.kill()
        writer.wait()
    assert [p.name for p in copy.parent.iterdir()] == ["copy.sqlite3"]  # no temp left behind
    copied = count(copy, "questions")
    assert 50 <= copied <= count(store, "questions")
    # Restore: copy the backup over the store file, check, start.
    restored = tmp_path / "restored" / "motcua.sqlite3"
    restored.parent.mkdir()
    shutil.copy(copy, restored)
    assert motcua(tmp_path, restored, "check").returncode == 0
    core = await open_core(make_settings(tmp_path, MOTCUA_DB=str(restored)), check=True)
    try:
        assert await core.dossiers.get("000.21.32.H42-250303-0001") is not None
        assert core.db.problem is None
    finally:
        await core.close()


def test_backup_failure_is_one_line(store, tmp_path):
    result = motcua(tmp_path, store, "backup", str(tmp_path / "no" / "such" / "x.sqlite3"))
    assert result.returncode == 1
    assert "folder does not exist" in one_line(result)
