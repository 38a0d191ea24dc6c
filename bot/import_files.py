"""What every importer says about a file it cannot read, and the exit codes of `motcua import`.

One file-level check runs before any parsing (missing, not a file, empty,
binary, not UTF-8, broken gzip), so the procedures and the dossiers importers
refuse the same files with the same one-line reasons. A reason of type
`Unreadable` means the whole file is refused: nothing of it is written.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from pathlib import Path

FILE_NOT_FOUND = "file not found"
UNSUPPORTED = "unsupported file type"
MAX_FIELD_CHARS = 65_536  # longer is a broken export (a missing quote swallowing the file)
HEAD_BYTES = 64 * 1024

# Exit codes of `motcua import` (README: Exit codes).
ALL_ACCEPTED, UNREADABLE_OR_NONE, SOME_REJECTED = 0, 1, 2


class FileRefused(ValueError):
    """The file as a whole cannot be imported; str() is the one-line reason."""


class Unreadable(str):
    """A reason the file as a whole could not be read; none of its rows are imported."""


def allow_long_fields() -> None:
    """Let the csv module read fields past its 131,072-character default; rows with a field
    over MAX_FIELD_CHARS are then rejected one by one instead of stopping the file."""
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


def long_field(values) -> str | None:
    """The rejection reason when a field is too long, else None."""
    if any(len(v) > MAX_FIELD_CHARS for v in values):
        return f"not CSV: field larger than field limit ({MAX_FIELD_CHARS:,} characters)"
    return None


def file_problem(path: Path) -> Unreadable | None:
    """Why `path` cannot be imported at all, or None. Reads at most 64 KiB of it."""
    if not path.exists():
        return Unreadable(FILE_NOT_FOUND)
    if not path.is_file():
        return Unreadable("not a file")
    head = b""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            while len(head) < HEAD_BYTES and (chunk := f.read1(8192)):
                head += chunk
    except (OSError, EOFError, zlib.error) as exc:
        if not head:  # broken later on: the reader says at which line
            return Unreadable(f"cannot read it: {getattr(exc, 'strerror', None) or exc}")
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        return Unreadable("empty file")
    if b"\x00" in head:
        return Unreadable("binary data, not text")
    if _mostly_not_utf8(head):
        return Unreadable("not UTF-8 text (another encoding?); save it as UTF-8 and import again")
    return None


def _mostly_not_utf8(head: bytes) -> bool:
    """Half the lines or more fail to decode: the file's encoding, not a stray byte or two
    (those cost their own line in the readers)."""
    lines = [line for line in head.splitlines() if line.strip()]
    bad = 0
    for n, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            cut = n == len(lines) and exc.reason == "unexpected end of data"
            bad += not cut  # the 64 KiB may end inside a character
    return bad > 0 and bad * 2 >= len(lines)


def exit_code(accepted: int, rejected: int, unreadable: int) -> int:
    """0 every row accepted; 1 a file unreadable or nothing accepted; 2 some rows rejected."""
    if unreadable or not accepted:
        return UNREADABLE_OR_NONE
    return SOME_REJECTED if rejected else ALL_ACCEPTED
