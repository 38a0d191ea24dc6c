"""Settings read from the environment and an optional `.env` file.

One place validates everything, so a bad deployment stops at start-up with one
line naming the setting instead of failing later in front of a citizen.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.agencies import Agency, AgencyConfigError, agency_index, alias_key, load_agencies

SUPPORTED_LOCALES = ("vi", "en")
# Channels whose group chats officials can work from (terminal: `motcua chat` trials).
STAFF_CHANNELS = ("telegram", "terminal")
DEFAULT_DB = "var/motcua.sqlite3"
DEFAULT_AGENCIES = Path(__file__).parent / "data" / "agencies.json"
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_PUBLIC_URL_RE = re.compile(r"^https://[A-Za-z0-9.\-]+(:\d{1,5})?(/[^\s?#]*)?$")


class SettingsError(ValueError):
    """A setting is invalid; the message names it in one line."""


class Secret(str):
    """A string that never shows itself in logs or reprs."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"


@dataclass(frozen=True)
class ZaloSettings:
    """The Zalo Official Account channel (docs: README "Putting it on a Zalo OA")."""

    app_id: str
    app_secret: Secret  # the app's secret key: token refresh (OAuth `secret_key` header)
    oa_secret: Secret  # the OA secret key: webhook signatures (not the app secret)
    access_token: Secret  # the first pair only; newer pairs live in the store and win
    refresh_token: Secret
    api_base_url: str = "https://openapi.zalo.me"
    oauth_base_url: str = "https://oauth.zaloapp.com"
    zns_base_url: str = "https://business.openapi.zalo.me"
    zns_template_dossier: str = ""  # ma_ho_so, trang_thai, ngay_hen; empty: no ZNS
    zns_template_feedback: str = ""  # ma_phan_anh, trang_thai
    officials_group_id: str = ""  # GMF group for officials' alerts; empty: none
    # Unconfirmed platform facts ([U] in the fact sheet), kept behind settings:
    buttons: str = "template"  # "template": text+buttons template; "numbers": typed choices
    info_image_url: str = ""  # request_user_info image; default: the bot's banner (PUBLIC_URL)
    zns_development: bool = False  # ZNS "mode":"development" (delivers to admins only)
    paid_cs: bool = False  # the OA pays for CS messages 48 h-7 days after a citizen wrote
    verifier_file: Path | None = None  # zalo_verifier….html, served for domain verification


@dataclass(frozen=True)
class Settings:
    telegram_token: Secret = Secret("")
    telegram_api_base_url: str | None = None
    db_path: Path = Path(DEFAULT_DB)
    database_url: Secret = Secret("")  # postgresql://…: PostgreSQL instead of the SQLite file
    db_pool_size: int = 10  # PostgreSQL connections per process
    locale: str = "vi"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    officials_chat_id: int | None = None
    leaders_chat_id: int | None = None
    agencies_file: Path = DEFAULT_AGENCIES
    agencies: tuple[Agency, ...] = ()
    portal_url: str = "https://dichvucong.gov.vn"
    tracking_url: str | None = None
    tracking_token: Secret = Secret("")
    sync_interval: float = 300.0
    reminder_interval: float = 900.0
    staff_channel: str = "telegram"  # where the officials' and leaders' chats live
    backup_dir: Path | None = None  # daily copies of the store (None: no daily backups)
    backup_keep: int = 7  # how many daily copies to keep
    http_host: str = "127.0.0.1"  # MOTCUA_HTTP_LISTEN: the one HTTP server's address
    http_port: int = 8080
    http_listen_set: bool = False  # set explicitly: serve /healthz and /metrics even when polling
    public_url: str | None = None  # MOTCUA_PUBLIC_URL: https base Telegram/Zalo post webhooks to
    zalo: ZaloSettings | None = None  # None: the Zalo OA channel is not configured

    @property
    def has_telegram(self) -> bool:
        return bool(self.telegram_token)

    @property
    def telegram_webhook(self) -> bool:
        """Telegram posts updates to us (MOTCUA_PUBLIC_URL set) instead of being polled."""
        return self.has_telegram and self.public_url is not None

    @property
    def has_zalo(self) -> bool:
        return self.zalo is not None

    @property
    def staff_mirrors(self) -> tuple[tuple[str, str], ...]:
        """(channel, chat) that also get the desk's new-ticket and question alerts, as text
        to read (their buttons work in the staff channel only): the OA's officials group."""
        if self.zalo and self.zalo.officials_group_id:
            return (("zalo", "group:" + self.zalo.officials_group_id),)
        return ()

    @cached_property
    def _agency_index(self) -> dict[str, Agency]:
        return agency_index(self.agencies)

    def agency(self, code: str | None) -> Agency | None:
        """The agency by its code or any alias (the tracking system's id); None if unknown."""
        if not code:
            return None
        return self._agency_index.get(alias_key(code))

    def agency_code(self, code: str | None) -> str | None:
        """The canonical code for a code or an alias; None if no agency has it."""
        agency = self.agency(code)
        return agency.code if agency else None

    def agency_name(self, code: str | None) -> str:
        """What people read: the agency's name, else the code as given."""
        agency = self.agency(code)
        return agency.name if agency else (code or "")

    def desk_chat(self, agency_code: str) -> int | None:
        """The agency's own officials chat, else the shared one (None: not set up)."""
        agency = self.agency(agency_code)
        if agency and agency.officials_chat_id is not None:
            return agency.officials_chat_id
        return self.officials_chat_id


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; comments and blank lines are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


