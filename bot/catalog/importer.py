"""`motcua import procedures PATH...`: read portal records and CSV lists into the store.

Every record is parsed fully before anything is written, and one bad record
(broken line, wrong types, an over-long CSV field) is reported and skipped,
never fatal. Each file is one transaction: a file that cannot be read to its
end (missing, binary, not UTF-8, a corrupt gzip member) is rolled back whole and
reported, so a file is never half imported. Each source's record is stored as
its own layer and the procedure re-merged (bot/catalog/layers.py): curated
fields are never replaced, an import fills what is missing, and a re-import is
idempotent.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalog import csv_lists
from bot.catalog.import_summary import LayerStats
from bot.catalog.model import Procedure
from bot.catalog.national import RejectedRecord, parse_national_record
from bot.catalog.repository import store_layer
from bot.import_files import (
    FILE_NOT_FOUND,
    UNSUPPORTED,
    Unreadable,
    exit_code,
    file_problem,
)
from bot.store import Database
from bot.store.errors import DriverError, is_fatal

BATCH = 500
JSON_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")
SUFFIXES = (*JSON_SUFFIXES, ".csv")

Item = tuple[str, Procedure | str]  # (where, procedure or rejection reason)


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file:line, reason)
    unreadable: list[str] = field(default_factory=list)  # files refused whole (also in rejected)
    layers: LayerStats = field(default_factory=LayerStats)  # what was kept over what, and filled

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged},"
            f" rejected {len(self.rejected)}"
        )

    def layering(self) -> list[str]:
        """Lines saying which fields were kept (and why) and which were filled."""
        return self.layers.lines()

    @property
    def accepted(self) -> int:
        return self.added + self.updated + self.unchanged

    def exit_code(self) -> int:
        """0 all accepted, 1 a file unreadable or nothing accepted, 2 some rejected."""
        return exit_code(self.accepted, len(self.rejected), len(self.unreadable))

    def merge(self, other: ImportReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.unreadable += other.unreadable
        self.layers.merge(other.layers)


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s)), None)


def expand(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to read, national records before CSV lists so the richer record wins."""
    files: list[tuple[Path, str | None]] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p))
            files += [(p, file_problem(p)) for p in found]
        elif path.is_file():
            files.append((path, (file_problem(path) or None) if _kind(path) else UNSUPPORTED))
        else:
            files.append((path, FILE_NOT_FOUND))
    yield from sorted(files, key=lambda f: _kind(f[0]) == ".csv")


def _record(where: str, value: object) -> Item:
    try:
        return where, parse_national_record(value)  # type: ignore[arg-type]
    except RejectedRecord as exc:
        return where, str(exc)
    except Exception as exc:  # a parser bug on odd input must not stop the import
        return where, f"could not parse: {type(exc).__name__}: {exc}"


