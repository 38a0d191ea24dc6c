"""Errors as the Bot API words them, so bots are tested against the real descriptions."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal: becomes ``{"ok": false, "error_code": code, "description": ...}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


CHAT_NOT_FOUND = "chat not found"
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active;"
    " use deleteWebhook to delete the webhook first"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

# Default descriptions for injected failures, by HTTP code.
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def injected(code: int, retry_after: int | None, description: str | None) -> ApiError:
    if code == 429:
        after = 1 if retry_after is None else retry_after
        return ApiError(429, description or f"Too Many Requests: retry after {after}", after)
    return ApiError(code, description or DEFAULT_DESCRIPTIONS.get(code, "Error"), retry_after)
