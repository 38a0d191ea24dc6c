"""Published answers for the public: a CSV (`motcua export feedback --csv`) and a section of
the public report. Only what the sender agreed to publish, and never who sent it.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bot.feedback.model import Published
from bot.feedback.service import FeedbackService
from bot.settings import Settings
from bot.store import Database

CSV_COLUMNS = (
    "so_phan_anh",
    "linh_vuc",
    "co_quan",
    "noi_dung",
    "tra_loi",
    "ngay_nhan",
    "ngay_tra_loi",
    "ngay_cong_khai",
)
_ALL = (date(2000, 1, 1), date(9999, 1, 1))


async def published_rows(
    db: Database,
    settings: Settings | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Published]:
    """Answers published from `start` to `end`, both days included (a report's period: one
    ending today shows what was published today)."""
    service = FeedbackService(db, settings or Settings())
    last = end + timedelta(days=1) if end else _ALL[1]
    return await service.published(start or _ALL[0], last)


async def export_csv(
    db: Database,
    path: Path | str,
    settings: Settings | None = None,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write the published answers (UTF-8 with BOM, for Excel); returns how many."""
    rows = await published_rows(db, settings, start, end)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.number,
                    r.category,
                    r.agency,
                    _cell(r.question),
                    _cell(r.answer),
                    r.received.isoformat(),
                    r.answered.isoformat(),
                    r.published.isoformat(),
                ]
            )
    return len(rows)


def _cell(text: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def published_html_section(rows: Sequence[Published]) -> str:
    """Pre-escaped HTML for write_report(extra_sections=...)."""
    head = "<h2>Trả lời phản ánh, kiến nghị đã công khai</h2>"
    if not rows:
        return head + '<p class="muted">Chưa có trả lời nào được công khai trong kỳ.</p>'
    items = "".join(
        f"<article><h3>{_e(r.number)} · {_e(r.category)} · {_e(r.agency)}</h3>"
        f'<p class="muted">Nhận {r.received:%d/%m/%Y} · Trả lời {r.answered:%d/%m/%Y}</p>'
        f"<p><b>Phản ánh:</b> {_br(r.question)}</p><p><b>Trả lời:</b> {_br(r.answer)}</p>"
        "</article>"
        for r in rows
    )
    return head + '<p class="muted">Không kèm họ tên, số điện thoại của người gửi.</p>' + items


def _br(text: str) -> str:
    return "<br>".join(_e(line) for line in text.splitlines())
