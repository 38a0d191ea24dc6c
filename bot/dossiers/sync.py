"""`TrackingSync`: pull dossier changes from a tracking API into the store, periodically.

Request (one page):

    GET {url}?updated_since=<cursor>          (no parameter on the very first run)
    Authorization: Bearer <token>             (only when a token is set)
    Accept: application/json

Response, status 200, JSON, either an object

    {"items": [ITEM, ...], "next_cursor": "2026-03-04T08:00:00+07:00", "has_more": false}

or a bare list `[ITEM, ...]`. ITEM has the fields of an import row (code,
procedure_code, agency_code, applicant_name, applicant_phone, channel,
received_at, due_at, status, status_at, result_place, note; see
`bot.dossiers.records`) and may carry `updated_at`. Times are ISO 8601, local
time (MOTCUA_TIMEZONE) when they have no offset; status is the number 1-10.

The cursor: `next_cursor` when the server gives one (a string, sent back as
is); otherwise the latest `updated_at` (else `status_at`) among the items, as
UTC "YYYY-MM-DDTHH:MM:SSZ"; with no items it stays. The server should treat
`updated_since` as inclusive (>=): items seen again are simply "unchanged".
`"has_more": true` asks for the next page at once (at most `max_pages` a run).

Failures: timeouts, connection errors, 5xx answers and bodies that are not
JSON of that shape are retried with exponential backoff and jitter, then the
run gives up until the next one, changing nothing; 4xx answers (401, 404,
429 ...) are not retried. A bad item is reported and skipped (the cursor
moves past it: fetching it again would not make it good). The cursor is
written in the same transaction as the last of the items it covers, so a
crash never skips an item and never loses one: at worst items come again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.clock import stamp, utcnow
from bot.dossiers.agency_ids import AGENCY, AgencyResolver
from bot.dossiers.records import RecordError, Row, parse_row, stamp_time
from bot.dossiers.repository import OnEvents, apply_rows
from bot.store import Database
from bot.store import dossiers as dossier_store

log = logging.getLogger(__name__)

SOURCE = "sync"
BATCH = 5_000
MAX_DELAY = 60.0


@dataclass
class SyncReport:
    ok: bool = True
    pages: int = 0
    attempts: int = 0  # HTTP requests made, retries included
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (item index, reason)
    cursor_before: str | None = None
    cursor: str | None = None  # after the run (the stored one)
    error: str | None = None  # why the run stopped early
    unknown_agency: list[str] = field(default_factory=list)  # dossier codes, stored as given

    def summary(self) -> str:
        head = "ok" if self.ok else f"failed ({self.error})"
        unknown = f", unknown agency {len(self.unknown_agency)}" if self.unknown_agency else ""
        return (
            f"{head}: added {self.added}, updated {self.updated}, unchanged {self.unchanged},"
            f" rejected {len(self.rejected)}{unknown}; cursor {self.cursor or '-'}"
        )


class _Retry(Exception):
    """This attempt failed in a way worth trying again."""


class _GiveUp(Exception):
    """This run cannot go on (4xx, or out of retries)."""


@dataclass
class _Page:
    items: list[Any]
    next_cursor: str | None
    has_more: bool


async def last_syncs(db: Database) -> dict[str, str]:
    """When each sync's cursor last moved (sync_state), for /healthz: name -> store time."""
    return await dossier_store.sync_times(db)


