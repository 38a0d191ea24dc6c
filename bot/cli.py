"""`motcua`: run the bot, chat in the terminal, ask the catalog, import data."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.commands import UsageError, chat, figures, imports, people
from bot.commands import store as store_commands
from bot.commands.people import ROSTER_CHANNELS
from bot.settings import SettingsError, load_settings
from bot.store.errors import DriverError, StoreError, store_error


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 done; 1 failed (the store, a file, the work); 2 invalid use or setting.

    `import` also exits 2 when some rows were rejected (see README: Exit codes).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False)
    # Quiet by default: a command's own output and its one line say it all (-v: the log).
    # `run` is a service: its log is its output.
    quiet = logging.CRITICAL if (args.command or "run") != "run" else logging.INFO
    logging.basicConfig(
        level=logging.DEBUG if verbose else quiet,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"motcua: invalid setting: {exc}", file=sys.stderr)
        return 2
    command = args.command or "run"
    if command != "run" and not verbose:
        # The one line printed below says it all; the bot's own log keeps the damage line.
        logging.getLogger("bot.store").setLevel(logging.CRITICAL)
    try:
        return _dispatch(parser, settings, command, args)
    except KeyboardInterrupt:
        return 130
    except UsageError as exc:
        print(f"motcua: {command}: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"motcua: {exc}", file=sys.stderr)
        return 1
    except DriverError as exc:
        print(f"motcua: {store_error(settings.db_path, exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if verbose:
            raise
        print(
            f"motcua: {command} failed: {type(exc).__name__}: {exc} (-v shows the details)",
            file=sys.stderr,
        )
        return 1


def _dispatch(parser, settings, command: str, args) -> int:
    if command == "run":
        return run(settings)
    if command == "check":
        return asyncio.run(store_commands.check(settings))
    if command == "backup":
        return asyncio.run(
            store_commands.backup(settings, args.path)
        )  # str: "dir/" keeps its slash
    if command == "chat":
        return asyncio.run(chat.chat(settings))
    if command == "ask":
        return asyncio.run(chat.ask(settings, args.question))
    if command == "officials":
        return asyncio.run(people.officials(settings, args))
    if command == "import" and args.kind == "dossiers":
        return asyncio.run(imports.import_dossiers(settings, args.paths))
    if command == "import":
        return asyncio.run(imports.import_catalog(settings, args.kind, args.paths))
    if command == "stats":
        return asyncio.run(figures.stats(settings, args))
    if command == "report":
        return asyncio.run(figures.report(settings, args))
    if command == "export":
        return asyncio.run(figures.export_feedback(settings, args.csv))
    if command == "learned":
        return asyncio.run(people.learned(settings, args))
    if command == "sync":
        return asyncio.run(imports.sync(settings, args.forever))
    if command == "agencies":
        return imports.agencies_check(settings)
    if command == "demo":
        return asyncio.run(figures.demo(settings, args))
    if command == "zalo":
        from bot.channels.zalo import admin

        return asyncio.run(admin.run(settings, args))
    parser.print_help()
    return 2


class OneLineParser(argparse.ArgumentParser):
    """A command line it does not understand: one line on stderr, exit 2 (no usage dump)."""

    def error(self, message: str):
        where = self.prog.removeprefix("motcua").strip()
        self.exit(2, f"motcua: {where + ': ' if where else ''}{message} (-h: help)\n")


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="motcua", description=__doc__)
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show the log and tracebacks",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (the terminal chat when no token is set)")
    sub.add_parser("chat", help="chat with the bot in this terminal (no token, no network)")
    sub.add_parser(
        "check",
        help="check the store: integrity, schema, size, free disk, outbox (exit 1: damaged)",
    )
    bak = sub.add_parser("backup", help="copy the store consistently, even while the bot runs")
    bak.add_argument("path", help="the copy to write (a new file)")
    ask = sub.add_parser("ask", help="search the catalog; no QUESTION: one per line from stdin")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="JSON output (the default)")
    off = sub.add_parser("officials", help="the officials' roster (Telegram user ids)")
    off_sub = off.add_subparsers(dest="action", required=True)
    add = off_sub.add_parser("add", help="add or update an official")
    add.add_argument("user_id")
    add.add_argument("--role", choices=["official", "leader"], default="official")
    add.add_argument("--agency", help="agency code or alias (required for officials)")
    add.add_argument("--name", default="")
    add.add_argument(
        "--channel", default="telegram", choices=ROSTER_CHANNELS,
        help="where they work: telegram (default), zalo, or terminal for motcua chat",
    )  # fmt: skip
    rm = off_sub.add_parser("remove", help="remove an official")
    rm.add_argument("user_id")
    rm.add_argument("--channel", default="telegram", choices=ROSTER_CHANNELS)
    off_sub.add_parser("list", help="list the roster")
    st = sub.add_parser("stats", help="satisfaction and Decision 766 rates per agency and month")
    st.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    st.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    st.add_argument("--agency", help="one agency (code or alias)")
    st.add_argument("--json", action="store_true", help="JSON output")
    rep = sub.add_parser("report", help="write the public satisfaction report")
    rep.add_argument("--html", type=Path, help="write a self-contained HTML page here")
    rep.add_argument("--csv", type=Path, help="write the CSV here")
    rep.add_argument("--from", dest="start", type=_day)
    rep.add_argument("--to", dest="end", type=_day)
    exp = sub.add_parser("export", help="export published data")
    exp.add_argument("kind", choices=["feedback"])
    exp.add_argument("--csv", type=Path, required=True, help="write the CSV here")
    syn = sub.add_parser("sync", help="pull dossier changes from MOTCUA_TRACKING_URL")
    syn.add_argument("--forever", action="store_true", help="keep pulling every interval")
    ag = sub.add_parser("agencies", help="the agencies file (MOTCUA_AGENCIES_FILE)")
    ag.add_argument("action", choices=["check"], help="check: print what is missing per agency")
    demo = sub.add_parser("demo", help="fill a separate database with labelled demo data")
    demo.add_argument("--db", type=Path, required=True, help="the demo database file (new)")
    demo.add_argument(
        "--role", choices=["leader", "official"], default="leader",
        help="the terminal user's role on the demo roster",
    )  # fmt: skip
    lrn = sub.add_parser("learned", help="wordings officials linked to procedures (search learns)")
    lrn_sub = lrn.add_subparsers(dest="action", required=True)
    lrn_sub.add_parser("list", help="list the learned wordings")
    lrm = lrn_sub.add_parser("remove", help="forget a learned wording")
    lrm.add_argument("id", type=int)
    imp = sub.add_parser("import", help="import data into the store")
    imp.add_argument("kind", choices=["procedures", "dossiers"])
    imp.add_argument("paths", nargs="+", type=Path)
    from bot.channels.zalo.admin import add_parser as add_zalo_parser

    add_zalo_parser(sub)
    return parser


def run(settings) -> int:
    """The runtime with the configured channels, until SIGINT/SIGTERM; one runner per store."""
    from bot.channels.zalo.checks import startup_problem

    problem = startup_problem(settings)  # Zalo with nobody to forward to: refuse, one line
    if problem:
        print(f"motcua: {problem}", file=sys.stderr)
        return 1
    return asyncio.run(_run(settings))


async def _terminal_notice(runtime) -> None:
    if "terminal" in runtime.channels:
        print(
            "TELEGRAM_BOT_TOKEN is not set: this is the terminal chat (type /quit to leave).",
            file=sys.stderr,
        )


async def _run(settings) -> int:
    from bot.app import build
    from bot.channels.telegram.webhook import WebhookError
    from bot.store.lease import LeaseTaken
    from bot.web.server import WebServerError

    app = build(settings)  # the one composition root (bot/app.py)
    app.runtime.on_start.append(_terminal_notice)
    try:
        await app.listen()  # first: a port in use stops here, nothing else touched
    except WebServerError as exc:
        print(f"motcua: {exc}", file=sys.stderr)
        return 1
    lost = await _no_one_hears(settings)
    if lost:
        await app.close()
        print(f"motcua: {lost}", file=sys.stderr)
        return 2
    try:
        code = await app.runtime.run()
    except (LeaseTaken, StoreError) as exc:  # StoreError: refused a damaged store at start
        print(f"motcua: {exc}", file=sys.stderr)
        return 1
    except WebhookError as exc:
        print(f"motcua: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # e.g. Telegram unreachable or the token refused at start
        logging.getLogger(__name__).debug("start-up failed", exc_info=True)
        print(f"motcua: could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        await app.close()
    if app.runtime.failure:
        print(f"motcua: {app.runtime.failure}", file=sys.stderr)
    return code


async def _no_one_hears(settings) -> str | None:
    """Why complaints would reach no one on the channels that run (None: they reach someone).

    The terminal trial is exempt: its receipts say no official can read them."""
    from bot.feedback.reach import NETWORK_CHANNELS, live_channels, refusal, route_states
    from bot.store import open_store

    if not live_channels(settings) & set(NETWORK_CHANNELS):
        return None
    db = await open_store(settings)
    try:
        return refusal(await route_states(db, settings))
    finally:
        await db.close()
