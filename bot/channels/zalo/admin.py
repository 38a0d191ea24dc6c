"""`motcua zalo connect | tokens | check`: set up an OA in one sitting, without sqlite3.

`connect` runs OAuth v4 with PKCE (the admin opens the permission URL, pastes the code
back), or stores a pair made in API Explorer. `check` calls the real API with the stored
token and prints what is missing, one line each. Neither refreshes the token: a refresh
token works once, and `motcua run` may be refreshing it at the same moment.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sys
import urllib.parse
from datetime import timedelta

import httpx

from bot.channels.zalo.api import PERMISSION_PATH, ZaloApi
from bot.channels.zalo.checks import TEMPLATE_PARAMS, startup_problem
from bot.channels.zalo.errors import TokenRefreshFailed, ZaloError, ZaloUnavailable
from bot.channels.zalo.pages import CALLBACK_PATH
from bot.channels.zalo.store import ZaloStore
from bot.clock import utcnow
from bot.settings import Settings
from bot.store import zalo as zalo_store


def add_parser(sub) -> None:
    zalo = sub.add_parser("zalo", help="set up the Zalo OA: first tokens, check the set-up")
    zsub = zalo.add_subparsers(dest="action", required=True)
    con = zsub.add_parser("connect", help="get the first token pair (OAuth v4 with PKCE)")
    con.add_argument("--redirect-uri", help="the app's callback (default PUBLIC_URL/zalo/oauth)")
    con.add_argument("--access-token", help="a pair made in API Explorer instead: access token")
    con.add_argument("--refresh-token", help="... and its refresh token")
    tok = zsub.add_parser("tokens", help="the stored token pair")
    what = tok.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true", help="when it expires, where it came from")
    what.add_argument("--reset", action="store_true", help="forget stored pairs (bot stopped)")
    chk = zsub.add_parser("check", help="call Zalo with the stored token; print what is missing")
    chk.add_argument("--webhook-url", help="check this URL instead of PUBLIC_URL/zalo/webhook")


async def run(settings: Settings, args) -> int:
    if settings.zalo is None:
        print("motcua: Zalo is not configured (MOTCUA_ZALO_APP_ID ...)", file=sys.stderr)
        return 2
    from bot.store import open_store

    db = await open_store(settings)
    try:
        store = ZaloStore(db)
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
            api = ZaloApi(settings.zalo, StoredToken(store), client)
            if args.action == "connect":
                return await connect(settings, store, api, args)
            if args.action == "tokens":
                return await tokens(store, args)
            return await check(settings, store, api, client, args)
    finally:
        await db.close()


class StoredToken:
    """The stored access token as is: these commands never refresh."""

    def __init__(self, store: ZaloStore):
        self.store = store

    async def access_token(self) -> str:
        pair = await self.store.newest_pair()
        return pair.access_token if pair else "-"

    async def refresh(self, stale: str) -> str:
        raise TokenRefreshFailed("the stored access token was refused (motcua run refreshes it)")


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)[:64]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def connect(settings: Settings, store: ZaloStore, api: ZaloApi, args) -> int:
    if args.access_token or args.refresh_token:
        if not (args.access_token and args.refresh_token):
            print("motcua: give both --access-token and --refresh-token", file=sys.stderr)
            return 2
        pair = await store.save_pair(
            args.access_token, args.refresh_token, utcnow() + timedelta(hours=1), "connect"
        )  # its age is unknown: refreshed within the hour
        print(f"stored the pair from API Explorer (pair {pair.id}); next: motcua zalo check")
        return 0
    redirect = args.redirect_uri or (settings.public_url or "") + CALLBACK_PATH
    if not redirect.startswith("http"):
        print("motcua: set MOTCUA_PUBLIC_URL or give --redirect-uri", file=sys.stderr)
        return 2
    verifier, challenge = pkce()
    query = urllib.parse.urlencode({
        "app_id": settings.zalo.app_id, "redirect_uri": redirect,
        "code_challenge": challenge, "state": secrets.token_urlsafe(12),
    })  # fmt: skip
    print("1. An OA admin opens this address, logged in to Zalo, and allows the app:")
    print(f"   {settings.zalo.oauth_base_url}{PERMISSION_PATH}?{query}")
    print("2. Zalo opens the callback address with ?code=...; paste the code (or the address):")
    sys.stdout.flush()
    answer = sys.stdin.readline().strip()
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(answer).query).get("code", [answer])[0]
    if not code:
        print("motcua: no code given", file=sys.stderr)
        return 1
    try:
        access, refresh, lifetime = await api.code_grant(code, verifier)
    except (ZaloError, ZaloUnavailable) as exc:
        why = f"{exc} (a code works once, for 10 minutes)"
        print(f"motcua: Zalo refused the code: {why}", file=sys.stderr)
        return 1
    pair = await store.save_pair(access, refresh, utcnow() + lifetime, "connect")
    print(f"stored a new token pair (pair {pair.id}, valid {_hours(lifetime)});"
          " next: motcua zalo check")  # fmt: skip
    return 0


async def tokens(store: ZaloStore, args) -> int:
    if args.reset:
        n = await store.forget_pairs()
        print(f"forgot {n} stored pair(s); the next start seeds from MOTCUA_ZALO_ACCESS_TOKEN"
              " / MOTCUA_ZALO_REFRESH_TOKEN (or run: motcua zalo connect)")  # fmt: skip
        return 0
    row = await zalo_store.newest_pair(store.db)
    if row is None:
        print("no stored pair: the next start seeds one from the settings")
        return 0
    print(f"pair {row['id']} from {row['source']}, stored {row['created_at']};"
          f" access token {_mask(row['access_token'])} expires {row['expires_at']};"
          f" refresh token {_mask(row['refresh_token'])}")  # fmt: skip
    return 0


async def check(settings: Settings, store, api: ZaloApi, client: httpx.AsyncClient, args) -> int:
    lines: list[tuple[bool, str]] = []
    problem = startup_problem(settings)
    lines.append((problem is None, problem or "officials' and leaders' chats are set"))
    pair = await store.newest_pair()
    if pair is None:
        lines.append((False, "no token pair stored: run motcua zalo connect"))
    else:
        left = pair.expires_at - utcnow()
        lines.append((left.total_seconds() > 0, f"access token valid for {_hours(left)}"
                      " (motcua run refreshes it an hour ahead)"))  # fmt: skip
    lines.append(await _oa(api))
    for kind, (name, params) in TEMPLATE_PARAMS.items():
        template = getattr(settings.zalo, f"zns_template_{kind}")
        if not template:
            lines.append((False, f"{name} not set: outside the window {kind} news is held"))
        else:
            lines.append(await _template(api, name, template, params))
    hook = args.webhook_url or (settings.public_url and settings.public_url + "/zalo/webhook")
    lines.append(await _reachable(client, "webhook", hook, post=True))
    lines.append(await _reachable(client, "phone request image", settings.zalo.info_image_url))
    for ok, text in lines:
        print(("ok       " if ok else "MISSING  ") + text)
    return 0 if all(ok for ok, _ in lines) else 1


async def _oa(api: ZaloApi) -> tuple[bool, str]:
    try:
        data = await api.oa_info()
    except (ZaloError, ZaloUnavailable, TokenRefreshFailed) as exc:
        return False, f"OA information not read: {exc}"
    verified = data.get("is_verified")
    return bool(verified), (f"OA {data.get('name', '?')} ({data.get('oa_id', '?')}),"
                            f" {'verified' if verified else 'NOT verified'}")  # fmt: skip


async def _template(api: ZaloApi, name: str, template: str, params) -> tuple[bool, str]:
    try:
        data = await api.template_info(template)
    except (ZaloError, ZaloUnavailable, TokenRefreshFailed) as exc:
        return False, f"{name} {template}: {exc}"
    listed = {p.get("name") for p in data.get("listParams") or []}
    absent = [p for p in params if p not in listed]
    status = data.get("status", "?")
    if status != "ENABLE" or absent:
        return False, (f"{name} {template}: status {status}; parameters the bot sends and the"
                       f" template lacks: {', '.join(absent) or 'none'}")  # fmt: skip
    return True, f"{name} {template}: ENABLE, parameters {', '.join(sorted(listed))}"


async def _reachable(client, what: str, url: str | None, post: bool = False) -> tuple[bool, str]:
    if not url:
        return False, f"{what}: MOTCUA_PUBLIC_URL is not set"
    try:
        r = await (client.post(url, json={}) if post else client.get(url))
    except httpx.HTTPError as exc:
        return False, f"{what} {url} not reachable: {type(exc).__name__}"
    return r.status_code == 200, f"{what} {url} answers HTTP {r.status_code}"


def _mask(token: str) -> str:
    return token[:6] + "…" if len(token) > 6 else "…"


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f} h"
