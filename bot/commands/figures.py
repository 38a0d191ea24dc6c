"""`motcua stats`, `motcua report`, `motcua export`, `motcua demo`: figures out of the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.commands import UsageError


def _period(settings, args):
    """Default: the last twelve months up to today, local time."""
    from datetime import datetime, timedelta

    end = args.end or datetime.now(settings.timezone).date()
    start = args.start or (end.replace(day=1) - timedelta(days=335)).replace(day=1)
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    return start, end


async def stats(settings, args) -> int:
    from bot.ratings.stats import decision_766, format_table, satisfaction, to_json
    from bot.store import open_store

    agency = settings.agency_code(args.agency) if args.agency else None
    if args.agency and agency is None:
        print(f"motcua: unknown agency code {args.agency!r}", file=sys.stderr)
        return 2
    start, end = _period(settings, args)
    db = await open_store(settings)
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


async def report(settings, args) -> int:
    from bot.ratings.report import write_report
    from bot.store import open_store

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
    db = await open_store(settings)
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


async def export_feedback(settings, path: Path) -> int:
    """Published answers only (the sender agreed), no personal data."""
    from bot.feedback.export import export_csv
    from bot.store import open_store

    db = await open_store(settings)
    try:
        count = await export_csv(db, path, settings)
    finally:
        await db.close()
    print(f"wrote {count} published answers to {path}")
    return 0


async def demo(settings, args) -> int:
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
