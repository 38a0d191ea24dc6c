"""Run a coroutine every N seconds until cancelled; one failure never stops the loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(seconds: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    while True:
        try:
            result = await job()
            log.debug("%s: %s", name, result)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; trying again in %ss", name, seconds)
        await asyncio.sleep(seconds)
