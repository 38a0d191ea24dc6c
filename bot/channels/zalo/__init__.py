"""The Zalo Official Account channel (fact sheet: ../shared/docs/zalo.md)."""

from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.held import held_count

__all__ = ["ZaloChannel", "held_count"]
