"""kill -9 of `motcua run` under 200 concurrent Zalo posts, 5 times: no acknowledged event
lost, and every stored event handled after the restart (bench/zalo_kill.py; slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


async def test_no_acknowledged_event_is_lost_over_five_kills(capsys):
    from zalo_kill import main

    code = await main(kills=5, concurrency=200, bursts_wanted=1)
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
    assert " 0 lost" in out and "0 stored events left unhandled" in out
