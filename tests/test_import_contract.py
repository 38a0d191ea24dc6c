"""The import contract (pyproject.toml, checked by `lint-imports` in `make test`) names every
top-level module of bot/, so a new one cannot sit outside the layers unnoticed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def test_every_module_of_bot_is_in_a_layer():
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    named = {m for layer in layers["layers"] for m in re.split(r"[|:]", layer)}
    named = {m.strip() for m in named}
    modules = {
        f"bot.{path.stem}" if path.is_file() else f"bot.{path.name}"
        for path in (ROOT / "bot").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules - named == set()
    assert "handlers" in named


def test_the_conversation_may_not_import_channels_or_the_runtime():
    (neutral,) = [c for c in _contracts() if c.get("source_modules") == ["handlers"]]
    forbidden = set(neutral["forbidden_modules"])
    assert {"bot.channels", "bot.app", "bot.runtime", "bot.web", "telegram"} <= forbidden
