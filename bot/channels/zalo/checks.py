"""Start-up checks for Zalo: what `motcua run` refuses to start without.

A Zalo channel with no officials' channel starts, answers citizens, and forwards their
questions, complaints and alerts to nobody; without an image the phone request is
refused by a strict platform. Better one clear line at start than silence in use.
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from bot.store import zalo as zalo_store

README = "README: Putting it on a Zalo OA"
# The template parameters the bot sends (bot/notify/zns.py), per template setting.
TEMPLATE_PARAMS = {
    "dossier": ("MOTCUA_ZNS_TEMPLATE_DOSSIER", ("ma_ho_so", "trang_thai", "ngay_hen")),
    "feedback": ("MOTCUA_ZNS_TEMPLATE_FEEDBACK", ("ma_phan_anh", "trang_thai")),
}


def staff_problem(settings: Settings) -> str | None:
    """None when a running channel reaches the officials and the leaders."""
    missing = []
    if settings.staff_channel != "telegram" or not settings.has_telegram:
        missing.append("TELEGRAM_BOT_TOKEN")
    desks = settings.officials_chat_id is not None or any(
        a.officials_chat_id is not None for a in settings.agencies
    )
    if not desks:
        missing.append("MOTCUA_OFFICIALS_CHAT_ID")
    if settings.leaders_chat_id is None and "MOTCUA_OFFICIALS_CHAT_ID" not in missing:
        missing.append("MOTCUA_LEADERS_CHAT_ID")
    if not missing:
        return None
    return (
        "no channel reaches the officials and leaders: set "
        + ", ".join(missing)
        + f" first ({README})"
    )


def startup_problem(settings: Settings) -> str | None:
    """One line saying why `motcua run` must not start Zalo, or None."""
    if not settings.has_zalo:
        return None
    staff = staff_problem(settings)
    if staff:
        return "Zalo not started: " + staff
    if not settings.zalo.refresh_token and not stored_pair(settings.db_path):
        return "Zalo not started: no token pair yet: run motcua zalo connect"
    if not settings.zalo.info_image_url:
        return (
            "Zalo not started: MOTCUA_PUBLIC_URL is not set (the webhook's https address;"
            f" the phone request shows the bot's banner from it) ({README})"
        )
    return None


def stored_pair(db_path: Path) -> bool:
    """A token pair in the store (read-only; a store that cannot be read says yes and
    leaves the verdict to the store's own checks at start)."""
    return zalo_store.has_pair(db_path)
