"""`motcua`: run the bot, chat in the terminal, ask the catalog, import data."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sqlite3
import sys
from pathlib import Path

from bot.settings import SettingsError, load_settings
from bot.store.errors import StoreError, store_error


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
    except sqlite3.Error as exc:
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
        return asyncio.run(_check(settings))
    if command == "backup":
        return asyncio.run(_backup(settings, args.path))  # str: "dir/" keeps its slash
    if command == "chat":
        return asyncio.run(_chat(settings))
    if command == "ask":
        return asyncio.run(_ask(settings, args.question))
    if command == "officials":
        return asyncio.run(_officials(settings, args))
    if command == "import" and args.kind == "dossiers":
        return asyncio.run(_import_dossiers(settings, args.paths))
    if command == "import":
        return asyncio.run(_import(settings, args.kind, args.paths))
    if command == "stats":
        return asyncio.run(_stats(settings, args))
    if command == "report":
        return asyncio.run(_report(settings, args))
    if command == "export":
        return asyncio.run(_export_feedback(settings, args.csv))
    if command == "learned":
        return asyncio.run(_learned(settings, args))
    if command == "sync":
        return asyncio.run(_sync(settings, args.forever))
    if command == "agencies":
        return _agencies_check(settings)
    if command == "demo":
        return asyncio.run(_demo(settings, args))
    if command == "zalo":
        from bot.channels.zalo import admin

        return asyncio.run(admin.run(settings, args))
    parser.print_help()
    return 2


ROSTER_CHANNELS = ("telegram", "zalo", "terminal")


class OneLineParser(argparse.ArgumentParser):
    """A command line it does not understand: one line on stderr, exit 2 (no usage dump)."""

    def error(self, message: str):
        where = self.prog.removeprefix("motcua").strip()
        self.exit(2, f"motcua: {where + ': ' if where else ''}{message} (-h: help)\n")


def _roster_id_problem(channel: str, user_id: str) -> str | None:
    """A Telegram user id is a positive integer, a Zalo one digits; the terminal any word."""
    if channel == "telegram" and not (user_id.isdigit() and int(user_id) > 0):
        return f"{user_id!r} is not a Telegram user id (a positive number, e.g. 123456789)"
    if channel == "zalo" and not user_id.isdigit():
        return f"{user_id!r} is not a Zalo user id (digits)"
    if not user_id.strip() or len(user_id) > 64:
        return f"{user_id!r} is not a user id"
    return None


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
    from bot.store import open_database

    if not live_channels(settings) & set(NETWORK_CHANNELS):
        return None
    db = await open_database(settings.db_path)
    try:
        return refusal(await route_states(db, settings))
    finally:
        await db.close()


async def _check(settings) -> int:
    """SQLite's integrity check and the figures an operator wants; exit 1 when damaged."""
    from bot.feedback.reach import route_states
    from bot.store import open_database
    from bot.store.health import examine

    path = Path(settings.db_path)
    if not path.is_file():
        raise StoreError(
            path, "no such file", "check MOTCUA_DB (the bot creates it on first start)"
        )
    db = await open_database(path, migrate=False)
    try:
        report = await examine(db, quick=False)
        routes = await route_states(db, settings) if report.healthy else []
    finally:
        await db.close()
    print("\n".join(report.lines()))
    names = {a.code: a.name for a in settings.agencies}
    print("\n".join(s.line(names) for s in routes))
    if report.healthy:
        return 0
    print(
        f"motcua: store {path}: damaged: {report.problems[0]};"
        " stop the bot and restore the latest backup (see README: Backups)",
        file=sys.stderr,
    )
    return 1


async def _backup(settings, raw: str) -> int:
    """A consistent copy while the bot runs (it only reads the store)."""
    target = Path(raw)
    if raw.endswith(("/", "\\")) and not target.is_dir():  # meant a folder that is not there
        print(
            f"motcua: backup {raw}: no such folder; create it, or give a file name", file=sys.stderr
        )
        return 1
    from bot.store import open_database
    from bot.store.backup import backup_to

    if not Path(settings.db_path).is_file():
        raise StoreError(settings.db_path, "no such file", "check MOTCUA_DB")
    db = await open_database(settings.db_path, migrate=False, write=False)
    try:
        written = await backup_to(db, target)
    finally:
        await db.close()
    print(
        f"backup {written.path}: {written.size_bytes} bytes in {written.seconds:.1f} s, checked ok"
    )
    return 0