def load_settings(
    environ: dict[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Build Settings from `.env` overlaid by the real environment."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str:
        return env.get(name, "").strip()

    token = get("TELEGRAM_BOT_TOKEN")
    if token and not _TOKEN_RE.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: not a bot token"
            " (expected digits, ':' and the secret from @BotFather)"
        )
    base_url = get("TELEGRAM_API_BASE_URL") or None
    if base_url and not re.match(r"^https?://[^\s/]+(/\S*)?$", base_url):
        raise SettingsError(f"TELEGRAM_API_BASE_URL: not an http(s) URL: {base_url!r}")
    locale = get("MOTCUA_LOCALE") or "vi"
    if locale not in SUPPORTED_LOCALES:
        raise SettingsError(
            f"MOTCUA_LOCALE: {locale!r} is not one of {', '.join(SUPPORTED_LOCALES)}"
        )
    tz_name = get("MOTCUA_TIMEZONE") or "Asia/Ho_Chi_Minh"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"MOTCUA_TIMEZONE: unknown time zone {tz_name!r}") from None
    officials = get("MOTCUA_OFFICIALS_CHAT_ID")
    officials_chat_id = _chat_id("MOTCUA_OFFICIALS_CHAT_ID", officials) if officials else None
    leaders = get("MOTCUA_LEADERS_CHAT_ID")
    leaders_chat_id = _chat_id("MOTCUA_LEADERS_CHAT_ID", leaders) if leaders else None
    agencies_file = Path(get("MOTCUA_AGENCIES_FILE") or DEFAULT_AGENCIES)
    try:
        agencies = tuple(load_agencies(agencies_file))
    except AgencyConfigError as exc:
        raise SettingsError(f"MOTCUA_AGENCIES_FILE: {exc}") from None
    staff_channel = get("MOTCUA_STAFF_CHANNEL") or "telegram"
    if staff_channel not in STAFF_CHANNELS:
        raise SettingsError(
            f"MOTCUA_STAFF_CHANNEL: {staff_channel!r} is not one of {', '.join(STAFF_CHANNELS)}"
        )
    tracking_url = get("MOTCUA_TRACKING_URL") or None
    if tracking_url and not re.match(r"^https?://[^\s/]+(/\S*)?$", tracking_url):
        raise SettingsError(f"MOTCUA_TRACKING_URL: not an http(s) URL: {tracking_url!r}")
    backup_dir = Path(get("MOTCUA_BACKUP_DIR")) if get("MOTCUA_BACKUP_DIR") else None
    if backup_dir is not None and backup_dir.exists() and not backup_dir.is_dir():
        raise SettingsError(f"MOTCUA_BACKUP_DIR: {str(backup_dir)!r} is a file, not a folder")
    listen = get("MOTCUA_HTTP_LISTEN")
    http_host, http_port = _listen(listen or "127.0.0.1:8080")
    public_url = get("MOTCUA_PUBLIC_URL").rstrip("/") or None
    if public_url and not _PUBLIC_URL_RE.match(public_url):
        raise SettingsError(
            f"MOTCUA_PUBLIC_URL: not an https URL (Telegram and Zalo post only to https):"
            f" {public_url!r}"
        )
    db_path, database_url = _database(get("MOTCUA_DATABASE_URL"), get("MOTCUA_DB"))
    return Settings(
        telegram_token=Secret(token),
        telegram_api_base_url=base_url,
        db_path=db_path,
        database_url=Secret(database_url),
        db_pool_size=_count("MOTCUA_DB_POOL_SIZE", get("MOTCUA_DB_POOL_SIZE"), 10, 1, 1000),
        locale=locale,
        timezone=tz,
        officials_chat_id=officials_chat_id,
        leaders_chat_id=leaders_chat_id if leaders_chat_id is not None else officials_chat_id,
        agencies_file=agencies_file,
        agencies=agencies,
        portal_url=(get("MOTCUA_PORTAL_URL") or "https://dichvucong.gov.vn").rstrip("/"),
        tracking_url=tracking_url,
        tracking_token=Secret(get("MOTCUA_TRACKING_TOKEN")),
        sync_interval=_seconds("MOTCUA_SYNC_INTERVAL", get("MOTCUA_SYNC_INTERVAL"), 300.0),
        reminder_interval=_seconds(
            "MOTCUA_REMINDER_INTERVAL", get("MOTCUA_REMINDER_INTERVAL"), 900.0
        ),
        staff_channel=staff_channel,
        backup_dir=backup_dir,
        backup_keep=_count("MOTCUA_BACKUP_KEEP", get("MOTCUA_BACKUP_KEEP"), 7, 1, 365),
        http_host=http_host,
        http_port=http_port,
        http_listen_set=bool(listen),
        public_url=public_url,
        zalo=_zalo(get, public_url),
    )


