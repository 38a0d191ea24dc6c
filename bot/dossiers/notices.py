"""The dossiers' notices: their events as outbox messages, texts included.

`DossierNotifier` is called as `on_events` by every writer (import, sync, officials),
inside the transaction that made the change, so each subscriber gets exactly one
message per event: the dedupe key is (event id, chat), and it commits with the change
or not at all. The reminder job's events (`DueSoon`, `DeskOverdue`) are worded here too.
The parts a lookup's card shares are in `wording`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime

from bot.clock import unstamp, utcnow
from bot.dossiers.events import DeskOverdue, DossierReturned, DueSoon
from bot.dossiers.lateness import load_verdict
from bot.dossiers.model import Apology, Dossier, DossierEvent
from bot.dossiers.wording import (
    RETURNED,
    CardContext,
    lateness,
    may_see_notes,
    status_body,
    status_name,
)
from bot.i18n import Translator, translator
from bot.notify.events import notice, record
from bot.notify.outbox import Priority, enqueue
from bot.notify.zns import dossier_notice
from bot.people.subscriptions import Subscriber, subscribers
from bot.people.subscriptions import add as subscribe
from bot.reply import Button, Reply, esc
from bot.settings import Settings
from bot.store import catalog as catalog_store
from bot.store import dossiers as dossier_store
from bot.store import people
from bot.store.sql import Conn
from bot.users import stored_locale
from bot.workdays.calendar import WorkCalendar, default_calendar

DIGEST_LINES = 15  # dossiers listed in one desk digest; /quahan shows them all


class DossierNotifier:
    def __init__(self, settings: Settings, calendar: WorkCalendar | None = None):
        self.settings = settings
        self.tz = settings.timezone
        self.default_locale = settings.locale
        self.calendar = calendar or default_calendar()

    async def __call__(self, conn: Conn, events: list[DossierEvent]) -> None:
        """One message per (event, subscriber); lookups are batched, imports send thousands."""
        apologised = {e.dossier_code for e in events if e.kind == "apology"}
        await self._subscribe_owners(conn, [e for e in events if e.kind == "created"])
        subs = await _subscribers_of(conn, {e.dossier_code for e in events})
        owners = await _owners_of(conn, events, subs)
        for event in events:
            if event.kind == "due_changed" and event.dossier_code in apologised:
                continue  # the apology says it, with the reason
            if event.kind == "created" and event.dossier and event.dossier.finished:
                continue  # an old, finished dossier arriving in a first import: no news
            for sub in subs.get(event.dossier_code, ()):
                t = translator(await self._locale(conn, sub.channel, sub.user_id))
                owner = (event.dossier_code, sub.channel, sub.user_id) in owners
                # an official's free text only to the verified owner, in their own chat
                verified = may_see_notes(owner, own_chat=sub.chat_id == sub.user_id)
                reply = await self.compose(conn, t, event, verified=verified)
                if reply is not None:
                    key = f"dossier-event:{event.id}:{sub.channel}:{sub.chat_id}"
                    state = _zns_state(event) or status_name(translator("vi"), event.dossier.status)
                    notice = dossier_notice(event.dossier, self.tz, state)
                    await enqueue(conn, sub.channel, sub.chat_id, reply, dedupe_key=key, zns=notice)
            if event.kind == "status" and event.to_status == RETURNED and event.dossier:
                name = await _procedure_name(conn, event.dossier.procedure_code)
                await record(conn, DossierReturned(event.dossier, name), self.settings)

    async def compose(
        self,
        conn: Conn,
        t: Translator,
        event: DossierEvent,
        *,
        verified: bool = False,
    ) -> Reply | None:
        """The message for one follower; `verified`: they proved the dossier is theirs, in
        their own chat, so the office's free text may be shown (see may_see_notes)."""
        _ = t.gettext
        notes = may_see_notes(verified)
        dossier = event.dossier
        if dossier is None:
            return None
        name = await _procedure_name(conn, dossier.procedure_code)
        head = "🔔 <b>" + _("Dossier %s") % esc(dossier.code) + "</b>"
        if name:
            head += "\n" + esc(name)
        due = self._day(t, dossier.due_at)
        rows = [[Button("📂 " + _("See the dossier"), f"d:show:{dossier.code}")]]
        if event.kind in ("created", "status"):
            body = _("New status: %s") % ("<b>" + esc(status_name(t, dossier.status)) + "</b>")
            now = utcnow()
            apology = None
            if dossier.apologized_due_at is not None:
                apology = await _latest_apology(conn, dossier.code)
            verdict = await load_verdict(conn, dossier, now, self.calendar, self.tz)
            agency = self.settings.agency(dossier.agency_code)
            ctx = CardContext(now, self.calendar, self.tz, agency, apology, verdict)
            lines = [head, body, *status_body(t, dossier, ctx, verified=verified)]
            if lateness(dossier, now, verdict) is not None:
                rows.insert(
                    0, [Button("✉️ " + _("Complain about the delay"), f"fb:late:{dossier.code}")]
                )
        elif event.kind == "due_changed":
            lines = [head, _("The appointment date is now %s.") % esc(due)]
        elif event.kind == "apology":
            lines = [
                head,
                "🙏 " + _("We are sorry: your result cannot be returned on the appointment date."),
                *([_("Reason: %s") % esc(event.reason or "")] if notes else []),
                _("New appointment date: %s") % ("<b>" + esc(due) + "</b>"),
                "👉 " + _("Nothing to do now; we will tell you when the result is ready."),
            ]
        else:
            return None
        return Reply("\n".join(lines), rows)

    async def note_changed(self, conn: Conn, dossier) -> int:
        """The office corrected its note: the verified owner(s) alone read it (may_see_notes)."""
        if not dossier.applicant_phone:
            return 0
        owners = await people.owners(conn, dossier.applicant_phone)
        sent = 0
        for channel, user_id in owners:
            t = translator(await self._locale(conn, channel, user_id))
            _ = t.gettext
            lines = [
                "🔔 <b>" + _("Dossier %s") % esc(dossier.code) + "</b>",
                "📄 " + _("The office updated its note: %s") % ("<b>" + esc(dossier.note) + "</b>"),
                "👉 " + _("Bring or send the missing documents to the one-stop desk."),
            ]
            key = f"dossier-note:{dossier.code}:{dossier.updated_at}:{channel}:{user_id}"
            sent += await enqueue(conn, channel, user_id, Reply("\n".join(lines)), dedupe_key=key)
        return sent

    def _day(self, t: Translator, moment: datetime | None) -> str:
        return t.day(moment.astimezone(self.tz)) if moment else t.gettext("not set")

    async def _locale(self, conn: Conn, channel: str, user_id: str) -> str:
        return await stored_locale(conn, channel, user_id) or self.default_locale

    async def _subscribe_owners(self, conn: Conn, created: list[DossierEvent]) -> None:
        """A verified citizen hears about a new dossier filed with their phone."""
        by_phone: dict[str, list[str]] = {}
        for event in created:
            phone = event.dossier.applicant_phone if event.dossier else None
            if phone:
                by_phone.setdefault(phone, []).append(event.dossier_code)
        for chunk in _chunks(list(by_phone)):
            owners = await people.owners_of_phones(conn, chunk)
            for channel, user_id, phone in owners:
                for code in by_phone[phone]:
                    await subscribe(conn, channel, user_id, user_id, code, "owner")