async def _chat(settings) -> int:
    from bot.channels.terminal import chat
    from bot.core import open_core

    logging.getLogger().setLevel(logging.WARNING)
    core = await open_core(settings, check=True)  # the bot refuses a damaged store
    try:
        await chat(core)
    finally:
        await core.close()
    return 0


async def _ask(settings, question: str | None) -> int:
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


async def _import(settings, kind: str, paths: list[Path]) -> int:
    """Exit 0: every row accepted; 1: a file unreadable or nothing accepted; 2: some rejected."""
    from bot.catalog.importer import import_procedures
    from bot.core import seed_default_catalog
    from bot.store import open_database

    db = await open_database(settings.db_path)
    try:
        await seed_default_catalog(db)  # the curated layer first, so the summary can say so
        report = await import_procedures(db, paths)
    finally:
        await db.close()
    print(report.summary())
    for line in report.layering():
        print(line)
    for where, reason in report.rejected:
        print(f"  rejected {where}: {reason}")
    code = report.exit_code()
    _import_verdict(code, len(report.rejected), report.accepted)
    return code


def _import_verdict(code: int, rejected: int, accepted: int) -> None:
    """The one line on stderr when an import did not take every row."""
    if code == 1 and accepted:
        print("motcua: import: a file could not be read (listed above)", file=sys.stderr)
    elif code == 1:
        print(
            f"motcua: import: nothing imported ({rejected} rejected, listed above)",
            file=sys.stderr,
        )
    elif code == 2:
        print(
            f"motcua: import: {rejected} rejected (listed above), the rest imported",
            file=sys.stderr,
        )


async def _officials(settings, args) -> int:
    from bot.people.officials import Officials
    from bot.store import open_database

    db = await open_database(settings.db_path)
    roster = Officials(db)
    try:
        if args.action == "add":
            agency = settings.agency(args.agency) if args.agency else None
            if args.agency and agency is None:
                print(
                    f"motcua: unknown agency code {args.agency!r}"
                    " (`motcua agencies check` lists the codes and aliases)",
                    file=sys.stderr,
                )
                return 2
            problem = _roster_id_problem(args.channel, args.user_id)
            if problem:
                hint = "" if args.channel != "telegram" else " (another channel: --channel)"
                print(f"motcua: officials add: {problem}{hint}", file=sys.stderr)
                return 2
            code = agency.code if agency else None
            try:
                await roster.add(args.channel, args.user_id, args.role, code, args.name)
            except ValueError as exc:
                print(f"motcua: {exc}", file=sys.stderr)
                return 2
            where = f" for {agency.name} ({agency.code})" if agency and code else ""
            print(f"{args.role} {args.user_id} added{where}")
        elif args.action == "remove":
            if await roster.remove(args.channel, args.user_id):
                print(f"{args.user_id} removed")
                return 0
            elsewhere = [o.channel for o in await roster.all() if o.user_id == args.user_id]
            hint = f"; it is as --channel {elsewhere[0]}" if elsewhere else ""
            print(
                f"motcua: {args.user_id} is not on the roster for {args.channel}{hint}",
                file=sys.stderr,
            )
            return 2
        else:
            for o in await roster.all():
                agency = settings.agency_name(o.agency_code) if o.agency_code else "*"
                print(f"{o.channel}\t{o.user_id}\t{o.role}\t{agency}\t{o.name}")
    finally:
        await db.close()
    return 0


