"""Agency ids in dossier records, resolved to the deployment's agency codes.

Tracking systems name an agency by its electronic id (`000.11.32.H23`) or an
old code; the agencies file lists those as aliases. Import and sync store the
canonical code, so officials, desk chats and the report see one agency. A
record whose agency nobody knows is kept as given (never rejected) and
reported, so the file can be completed.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.agencies import Agency, agency_index
from bot.dossiers.records import Row

AGENCY = 2  # the agency_code's place in a Row


class AgencyResolver:
    """alias or code → canonical code; remembers the unknown ones it met."""

    def __init__(self, agencies: Iterable[Agency]):
        self._codes = {key: a.code for key, a in agency_index(agencies).items()}

    def code(self, value: str) -> str | None:
        found = self._codes.get(value)
        if found is None:
            found = self._codes.get("".join(value.split()).upper())
        return found

    def resolve(self, rows: list[Row]) -> tuple[list[Row], list[int]]:
        """The rows with their agency resolved, and the indexes of rows with an unknown one."""
        out: list[Row] = []
        unknown: list[int] = []
        for i, row in enumerate(rows):
            value = row[AGENCY]
            code = self.code(value)
            if code is None:
                unknown.append(i)
                out.append(row)
            elif code != value:
                out.append((*row[:AGENCY], code, *row[AGENCY + 1 :]))
            else:
                out.append(row)
        return out, unknown
