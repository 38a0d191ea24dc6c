"""Zalo's error codes (fact sheet §10–11) sorted by what the channel does about them."""

from __future__ import annotations

# Access token invalid/expired (-124 on the ZNS host): refresh once, retry once.
TOKEN = frozenset({-216, -220, -124})
RETRY = frozenset({-32, -100})  # rate limit, busy: back off with jitter
UNREACHABLE = frozenset({-213, -230, -232})  # no follow / outside the window: ZNS instead
STOP = frozenset({-217, -227, -244})  # blocked, banned, restricted: give up and record
DEFECT = frozenset({-201, -210, -233})  # our payload is wrong: log it with the payload
PAID = frozenset({-320, -321})  # 48 h-7 days: no Zalo Cloud Account, or an empty one
CONFIG = frozenset({-209, -212, -221, -223, -224})  # app, API, verification, permission, tier
ZNS_MONEY = frozenset({-115, -135, -136, -137, -1351, -146, -147})  # balance, ZCA, permission
ZBS_OLD_TEMPLATE = -249  # a template made before ZBS cannot go by user_id
# ZNS: a citizen who cannot get it (no Zalo, refused ZNS) and our own mistakes.
ZNS_UNREACHABLE = frozenset({-118, -119, -127, -139, -141})
ZNS_LATER = frozenset({-133, -144})  # night-time ban, daily quota used up
ZNS_DEFECT = frozenset({-108, -131, -1121, -1122, -201})


class ZaloError(Exception):
    """A non-zero `error` in an answer (Zalo says it with HTTP 200)."""

    def __init__(self, code: int, message: str, payload: object = None):
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code
        self.message = message
        self.payload = payload


class ZaloUnavailable(Exception):
    """No answer: a timeout, a dropped connection or an HTTP 5xx."""


class TokenRefreshFailed(Exception):
    """The OAuth server refused the refresh token; only an admin can fix it."""


class NoTokenPair(RuntimeError):
    """Neither the store nor the settings hold a token pair (`motcua zalo connect`)."""
