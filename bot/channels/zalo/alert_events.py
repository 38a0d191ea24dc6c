"""What only an OA admin can fix, as events; `notices` tells the leaders in words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.notify.events import Event


@dataclass(frozen=True)
class SignaturesFailing(Event):
    """A run of webhook posts with a wrong signature: the OA secret key looks wrong."""

    count: int
    minutes: int
    at: str  # when the run was noticed (stamped): one alert per run


@dataclass(frozen=True)
class OaRefused(Event):
    """Zalo refused a message for a configuration or money reason (alerts.OA_CODES/ZNS_CODES)."""

    code: int
    api: str  # "oa" | "zns"
    day: str  # one alert per code and day


@dataclass(frozen=True)
class TokenRenewalRefused(Event):
    """The refresh token was refused: messages to Zalo citizens wait for an admin."""

    code: int
    message: str
    token_hash: str  # one alert per dead refresh token
