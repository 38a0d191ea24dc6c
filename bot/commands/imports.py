"""`motcua import`, `motcua sync`, `motcua agencies`: data in, and whether it fits."""

from __future__ import annotations

import sys
from pathlib import Path


async def import_catalog(settings, kind: str, paths: list[Path]) -> int:
    """Exit 0: every row accepted; 1: a file unreadable or nothing accepted; 2: some rejected."""
    from bot.catalog.importer import import_procedures
    from bot.core import seed_default_catalog
    from bot.store import open_store

    db = await open_store(settings)
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


async def import_dossiers(settings, paths: list[Path]) -> int:
    """Status changes found by the import reach subscribers through the outbox.

    Exit codes as `import procedures`; each file is imported whole or not at all.
    """
    from bot.dossiers.agency_ids import AgencyResolver
    from bot.dossiers.importer import FileRefused, import_dossiers
    from bot.dossiers.notices import DossierNotifier
    from bot.import_files import exit_code
    from bot.store import open_store

    db = await open_store(settings)
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


def agencies_check(settings) -> int:
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


async def sync(settings, forever: bool) -> int:
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
