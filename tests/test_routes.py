"""One conversation map: Telegram's handlers are registered from it, and every button the
dialog can make has a route in it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import TOKEN, make_settings
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.channels.telegram.application import build_application, commands
from bot.dialog import router
from handlers.routes import action_pattern

ROOT = Path(__file__).resolve().parents[1]
NOT_CALLBACKS = {"contact"}  # the reply-keyboard button that shares the phone number


def telegram_handlers(tmp_path):
    app = build_application(make_settings(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN))
    return [h for group in app.handlers.values() for h in group]


def test_every_command_is_routed_on_both_sides_with_its_chat_filter(tmp_path):
    handlers = [h for h in telegram_handlers(tmp_path) if isinstance(h, CommandHandler)]
    telegram = {name: h for h in handlers for name in h.commands}
    assert set(telegram) == set(router.COMMANDS)
    for name, command in router.COMMANDS.items():
        assert ("ChatType.PRIVATE" in repr(telegram[name].filters)) == command.private, name


def test_every_action_prefix_is_routed_on_both_sides(tmp_path):
    handlers = [h for h in telegram_handlers(tmp_path) if isinstance(h, CallbackQueryHandler)]
    patterns = [h.pattern.pattern for h in handlers if h.pattern is not None]
    assert sorted(patterns) == sorted(action_pattern(p) for p in router.ACTIONS)
    assert sum(h.pattern is None for h in handlers) == 1  # stale buttons, last
    assert handlers[-1].pattern is None


def test_the_command_menu_and_help_come_from_the_map():
    listed = [c.command for c in commands("vi")]
    assert listed == [name for name, _d in router.listed_commands()]
    assert {"start", "help", "lang", "hoso"} <= set(listed)
    assert "quahan" not in listed  # officials' commands are not advertised


def button_actions() -> list[tuple[str, str]]:
    """(where, literal start of the action) of every Button(...) written in bot/."""
    found = []
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Button"):
                continue
            arg = node.args[1] if len(node.args) > 1 else None
            for kw in node.keywords:
                if kw.arg == "action":
                    arg = kw.value
            if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                arg = arg.values[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", arg.value))
    return found


def test_every_button_the_dialog_makes_has_a_route():
    actions = button_actions()
    assert len(actions) > 20  # the scan sees the dialog's buttons
    unrouted = []
    for where, action in actions:
        if action in NOT_CALLBACKS:
            continue
        prefix = action.split(":", 1)[0]
        menu_entry = prefix != "m" or action in router.MENU
        if prefix not in router.ACTIONS or not menu_entry:
            unrouted.append((where, action))
    assert not unrouted, unrouted
