"""`motcua officials` and `motcua learned`: the roster and the wordings officials linked."""

from __future__ import annotations

import sys

ROSTER_CHANNELS = ("telegram", "zalo", "terminal")


def _roster_id_problem(channel: str, user_id: str) -> str | None:
    """A Telegram user id is a positive integer, a Zalo one digits; the terminal any word."""
    if channel == "telegram" and not (user_id.isdigit() and int(user_id) > 0):
        return f"{user_id!r} is not a Telegram user id (a positive number, e.g. 123456789)"
    if channel == "zalo" and not user_id.isdigit():
        return f"{user_id!r} is not a Zalo user id (digits)"
    if not user_id.strip() or len(user_id) > 64:
        return f"{user_id!r} is not a user id"
    return None


async def officials(settings, args) -> int:
    from bot.people.officials import Officials
    from bot.store import open_store

    db = await open_store(settings)
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


async def learned(settings, args) -> int:
    """List or remove what officials taught the search; a running bot notices within a minute."""
    from bot.catalog import learned
    from bot.store import open_store

    db = await open_store(settings)
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
