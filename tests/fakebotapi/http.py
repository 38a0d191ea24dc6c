"""A small HTTP/1.1 server on asyncio streams, so python-telegram-bot's real HTTPXRequest
talks to the fake over a socket (keep-alive, Content-Length or chunked bodies) with only the
standard library. Bodies are decoded into form fields and uploaded files as the Bot API reads
them: query string, application/x-www-form-urlencoded, multipart/form-data or JSON.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    query: dict[str, str] = field(default_factory=dict)
    # Resolves when the client closes the connection while its request waits (long polling).
    client_gone: Callable[[], Awaitable[bytes]] | None = None

    def form(self) -> tuple[dict[str, Any], dict[str, Upload]]:
        """Fields (str, or JSON values for a JSON body) and uploaded files."""
        fields: dict[str, Any] = dict(self.query)
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            boundary = re.search(r'boundary="?([^";]+)"?', ctype)
            parts, files = _multipart(self.body, boundary[1].encode() if boundary else b"")
            return fields | parts, files
        if ctype.startswith("application/json") and self.body:
            data = json.loads(self.body)
            return fields | (data if isinstance(data, dict) else {}), {}
        if self.body:
            fields.update(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        return fields, {}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"

    @classmethod
    def json(cls, status: int, payload: Any) -> Response:
        return cls(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


class Disconnect(Exception):
    """Raised by a handler to drop the connection without answering (a network failure)."""


Handler = Callable[[Request], Awaitable[Response]]


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handle: Handler):
    """Answer requests on one connection until the client closes it."""
    try:
        while True:
            request = await _read(reader)
            if request is None:
                break
            request.client_gone = functools.partial(reader.read, 1)
            try:
                response = await handle(request)
            except Disconnect:
                break
            closing = request.headers.get("connection", "").lower() == "close"
            writer.write(_head(response, closing) + response.body)
            await writer.drain()
            if closing:
                break
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _read(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _chunked(reader)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
    url = urlsplit(target)
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    return Request(method.upper(), unquote(url.path), headers, body, query)


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _multipart(body: bytes, boundary: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name is None:
            continue
        if filename is not None:
            ctype = headers.get("content-type", "application/octet-stream")
            files[name[1]] = Upload(unquote(filename[1]), ctype, data)
        else:
            fields[name[1]] = data.decode("utf-8")
    return fields, files


def _head(response: Response, closing: bool) -> bytes:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        "Server: nginx/1.18.0",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        f"Connection: {'close' if closing else 'keep-alive'}",
        "",
        "",
    ]
    return "\r\n".join(lines).encode("latin-1")