async def _subscribers_of(conn: Conn, codes: set[str]) -> dict[str, list[Subscriber]]:
    """Read inside the change's transaction: who was subscribed when it happened."""
    found: dict[str, list[Subscriber]] = {}
    for chunk in _chunks(sorted(codes)):
        for code, channel, chat_id, user_id in await people.subscribers_of(conn, chunk):
            found.setdefault(code, []).append(Subscriber(channel, chat_id, user_id))
    return found


def _zns_state(event: DossierEvent) -> str | None:
    """What the template's trang_thai says when it is not the new status itself."""
    if event.kind == "apology":
        return "Trễ hẹn, có ngày hẹn mới"
    if event.kind == "due_changed":
        return "Đổi ngày hẹn"
    return None


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def _procedure_name(conn: Conn, code: str) -> str | None:
    return await catalog_store.procedure_name(conn, code)


async def _owners_of(
    conn: Conn, events: list[DossierEvent], subs: dict[str, list[Subscriber]]
) -> set[tuple[str, str, str]]:
    """(dossier code, channel, user id) of followers whose verified phone is the applicant's."""
    phones: dict[str, set[str]] = {}
    for event in events:
        d = event.dossier
        if d is not None and d.applicant_phone and subs.get(d.code):
            phones.setdefault(d.applicant_phone, set()).add(d.code)
    owners: set[tuple[str, str, str]] = set()
    for chunk in _chunks(list(phones)):
        for channel, user_id, phone in await people.owners_of_phones(conn, chunk):
            for code in phones[phone]:
                owners.add((code, channel, user_id))
    return owners


