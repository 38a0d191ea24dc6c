"""Reading export files into (line number, fields) records, never failing on a bad line.

Files: `.csv` (UTF-8 with or without BOM, a header row naming the fields of
`bot.dossiers.records`; unknown columns are ignored), `.jsonl` / `.json` (one
JSON object per line), and either gzipped (`.csv.gz`, `.jsonl.gz`, `.json.gz`).
Line numbers are those of the file, so a report points at the line to fix.
"""

from __future__ import annotations

import csv
import gzip
import json
import operator
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.dossiers.records import FIELDS, REQUIRED
from bot.import_files import UNSUPPORTED, FileRefused, Unreadable, allow_long_fields, long_field

SUFFIXES = (".csv", ".jsonl", ".json", ".csv.gz", ".jsonl.gz", ".json.gz")
_BAD_TEXT = "\ufffd"  # what errors="replace" leaves for bytes that are not UTF-8

Record = tuple[int, dict | str]  # (line number, fields or the reason it is unreadable)


class UnsupportedFile(FileRefused):
    """Not a .csv / .jsonl / .json file (optionally .gz)."""


def file_kind(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return "csv" if suffix.startswith(".csv") else "jsonl"
    raise UnsupportedFile(f"{UNSUPPORTED} (expected {', '.join(SUFFIXES)})")


def _open(path: Path) -> TextIO:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="")


_READ_ERRORS = (OSError, EOFError, zlib.error, csv.Error, UnicodeError)


def read_records(path: Path) -> Iterator[Record]:
    """(line number, fields) per record; a broken file ends with one (line, reason)."""
    kind = file_kind(path)
    with _open(path) as stream:
        yield from _csv_records(stream) if kind == "csv" else _jsonl_records(stream)


def _csv_records(stream: TextIO) -> Iterator[Record]:
    allow_long_fields()
    reader = csv.reader(stream)
    line = 0
    try:
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip().lower() for h in header]
        missing = [n for n in REQUIRED if n not in names]
        if missing:
            yield 1, f"header: missing column(s) {', '.join(missing)}"
            return
        wanted = [n for n in FIELDS if n in names]
        pick = operator.itemgetter(*(names.index(n) for n in wanted))
        width = len(names)
        line = reader.line_num
        for start, row in _csv_rows(reader):
            line = reader.line_num
            if isinstance(row, str):
                yield start, row
                continue
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                yield start, f"expected {width} fields, got {len(row)}"
                continue
            if too_long := long_field(row):
                yield start, too_long
                continue
            values = pick(row)
            if _BAD_TEXT in "".join(values):
                yield start, "not valid UTF-8"
                continue
            record = dict(zip(wanted, values, strict=True))
            yield start, record
    except _READ_ERRORS as exc:
        yield line + 1, Unreadable(f"file unreadable from here: {exc}")


def _csv_rows(reader) -> Iterator[tuple[int, list[str] | str]]:
    """(first line, cells) per CSV record; a record the csv module refuses is a reason."""
    line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num == line:
                raise  # nothing consumed: it would fail the same way forever
            yield line + 1, f"not CSV: {exc}"
        else:
            yield line + 1, row
        line = reader.line_num


def _jsonl_records(stream: TextIO) -> Iterator[Record]:
    line = 0
    try:
        for line, text in enumerate(stream, 1):
            text = text.strip()
            if not text:
                continue
            if _BAD_TEXT in text:
                yield line, "not valid UTF-8"
                continue
            try:
                record = json.loads(text)
            except ValueError as exc:
                yield line, f"not JSON: {exc}"
                continue
            if not isinstance(record, dict):
                yield line, "expected one JSON object per line"
                continue
            yield line, record
    except _READ_ERRORS as exc:
        yield line + 1, Unreadable(f"file unreadable from here: {exc}")
