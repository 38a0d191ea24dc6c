"""Provincial procedure lists exported as CSV (before the 2025 reform).

They hold only a code, a name, a field and sometimes the agency and online
level, so the procedures are thin; the flavour is told apart by the header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from bot.catalog.fields import clean
from bot.catalog.model import (
    LEVEL_COMMUNE,
    LEVEL_PROVINCE,
    LEVELS,
    ONLINE_FULL,
    ONLINE_PARTIAL,
    Procedure,
    is_valid_code,
    normalize_code,
)
from bot.catalog.national import RejectedRecord, is_test_name
from bot.import_files import Unreadable, allow_long_fields, long_field
from bot.text import fold

# Column names per flavour: code, name, field, agency, online level, decision.
FLAVOURS = {
    ("code", "name", "field", "org", "level"): ("code", "name", "field", "org", "level", None),
    ("stt", "ma_tthc", "muc_do_dvc", "ten_tthc", "linh_vuc", "quyet_dinh"): (
        "ma_tthc",
        "ten_tthc",
        "linh_vuc",
        None,
        "muc_do_dvc",
        "quyet_dinh",
    ),
}


def online_level(value: str) -> str | None:
    """Decree 42/2022 "Toàn trình" / "Một phần"; older "Mức độ 2", "Còn lại" give None."""
    folded = fold(value).strip()
    return {"toan trinh": ONLINE_FULL, "mot phan": ONLINE_PARTIAL}.get(folded)


def levels_from_org(org: str) -> list[str]:
    """Levels from the agency column: "Sở, ban ngành; UBND Xã/Phường" → ["xa", "tinh"].

    District bodies (UBND Huyện) were abolished in 2025 and their procedures
    went to either level, so they say nothing; unknown agencies neither.
    """
    levels = set()
    for part in fold(org).split(";"):
        part = part.strip()
        if re.search(r"\b(xa|phuong|thi tran)\b", part) and "huyen" not in part:
            levels.add(LEVEL_COMMUNE)
        elif re.match(r"(so|ban quan ly)\b", part) or re.search(r"\b(cap|ubnd) tinh\b", part):
            levels.add(LEVEL_PROVINCE)
    return sorted(levels, key=LEVELS.index)


def repair_code(raw: str) -> str:
    """Fix typing slips seen in exports: "2000027.000..." , "1.010804000...", ",", ".."."""
    code = normalize_code(raw).replace(",", ".")
    code = re.sub(r"\.{2,}", ".", code)
    code = re.sub(r"^(\d)(\d{6})(?=\.|$)", r"\1.\2", code)
    return re.sub(r"^(\d\.\d{6})(\d{3}\.)", r"\1.\2", code)


def parse_row(row: dict, columns: tuple) -> Procedure:
    """One CSV row → a thin Procedure, or RejectedRecord with the reason."""
    code_col, name_col, field_col, org_col, level_col, decision_col = columns
    raw_code = row.get(code_col) or ""
    code = repair_code(raw_code)
    if not is_valid_code(code):
        raise RejectedRecord(f"invalid procedure code {raw_code!r}")
    name = clean(row.get(name_col))
    if not name:
        raise RejectedRecord(f"{code}: no procedure name")
    if is_test_name(name):
        raise RejectedRecord(f"{code}: test record ({name!r})")
    org = clean(row.get(org_col)) if org_col else ""
    return Procedure(
        code=code,
        name=name,
        levels=levels_from_org(org),
        field=clean(row.get(field_col)),
        agency=org,
        decision=clean(row.get(decision_col)) if decision_col else "",
        online_level=online_level(clean(row.get(level_col))),
        source="csv",
    )


def read_csv(text: str) -> Iterator[tuple[int, Procedure | str]]:
    """Yield (line where the row starts, procedure or rejection reason).

    A row the csv module refuses, or with a field over MAX_FIELD_CHARS, is rejected
    alone; a file it cannot go on reading ends with an Unreadable reason.
    """
    allow_long_fields()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = tuple(h.strip().lower() for h in next(reader, []))
    except csv.Error as exc:
        yield 1, Unreadable(f"not CSV: {exc}")
        return
    columns = FLAVOURS.get(header)
    if columns is None:
        yield 1, f"unknown CSV columns {', '.join(header) or '(empty file)'}"
        return
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num < start:
                yield start, Unreadable(f"not CSV from here on: {exc}")
                return
            line, start = start, reader.line_num + 1
            yield line, f"not CSV: {exc}"
            continue
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield line, f"expected {len(header)} columns, found {len(values)}"
            continue
        if too_long := long_field(values):
            yield line, too_long
            continue
        try:
            yield line, parse_row(dict(zip(header, values, strict=True)), columns)
        except RejectedRecord as exc:
            yield line, str(exc)
