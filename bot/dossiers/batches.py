"""Validated batches of an export file, parsed here or in a helper process.

Parsing (CSV, dates, codes, phones) and writing (SQLite's indexes) each take
about half of an import. Python runs one thread at a time and SQLite's thread
needs it between rows, so the overlap needs a second process: for big files a
spawned helper parses batch n+1 while this process writes batch n (a million
rows in export order: 39 s inline, 28 s so, on two cores). Small files are
parsed inline (starting a process costs more than it saves).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
from collections.abc import AsyncIterator, Iterator
from datetime import tzinfo
from pathlib import Path

from bot.dossiers.reader import read_records
from bot.dossiers.records import RecordError, Row, parse_row

# (valid rows, the line of each, rejected (line, reason)) for one stretch of the file
Batch = tuple[list[Row], list[int], list[tuple[int, str]]]

PROCESS_MIN_BYTES = 16 * 1024 * 1024  # ~80,000 rows of CSV


def parse_batches(path: Path, tz: tzinfo, batch_size: int) -> Iterator[Batch]:
    """Batches of up to `batch_size` valid rows, with the rejections met on the way."""
    rows: list[Row] = []
    lines: list[int] = []
    rejected: list[tuple[int, str]] = []
    for line, record in read_records(path):
        if isinstance(record, str):
            rejected.append((line, record))
            continue
        try:
            rows.append(parse_row(record, tz))
        except RecordError as exc:
            rejected.append((line, str(exc)))
            continue
        lines.append(line)
        if len(rows) >= batch_size:
            yield rows, lines, rejected
            rows, lines, rejected = [], [], []
    if rows or rejected:
        yield rows, lines, rejected


def use_process(path: Path, tz: tzinfo) -> bool:
    """Worth a helper process: a big file, a second core (and a time zone that can travel)."""
    if (os.cpu_count() or 1) < 2 or path.stat().st_size < PROCESS_MIN_BYTES:
        return False
    try:
        pickle.dumps(tz)
    except Exception:
        return False
    return True


async def batches(path: Path, tz: tzinfo, batch_size: int, process: bool) -> AsyncIterator[Batch]:
    """parse_batches, inline or from a helper process; use with contextlib.aclosing."""
    if not process:
        for batch in parse_batches(path, tz, batch_size):
            yield batch
            await asyncio.sleep(0)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork: this process runs threads
    receiver, sender = ctx.Pipe(duplex=False)
    helper = ctx.Process(
        target=_helper, args=(path, tz, batch_size, sender), daemon=True, name="dossier-parse"
    )
    helper.start()
    sender.close()
    loop = asyncio.get_running_loop()
    try:
        while True:
            try:
                item = await loop.run_in_executor(None, receiver.recv)
            except EOFError:
                raise RuntimeError("the dossier parsing process stopped unexpectedly") from None
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if helper.is_alive():
            helper.kill()  # cancelled or failed: it may be blocked sending the next batch
        await loop.run_in_executor(None, helper.join)
        receiver.close()


def _helper(path: Path, tz: tzinfo, batch_size: int, sender) -> None:
    """In the helper process: send each batch (blocking while the importer writes), then None."""
    try:
        for batch in parse_batches(path, tz, batch_size):
            sender.send(batch)
        sender.send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importer went away
    except Exception as exc:
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(repr(exc))
        sender.send(exc)
    finally:
        sender.close()
