"""How `motcua` behaves on a broken store and on bad import files: exit code, time, stderr.

Runs the real command (`python -m bot`) of a checkout against throw-away SQLite
files damaged in the ways a machine damages them (a corrupted header, a
corrupted schema page, a read-only file, a corrupted table or index page, a
locked database) and against import files that cannot be read, and prints one
row per probe: exit code (or "hang" when it had to be killed), seconds, how many
lines went to stderr, and whether a Python traceback was among them. Compare a
checkout before and after a change:

    .venv/bin/python bench/store_failures.py                  # this checkout
    .venv/bin/python bench/store_failures.py --src /tmp/before --timeout 8
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = [
    *("code", "procedure_code", "agency_code", "applicant_name", "applicant_phone", "channel"),
    *("received_at", "due_at", "status", "status_at", "result_place", "note"),
]
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuv"


def dossier_row(n: int, status: str = "2") -> list[str]:
    return [
        f"000.21.32.H42-250303-{n:04d}",
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


def _numbered(n: int) -> list[str]:
    """Dossier n of a big file: 10,000 numbers a day from 4 March 2025."""
    r = dossier_row(0)
    r[0] = f"000.21.32.H42-{250304 + n // 10_000}-{n % 10_000:04d}"
    return r


def write_dossiers(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(FIELDS)
        out.writerows(rows)
    return path


def write_procedures(path: Path, count: int, huge_at: int | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name", "field", "org", "level"])
        for n in range(1, count + 1):
            name = f"Thủ tục số {n}"
            if n == huge_at:
                name += " x" * 70_000  # 140,000 characters: over csv's 131,072 field limit
            out.writerow([f"2.{n:06d}", name, "Hộ tịch", "UBND Xã", "Toàn trình"])
    return path


class Probe:
    def __init__(self, src: Path, python: str, timeout: float, work: Path):
        self.src, self.python, self.timeout, self.work = src, python, timeout, work

    def run(
        self, db: Path, args: list[str], stdin: str = "/quit\n", timeout: float = 0, **env: str
    ) -> dict:
        environ = {
            k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "TELEGRAM_"))
        }
        environ.update(PYTHONPATH=str(self.src), MOTCUA_DB=str(db), TELEGRAM_BOT_TOKEN="")
        environ.update(env)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [self.python, "-m", "bot", *args],
            cwd=self.work,
            env=environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(stdin.encode(), timeout=timeout or self.timeout)
            code: int | str = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            code = "hang"
        seconds = time.perf_counter() - started
        text = err.decode(errors="replace")
        lines = [ln for ln in text.splitlines() if ln.strip()]
        return {
            "rc": code,
            "s": seconds,
            "lines": len(lines),
            "tb": "Traceback" in text,
            "first": (lines[-1] if lines else "")[:90],
            "out": out.decode(errors="replace"),
        }

    def kill_midway(self, db: Path, args: list[str], cpu: float) -> dict:
        """Start the command and kill -9 it after `cpu` seconds of its CPU time."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        environ.update(PYTHONPATH=str(self.src), MOTCUA_DB=str(db))
        started = time.perf_counter()
        proc = subprocess.Popen(
            [self.python, "-m", "bot", *args],
            cwd=self.work,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while proc.poll() is None and cpu_seconds(proc.pid) < cpu:
            time.sleep(0.02)
        code = "finished first" if proc.poll() is not None else "killed -9"
        proc.kill()
        proc.wait()
        seconds = time.perf_counter() - started
        return {"rc": code, "s": seconds, "lines": 0, "tb": False, "first": "", "out": ""}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_size(db: Path) -> int:
    return int.from_bytes(db.read_bytes()[16:18], "big") or 65536


def root_page(db: Path, name: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", (name,)
        ).fetchone()[0]


def overwrite(db: Path, offset: int, data: bytes) -> None:
    with db.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def damage(kind: str, db: Path) -> None:
    size = page_size(db)
    if kind == "header":
        overwrite(db, 0, b"this is no db!!\0" + b"\xff" * 84)
    elif kind == "schema page":
        overwrite(db, 100, bytes((i * 7 + 13) % 256 for i in range(size - 100)))
    elif kind == "table page":
        page = root_page(db, "dossiers")
        overwrite(db, (page - 1) * size, b"\x0d" + b"\xff" * (size - 1))
    elif kind == "index page":
        with sqlite3.connect(db) as conn:
            name = conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'dossiers'"
                " AND sql IS NOT NULL ORDER BY name LIMIT 1"
            ).fetchone()[0]
        page = root_page(db, name)
        overwrite(db, (page - 1) * size + 8, b"\x00\x01" * 40)
    elif kind == "read-only":
        make_read_only(db)


def make_read_only(db: Path) -> None:
    """The file and its folder (no -wal beside it): chmod for a user, chattr +i for root."""
    if os.geteuid() != 0:
        db.chmod(0o444)
        db.parent.chmod(0o555)
    else:
        subprocess.run(["chattr", "+i", str(db), str(db.parent)], check=True)


def undo_read_only(db: Path) -> None:
    if os.geteuid() != 0:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    else:
        subprocess.run(["chattr", "-i", str(db), str(db.parent)], check=False)


