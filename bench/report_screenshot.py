"""Render the public report from demo data in headless Chromium, as a phone shows it.

Writes docs/report-screenshot.png (412×915, the first screen of a phone) from
made-up ratings of the 7 Hương Khê communes (bot.ratings.demo). The browser
test uses the same helpers.

    .venv/bin/python bench/report_screenshot.py [--out docs/report-screenshot.png]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ratings import demo  # noqa: E402
from bot.ratings.report import write_report  # noqa: E402
from bot.store import open_database  # noqa: E402

PHONE = (412, 915)
PERIOD = (date(2025, 7, 1), date(2026, 6, 30))
GENERATED = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
# Offline and quiet: no sandbox (root in CI), no GPU, no network chatter, a throwaway profile.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
)  # fmt: skip


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


async def demo_report(path: Path, per_month: int = 80) -> Path:
    """Seed a throwaway store beside `path` with demo ratings and write the HTML report there."""
    db = await open_database(path.with_suffix(".sqlite3"))
    try:
        agencies = {code: p for code, (_name, p) in demo.HUONG_KHE.items()}
        await demo.seed(db, agencies, *PERIOD, per_month=per_month)
        names = {code: name for code, (name, _p) in demo.HUONG_KHE.items()}
        title = "Mức độ hài lòng (DỮ LIỆU MINH HOẠ)"
        return await write_report(db, path, "html", *PERIOD, names, now=GENERATED,
                                  title=title)  # fmt: skip
    finally:
        await db.close()


def run_chromium(chromium: str, args: list[str], profile: Path, timeout: float = 90) -> str:
    """Run Chromium with FLAGS and a fresh profile; its stdout (the DOM for --dump-dom)."""
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def screenshot(chromium: str, html: Path, png: Path, profile: Path, size=PHONE) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    run_chromium(
        chromium,
        [f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", html.resolve().as_uri()],
        profile,
    )
    return png


def dump_dom(chromium: str, html: Path, profile: Path) -> str:
    return run_chromium(chromium, ["--dump-dom", html.resolve().as_uri()], profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report-screenshot.png")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        html = asyncio.run(demo_report(Path(tmp) / "report.html"))
        screenshot(chromium, html, args.out, Path(tmp) / "profile")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