async def _import_dossiers(settings, paths: list[Path]) -> int:
    """Status changes found by the import reach subscribers through the outbox.

    Exit codes as `import procedures`; each file is imported whole or not at all.
    """
    from bot.dossiers.agency_ids import AgencyResolver
    from bot.dossiers.importer import FileRefused, import_dossiers
    from bot.dossiers.notices import DossierNotifier
    from bot.import_files import exit_code
    from bot.store import open_database

    db = await open_database(settings.db_path)
    notifier = DossierNotifier(settings)
    agencies = AgencyResolver(settings.agencies)
    accepted = rejected = unreadable = 0
    try:
        for path in paths:
            try:
                report = await import_dossiers(
                    db, path, settings.timezone, on_events=notifier, agencies=agencies
                )
            except FileRefused as exc:
                print(f"  rejected {path}: {exc}")
                unreadable += 1
                continue
            print(f"{path}: {report.summary()}")
            for line, reason in report.rejected:
                print(f"  rejected line {line}: {reason}")
            _print_unknown_agencies(report.unknown_agency, settings)
            accepted += report.added + report.updated + report.unchanged
            rejected += len(report.rejected)
            unreadable += report.unreadable is not None
    finally:
        await db.close()
    code = exit_code(accepted, rejected, unreadable)
    _import_verdict(code, rejected + unreadable, accepted)
    return code


def _print_unknown_agencies(unknown: list[tuple[int, str]], settings) -> None:
    """Stored as given, but listed: each unknown agency id with its lines."""
    by_code: dict[str, list[int]] = {}
    for line, code in unknown:
        by_code.setdefault(code, []).append(line)
    for code, lines in sorted(by_code.items()):
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        print(
            f"  unknown agency {code!r}: {len(lines)} dossier(s), lines {shown}"
            f" (stored; add it to {settings.agencies_file} as a code or an alias)"
        )


def _agencies_check(settings) -> int:
    """What the agencies file still lacks, per agency; exit 1 when anything is missing."""
    missing_any = False
    print(f"{settings.agencies_file}: {len(settings.agencies)} agencies")
    for a in settings.agencies:
        gaps = a.missing()
        missing_any = missing_any or bool(gaps)
        aliases = ", ".join(a.aliases) or "-"
        state = "missing: " + ", ".join(gaps) if gaps else "complete"
        print(f"{a.code}\t{a.name}\t(aliases: {aliases})\t{state}")
    if missing_any:
        print(
            "Fill these from a public source only (the desk's notice board, the commune's"
            " portal); until then cards name the desk without a phone or an address."
        )
    return 1 if missing_any else 0


async def _demo(settings, args) -> int:
    from bot.demo import DEMO_PHONE, TERMINAL_USER, DemoRefused, build_demo

    try:
        codes = await build_demo(settings, args.db, args.role)
    except DemoRefused as exc:
        print(f"motcua: {exc}", file=sys.stderr)
        return 2
    path = args.db
    print(f"Demo database ready: {path} (demo data only: codes start with DEMO.)")
    print(f"The terminal user '{TERMINAL_USER}' is a demo {args.role} on the roster.")
    print("Try it:")
    print(f"  MOTCUA_DB={path} .venv/bin/motcua chat")
    print("    /thongke, /quahan, /phananhquahan          (as the demo official)")
    print(f"    {codes[0]}      (a dossier 28 working days late)")
    print(f"    {codes[1]}      (late, with the office's apology)")
    print(f"    /hosocuatoi, then verify with the demo phone {DEMO_PHONE}")
    print(f"  MOTCUA_DB={path} .venv/bin/motcua stats")
    print(f"  MOTCUA_DB={path} .venv/bin/motcua report --html var/demo-report.html")
    return 0


async def _sync(settings, forever: bool) -> int:
    from bot.core import open_core

    if not settings.tracking_url:
        print("motcua: MOTCUA_TRACKING_URL is not set: nothing to sync from", file=sys.stderr)
        return 2
    core = await open_core(settings)
    sync = core.tracking_sync()
    try:
        if forever:
            await sync.run_forever(settings.sync_interval)
            return 0
        report = await sync.run_once()
        if report.ok:
            print(report.summary())
            return 0
        print(f"motcua: sync {report.summary()}", file=sys.stderr)
        return 1
    finally:
        await sync.aclose()
        await core.close()


class UsageError(Exception):
    """Invalid use of a command: one line on stderr, exit 2."""


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _period(settings, args):
    """Default: the last twelve months up to today, local time."""
    from datetime import datetime, timedelta

    end = args.end or datetime.now(settings.timezone).date()
    start = args.start or (end.replace(day=1) - timedelta(days=335)).replace(day=1)
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    return start, end