def row(table: list, case: str, command: str, result: dict, note: str = "") -> None:
    rc = result["rc"]
    shown = f"hang (killed after {result['s']:.0f} s)" if rc == "hang" else str(rc)
    table.append((case, command, shown, f"{result['s']:.1f}", result["lines"], result["tb"], note))
    print(
        f"| {case} | {command} | {shown} | {result['s']:.1f} | {result['lines']} |"
        f" {'yes' if result['tb'] else 'no'} | {note or result['first']} |",
        flush=True,
    )


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=8.0, help="seconds before a kill")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    work.chmod(0o755)
    probe = Probe(args.src.resolve(), args.python, args.timeout, work)
    table: list = []
    print(f"checkout: {probe.src}  timeout: {args.timeout:.0f} s")
    print("| case | command | exit | s | stderr lines | traceback | last stderr line / note |")
    print("|---|---|---|---|---|---|---|")
    try:
        dossiers = write_dossiers(work / "d.csv", [dossier_row(n) for n in range(1, 40)])
        procs = write_procedures(work / "p.csv", 3)
        template = work / "template.sqlite3"
        probe.run(template, ["ask", "x"])
        probe.run(template, ["import", "dossiers", str(dossiers)])
        telegram = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}
        commands = {
            "run": ["run"],
            "run (telegram)": ["run"],
            "check": ["check"],
            "import procedures": ["import", "procedures", str(procs)],
            "import dossiers": ["import", "dossiers", str(dossiers)],
            "stats": ["stats"],
        }
        (work / "case").mkdir()
        fresh = work / "case" / "store.sqlite3"

        def copy() -> Path:
            for suffix in ("", "-wal", "-shm"):
                Path(str(fresh) + suffix).unlink(missing_ok=True)
            shutil.copy(template, fresh)
            return fresh

        row(table, "healthy", "check", probe.run(copy(), ["check"]))
        for kind in ("header", "schema page", "read-only", "table page", "index page"):
            for name, argv in commands.items():
                db = copy()
                damage(kind, db)
                try:
                    env = telegram if name == "run (telegram)" else {}
                    row(table, kind, name, probe.run(db, argv, **env))
                finally:
                    if kind == "read-only":
                        undo_read_only(db)
            if kind in ("table page", "index page"):
                db = copy()
                damage(kind, db)
                chat = probe.run(db, ["chat"], stdin="000.21.32.H42-250303-0001\n/quit\n")
                said = (
                    "refused at start"
                    if chat["rc"] != 0
                    else "apology"
                    if "lỗi" in chat["out"].lower()
                    else "status shown"
                )
                row(table, kind, "chat: look up a dossier", chat, said)
        for name, make in {
            "missing path": lambda: work / "nope.csv",
            "binary": lambda: _write(work / "bin.csv", os.urandom(4096)),
            "CP1258": lambda: _write(
                work / "cp.csv",
                cp1258("code,name,field,org,level\n2.000001,Thủ tục đăng ký,Hộ tịch,UBND Xã,\n"),
            ),
            "empty": lambda: _write(work / "empty.csv", b""),
        }.items():
            row(table, f"procedures: {name}", "import procedures",
                probe.run(copy(), ["import", "procedures", str(make())]))  # fmt: skip
        db = copy()
        before = count(db, "procedures")
        big = write_procedures(work / "big.csv", 600, huge_at=501)
        result = probe.run(db, ["import", "procedures", str(big)])
        row(table, "procedures: field > 131,072", "import procedures", result,
            f"{count(db, 'procedures') - before} of 600 rows stored")  # fmt: skip
        refused = write_dossiers(work / "r.csv", [dossier_row(n, "42") for n in range(1, 5)])
        row(table, "dossiers: every row refused", "import dossiers",
            probe.run(copy(), ["import", "dossiers", str(refused)]))  # fmt: skip
        some = write_dossiers(
            work / "s.csv", [dossier_row(n, s) for n, s in ((90, "2"), (91, "42"))]
        )
        row(table, "dossiers: some rows refused", "import dossiers",
            probe.run(copy(), ["import", "dossiers", str(some)]))  # fmt: skip
        db = copy()
        locker = sqlite3.connect(db, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            new = write_dossiers(work / "n.csv", [dossier_row(n) for n in range(100, 110)])
            row(table, "dossiers: database locked", "import dossiers",
                probe.run(db, ["import", "dossiers", str(new)]))  # fmt: skip
        finally:
            locker.rollback()
            locker.close()
        db = copy()
        before = count(db, "dossiers")
        rows = write_dossiers(work / "big.csv", [_numbered(n) for n in range(60_000)])
        result = probe.kill_midway(db, ["import", "dossiers", str(rows)], cpu=2.0)
        row(table, "dossiers: kill -9 midway (60,000 rows)", "import dossiers", result,
            f"{count(db, 'dossiers') - before:,} of 60,000 rows stored")  # fmt: skip
        result = probe.run(db, ["import", "dossiers", str(rows)], timeout=300)
        row(table, "dossiers: re-import after the kill", "import dossiers", result,
            f"{count(db, 'dossiers') - before:,} of 60,000 rows stored")  # fmt: skip
        backup = work / "copy.sqlite3"
        row(table, "healthy", f"backup {backup.name}",
            probe.run(copy(), ["backup", str(backup)]))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        letter = parts[0] + "".join(c for c in parts[1:] if c in "\u0302\u0306\u031b")
        tones = "".join(c for c in parts[1:] if c not in "\u0302\u0306\u031b")
        out += unicodedata.normalize("NFC", letter).encode("cp1258") + tones.encode("cp1258")
    return out


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