async def _latest_apology(conn: Conn, code: str) -> Apology | None:
    r = await dossier_store.latest_apology(conn, code)
    if r is None:
        return None
    return Apology(
        r["id"],
        r["dossier_code"],
        r["reason"],
        unstamp(r["new_due_at"]),
        unstamp(r["recorded_at"]),
        r["recorded_by"],
        r["event_id"],
        unstamp(r["old_due_at"]),
    )


@notice(DueSoon)
async def due_soon(conn: Conn, e: DueSoon, settings: Settings) -> int:
    """Each follower, in their language, once per appointment date; the count newly queued."""
    dossier = e.dossier
    sent = 0
    for sub in await subscribers(conn, dossier.code):
        locale = await stored_locale(conn, sub.channel, sub.user_id) or settings.locale
        key = f"due-warning:{dossier.code}:{dossier.due_at.isoformat()}:{sub.chat_id}"
        zns = dossier_notice(dossier, settings.timezone, "Sắp đến hạn trả")
        sent += await enqueue(
            conn,
            sub.channel,
            sub.chat_id,
            _warning(settings, dossier, locale),
            dedupe_key=key,
            priority=Priority.BULK,
            zns=zns,
        )
    return sent


@notice(DeskOverdue)
async def desk_overdue(conn: Conn, e: DeskOverdue, settings: Settings) -> int:
    dossiers = list(e.dossiers)
    return await enqueue(
        conn,
        settings.staff_channel,
        e.chat,
        _desk_digest(settings, dossiers),
        dedupe_key=f"overdue-digest:{e.chat}:{_digest_id(dossiers)}",
        priority=Priority.BULK,
    )


def _warning(settings: Settings, dossier: Dossier, locale: str) -> Reply:
    t = translator(locale)
    _ = t.gettext
    tz = settings.timezone
    lines = [
        "⏰ <b>" + _("Dossier %s") % esc(dossier.code) + "</b>",
        _("Its appointment date is %s and it is not finished yet.")
        % esc(t.day(dossier.due_at.astimezone(tz))),
        _("Status: %s") % esc(status_name(t, dossier.status)),
        "👉 " + _("If the office cannot make it, it will apologise and give you a new date."),
    ]
    return Reply(
        "\n".join(lines), [[Button("📂 " + _("See the dossier"), f"d:show:{dossier.code}")]]
    )


def _digest_id(dossiers: list[Dossier]) -> str:
    """Names the digest by the reminders it carries (each claimed once ever), so two runs
    in the same second never collide."""
    keys = sorted(f"{d.code}:{d.due_at.isoformat()}" for d in dossiers)
    return hashlib.sha1("\n".join(keys).encode()).hexdigest()[:16]


def _share(groups: dict[str, list], lines: int) -> dict[str, int]:
    """How many of each group to list: in turns, so every agency shows some."""
    shown = dict.fromkeys(groups, 0)
    while lines > 0 and any(shown[k] < len(v) for k, v in groups.items()):
        for key in sorted(groups):
            if lines > 0 and shown[key] < len(groups[key]):
                shown[key] += 1
                lines -= 1
    return shown


def _desk_digest(settings: Settings, dossiers: list[Dossier]) -> Reply:
    """Overdue without an apology: by agency, most overdue first, at most DIGEST_LINES."""
    t = translator(settings.locale)
    _ = t.gettext
    tz = settings.timezone
    by_agency: dict[str, list[Dossier]] = defaultdict(list)
    for dossier in sorted(dossiers, key=lambda d: (d.due_at, d.code)):
        by_agency[dossier.agency_code].append(dossier)
    lines = ["⚠️ <b>" + _("Overdue without an apology: %s") % len(dossiers) + "</b>"]
    shown = _share(by_agency, DIGEST_LINES)
    listed = 0
    for code in sorted(by_agency):
        agency = settings.agency(code)
        name = esc(agency.name if agency else code)
        lines.append(f"🏢 <b>{name}</b> ({len(by_agency[code])})")
        for dossier in by_agency[code][: shown[code]]:
            day = esc(t.day(dossier.due_at.astimezone(tz)))
            status = esc(status_name(t, dossier.status))
            lines.append(f"• {esc(dossier.code)} — {day} — {status}")
            listed += 1
    if listed < len(dossiers):
        more = _("… and %(count)s more: send /quahan to see all")
        lines.append(more % {"count": len(dossiers) - listed})
    lines.append("👉 " + _("Record the apology and the new date: /xinloi CODE DD/MM/YYYY reason"))
    return Reply("\n".join(lines))
