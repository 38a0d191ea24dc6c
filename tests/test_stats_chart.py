"""Issue 18 (6): the /thongke chart leaves out what the text refuses to judge, its figures
match its header's period, and the terminal keeps no pile of pictures."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import make_settings
from dialog import Conversation

from bot.channels.terminal import render
from bot.core import open_core
from bot.demo import build_demo
from bot.ratings.stats import MIN_RATINGS, SatisfactionRow, satisfaction
from bot.reply import Reply


def test_months_with_too_few_ratings_are_left_out_of_the_chart():
    pytest.importorskip("matplotlib")
    from bot.ratings.chart import chartable, monthly_chart_png

    rows = [
        SatisfactionRow.build("18496", "2026-05", 40, 38, 50),
        SatisfactionRow.build("18502", "2026-05", 2, 0, 3),  # a 0% swing from two ratings
        SatisfactionRow.build("18502", "2026-06", 1, 1, 1),  # and a 100% one
    ]
    assert [r.key for r in chartable(rows, MIN_RATINGS)] == ["18496"]
    few = monthly_chart_png(rows[1:], {"18502": "UBND xã Hà Linh"}, min_ratings=MIN_RATINGS)
    assert few[:8] == b"\x89PNG\r\n\x1a\n"


async def test_the_lines_add_up_over_the_headers_period(tmp_path):
    settings = make_settings(tmp_path)
    demo = tmp_path / "demo.sqlite3"
    await build_demo(settings, demo, role="leader")
    core = await open_core(dataclasses.replace(settings, db_path=demo))
    try:
        answer = await Conversation(core, user_id="local").say("/thongke")
        end = datetime.now(settings.timezone).date()
        months = end.year * 12 + end.month - 1 - 5
        start = date(months // 12, months % 12 + 1, 1)
        rows = await satisfaction(core.db, start, end, None, settings.timezone)
        rows = [r for r in rows if r.key == "18496"]
        satisfied, ratings = sum(r.satisfied for r in rows), sum(r.ratings for r in rows)
        line = next(line for line in answer.splitlines() if "UBND xã Hương Khê" in line)
        assert f"{satisfied}/{ratings}" in line, (line, satisfied, ratings)
    finally:
        await core.close()


def test_the_terminal_keeps_one_picture_file():
    before = set(Path(tempfile.gettempdir()).glob("motcua-*.png"))
    first, _ = render(Reply("a", photo=b"\x89PNG one"))
    second, _ = render(Reply("b", photo=b"\x89PNG two"))
    made = set(Path(tempfile.gettempdir()).glob("motcua-*.png")) - before
    assert len(made) <= 1 and first.splitlines()[-1] == second.splitlines()[-1]