# The refresh token is not needed here: `motcua zalo connect` stores the first pair.
_ZALO_NEEDED = (
    "MOTCUA_ZALO_APP_ID",
    "MOTCUA_ZALO_APP_SECRET",
    "MOTCUA_ZALO_OA_SECRET",
)


def _zalo(get, public_url: str | None = None) -> ZaloSettings | None:
    """The Zalo channel when any of its settings is given; then all it needs must be."""
    names = (*_ZALO_NEEDED, "MOTCUA_ZALO_ACCESS_TOKEN", "MOTCUA_ZALO_REFRESH_TOKEN")
    if not any(get(n) for n in names):
        return None
    missing = [name for name in _ZALO_NEEDED if not get(name)]
    if missing:  # all of them at once: one round trip to fix the file, not four
        raise SettingsError(f"{', '.join(missing)}: missing (the Zalo OA channel needs them)")
    app_id = get("MOTCUA_ZALO_APP_ID")
    if not app_id.isdigit():
        raise SettingsError(f"MOTCUA_ZALO_APP_ID: {app_id!r} is not a Zalo app id (digits)")
    urls = {}
    for name, default in (
        ("MOTCUA_ZALO_API_BASE_URL", "https://openapi.zalo.me"),
        ("MOTCUA_ZALO_OAUTH_BASE_URL", "https://oauth.zaloapp.com"),
        ("MOTCUA_ZNS_BASE_URL", "https://business.openapi.zalo.me"),
        ("MOTCUA_ZALO_INFO_IMAGE_URL", ""),
    ):
        url = get(name) or default
        if url and not re.match(r"^https?://[^\s/]+(/\S*)?$", url):
            raise SettingsError(f"{name}: not an http(s) URL: {url!r}")
        urls[name] = url.rstrip("/") if name != "MOTCUA_ZALO_INFO_IMAGE_URL" else url
    templates = {}
    for name in ("MOTCUA_ZNS_TEMPLATE_DOSSIER", "MOTCUA_ZNS_TEMPLATE_FEEDBACK"):
        value = get(name)
        if value and not value.isdigit():
            raise SettingsError(f"{name}: {value!r} is not a ZNS template id (digits)")
        templates[name] = value
    group = get("MOTCUA_ZALO_OFFICIALS_GROUP_ID")
    if group and not re.match(r"^[A-Za-z0-9_-]{1,64}$", group):
        raise SettingsError(f"MOTCUA_ZALO_OFFICIALS_GROUP_ID: {group!r} is not a group id")
    buttons = get("MOTCUA_ZALO_BUTTONS") or "template"
    if buttons not in ("template", "numbers"):
        raise SettingsError(f"MOTCUA_ZALO_BUTTONS: {buttons!r} is not one of template, numbers")
    flags = {}
    for name in ("MOTCUA_ZNS_DEVELOPMENT", "MOTCUA_ZALO_PAID_CS"):
        flags[name] = get(name) or "0"
        if flags[name] not in ("0", "1"):
            raise SettingsError(f"{name}: {flags[name]!r} is not 0 or 1")
    verifier = get("MOTCUA_ZALO_VERIFIER_FILE")
    if verifier and not re.fullmatch(r"zalo_verifier[\w-]*\.html", Path(verifier).name):
        raise SettingsError(f"MOTCUA_ZALO_VERIFIER_FILE: {verifier!r} is not zalo_verifier….html")
    if verifier and not Path(verifier).is_file():
        raise SettingsError(f"MOTCUA_ZALO_VERIFIER_FILE: {verifier}: no such file")
    image = urls["MOTCUA_ZALO_INFO_IMAGE_URL"]
    if not image and public_url:
        image = public_url + "/zalo/banner.png"  # the bundled banner (bot/channels/zalo)
    return ZaloSettings(
        app_id=app_id,
        app_secret=Secret(get("MOTCUA_ZALO_APP_SECRET")),
        oa_secret=Secret(get("MOTCUA_ZALO_OA_SECRET")),
        access_token=Secret(get("MOTCUA_ZALO_ACCESS_TOKEN")),
        refresh_token=Secret(get("MOTCUA_ZALO_REFRESH_TOKEN")),
        api_base_url=urls["MOTCUA_ZALO_API_BASE_URL"],
        oauth_base_url=urls["MOTCUA_ZALO_OAUTH_BASE_URL"],
        zns_base_url=urls["MOTCUA_ZNS_BASE_URL"],
        zns_template_dossier=templates["MOTCUA_ZNS_TEMPLATE_DOSSIER"],
        zns_template_feedback=templates["MOTCUA_ZNS_TEMPLATE_FEEDBACK"],
        officials_group_id=group,
        buttons=buttons,
        info_image_url=image,
        zns_development=flags["MOTCUA_ZNS_DEVELOPMENT"] == "1",
        paid_cs=flags["MOTCUA_ZALO_PAID_CS"] == "1",
        verifier_file=Path(verifier) if verifier else None,
    )


