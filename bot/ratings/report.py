"""The public satisfaction report: one self-contained HTML page (or CSV) with no personal data.

Citizens and leaders open it on phones, often on slow links: inline CSS, no
script, no external asset (the optional chart is an inline PNG). It holds
aggregates only — counts and rates per agency and month — never a name, a
phone, a dossier code or a comment. Every text is escaped; `extra_sections`
(e.g. published answers to feedback) must come pre-escaped.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from bot.clock import utcnow
from bot.ratings.model import percent
from bot.ratings.stats import (
    DEFAULT_TZ,
    MAX_POINTS_766,
    MIN_RATINGS,
    TARGET,
    Row766,
    SatisfactionRow,
    decision_766,
    satisfaction,
)
from bot.store import Database

CSV_COLUMNS = (
    "agency_code", "agency_name", "month", "ratings", "satisfied", "satisfaction_rate",
    "ci95_low", "ci95_high", "returned", "response_rate", "late_766",
    "complaint_or_unsatisfied", "rate_766", "points_766", "on_time_share",
)  # fmt: skip

TITLE = "Mức độ hài lòng của người dân, tổ chức"
_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans",sans-serif;color:#1d2329;background:#f3f5f7}
main{max-width:960px;margin:0 auto;padding:16px 12px 32px}
h1{font-size:1.45rem;line-height:1.25;margin:.2em 0 .3em}
h2{font-size:1.15rem;margin:1.6em 0 .5em}
h3{font-size:1rem;margin:1.2em 0 .4em}
.muted{color:#5b6670;font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px}
.card{background:#fff;border-radius:10px;padding:10px 14px;box-shadow:0 1px 2px #0002}
.head{display:flex;align-items:baseline;justify-content:space-between;gap:8px}
.card .name{font-weight:600}
.card .rate{font-size:1.6rem;font-weight:700;line-height:1.2;white-space:nowrap}
.nw{white-space:nowrap}
.rate.few{font-size:1rem;font-weight:600}
.ok .rate{color:#1e7d32}.low .rate{color:#b23c17}.none .rate{color:#5b6670}
.bar{position:relative;height:12px;background:#e3e7eb;border-radius:6px;margin:6px 0 4px}
.fill{height:100%;border-radius:6px;background:#2e9e44}
.low .fill{background:#d9642c}
.target{position:absolute;top:-4px;bottom:-4px;width:0;border-left:2px dashed #1d2329}
.wrap{overflow-x:auto;background:#fff;border-radius:10px;box-shadow:0 1px 2px #0002}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{padding:5px 6px;text-align:right;border-bottom:1px solid #e3e7eb;white-space:nowrap}
th{white-space:normal;vertical-align:bottom}
th:first-child,td:first-child{text-align:left}
th{background:#eef1f4;font-weight:600}
td small{color:#5b6670}
img{max-width:100%;height:auto;background:#fff;border-radius:10px}
footer{margin-top:2em}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


@dataclass
class _Month:
    month: str
    sat: SatisfactionRow | None
    q766: Row766 | None


def fold_aliases(
    sat: Sequence[SatisfactionRow],
    rows766: Sequence[Row766],
    aliases: Mapping[str, str],
    target: float = TARGET,
    max_points: float = MAX_POINTS_766,
) -> tuple[list[SatisfactionRow], list[Row766]]:
    """Rows stored under an agency's alias (before it was known) counted with the agency."""
    if not aliases:
        return list(sat), list(rows766)
    cells: dict[tuple[str, str], list[int]] = {}
    for r in sat:
        cell = cells.setdefault((aliases.get(r.key, r.key), r.month), [0, 0, 0])
        cell[0] += r.ratings
        cell[1] += r.satisfied
        cell[2] += r.returned
    folded = [SatisfactionRow.build(k, m, *c) for (k, m), c in sorted(cells.items())]
    cells766: dict[tuple[str, str], list[int]] = {}
    for r in rows766:
        cell = cells766.setdefault((aliases.get(r.agency_code, r.agency_code), r.month), [0] * 6)
        for i, n in enumerate((r.returned, r.overdue, r.asked_again, r.late,
                               r.complaint_or_unsatisfied, r.open_overdue)):  # fmt: skip
            cell[i] += n
    folded766 = [
        Row766.build(k, m, *c[:5], target, max_points, c[5])
        for (k, m), c in sorted(cells766.items())
    ]
    return folded, folded766


def _merge(
    sat: Sequence[SatisfactionRow], rows766: Sequence[Row766], agencies: Mapping[str, str]
) -> dict[str, list[_Month]]:
    """Per agency (the mapping's order, then any other code), its months newest first."""
    by: dict[tuple[str, str], _Month] = {}
    for r in sat:
        by.setdefault((r.key, r.month), _Month(r.month, None, None)).sat = r
    for r in rows766:
        by.setdefault((r.agency_code, r.month), _Month(r.month, None, None)).q766 = r
    codes = list(agencies) + sorted({c for c, _ in by} - set(agencies))
    newest_first = sorted(by.items(), key=lambda item: item[0][1], reverse=True)
    return {code: [m for (c, _), m in newest_first if c == code] for code in codes}


