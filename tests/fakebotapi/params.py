"""Form fields decoded by the types the spec gives each parameter, as the Bot API reads them.

Everything arrives as strings (PTB JSON-encodes objects such as reply_markup); Integer,
Boolean and Float fields are converted, objects and arrays parsed from JSON, and files taken
from multipart parts, also through ``attach://name``. Unknown parameters are kept as sent,
since Telegram ignores them.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import QUERY_TOO_OLD, ApiError, bad
from .http import Upload
from .spec import Entry, Field

_SCALARS = {"Integer", "String", "Boolean", "Float", "True"}
_MISSING = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": QUERY_TOO_OLD,
}
_JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "entities": "can't parse entities JSON object",
    "caption_entities": "can't parse entities JSON object",
}


def decode(entry: Entry, fields: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in fields.items():
        spec_field = entry.fields.get(name)
        params[name] = value if spec_field is None else _convert(spec_field, value, files)
    for name, upload in files.items():
        params.setdefault(name, upload)
    return params


def _convert(spec_field: Field, value: Any, files: dict[str, Upload]) -> Any:
    types = set(spec_field.types)
    if not isinstance(value, str):
        return value  # a JSON body is already typed
    if "InputFile" in types:
        if value.startswith("attach://"):
            return files.get(value.removeprefix("attach://"), "")
        return value
    if types <= {"Integer", "String"} and "Integer" in types:
        try:
            return int(value)
        except ValueError:
            return value if "String" in types else 0  # TDLib reads garbage as 0
    if types <= {"Boolean", "True"}:
        return value.strip().lower() in ("true", "1")
    if types == {"Float"}:
        try:
            return float(value)
        except ValueError:
            return 0.0
    if types & _SCALARS:
        return value
    if value == "":
        return None
    try:
        return json.loads(value)
    except ValueError:
        name = spec_field.name
        raise bad(_JSON_ERRORS.get(name, f"can't parse {name} JSON object")) from None


def check_required(entry: Entry, params: dict[str, Any]) -> None:
    """Refuse a missing (or empty) required parameter with Telegram's description."""
    for spec_field in entry.fields.values():
        if spec_field.required and params.get(spec_field.name) in (None, ""):
            raise missing(spec_field)


def missing(spec_field: Field) -> ApiError:
    name = spec_field.name
    if name in _MISSING:
        return bad(_MISSING[name])
    if "InputFile" in spec_field.types:
        return bad(f"there is no {name} in the request")
    return bad(f'parameter "{name}" is required')
