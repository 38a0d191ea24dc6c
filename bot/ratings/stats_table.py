"""`motcua stats` as text and JSON: the figures of bot/ratings/stats.py in aligned columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields

from bot.ratings.figures import Row766, SatisfactionRow

_HEADERS = {
    "key": "Mã", "agency_code": "Cơ quan", "month": "Tháng", "ratings": "Đánh giá",
    "satisfied": "Hài lòng", "returned": "Đã trả", "rate": "Tỷ lệ", "low": "KTC95 thấp",
    "high": "KTC95 cao", "response_rate": "Phản hồi", "overdue": "Quá hạn",
    "asked_again": "Bổ sung >1", "late": "Trễ (766)", "complaint_or_unsatisfied": "KHL/PA",
    "points": "Điểm", "max_points": "Tối đa", "on_time_share": "Đúng hạn",
    "open_overdue": "Đang quá hạn",
}  # fmt: skip


def N_(message: str) -> str:  # noqa: N802 - the gettext marker: extracted, translated later
    return message


def _header_ids() -> dict[str, str]:
    """English ids of the headers, for a translator (the Vietnamese catalog gives _HEADERS)."""
    return {
        "key": N_("Agency"), "agency_code": N_("Agency"), "month": N_("Month"),
        "ratings": N_("Ratings"), "satisfied": N_("Satisfied"), "returned": N_("Returned"),
        "rate": N_("Rate"), "low": N_("CI95 low"), "high": N_("CI95 high"),
        "response_rate": N_("Response"), "overdue": N_("Overdue"),
        "asked_again": N_("Asked again"), "late": N_("Late (766)"),
        "complaint_or_unsatisfied": N_("Complaints"), "points": N_("Points"),
        "max_points": N_("Max"), "on_time_share": N_("On time"),
        "open_overdue": N_("Open overdue"),
    }  # fmt: skip


_PERCENT = {"rate", "low", "high", "response_rate", "on_time_share"}


def _cell(name: str, value: object) -> str:
    if value is None:
        return "—"
    if name in _PERCENT:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def format_table(
    rows: list[SatisfactionRow] | list[Row766],
    t=None,
    names: Mapping[str, str] | None = None,
    min_ratings: int = 0,
) -> str:
    """Plain aligned text, numbers right-aligned; '(không có số liệu)' when empty.

    `t` (a Translator): headers and words in its language (default: Vietnamese headers,
    agency codes). `names`: agency code → name shown instead of the code. `min_ratings`:
    a satisfaction rate from fewer ratings reads "too few" in words.
    """
    gettext = t.gettext if t is not None else None
    if not rows:
        return gettext("(no data)") if gettext else "(không có số liệu)"
    names = names or {}
    columns = [f.name for f in fields(rows[0]) if f.name != "max_points"]
    if gettext:
        ids = _header_ids()
        headers = [gettext(ids.get(n, n)) for n in columns]
        few = gettext("too few")
    else:
        headers = [_HEADERS.get(n, n) for n in columns]
        few = "quá ít"

    def cell(row, name: str) -> str:
        value = getattr(row, name)
        if name in ("key", "agency_code") and value in names:
            return names[value]
        if name == "rate" and isinstance(row, SatisfactionRow) and row.ratings < min_ratings:
            return few
        return _cell(name, value)

    table = [headers] + [[cell(r, n) for n in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    text_columns = {0, 1}  # key/agency and month
    return "\n".join(
        "  ".join(
            c.ljust(w) if i in text_columns else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    )


def to_json(rows: list[SatisfactionRow] | list[Row766]) -> list[dict]:
    """Plain dicts (rates as fractions 0..1, None when undefined) for `--json`."""
    return [asdict(r) for r in rows]