def _month_vi(month: str) -> str:
    year, mon = month.split("-")
    return f"{int(mon)}/{year}"


def _interval(s: SatisfactionRow) -> str:
    """'89,3–99,6%': one percent sign is enough, and it never breaks across lines."""
    return f'<span class="nw">{percent(s.low)[:-1]}–{percent(s.high)}</span>'


def _card(name: str, months: list[_Month], target: float) -> str:
    latest = next((m for m in months if m.sat and m.sat.ratings), None)
    marker = f'<div class="target" style="left:{target * 100:.1f}%"></div>'
    head = f'<div class="head"><span class="name">{_e(name)}</span>'
    if latest is None:
        return (
            f'<div class="card none">{head}<span class="rate">—</span></div>'
            f'<div class="bar">{marker}</div>'
            '<div class="muted">Chưa có đánh giá trong kỳ</div></div>'
        )
    s = latest.sat
    if s.ratings < MIN_RATINGS:  # a rate from a handful of ratings says nothing: words, not red
        return (
            f'<div class="card none">{head}<span class="rate few">Quá ít đánh giá</span></div>'
            f'<div class="bar">{marker}</div>'
            f'<div class="muted">Tháng {_month_vi(latest.month)} · {s.ratings} đánh giá'
            f" ({s.satisfied} hài lòng) · cần ít nhất {MIN_RATINGS} để kết luận</div></div>"
        )
    ok = s.rate >= target
    return (
        f'<div class="card {"ok" if ok else "low"}">{head}'
        f'<span class="rate">{percent(s.rate)}</span></div>'
        f'<div class="bar" role="img" aria-label="{percent(s.rate)}, mục tiêu'
        f' {percent(target, 0)}"><div class="fill" style="width:{s.rate * 100:.1f}%"></div>'
        f"{marker}</div>"
        f'<div class="muted">Tháng {_month_vi(latest.month)} · {s.ratings} đánh giá ·'
        f" KTC 95%: {_interval(s)} · <b>{'Đạt' if ok else 'Chưa đạt'}</b></div></div>"
    )


def _table(name: str, months: list[_Month], max_points: float) -> str:
    head = (
        "<tr><th>Tháng</th><th>Đánh giá</th><th>Hài lòng<br><small>KTC 95%</small></th>"
        f"<th>QĐ 766</th><th>Điểm<br><small>/{max_points:g}</small></th><th>Đúng hạn</th></tr>"
    )
    body = []
    for m in months:
        s, q = m.sat, m.q766
        sat = f"{percent(s.rate)}<br><small>{_interval(s)}</small>" if s and s.ratings else "—"
        points = f"{q.points:.1f}".replace(".", ",") if q and q.points is not None else "—"
        body.append(
            f"<tr><td>{_month_vi(m.month)}</td><td>{s.ratings if s else 0}</td><td>{sat}</td>"
            f"<td>{percent(q.rate) if q else '—'}</td><td>{points}</td>"
            f"<td>{percent(q.on_time_share) if q else '—'}</td></tr>"
        )
    if not body:
        body.append('<tr><td colspan="6">Chưa có số liệu</td></tr>')
    return f'<h3>{_e(name)}</h3><div class="wrap"><table>{head}{"".join(body)}</table></div>'