async def _stats(settings, args) -> int:
    from bot.ratings.stats import decision_766, format_table, satisfaction, to_json
    from bot.store import open_database

    agency = settings.agency_code(args.agency) if args.agency else None
    if args.agency and agency is None:
        print(f"motcua: unknown agency code {args.agency!r}", file=sys.stderr)
        return 2
    start, end = _period(settings, args)
    db = await open_database(settings.db_path)
    try:
        sat = await satisfaction(db, start, end, agency, settings.timezone)
        d766 = await decision_766(db, start, end, agency, settings.timezone)
    finally:
        await db.close()
    if args.json:
        out = {
            "from": str(start),
            "to": str(end),
            "satisfaction": to_json(sat),
            "decision_766": to_json(d766),
        }
        print(json.dumps(out, ensure_ascii=False, default=str, indent=1))
        return 0
    from bot.i18n import translator
    from bot.ratings.stats import MIN_RATINGS

    t = translator(settings.locale)
    _ = t.gettext
    names = {a.code: a.name for a in settings.agencies}
    print(_("Satisfaction %(start)s – %(end)s (target 90%%)") % {"start": start, "end": end})
    print(format_table(sat, t, names, MIN_RATINGS))
    print(_("Too few: under %s ratings, too few to judge.") % MIN_RATINGS)
    print()
    print(_("Decision 766 handling-satisfaction rate"))
    print(format_table(d766, t, names))
    print(
        _(
            "On time: returned on time / (returned + still open past the appointment),"
            " by the month of return or of the appointment."
        )
    )
    if not agency:
        seen = {r.key for r in sat} | {r.agency_code for r in d766}
        silent = [a.name for a in settings.agencies if a.code not in seen]
        if silent:
            print(_("No data in this period: %s") % ", ".join(silent))
    return 0


async def _report(settings, args) -> int:
    from bot.ratings.report import write_report
    from bot.store import open_database

    if not args.html and not args.csv:
        print("motcua: give --html PATH and/or --csv PATH", file=sys.stderr)
        return 2
    for path in (args.html, args.csv):
        if path and path.is_dir():
            raise UsageError(f"{path} is a folder: give a file name, e.g. {path / 'report.html'}")
        if path and not path.parent.is_dir():
            raise UsageError(f"{path}: the folder {path.parent} does not exist")
    start, end = _period(settings, args)
    from bot.feedback.export import published_html_section, published_rows

    names = {a.code: a.name for a in settings.agencies}
    aliases = {alias: a.code for a in settings.agencies for alias in a.aliases}
    db = await open_database(settings.db_path)
    try:
        answers = published_html_section(await published_rows(db, settings, start, end))
        for fmt, path in (("html", args.html), ("csv", args.csv)):
            if path:
                written = await write_report(
                    db, path, fmt, start, end, names, settings.timezone,
                    extra_sections=[answers], aliases=aliases,
                )  # fmt: skip
                print(f"wrote {written}")
    finally:
        await db.close()
    return 0


async def _export_feedback(settings, path: Path) -> int:
    """Published answers only (the sender agreed), no personal data."""
    from bot.feedback.export import export_csv
    from bot.store import open_database

    db = await open_database(settings.db_path)
    try:
        count = await export_csv(db, path, settings)
    finally:
        await db.close()
    print(f"wrote {count} published answers to {path}")
    return 0


async def _learned(settings, args) -> int:
    """List or remove what officials taught the search; a running bot notices within a minute."""
    from bot.catalog import learned
    from bot.store import open_database

    db = await open_database(settings.db_path)
    try:
        if args.action == "remove":
            if not await learned.remove(db, args.id):
                print(f"motcua: no learned wording {args.id}", file=sys.stderr)
                return 1
            print(f"removed learned wording {args.id}")
            return 0
        entries = await learned.load(db)
        for e in entries:
            print(f"{e.id}\t{e.procedure_code}\t{e.created_at}\t{e.linked_by}\t{e.text}")
        print(f"{len(entries)} learned wording(s)")
        return 0
    finally:
        await db.close()