class TrackingSync:
    """One tracking API, one cursor (sync_state row `name`)."""

    def __init__(
        self,
        db: Database,
        url: str,
        token: str | None = None,
        tz: tzinfo | None = None,
        client: httpx.AsyncClient | None = None,
        on_events: OnEvents | None = None,
        max_retries: int = 5,
        backoff: float = 0.5,
        name: str = "tracking",
        timeout: float = 30.0,
        max_pages: int = 100,
        agencies: AgencyResolver | None = None,
    ):
        self.db = db
        self.agencies = agencies  # aliases stored as the agency's code
        self.url = url
        self._token = token or ""
        self.tz = tz or ZoneInfo("Asia/Ho_Chi_Minh")
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        self.on_events = on_events
        self.max_retries = max_retries
        self.backoff = backoff
        self.name = name
        self.max_pages = max_pages

    async def __aenter__(self) -> TrackingSync:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_client:
            await self.client.aclose()

    async def cursor(self) -> str | None:
        return await dossier_store.sync_cursor(self.db, self.name)

    async def run_forever(self, interval: float) -> None:
        """run_once every `interval` seconds until cancelled; a failed run is logged, not fatal."""
        while True:
            try:
                report = await self.run_once()
                log.info("dossier sync: %s", report.summary())
            except Exception:
                log.exception("dossier sync: run failed")
            await asyncio.sleep(interval)

    async def run_once(self) -> SyncReport:
        cursor = await self.cursor()
        report = SyncReport(cursor_before=cursor, cursor=cursor)
        offset = 0  # item indexes count across pages
        for _ in range(self.max_pages):
            try:
                page = await self._fetch(cursor, report)
            except _GiveUp as exc:
                report.ok, report.error = False, str(exc)
                log.error("dossier sync: giving up this round: %s", exc)
                return report
            report.pages += 1
            rows = self._validate(page.items, offset, report)
            offset += len(page.items)
            new_cursor = page.next_cursor or self._latest(page.items) or cursor
            try:
                await self._store(rows, new_cursor if new_cursor != cursor else None, report)
            except Exception as exc:
                log.exception("dossier sync: storing a page failed, the cursor stays")
                report.ok, report.error = False, f"store failed: {exc!r}"
                return report
            moved = new_cursor != cursor
            cursor = report.cursor = new_cursor
            if not (page.has_more and moved):
                break
        return report

    async def _fetch(self, cursor: str | None, report: SyncReport) -> _Page:
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        params = {"updated_since": cursor} if cursor else {}
        for attempt in range(self.max_retries + 1):
            report.attempts += 1
            try:
                response = await self.client.get(self.url, params=params, headers=headers)
                return self._page(response)
            except (_Retry, httpx.RequestError) as exc:
                reason = str(exc) or type(exc).__name__
                if attempt == self.max_retries:
                    raise _GiveUp(f"{reason} (after {attempt + 1} attempts)") from None
                delay = min(MAX_DELAY, self.backoff * 2**attempt)
                delay += random.uniform(0, delay / 2)
                log.warning(
                    "dossier sync: %s; retry %d/%d in %.1f s",
                    reason,
                    attempt + 1,
                    self.max_retries,
                    delay,
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _page(self, response: httpx.Response) -> _Page:
        status = response.status_code
        if status >= 500:
            raise _Retry(f"HTTP {status}")
        if status >= 300:
            raise _GiveUp(f"HTTP {status} (not retried)")
        if status == 204 or not response.content.strip():
            return _Page([], None, False)
        try:
            data = response.json()
        except ValueError as exc:
            raise _Retry(f"response is not JSON: {exc}") from None
        if isinstance(data, list):
            return _Page(data, None, False)
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            next_cursor = data.get("next_cursor")
            if next_cursor is not None and not isinstance(next_cursor, str):
                raise _Retry("next_cursor is not a string")
            return _Page(data["items"], next_cursor or None, data.get("has_more") is True)
        raise _Retry("response is neither a list nor an object with an 'items' list")

    def _validate(self, items: list[Any], offset: int, report: SyncReport) -> list[Row]:
        rows: list[Row] = []
        for i, item in enumerate(items, offset):
            if not isinstance(item, dict):
                report.rejected.append((i, "item is not an object"))
                log.warning("dossier sync: item %d skipped: not an object", i)
                continue
            try:
                rows.append(parse_row(item, self.tz))
            except RecordError as exc:
                code = item.get("code")
                reason = f"{code}: {exc}" if isinstance(code, str) else str(exc)
                report.rejected.append((i, reason))
                log.warning("dossier sync: item %d skipped: %s", i, reason)
        if self.agencies is not None and rows:
            rows, unknown = self.agencies.resolve(rows)
            report.unknown_agency.extend(rows[i][0] for i in unknown)
            for i in unknown:
                log.warning("dossier sync: %s: unknown agency %r", rows[i][0], rows[i][AGENCY])
        return rows

    def _latest(self, items: list[Any]) -> str | None:
        """The latest updated_at (else status_at) of the items, in the stored UTC form."""
        latest = None
        for item in items:
            if not isinstance(item, dict):
                continue
            for key in ("updated_at", "status_at"):
                with contextlib.suppress(RecordError):
                    moment = stamp_time(item.get(key), self.tz, key)
                    if moment is not None:
                        latest = moment if latest is None else max(latest, moment)
                        break
        return latest

    async def _store(self, rows: list[Row], cursor: str | None, report: SyncReport) -> None:
        """Apply the rows in batches; the new cursor (if any) commits with the last batch."""
        batches = [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)] or [[]]
        for n, batch in enumerate(batches):
            async with self.db.transaction() as conn:
                if batch:
                    outcomes, _ = await apply_rows(
                        conn, batch, SOURCE, on_events=self.on_events, collect=False
                    )
                else:
                    outcomes = []
                if cursor is not None and n == len(batches) - 1:
                    await dossier_store.set_sync_cursor(conn, self.name, cursor, stamp(utcnow()))
            report.added += outcomes.count("added")
            report.updated += outcomes.count("updated")
            report.unchanged += outcomes.count("unchanged")