def render_html(
    sat: Sequence[SatisfactionRow],
    rows766: Sequence[Row766],
    agencies: Mapping[str, str],
    start: date,
    end: date,
    generated_at: datetime,
    target: float = TARGET,
    max_points: float = MAX_POINTS_766,
    extra_sections: Sequence[str] = (),
    chart_png: bytes | None = None,
    title: str = TITLE,
) -> str:
    """The page from already computed rows (agency rows of `satisfaction`)."""
    merged = _merge(sat, rows766, agencies)
    # Agencies with nothing in the period share one line instead of a card and a table each.
    empty = [agencies.get(c, c) for c, ms in merged.items() if not ms]
    merged = {c: ms for c, ms in merged.items() if ms}
    cards = "".join(_card(agencies.get(c, c), ms, target) for c, ms in merged.items())
    if empty:
        cards += (
            '<div class="card none"><div class="muted">Chưa có đánh giá trong kỳ: '
            f"{_e(', '.join(empty))}</div></div>"
        )
    tables = "".join(_table(agencies.get(c, c), ms, max_points) for c, ms in merged.items())
    if empty:
        tables += f'<p class="muted">Chưa có số liệu: {_e(", ".join(empty))}.</p>'
    chart = ""
    if chart_png:
        data = base64.b64encode(chart_png).decode("ascii")
        chart = (
            '<h2>Diễn biến theo tháng</h2><img alt="Biểu đồ tỷ lệ hài lòng theo tháng của'
            f' từng cơ quan" width="640" height="600" src="data:image/png;base64,{data}">'
        )
    period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(title)}</h1>"
        f'<p class="muted">Kỳ báo cáo: {period} · Cập nhật:'
        f" {generated_at:%H:%M %d/%m/%Y}</p>"
        f"<h2>Tháng gần nhất so với mục tiêu {percent(target, 0)}</h2>"
        '<p class="muted">Vạch đứt trên thanh: mục tiêu. KTC 95%: khoảng tin cậy 95%.</p>'
        f'<div class="cards">{cards}</div>{chart}'
        f"<h2>Theo cơ quan và tháng</h2>{tables}"
        f"{''.join(extra_sections)}"
        '<footer class="muted"><p><b>Cách tính.</b> Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng)'
        " / số đánh giá của người dân sau khi nhận kết quả. KTC 95%: khoảng tin cậy 95%"
        " (Wilson) — càng ít đánh giá, khoảng càng rộng. QĐ 766: 100% − (tỷ lệ hồ sơ trễ hạn"
        " + tỷ lệ hồ sơ có phản ánh hoặc đánh giá không hài lòng), theo Quyết định"
        " 766/QĐ-TTg; yêu cầu bổ sung hồ sơ quá một lần tính là trễ hạn. Điểm tối đa"
        f" {max_points:g} khi đạt từ {percent(target, 0)}. Đúng hạn: số hồ sơ trả kết quả"
        " không muộn hơn ngày hẹn / (số hồ sơ đã trả + số hồ sơ chưa xong mà đã quá hạn),"
        " theo tháng của ngày trả hoặc ngày hẹn. Tỷ lệ từ dưới"
        f" {MIN_RATINGS} đánh giá ghi là «Quá ít đánh giá»: quá ít để kết luận.</p>"
        "<p>Trang này chỉ chứa số liệu tổng hợp, không chứa"
        " thông tin cá nhân.</p></footer></main></body></html>\n"
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def render_csv(
    sat: Sequence[SatisfactionRow], rows766: Sequence[Row766], agencies: Mapping[str, str]
) -> str:
    """CSV_COLUMNS, one line per agency and month (oldest first); rates as fractions 0..1."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for code, months in _merge(sat, rows766, agencies).items():
        for m in reversed(months):
            s, q = m.sat, m.q766
            writer.writerow(
                [
                    code, agencies.get(code, code), m.month,
                    s.ratings if s else 0, s.satisfied if s else 0,
                    _num(s and s.rate), _num(s and s.low), _num(s and s.high),
                    q.returned if q else (s.returned if s else 0), _num(s and s.response_rate),
                    q.late if q else 0, q.complaint_or_unsatisfied if q else 0,
                    _num(q and q.rate), _num(q and q.points), _num(q and q.on_time_share),
                ]
            )  # fmt: skip
    return out.getvalue()


def _chart(sat: Sequence[SatisfactionRow], agencies: Mapping[str, str], target: float):
    try:
        from bot.ratings.chart import monthly_chart_png
        from bot.ratings.stats import MIN_RATINGS

        return monthly_chart_png(sat, agencies, target, size=(640, 600), min_ratings=MIN_RATINGS)
    except ImportError:  # matplotlib not installed: the page stands without the chart
        return None


async def write_report(
    db: Database,
    path: Path | str,
    fmt: str = "html",
    start: date | None = None,
    end: date | None = None,
    agencies: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
    extra_sections: Sequence[str] = (),
    target: float = TARGET,
    max_points: float = MAX_POINTS_766,
    chart: bool = True,
    now: datetime | None = None,
    title: str = TITLE,
    aliases: Mapping[str, str] | None = None,
) -> Path:
    """Write the report ("html" or "csv"; CSV in UTF-8 with BOM, for Excel) and return its path.

    The period defaults to the last 12 local months up to today; agencies
    (code → name) default to the codes found; `aliases` (alias → code) counts rows
    stored under an alias with their agency. `chart` embeds the monthly PNG when
    matplotlib is installed.
    """
    if fmt not in ("html", "csv"):
        raise ValueError(f"fmt must be 'html' or 'csv', not {fmt!r}")
    tz = tz or DEFAULT_TZ
    now = now or utcnow()
    end = end or now.astimezone(tz).date()
    if start is None:  # the first day of the month 11 months before end's
        first = end.year * 12 + end.month - 1 - 11
        start = date(first // 12, first % 12 + 1, 1)
    agencies = dict(agencies or {})
    sat = await satisfaction(db, start, end, tz=tz)
    rows766 = await decision_766(
        db, start, end, tz=tz, target=target, max_points=max_points, now=now
    )
    sat, rows766 = fold_aliases(sat, rows766, aliases or {}, target, max_points)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path.write_text(render_csv(sat, rows766, agencies), encoding="utf-8-sig")
        return path
    png = _chart([r for r in sat if r.ratings], agencies, target) if chart else None
    page = render_html(
        sat, rows766, agencies, start, end, now.astimezone(tz), target, max_points,
        extra_sections, png, title,
    )  # fmt: skip
    path.write_text(page, encoding="utf-8")
    return path
