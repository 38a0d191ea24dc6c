"""The public report in a real headless Chromium at a phone's size: it renders, and reads.

Skipped when Chromium is absent, unless CI is set (then it must run: CI
installs the `chromium` package).
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from pathlib import Path

import pytest

from bench.report_screenshot import PHONE, demo_report, dump_dom, find_chromium, screenshot

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (apt-get install chromium); CI requires it",
)


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (no Pillow needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


async def test_report_renders_on_a_phone_sized_chromium(tmp_path: Path):
    assert CHROMIUM, "CI is set but Chromium is missing: apt-get install -y chromium"
    html = await demo_report(tmp_path / "report.html", per_month=40)
    png = screenshot(CHROMIUM, html, tmp_path / "shot.png", tmp_path / "profile")

    data = png.read_bytes()
    width, height, pixels = png_pixels(data)
    assert (width, height) == PHONE
    assert len(data) > 20_000, "screenshot suspiciously small"
    assert len(set(pixels[::97])) > 32, "screenshot looks blank"

    dom = dump_dom(CHROMIUM, html, tmp_path / "profile")
    assert '<html lang="vi">' in dom
    for name in ("UBND xã Hương Khê", "UBND xã Phúc Trạch", "UBND xã Hương Đô"):
        assert name in dom
    assert re.search(r'class="rate">\d{1,3},\d%<', dom), "no rate on the cards"
    assert "Chưa đạt" in dom or "Đạt" in dom
