"""The core services of one running bot, opened once and shared by every channel.

`motcua run` opens it in the runtime (bot/runtime.py) before any channel starts;
the terminal chat and the CLI's one-shot commands open it around their own work.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from bot.catalog import learned
from bot.catalog.model import Procedure
from bot.catalog.repository import CatalogRepository
from bot.catalog.search import SearchIndex
from bot.conversations import Conversations
from bot.dossiers.notices import DossierNotifier
from bot.dossiers.repository import DossierRepository
from bot.feedback import FeedbackService
from bot.locks import PersonLocks
from bot.metrics import Metrics
from bot.people.officials import Officials
from bot.people.privacy import Privacy
from bot.people.subscriptions import Subscriptions
from bot.questions import Questions
from bot.ratings.repository import Ratings
from bot.recent import RecentTopics
from bot.settings import Settings
from bot.store import Database, open_store
from bot.throttle import LookupGuard, NoticeGuard
from bot.users import Users
from bot.workdays.calendar import WorkCalendar, default_calendar

log = logging.getLogger(__name__)
LEARNED_CHECK = 60.0  # seconds between looks at the store for learned wordings


@dataclass
class Core:
    settings: Settings
    db: Database
    catalog: CatalogRepository
    index: SearchIndex
    users: Users
    questions: Questions
    dossiers: DossierRepository
    privacy: Privacy
    subscriptions: Subscriptions
    officials: Officials
    notifier: DossierNotifier
    calendar: WorkCalendar
    ratings: Ratings
    conversations: Conversations
    feedback: FeedbackService
    lookup_guard: LookupGuard = field(default_factory=LookupGuard)
    notice_guard: NoticeGuard = field(default_factory=NoticeGuard)
    metrics: Metrics = field(default_factory=Metrics)  # this runtime's counters (GET /metrics)
    locks: PersonLocks = field(default_factory=PersonLocks)  # one per (channel, person) at work
    recent: RecentTopics = field(init=False)  # what each user was last shown

    def __post_init__(self) -> None:
        self.feedback.on_waiting = self.conversations.forget_idle
        if not hasattr(self, "recent"):
            self.recent = RecentTopics(self.db)
        self._by_code8: dict[str, Procedure] = {}
        # Texts rendered from the catalog in memory (cards per locale), dropped with it.
        self.rendered: dict[tuple[str, ...], str] = {}
        self._learned_checked = -LEARNED_CHECK
        self._learned_version: tuple[int, int] | None = None
        for code in sorted(self.index.procedures, key=lambda c: (len(c), c), reverse=True):
            self._by_code8[code[:8]] = self.index.procedures[code]

    async def procedure(self, code: str) -> Procedure | None:
        """From the catalog in memory (the one the index was built on), else from the store.

        A code of 8 characters means the national part: the shortest full code wins.
        """
        proc = self.index.procedures.get(code)
        if proc is None and len(code) == 8:
            proc = self._by_code8.get(code)
        return proc or await self.catalog.get(code)

    async def reload_index(self) -> None:
        """Rebuild the search index after the catalog changed."""
        self.index = await build_index(self.db, self.catalog, self.dossiers)
        self.__post_init__()
        await self.refresh_learned(force=True)

    async def refresh_learned(self, force: bool = False) -> None:
        """Teach the index the wordings officials linked to procedures.

        Cheap to call before every search: the store is asked at most every
        LEARNED_CHECK seconds whether anything changed (`motcua learned remove`
        runs in another process), and the wordings are reloaded only then.
        """
        now = time.monotonic()
        if not force and now - self._learned_checked < LEARNED_CHECK:
            return
        self._learned_checked = now
        current = await learned.version(self.db)
        if force or current != self._learned_version:
            self._learned_version = current
            self.index.teach(await learned.load(self.db))

    def tracking_sync(self):
        """The upstream one-stop system's sync, writing events through the notifier."""
        from bot.dossiers.agency_ids import AgencyResolver
        from bot.dossiers.sync import TrackingSync

        s = self.settings
        token = str(s.tracking_token) or None
        return TrackingSync(
            self.db,
            s.tracking_url,
            token,
            s.timezone,
            on_events=self.notifier,
            agencies=AgencyResolver(s.agencies),
        )

    async def close(self) -> None:
        await self.recent.flush()
        await self.db.close()


async def open_core(settings: Settings, db: Database | None = None, *, check: bool = False) -> Core:
    """Open the store (or take `db`, opened already), seed the default catalog when empty,
    build the search index.

    `check`: refuse (StoreError) a store SQLite's quick check finds damaged (the bot).
    """
    owned = db is None
    db = db or await open_store(settings, check=check)
    try:
        catalog = CatalogRepository(db)
        await seed_default_catalog(db)
        procedures = await catalog.all()
    except BaseException:
        if owned:
            await db.close()  # never leave the store's thread running behind an error
        raise
    dossiers = DossierRepository(db, settings.timezone)
    index = await build_index(db, catalog, dossiers, procedures)
    log.info("catalog: %d procedures indexed", len(procedures))
    core = Core(
        settings,
        db,
        catalog,
        index,
        Users(db, settings.locale),
        Questions(db),
        dossiers,
        Privacy(db),
        Subscriptions(db),
        Officials(db),
        DossierNotifier(settings),
        default_calendar(),
        Ratings(db, settings),
        Conversations(db),
        FeedbackService(db, settings, staff_channel=settings.staff_channel),
    )
    await core.refresh_learned(force=True)
    return core


async def build_index(db: Database, catalog, dossiers, procedures=None) -> SearchIndex:
    """The search index with its prior: what is done at the deployment's levels and what
    citizens file here (the bundled everyday list, dossiers, officials' links)."""
    from bot.catalog import usage
    from bot.catalog.default import load_default_catalog

    procedures = procedures if procedures is not None else await catalog.all()
    prior = usage.prior(
        (p.code for p in load_default_catalog()),
        await dossiers.counts_by_procedure(),
        await learned.linked_codes(db),
    )
    return SearchIndex(procedures, preferred_levels=("xa", "tinh"), usage=prior)


async def seed_default_catalog(db: Database) -> int:
    """Keep the bundled catalog's layer as this release ships it, so a fresh machine answers
    at once and a store imported first (or before layers) gets its curated text back; a
    procedure a release no longer bundles keeps only what was imported for it.

    Reads only when the layer is already current; returns how many procedures it changed.
    """
    from bot.catalog.default import load_default_catalog
    from bot.catalog.repository import drop_layer, upsert

    procedures = load_default_catalog()
    from bot.store.catalog import layer_hashes

    stored = await layer_hashes(db, "default")
    stale = [p for p in procedures if stored.get(p.code) != p.content_hash()]
    gone = sorted(set(stored) - {p.code for p in procedures})
    if not stale and not gone:
        return 0
    async with db.transaction() as conn:
        for proc in stale:
            await upsert(conn, proc)
        for code in gone:
            await drop_layer(conn, "default", code)
    log.info("catalog: bundled layer: %d written, %d no longer bundled", len(stale), len(gone))
    return len(stale) + len(gone)