def _read_lines(path: Path) -> Iterator[Item]:
    """JSON Lines, plain or gzipped; each line decoded on its own so one bad byte costs one line."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as handle:
            for lineno, raw in enumerate(handle, 1):
                where = f"{path}:{lineno}"
                try:
                    text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
                    if text:
                        yield _record(where, json.loads(text))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    yield where, f"invalid JSON line: {exc}"
    except (OSError, EOFError, zlib.error) as exc:
        yield f"{path}:{lineno + 1}", Unreadable(f"unreadable from here on: {exc}")


def _read_json(path: Path) -> Iterator[Item]:
    """One record, or a list of them ("file#3" is the third)."""
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        data = json.loads(raw.decode("utf-8-sig"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        yield str(path), Unreadable(f"unreadable: {exc}")
        return
    except json.JSONDecodeError as exc:
        yield str(path), f"invalid JSON file: {exc}"
        return
    if isinstance(data, list):
        for number, value in enumerate(data, 1):
            yield _record(f"{path}#{number}", value)
    else:
        yield _record(str(path), data)


def _read_csv(path: Path) -> Iterator[Item]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield str(path), Unreadable(f"unreadable CSV file: {exc}")
        return
    for line, item in csv_lists.read_csv(text):
        yield f"{path}:{line}", item


def read_file(path: Path) -> Iterator[Item]:
    """Every record of one file as (where, procedure or rejection reason)."""
    kind = _kind(path)
    if kind == ".csv":
        yield from _read_csv(path)
    elif kind in (".json", ".json.gz"):
        yield from _read_json(path)
    else:
        yield from _read_lines(path)


def read(paths: list[Path]) -> Iterator[Item]:
    """Every record of every path as (where, procedure or rejection reason)."""
    for path, problem in expand(paths):
        if problem:
            yield str(path), Unreadable(problem)
        else:
            yield from read_file(path)


async def _write(db: Database, conn, batch: list[tuple[str, Procedure]], report: ImportReport):
    """One savepoint per batch; if it fails, retry one by one so only the bad row is lost."""
    if not batch:
        return
    try:
        writes = []
        async with db.savepoint(conn):
            for _where, proc in batch:
                writes.append((proc, await store_layer(conn, proc)))
    except DriverError as exc:
        if is_fatal(exc):
            raise  # the store itself failed: the file's transaction is rolled back
        if len(batch) == 1:
            report.rejected.append((batch[0][0], f"could not store: {exc}"))
            return
        for item in batch:
            await _write(db, conn, [item], report)
        return
    for proc, write in writes:
        setattr(report, write.result, getattr(report, write.result) + 1)
        report.layers.record(write, proc)


def _next_batch(items: Iterator[Item], size: int) -> list[Item]:
    return [item for _, item in zip(range(size), items, strict=False)]


class _FileUnreadable(Exception):
    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where, self.reason = where, reason


async def import_procedures(db: Database, paths: list[Path]) -> ImportReport:
    """Import every record of `paths`, one transaction per file.

    A bad record becomes a rejection; a file that cannot be read (missing, binary,
    not UTF-8, broken part-way) is rejected whole and nothing of it is written.
    """
    report = ImportReport()
    seen: dict[tuple[str, str], str] = {}  # (source, code) → where: each source's own layer
    for path, problem in expand(paths):
        if problem:
            report.rejected.append((str(path), problem))
            report.unreadable.append(str(path))
            continue
        part = ImportReport()
        seen_here = dict(seen)
        try:
            async with db.transaction() as conn:
                await _import_file(db, conn, path, seen_here, part)
        except _FileUnreadable as exc:
            report.rejected.append((exc.where, f"{exc.reason}; nothing imported from this file"))
            report.unreadable.append(str(path))
            continue
        report.merge(part)
        seen.update(seen_here)
    return report


async def _import_file(db: Database, conn, path: Path, seen: dict, report: ImportReport) -> None:
    items = read_file(path)
    next_chunk = asyncio.create_task(asyncio.to_thread(_next_batch, items, BATCH))
    try:
        while chunk := await next_chunk:
            # parse the next batch off the loop while this one is written
            next_chunk = asyncio.create_task(asyncio.to_thread(_next_batch, items, BATCH))
            await _write(db, conn, _admit(chunk, seen, report), report)
    finally:
        next_chunk.cancel()


def _admit(chunk: list[Item], seen: dict[tuple[str, str], str], report: ImportReport):
    """Parsed procedures to write; rejections and codes repeated by one kind of source (a
    national record and a CSV row of one code are two layers) go to the report.

    An Unreadable reason stops the file (its transaction is rolled back).
    """
    batch = []
    for where, item in chunk:
        if isinstance(item, Unreadable):
            raise _FileUnreadable(where, item)
        if isinstance(item, str):
            report.rejected.append((where, item))
        elif (item.source, item.code) in seen:
            first = seen[item.source, item.code]
            report.rejected.append((where, f"duplicate of {item.code} at {first}"))
        else:
            seen[item.source, item.code] = where
            batch.append((where, item))
    return batch
