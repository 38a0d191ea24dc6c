"""A PNG of monthly satisfaction per agency against the 90% target, for chats and reports.

matplotlib's Agg canvas draws without a display or network, and its bundled
DejaVu Sans has every Vietnamese letter. Imported lazily: the bot runs
without it, only the chart needs it. Large type, since it is read on phones.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from bot.ratings.stats import SatisfactionRow

WIDTH, HEIGHT, DPI = 900, 600, 100


def short_name(name: str) -> str:
    """'UBND xã Hương Khê' → 'Hương Khê': the legend has little room."""
    for prefix in ("UBND xã ", "UBND phường ", "UBND ", "Xã ", "Phường "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def month_labels(months: Sequence[str]) -> list[str]:
    """'T3' per month, with the year underneath on the first month and every January."""
    labels = []
    for i, month in enumerate(months):
        year, mon = month.split("-")
        labels.append(f"T{int(mon)}\n{year}" if i == 0 or mon == "01" else f"T{int(mon)}")
    return labels


def chartable(rows: Sequence[SatisfactionRow], min_ratings: int) -> list[SatisfactionRow]:
    """The months with enough ratings to mean something: two ratings make a 0% or a 100%
    swing the text itself refuses to judge, so the chart leaves them out too."""
    return [r for r in rows if r.rate is not None and r.ratings >= min_ratings]


def monthly_chart_png(
    rows: Sequence[SatisfactionRow],
    agencies: Mapping[str, str],
    target: float = 0.9,
    title: str = "Tỷ lệ hài lòng theo tháng",
    size: tuple[int, int] = (WIDTH, HEIGHT),
    min_ratings: int = 0,
) -> bytes:
    """Lines of each agency's monthly rate (rows by agency and month), dashed target line;
    months with fewer than `min_ratings` ratings are left out (`chartable`).

    `size` in pixels; type stays the same size, so a narrower chart reads larger on a phone.
    """
    months = sorted({r.month for r in rows})  # the period's months, drawn or not
    rows = chartable(rows, min_ratings)
    from matplotlib.figure import Figure  # lazy: optional dependency
    from matplotlib.ticker import PercentFormatter

    index = {m: i for i, m in enumerate(months)}
    codes = [c for c in agencies if any(r.key == c for r in rows)]
    codes += sorted({r.key for r in rows} - set(codes))
    width, height = size
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    columns = 4 if width >= 800 else 3
    rows_of_legend = -(-(len(codes) + 1) // columns)
    bottom = (90 + 28 * rows_of_legend) / height  # room for tick labels and the legend
    ax = fig.add_axes((90 / width, bottom, 1 - 110 / width, 1 - bottom - 60 / height))
    lowest = target
    for code in codes:
        points = sorted(
            (index[r.month], r.rate * 100) for r in rows if r.key == code and r.rate is not None
        )
        if not points:
            continue
        lowest = min(lowest, min(p[1] for p in points) / 100)
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", linewidth=2.5, markersize=6,
                label=short_name(agencies.get(code, code)))  # fmt: skip
    ax.axhline(target * 100, color="#222222", linestyle="--", linewidth=2,
               label=f"Mục tiêu {target * 100:.0f}%")  # fmt: skip
    if not codes:
        ax.text(0.5, 0.35, f"Chưa đủ đánh giá để vẽ (cần ít nhất {min_ratings} mỗi tháng)",
                transform=ax.transAxes, ha="center", fontsize=15, color="#555555")  # fmt: skip
    floor = max(0.0, (int(lowest * 20) - 1) / 20)  # a step of 5% below the lowest point
    ax.set_ylim(floor * 100, 100.5)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xticks(range(len(months)), month_labels(months))
    ax.tick_params(labelsize=14)
    ax.grid(axis="y", alpha=0.3)
    ax.set_xlim(-0.3, max(len(months) - 0.7, 0.3))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=20, loc="left", pad=12)
    fig.legend(loc="lower center", ncol=columns, fontsize=14, frameon=False,
               bbox_to_anchor=(0.5, 0.0), handlelength=1.5, columnspacing=1.2)  # fmt: skip
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
