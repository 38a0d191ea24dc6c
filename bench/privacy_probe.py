"""Issue 11's privacy, authority and publishing probes, before and after, in one table.

Each probe plays the black-box finding through the real dialog (and, for what only the
Telegram glue decides, the real Application against the fake Bot API on 127.0.0.1) on a
fresh SQLite file, and prints what happened. Run it on this checkout, or on this checkout
and an untouched one side by side:

    .venv/bin/python bench/privacy_probe.py
    git worktree add /tmp/before-privacy main
    .venv/bin/python bench/privacy_probe.py --before /tmp/before-privacy
    git worktree remove /tmp/before-privacy

`--checkout PATH --json` (used by --before) runs the probes on the code at PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parents[1]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.06.H56-261120-0361"
PHONE = "0912345623"
NOTE = "Gọi chị Lan 0987654321"
HUGE = "99999999999999999999"
TEXT = "Đường vào thôn bị sạt lở, đề nghị xã sửa chữa sớm."
ANSWER = "Xã đã sửa đường xong, xin cảm ơn."
DESK = -100901


def settings(tmp: str, **env: str):
    from bot.settings import load_settings

    base = {"MOTCUA_DB": str(Path(tmp) / "motcua.sqlite3"), "MOTCUA_OFFICIALS_CHAT_ID": str(DESK)}
    return load_settings(environ=base | env, dotenv=None)


class User:
    """One person on the terminal channel, talking to the real dialog."""

    def __init__(self, core, user_id: str):
        self.core, self.user_id = core, user_id
        self.replies: list = []

    async def _send(self, kind: str, text: str) -> str:
        from bot import dispatch
        from handlers.incoming import Incoming

        msg = Incoming("terminal", self.user_id, self.user_id, kind=kind, text=text)
        self.replies = await dispatch.handle(self.core, msg)
        return "\n".join(r.plain() for r in self.replies)

    async def say(self, text: str) -> str:
        return await self._send("text", text)

    async def press(self, action: str) -> str:
        return await self._send("action", action)

    def actions(self) -> list[str]:
        return [b.action for r in self.replies for row in r.buttons for b in row]


def verdict(answer: str) -> str:
    if "trục trặc" in answer:
        return "internal error"
    if "Không tìm thấy" in answer:
        return "not found"
    return f"other: {answer[:40]!r}"


async def add_dossier(core, due_in_days: int = 5) -> None:
    from bot.dossiers.model import Dossier
    from bot.dossiers.repository import apply

    now = datetime.now(UTC).replace(microsecond=0)
    dossier = Dossier(
        code=CODE, procedure_code="1.001193", agency_code="18496",
        received_at=now - timedelta(days=3), status=4, applicant_name="Nguyễn Văn An",
        applicant_phone=PHONE, channel="truc_tiep", due_at=now + timedelta(days=due_in_days),
        status_at=now - timedelta(days=1),
    )  # fmt: skip
    async with core.db.transaction() as conn:
        await apply(conn, dossier, "probe", on_events=core.notifier)


async def outbox_text(core, chat_id: str) -> str:
    from bot.notify.outbox import Outbox

    return "\n".join(
        m.reply.text for m in await Outbox(core.db).due("terminal") if m.chat_id == chat_id
    )


async def dossier_probes(tmp: str) -> dict[str, str]:
    from bot.core import open_core
    from bot.people.privacy import DOSSIER_TRACKING

    core = await open_core(settings(tmp))
    out = {}
    try:
        await add_dossier(core, due_in_days=-3)
        stranger = User(core, "stranger")
        await stranger.say(CODE)
        await stranger.press(f"d:sub:{CODE}")  # "Tell me when it changes" after a lookup
        await core.privacy.grant("terminal", "owner", DOSSIER_TRACKING, "probe")
        await core.privacy.save_phone("terminal", "owner", PHONE)
        await core.subscriptions.add("terminal", "owner", "owner", CODE, "owner")
        await core.officials.add("terminal", "officer", "official", "18496")
        await User(core, "officer").say(f"/hoso {CODE} 5 {NOTE}")
        yes = {True: "yes", False: "no"}
        out["stranger following a dossier receives the official's note"] = yes[
            "0987654321" in await outbox_text(core, "stranger")
        ]
        out["verified owner receives the official's note"] = yes[
            "0987654321" in await outbox_text(core, "owner")
        ]
        out["stranger's lookup shows the official's note"] = yes[
            "0987654321" in await stranger.say(CODE)
        ]
        answer = await User(core, "officer").say(f"/hoso {CODE} ² xong")
        out["/hoso CODE ² (a digit to isdigit, not to int)"] = (
            "usage shown" if "Cách dùng" in answer else verdict(answer)
        )
        new_day = (datetime.now(UTC) + timedelta(days=10)).strftime("%d/%m/%Y")
        await User(core, "officer").say(f"/xinloi {CODE} {new_day} Chờ anh Tâm 0977111222")
        out["stranger receives the apology's reason"] = yes[
            "0977111222" in await outbox_text(core, "stranger")
        ]
    finally:
        await core.close()
    return out


async def submit_form(citizen: User, publish: bool, text: str = TEXT) -> None:
    await citizen.say("/phananh")
    for action in ("fb:c:de_xuat", "fb:a:18496", "fb:skip"):
        await citizen.press(action)
    await citizen.say(text)
    await citizen.press("fb:next")
    if publish:
        await citizen.say("Nguyễn Văn Bình")
        await citizen.say("0912345678")
        await citizen.press("fb:ok")
    else:
        await citizen.press("fb:anon")
    await citizen.press("fb:pub:1" if publish else "fb:pub:0")
    await citizen.press("fb:send")


def stale_says(answer: str) -> str:
    for marker, meaning in (
        ("30 phút", "idle for 30 minutes"),
        ("đã được gửi", "already sent, with its number"),
        ("đã được hủy", "cancelled"),
        ("không còn mở", "no longer open"),
    ):
        if marker in answer:
            return meaning
    return f"other: {answer[:40]!r}"


async def feedback_probes(tmp: str) -> dict[str, str]:
    from bot.core import open_core
    from bot.dossiers.records import parse_record

    core = await open_core(settings(tmp))
    out = {}
    try:
        await core.officials.add("terminal", "officer", "official", "18496")
        officer, stranger = User(core, "officer"), User(core, "stranger")
        nul = User(core, "nul")
        await submit_form(nul, publish=False, text="Đường\x00 vào thôn bị sạt lở, sửa sớm.")
        stored = await core.feedback.mine("terminal", "nul")
        out["feedback text with a NUL byte"] = (
            verdict(nul.replies[0].plain() if nul.replies else "")
            if not stored
            else "stored with the NUL"
            if "\x00" in stored[0].text
            else "stored, cleaned"
        )
        citizen = User(core, "dan")
        await submit_form(citizen, publish=False)
        (ticket,) = await core.feedback.mine("terminal", "dan")
        record = {
            "code": CODE, "procedure_code": "1.001193", "agency_code": "18496",
            "received_at": "2026-11-20T08:00:00", "status": 4, "note": "Bổ\x00 sung\x1b",
        }  # fmt: skip
        note = parse_record(record, VN).note or ""
        out["NUL byte kept by the dossier importer"] = "yes" if "\x00" in note else "no"

        out["stale 'Send' button after sending says"] = stale_says(await citizen.press("fb:send"))
        await citizen.say("/phananh")
        await citizen.press("fb:x")
        out["stale form button after cancelling says"] = stale_says(
            await citizen.press("fb:c:de_xuat")
        )

        answer = await stranger.press(f"f:fw:{ticket.id}")
        chooser = any(a.startswith(f"f:fw:{ticket.id}:") for a in stranger.actions())
        out["non-official pressing 'Chuyển cơ quan' gets"] = (
            "the agency chooser" if chooser else "a refusal" if "🔒" in answer else answer[:40]
        )
        await stranger.say("/quahan")
        private = all(getattr(r, "notice", False) for r in stranger.replies)
        out["refusal to a non-official is"] = "a private notice" if private else "a chat message"
        told = 0
        for _ in range(20):
            told += bool((await User(core, "pest").say("/quahan")).strip())
        out["refusals shown to one stranger, 20 tries in a minute"] = str(told)

        out[f"/traloi {HUGE[:6]}… (20 digits)"] = verdict(
            await officer.say(f"/traloi {HUGE} Xong.")
        )
        out["'Nhận xử lý' button with a 20-digit id"] = verdict(await officer.press(f"f:as:{HUGE}"))
        out["'Hài lòng' button with a 20-digit id"] = verdict(await citizen.press(f"f:ok:{HUGE}"))
        out["'send my question' button with a 20-digit id"] = verdict(
            await citizen.press(f"q:send:{HUGE}")
        )
    finally:
        await core.close()
    return out


async def publishing_probes(tmp: str) -> dict[str, str]:
    from bot.core import open_core
    from bot.feedback import Draft
    from bot.feedback.deadlines import run_deadlines
    from bot.feedback.export import export_csv, published_rows
    from bot.notify.outbox import Outbox

    core = await open_core(settings(tmp))
    out = {}
    try:
        await core.officials.add("terminal", "officer", "official", "18496")
        citizen, officer = User(core, "dan"), User(core, "officer")
        await submit_form(citizen, publish=True)
        (ticket,) = await core.feedback.mine("terminal", "dan")
        await officer.say(f"/traloi {ticket.number} {ANSWER}")
        offered = f"f:pb:{ticket.id}" in officer.actions()
        out["'📢 Công khai' offered right after answering"] = "yes" if offered else "no"
        if offered:
            await officer.press(f"f:pb:{ticket.id}")
        path = Path(tmp) / "pakn.csv"
        await export_csv(core.db, path, core.settings)
        lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]
        out["published lines in `export feedback` after the dialog"] = str(len(lines))

        # The report's period ends today: is an answer published today in it?
        other = await core.feedback.submit(
            Draft("terminal", "u2", "u2", "de_xuat", "18496", TEXT + " (2)", name="B",
                  phone="0912345679", consent_at=datetime.now(UTC), publish_consent=True),
            datetime.now(UTC),
        )  # fmt: skip
        await core.feedback.answer(other.id, ("terminal", "officer"), ANSWER, datetime.now(UTC))
        await core.feedback.publish(other.id, ("terminal", "officer"), datetime.now(UTC))
        today = datetime.now(core.settings.timezone).date()
        rows = await published_rows(core.db, core.settings, today - timedelta(days=30), today)
        shown = any(r.number == other.number for r in rows)
        out["answer published today appears in today's report"] = "yes" if shown else "no"

        monday = datetime(2026, 11, 9, 9, 0, tzinfo=VN)
        late = await core.feedback.submit(
            Draft("terminal", "u3", "u3", "de_xuat", "18496", TEXT + " (3)", name="C",
                  phone="0912345670", consent_at=monday, publish_consent=True),
            datetime(2026, 11, 2, 9, 0, tzinfo=VN),
        )  # fmt: skip
        await core.feedback.answer(late.id, ("terminal", "officer"), ANSWER, monday)
        for day in (9, 10, 11):
            await run_deadlines(core.feedback, datetime(2026, 11, day, 9, 0, tzinfo=VN))
        due = await Outbox(core.db).due(core.settings.staff_channel)
        n = sum(late.number in m.reply.text and "công khai" in m.reply.text for m in due)
        out["publish reminders before the 2-day deadline"] = str(n)
    finally:
        await core.close()
    return out


async def telegram_probes(tmp: str) -> dict[str, str]:
    from fakebotapi import FakeBotApi
    from telegram_harness import running_bot

    from bot.clock import utcnow
    from bot.feedback import Draft

    out = {}
    async with FakeBotApi() as api:
        api.add_chat(DESK, "supergroup")
        api.add_user(7001)

        def group_text(user_id: int, text: str) -> None:
            head = text.split(" ", 1)[0]
            content = {"text": text, "entities": [{"offset": 0, "length": len(head),
                                                   "type": "bot_command"}]}  # fmt: skip
            message = api.world.new_message(DESK, api.world.add_user(user_id), content)
            api.world.enqueue("message", api.world.snapshot(message))

        def press(user_id: int, label: str) -> None:
            for message in reversed(api.messages(DESK)):
                for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                    for b in row:
                        if label in b["text"]:
                            api.world.enqueue("callback_query", {
                                "id": api.world.new_query_id(),
                                "from": api.world.add_user(user_id),
                                "message": api.world.snapshot(message),
                                "chat_instance": str(DESK), "data": b["callback_data"],
                            })  # fmt: skip
                            return

        env = {"MOTCUA_OFFICIALS_CHAT_ID": str(DESK)}
        async with running_bot(Path(tmp), api, **env) as app:
            core = app.bot_data["core"]
            draft = Draft("telegram", "7001", "7001", "de_xuat", "18496", TEXT)
            await core.feedback.submit(draft, utcnow())
            await api.wait_for(lambda c: "PAKN-" in c.params.get("text", ""), chat_id=DESK)
            before = len(api.calls("sendMessage", chat_id=DESK))
            for _ in range(5):
                press(9102, "Chuyển cơ quan")
            group_text(9102, "/quahan")
            await api.wait_for("answerCallbackQuery", count=5)
            group_text(9102, "/start@OtherBot")
            group_text(9102, "/start@motcua_test_bot")
            await api.wait_for(lambda c: "MotCua" in c.params.get("text", ""), chat_id=DESK)
        group = [c.params["text"] for c in api.calls("sendMessage", chat_id=DESK)][before:]
        out["group messages from a stranger's 5 presses + /quahan"] = str(
            sum("chỉ cán bộ" in t or "cơ quan nào" in t for t in group)
        )
        popups = [c for c in api.calls("answerCallbackQuery") if c.params.get("text")]
        out["popups to the stranger (answerCallbackQuery text)"] = str(len(popups))
        unknown = sum("/start" in t for t in group)
        out["/start@OtherBot in a group"] = "answered as unknown /start" if unknown else "ignored"
    return out


async def probe_all() -> dict[str, str]:
    logging.disable(logging.CRITICAL)
    results: dict[str, str] = {}
    for probes in (dossier_probes, feedback_probes, publishing_probes, telegram_probes):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                results |= await probes(tmp)
            except Exception as exc:  # a probe that cannot run says so in the table
                results[f"{probes.__name__} could not run"] = f"{type(exc).__name__}: {exc}"[:60]
    return results


def run_on(checkout: Path) -> dict[str, str]:
    """The probes in a fresh interpreter that imports the code at `checkout`."""
    env = os.environ | {"PYTHONPATH": f"{checkout}{os.pathsep}{checkout / 'tests'}"}
    proc = subprocess.run(
        [sys.executable, __file__, "--checkout", str(checkout), "--json"],
        capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"privacy_probe: the probes failed on {checkout}: {proc.stderr.strip()[-300:]}")
    return json.loads(proc.stdout)


def table(columns: dict[str, dict[str, str]]) -> str:
    probes = list(dict.fromkeys(p for col in columns.values() for p in col))
    width = max(len(p) for p in probes)
    widths = {
        name: max(len(name), *(len(c.get(p, "")) for p in probes)) for name, c in columns.items()
    }
    head = "probe".ljust(width) + "".join(" | " + n.ljust(widths[n]) for n in columns)
    lines = [head, "-" * len(head)]
    for p in probes:
        lines.append(
            p.ljust(width)
            + "".join(" | " + c.get(p, "—").ljust(widths[n]) for n, c in columns.items())
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, help="run the probes on the code at PATH")
    parser.add_argument("--before", type=Path, help="an untouched checkout to compare with")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.checkout:  # the child: import that checkout's code first
        sys.path[:0] = [str(args.checkout), str(args.checkout / "tests")]
        with contextlib.redirect_stdout(sys.stderr):
            results = asyncio.run(probe_all())
        print(json.dumps(results, ensure_ascii=False) if args.json else table({"now": results}))
        return
    columns = {}
    if args.before:
        columns[f"before ({args.before})"] = run_on(args.before.resolve())
    columns[f"after ({HERE})"] = run_on(HERE)
    print(table(columns))


if __name__ == "__main__":
    main()
