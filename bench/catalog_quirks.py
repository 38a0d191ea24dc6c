"""How many crawled national records a card would show raw: bare times, notes as papers, no place.

    .venv/bin/python bench/catalog_quirks.py [../shared/data/procedures/national-2026.jsonl.gz]

"raw" is fields.py alone (the parse before quirks.py); "parsed" is parse_national_record.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from bot.catalog import fields
from bot.catalog.national import parse_national_record
from bot.catalog.quirks import (
    _FEE_LEAD,
    _FREE_LEAD,
    _SAYS_FREE,
    _THOUSANDS,
    _ZERO,
    NO_UNIT,
    is_note,
    local_agency,
)
from bot.text import fold

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/procedures/national-2026.jsonl.gz"


def _raw(record: dict) -> tuple[list, list, str]:
    filings, _ = fields.parse_filings(str(record.get("cach_thuc_thuc_hien") or ""))
    docs, _ = fields.parse_documents(str(record.get("thanh_phan_ho_so") or ""))
    agency = fields.clean(record.get("co_quan_thuc_hien")) or fields.clean(
        record.get("co_quan_co_tham_quyen")
    )
    return filings, docs, agency


def _bare(f) -> bool:
    return f.time_value is not None and not f.time_unit


def _free_but_paid(f) -> bool:
    m = _FREE_LEAD.match(f.fee_text)
    return bool(m and (f.fee_amount == 0 or not _SAYS_FREE.match(fold(m.group(1)))))


def main(path: Path) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    keys = (
        "bare",
        "bare_recs",
        "unit_recs",
        "fee_lead",
        "free_paid",
        "small",
        "notes",
        "note_recs",
        "zero",
        "place",
        "elsewhere",
    )
    before = dict.fromkeys(keys, 0)
    after = dict(before)
    filings_total = 0
    unresolved = notes = 0
    for record in records:
        filings, docs, agency = _raw(record)
        proc = parse_national_record(record)
        filings_total += len(filings)
        for counts, fs, ds, place in (
            (before, filings, docs, agency),
            (after, proc.filings, proc.documents, proc.agency),
        ):
            counts["bare"] += sum(map(_bare, fs))
            counts["bare_recs"] += any(map(_bare, fs))
            counts["unit_recs"] += bool(fs) and all(f.time_unit for f in fs if f.time_value)
            counts["fee_lead"] += sum(
                bool(f.fee_amount and _FEE_LEAD.match(f.fee_text)) for f in fs
            )
            counts["free_paid"] += sum(map(_free_but_paid, fs))
            counts["small"] += sum(bool(_THOUSANDS.fullmatch(f.fee_text)) for f in fs)
            counts["notes"] += sum(map(is_note, ds))
            counts["note_recs"] += any(map(is_note, ds))
            counts["zero"] += sum(bool(_ZERO.match(d.count)) for d in ds)
            counts["place"] += not place
            counts["elsewhere"] += local_agency(place) != place
        notes += len(proc.notes)
        unresolved += sum(f.time_text.endswith(NO_UNIT.format(n="")[1:]) for f in proc.filings)
    print(f"{len(records)} records, {filings_total} filings (ways of filing)")
    rows = (
        ("filings with a number but no unit", "bare"),
        ("records with such a filing", "bare_recs"),
        ("records whose every timed filing has a unit", "unit_recs"),
        ("fee texts repeating the cell's amount ('135 VNĐ (... 135.000 đồng)')", "fee_lead"),
        ("fees shown 'Miễn phí (...)' over a note that says otherwise or again", "free_paid"),
        ("fees shown as a bare '20 VNĐ' (thousands, unconfirmed)", "small"),
        ("document entries that are notes ('0 bản chính' remarks, 'Lưu ý' rows)", "notes"),
        ("records listing notes as papers", "note_recs"),
        ("papers shown with '0 bản chính'", "zero"),
        ("records with no place (Nơi làm)", "place"),
        ("places naming another province ('Sở Tư pháp Thành phố Hà Nội')", "elsewhere"),
    )
    for label, key in rows:
        print(f"  {label}: {before[key]} -> {after[key]}")
    print(f"  bare times now said to lack a unit (not guessed): {unresolved}")
    print(f"  notes kept apart from the papers: {notes}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
