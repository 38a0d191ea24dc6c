"""A fake Zalo Official Account platform on 127.0.0.1 for tests (see server.FakeZalo)."""

from .server import Call, FakeZalo
from .webhook import sign

__all__ = ["Call", "FakeZalo", "sign"]
