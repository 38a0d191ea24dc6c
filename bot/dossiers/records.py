"""One dossier record from a file row or an API item: validated fully, or refused with a reason.

Import and sync share this, so a record means the same wherever it comes from.
Fields: code, procedure_code, agency_code, applicant_name, applicant_phone,
channel, received_at, due_at, status, status_at, result_place, note.
Required: code, procedure_code, agency_code, received_at, status.

Times are ISO 8601; without an offset they are local time in `tz`. A date
without a time is the start of that day, except for due_at where it is the
end of the day (an appointment "on the 5th" is not late until the 5th ends).
`dd/mm/yyyy[ HH:MM[:SS]]` is accepted too, as spreadsheets write it.

The import path works on `Row`s (the fields in order, times as stored UTC
strings) rather than `Dossier`s: a million datetimes back and forth would be
a third of the import's time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from bot.clock import stamp, unstamp
from bot.dossiers.codes import normalize_dossier_code
from bot.dossiers.model import CHANNELS, Dossier
from bot.dossiers.phones import normalize_phone
from bot.text import clean, fold, nfc

FIELDS = (
    "code",
    "procedure_code",
    "agency_code",
    "applicant_name",
    "applicant_phone",
    "channel",
    "received_at",
    "due_at",
    "status",
    "status_at",
    "result_place",
    "note",
)
REQUIRED = ("code", "procedure_code", "agency_code", "received_at", "status")
MAX_TEXT = 2000

# A validated record: FIELDS in order, times as "YYYY-MM-DDTHH:MM:SSZ" strings.
Row = tuple


class RecordError(ValueError):
    """A record that cannot be stored; the message is the reason shown in reports."""


def parse_time(
    value: object, tz: tzinfo, name: str = "time", end_of_day: bool = False
) -> datetime | None:
    """A UTC datetime (whole seconds) from ISO 8601 or dd/mm/yyyy text; None when empty."""
    return unstamp(stamp_time(value, tz, name, end_of_day))


def stamp_time(
    value: object, tz: tzinfo, name: str = "time", end_of_day: bool = False
) -> str | None:
    """Like parse_time, straight to the stored string form."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{name}: expected a time, got {type(value).__name__}")
    s = value.strip()
    if not s:
        return None
    try:
        if "/" in s:
            moment = _parse_dmy(s, end_of_day)
        else:
            moment = datetime.fromisoformat(s)
            if end_of_day and len(s) == 10:
                moment = moment.replace(hour=23, minute=59, second=59)
    except ValueError:
        raise RecordError(f"{name}: not an ISO 8601 time: {s[:40]!r}") from None
    if not 2000 <= moment.year <= 2099:
        raise RecordError(f"{name}: implausible year {moment.year}")
    offset = moment.utcoffset() if moment.tzinfo is not None else tz.utcoffset(moment)
    if offset:
        moment = moment - offset
    return moment.isoformat()[:19] + "Z"


def _parse_dmy(s: str, end_of_day: bool) -> datetime:
    day, _, clock = s.partition(" ")
    d, m, y = (int(part) for part in day.split("/"))
    if not clock.strip():
        return datetime(y, m, d, 23, 59, 59) if end_of_day else datetime(y, m, d)
    parts = [int(p) for p in clock.strip().split(":")]
    if len(parts) not in (2, 3):
        raise ValueError(s)
    return datetime(y, m, d, *parts)


def parse_status(value: object) -> int:
    if isinstance(value, bool):
        raise RecordError("status: expected a number 1-10")
    if isinstance(value, int):
        status = value
    elif isinstance(value, float) and value.is_integer():
        status = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        status = int(value.strip())
    else:
        raise RecordError(f"status: expected a number 1-10, got {str(value)[:20]!r}")
    if not 1 <= status <= 10:
        raise RecordError(f"status: {status} is not a portal status (1-10)")
    return status


