"""The webhook side of the fake: user events, signed the way Zalo signs them."""

from __future__ import annotations

import hashlib
import json
import secrets


def sign(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """`X-ZEvent-Signature`: mac=sha256(app_id + raw body + timestamp + OA secret key)."""
    data = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return "mac=" + hashlib.sha256(data).hexdigest()


def msg_id() -> str:
    return secrets.token_hex(16)


def user_event(app_id: str, oa_id: str, uid: str, name: str, now_ms: int, **extra) -> dict:
    """A user's event: the user is the sender, the OA the recipient (all values strings)."""
    return {
        "app_id": app_id,
        "user_id_by_app": f"9{uid}",
        "event_name": name,
        "timestamp": str(now_ms),
        "sender": {"id": uid},
        "recipient": {"id": oa_id},
        **extra,
    }


def follow_event(app_id: str, oa_id: str, uid: str, name: str, now_ms: int) -> dict:
    return {
        "app_id": app_id,
        "oa_id": oa_id,
        "event_name": name,
        "follower": {"id": uid},
        "user_id_by_app": f"9{uid}",
        "source": "oa_profile",
        "timestamp": str(now_ms),
    }


def encode(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