def _database(url: str, db: str) -> tuple[Path, str]:
    """(SQLite file, PostgreSQL URL or ""): MOTCUA_DATABASE_URL wins over MOTCUA_DB.

    Unset: SQLite at MOTCUA_DB (zero set-up); sqlite:///var/x.sqlite3 (relative) or
    sqlite:////srv/x.sqlite3 (absolute); postgresql://user:pass@host:5432/motcua.
    """
    if not url:
        return Path(db or DEFAULT_DB), ""
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return Path(url[len("sqlite:///") :]), ""
    if re.match(r"^postgres(ql)?://\S+$", url):
        return Path(db or DEFAULT_DB), url
    shown = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
    raise SettingsError(
        f"MOTCUA_DATABASE_URL: {shown!r} is neither sqlite:///path nor postgresql://…"
    )


def _count(name: str, value: str, default: int, low: int, high: int) -> int:
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise SettingsError(f"{name}: {value} is outside {low}..{high}")
    return number


def _listen(value: str) -> tuple[str, int]:
    """host:port (an IPv6 host in brackets: [::1]:8080; port 0: any free port)."""
    host, sep, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not re.fullmatch(r"[A-Za-z0-9.\-:]+", host):
        raise SettingsError(f"MOTCUA_HTTP_LISTEN: {value!r} is not host:port (e.g. 127.0.0.1:8080)")
    if not port.isdigit() or not 0 <= int(port) <= 65535:  # 0: any free port (tests)
        raise SettingsError(f"MOTCUA_HTTP_LISTEN: port {port!r} is not in 0..65535")
    return host, int(port)


def _chat_id(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a Telegram chat id (an integer)") from None


def _seconds(name: str, value: str, default: float) -> float:
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a number of seconds") from None
    if not 1 <= seconds <= 86_400:
        raise SettingsError(f"{name}: {value} is outside 1..86400 seconds")
    return seconds