def parse_channel(value: str | None) -> str | None:
    """truc_tiep / truc_tuyen / buu_chinh from those or the Vietnamese labels."""
    if not value:
        return None
    if value in CHANNELS:
        return value
    folded = fold(value).replace("_", " ")
    if "tiep" in folded:
        return "truc_tiep"
    if "tuyen" in folded or folded == "online":
        return "truc_tuyen"
    if "buu" in folded:
        return "buu_chinh"
    raise RecordError(f"channel: {value[:30]!r} is not truc_tiep, truc_tuyen or buu_chinh")


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RecordError(f"{name}: expected text")
        value = str(value)
    s = clean(value).strip()
    if not s:
        return None
    if len(s) > MAX_TEXT:
        raise RecordError(f"{name}: longer than {MAX_TEXT} characters")
    return s if s.isascii() else nfc(s)


def parse_row(record: Mapping[str, object], tz: tzinfo) -> Row:
    """A validated Row, or RecordError naming the first problem."""
    get = record.get
    code = _text(get("code"), "code")
    procedure = _text(get("procedure_code"), "procedure_code")
    agency = _text(get("agency_code"), "agency_code")
    received_raw = _text(get("received_at"), "received_at")
    status_raw = get("status")
    if isinstance(status_raw, str) and not status_raw.strip():
        status_raw = None
    if not (code and procedure and agency and received_raw) or status_raw is None:
        present = (code, procedure, agency, received_raw, status_raw)
        missing = [n for n, v in zip(REQUIRED, present, strict=True) if v is None]
        raise RecordError(f"missing {', '.join(missing)}")
    canonical = normalize_dossier_code(code)
    if canonical is None:
        raise RecordError(f"code: not a dossier code: {code[:40]!r}")
    phone = _text(get("applicant_phone"), "applicant_phone")
    if phone is not None:
        phone = normalize_phone(phone)
        if phone is None:
            raise RecordError("applicant_phone: not a Vietnamese phone number")
    received = stamp_time(received_raw, tz, "received_at")
    due = stamp_time(_text(get("due_at"), "due_at"), tz, "due_at", end_of_day=True)
    if due is not None and due < received:
        raise RecordError("due_at: before received_at")
    name = _text(get("applicant_name"), "applicant_name")
    return (
        canonical,
        procedure.replace(" ", ""),
        agency,
        " ".join(name.split()) if name else None,
        phone,
        parse_channel(_text(get("channel"), "channel")),
        received,
        due,
        parse_status(status_raw),
        stamp_time(_text(get("status_at"), "status_at"), tz, "status_at"),
        _text(get("result_place"), "result_place"),
        _text(get("note"), "note"),
    )


def row_to_dossier(row: Row) -> Dossier:
    return Dossier(
        code=row[0],
        procedure_code=row[1],
        agency_code=row[2],
        applicant_name=row[3],
        applicant_phone=row[4],
        channel=row[5],
        received_at=unstamp(row[6]),
        due_at=unstamp(row[7]),
        status=row[8],
        status_at=unstamp(row[9]),
        result_place=row[10],
        note=row[11],
    )


def parse_record(record: Mapping[str, object], tz: tzinfo) -> Dossier:
    """A validated Dossier, or RecordError naming the first problem."""
    return row_to_dossier(parse_row(record, tz))


def _stamp(moment: datetime | None) -> str | None:
    return stamp(moment) if moment is not None else None


def dossier_to_row(d: Dossier) -> Row:
    """The Row of a Dossier built in code (e.g. by a desk form), checked like a record."""
    if normalize_dossier_code(d.code) != d.code:
        raise RecordError(f"code: not a canonical dossier code: {d.code!r}")
    if d.status not in range(1, 11):
        raise RecordError(f"status: {d.status!r} is not a portal status (1-10)")
    if d.channel is not None and d.channel not in CHANNELS:
        raise RecordError(f"channel: {d.channel!r}")
    if d.applicant_phone is not None and normalize_phone(d.applicant_phone) != d.applicant_phone:
        raise RecordError("applicant_phone: not in the stored form 0xxxxxxxxx")
    if not (d.procedure_code and d.agency_code and d.received_at):
        raise RecordError("missing procedure_code, agency_code or received_at")
    return (
        d.code,
        d.procedure_code,
        d.agency_code,
        d.applicant_name,
        d.applicant_phone,
        d.channel,
        _stamp(d.received_at),
        _stamp(d.due_at),
        d.status,
        _stamp(d.status_at),
        d.result_place,
        d.note,
    )
