"""How long to wait before trying again: exponential, capped, with jitter.

Jitter spreads retries out, so many chats (or two processes) that failed together
do not all come back in the same instant.
"""

from __future__ import annotations

import random


def backoff(attempt: int, base: float = 1.0, cap: float = 300.0) -> float:
    """`base * 2**attempt` seconds, at most `cap`, between half and the whole of it."""
    delay = min(cap, base * 2 ** min(attempt, 30))
    return delay * random.uniform(0.5, 1.0)
