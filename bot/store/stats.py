"""The counts behind the satisfaction and Decision-766 figures (bot/ratings/stats.py).

Each (key, month) cell is an index range count — the keys found by hopping from
one distinct value to the next on the same index — rather than a GROUP BY that
sorts every row: a year over a million ratings takes a few tenths of a second
(bench/stats.py). The SQL is SQLite's (json_each, INDEXED BY, IS, CROSS JOIN as a
join-order hint; scale.md §1.2 lists each): issue 16 gives PostgreSQL its own.
Columns and levels are the caller's constants, never user input.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.store.sql import Row, Source, one, rows

# Every (key, month) cell: keys k(v) and months m(month, lo, hi), both passed as JSON.
_CELLS = (
    "WITH k(v) AS (SELECT value FROM json_each(?)),"
    " m(month, lo, hi) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]') FROM json_each(?))"
)
LATE_SQL = "(d.status_at > d.due_at OR d.apologized_due_at IS NOT NULL)"  # as in the index
# Open and the office's to act on: processed (9) and finished dossiers are not "open late".
# Written as the running-dossiers index's own condition, so SQLite uses that small index.
_OPEN_SQL = "status IN (1, 2, 4, 5, 6, 9) AND status != 9"


def _levels(levels: Sequence[str]) -> str:
    return ", ".join(f"'{level}'" for level in levels)


async def distinct(src: Source, table: str, column: str, where: str = "1") -> list:
    """The distinct values of an indexed column, one index seek each (NULL last, if any)."""
    found = await rows(
        src,
        f"WITH RECURSIVE k(v) AS (SELECT MIN({column}) FROM {table} WHERE {where}"
        f" UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {where} AND {column} > k.v)"
        f" FROM k WHERE k.v IS NOT NULL) SELECT v FROM k WHERE v IS NOT NULL",
    )
    values = [r["v"] for r in found]
    if await one(src, f"SELECT 1 FROM {table} WHERE {where} AND {column} IS NULL LIMIT 1"):
        values.append(None)
    return values


async def rating_cells(
    src: Source,
    column: str,
    keys: list,
    ranges: Sequence,
    unsatisfied: Sequence[str],
    satisfied: Sequence[str],
    agency: str | None = None,
) -> list[Row]:
    """key, month, unsatisfied, satisfied: ratings with lo <= rated_at < hi per cell
    (`agency`: only that agency's ratings)."""
    where = "" if agency is None else " AND r.agency_code = ?"
    cell = (
        f"(SELECT COUNT(*) FROM ratings r WHERE r.{column} IS k.v AND r.level IN ({{levels}})"
        f" AND r.rated_at >= m.lo AND r.rated_at < m.hi{where})"
    )
    return await rows(
        src,
        f"{_CELLS} SELECT k.v AS key, m.month AS month,"
        f" {cell.format(levels=_levels(unsatisfied))} AS unsatisfied,"
        f" {cell.format(levels=_levels(satisfied))} AS satisfied FROM k CROSS JOIN m",
        (json.dumps(keys), json.dumps(list(ranges)), *([agency] * 2 if where else [])),
    )


async def returned_cells(
    src: Source,
    column: str,
    keys: list,
    ranges: Sequence,
    agency: str | None = None,
    late: bool = False,
) -> list[Row]:
    """key, month, returned, late: dossiers reaching status 10 in each cell (`late`: also
    those after their appointment or apologised for, else 0; `agency`: only its own)."""
    where = "" if agency is None else " AND d.agency_code = ?"
    cell = (
        "(SELECT COUNT(*) FROM dossiers d {index} WHERE d.{column} = k.v AND d.status = 10"
        "{extra} AND d.status_at >= m.lo AND d.status_at < m.hi{where})"
    )
    returned = cell.format(index="", column=column, extra="", where=where)
    # The partial index of late returns: SQLite cannot tell it is the smaller one by itself.
    late_cell = "0"
    if late:
        late_cell = cell.format(
            index="INDEXED BY dossiers_returned_late", column=column, extra=f" AND {LATE_SQL}",
            where=where,
        )  # fmt: skip
    filters = [agency] * ((2 if late else 1) if where else 0)
    return await rows(
        src,
        f"{_CELLS} SELECT k.v AS key, m.month AS month, {returned} AS returned,"
        f" {late_cell} AS late FROM k CROSS JOIN m",
        (json.dumps(keys), json.dumps(list(ranges)), *filters),
    )


async def fields_by_code8(src: Source) -> dict[str, str]:
    found = await rows(
        src,
        "SELECT code8, MAX(field) AS field FROM procedures WHERE field != '' GROUP BY code8",
    )
    return {r["code8"]: r["field"] for r in found}


async def has_feedback_table(src: Source) -> bool:
    """The feedback feature may not have landed yet: count its tickets only if it has."""
    row = await one(src, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback'")
    if row is None:
        return False
    columns = await rows(src, "SELECT name FROM pragma_table_info('feedback')")
    return "dossier_code" in {c["name"] for c in columns}


def _by_month(ranges: Sequence, column: str) -> str:
    """The month label of `column` as a CASE over the boundaries (cheaper than a join)."""
    return " ".join(f"WHEN {column} < '{hi}' THEN '{label}'" for label, _lo, hi in ranges)


def _returned_in(ranges: Sequence, agency: str | None) -> tuple[str, tuple]:
    where = " AND d.agency_code = ?" if agency is not None else ""
    join = (
        " CROSS JOIN dossiers d ON d.code = x.dossier_code"
        f" WHERE d.status = 10 AND d.status_at >= ? AND d.status_at < ?{where} GROUP BY 1, 2"
    )
    return join, (ranges[0][1], ranges[-1][2], *([agency] if agency is not None else []))


async def asked_again(src: Source, ranges: Sequence, agency: str | None) -> list[Row]:
    """agency_code, month, n, late: returned dossiers asked for more documents more than
    once, per agency and month of return (late: of those, the ones also late)."""
    join, params = _returned_in(ranges, agency)
    return await rows(
        src,
        "WITH x AS (SELECT dossier_code FROM dossier_events"
        " WHERE to_status = 5 GROUP BY dossier_code HAVING COUNT(*) > 1)"
        f" SELECT d.agency_code AS agency_code, CASE {_by_month(ranges, 'd.status_at')} END"
        f" AS month, COUNT(*) AS n, SUM({LATE_SQL}) AS late FROM x{join}",
        params,
    )


async def complained(
    src: Source, ranges: Sequence, agency: str | None, with_feedback: bool
) -> list[Row]:
    """agency_code, month, n: returned dossiers rated unsatisfied (or, `with_feedback`,
    named in a feedback ticket), per agency and month of return."""
    complaints = "SELECT dossier_code FROM ratings WHERE level = 'khong_hai_long'"
    if with_feedback:
        complaints += " UNION SELECT dossier_code FROM feedback WHERE dossier_code IS NOT NULL"
    join, params = _returned_in(ranges, agency)
    return await rows(
        src,
        f"WITH x AS ({complaints}) SELECT d.agency_code AS agency_code,"
        f" CASE {_by_month(ranges, 'd.status_at')} END AS month, COUNT(*) AS n FROM x{join}",
        params,
    )


async def open_overdue(src: Source, ranges: Sequence, agency: str | None, high: str) -> list[Row]:
    """agency_code, month, n: dossiers still open after an appointment in [first lo, high),
    per agency and month of the appointment."""
    where = " AND agency_code = ?" if agency is not None else ""
    return await rows(
        src,
        f"SELECT agency_code, CASE {_by_month(ranges, 'due_at')} END AS month, COUNT(*) AS n"
        f" FROM dossiers WHERE {_OPEN_SQL} AND due_at >= ? AND due_at < ?{where} GROUP BY 1, 2",
        (ranges[0][1], high, *([agency] if agency is not None else [])),
    )


async def answer_votes(src: Source, lo: str, hi: str) -> list[Row]:
    """code8, votes, helpful: 👍/👎 on procedure answers in [lo, hi), most votes first."""
    return await rows(
        src,
        "SELECT substr(procedure_code, 1, 8) AS code8, COUNT(*) AS votes,"
        " SUM(helpful) AS helpful FROM answer_feedback"
        " WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 2 DESC, 1",
        (lo, hi),
    )
