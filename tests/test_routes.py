"""One conversation map and one way to it: Telegram hands every update to the core's entry
point, reading it as python-telegram-bot's filters did, and every button the dialog can make
has a route in the map."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import TOKEN, make_settings
from telegram import Update
from telegram.ext import TypeHandler

from bot import dispatch
from bot.channels.telegram import updates
from bot.channels.telegram.application import build_application, commands
from bot.channels.telegram.incoming import incoming
from bot.reply import CONTACT_ACTION
from handlers import router

ROOT = Path(__file__).resolve().parents[1]
NOT_CALLBACKS = {CONTACT_ACTION}  # the reply-keyboard button that shares the phone number


def telegram_handlers(tmp_path):
    app = build_application(make_settings(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN))
    return [h for group in app.handlers.values() for h in group]


def test_telegram_has_one_handler_that_hands_every_update_to_the_core(tmp_path):
    handlers = telegram_handlers(tmp_path)
    assert len(handlers) == 1 and isinstance(handlers[0], TypeHandler)
    assert handlers[0].type is Update and handlers[0].callback is updates.on_update


def update(text: str | None = None, chat_type: str = "private", **content) -> Update:
    """A message update as Telegram sends it (a /command gets its bot_command entity)."""
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": -5 if chat_type != "private" else 7, "type": chat_type},
        "from": {"id": 7, "is_bot": False, "first_name": "A"},
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/") and len(text) > 1:
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    message.update(content)
    return Update.de_json({"update_id": 1, "message": message}, None)


def test_commands_reach_the_map_as_the_words_after_them_as_before():
    msg = incoming(update("/hoso@MotCuaBot  H56-1\n5  note"), "MotCuaBot")
    assert msg.command == ("hoso", "H56-1 5 note")
    assert incoming(update("/start@OtherBot"), "MotCuaBot") is None  # that bot's command
    assert incoming(update("/Start"), "MotCuaBot").command == ("start", "")


async def test_private_only_commands_are_unknown_in_a_group_and_groups_hear_only_text(core):
    private = [name for name, command in router.COMMANDS.items() if command.private]
    assert private  # /phananh, /hosocuatoi, /xoadulieu
    for name in private:
        msg = incoming(update(f"/{name}", "supergroup"), "MotCuaBot")
        assert msg.command == (name, "") and msg.private is False
        replies = await dispatch.handle(core, msg)
        assert f"/{name}" in replies[0].text and "/help" in replies[0].text, name
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    assert incoming(update(chat_type="supergroup", photo=photo), "MotCuaBot") is None
    assert incoming(update(photo=photo), "MotCuaBot").file_id == "f"
    joined = {"new_chat_members": [{"id": 9, "is_bot": False, "first_name": "B"}]}
    assert incoming(update(chat_type="supergroup", **joined), "MotCuaBot") is None
    assert (
        incoming(
            update(
                **{
                    "pinned_message": {
                        "message_id": 2,
                        "date": 0,
                        "chat": {"id": 7, "type": "private"},
                    }
                }
            ),
            "MotCuaBot",
        )
        is None
    )


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


async def test_the_officials_routes_refuse_a_stranger_in_one_place(core):
    """The roster is checked by the router for a route marked `officials`, not by each
    feature; a stranger hears the private refusal and nothing is done."""
    from handlers.incoming import ACTION, TEXT, Incoming

    marked = sorted(name for name, c in router.COMMANDS.items() if c.officials)
    assert marked == ["phananhquahan", "quahan", "thongke", "traloi", "xinloi"]
    base = {"channel": "telegram", "chat_id": "-100", "private": False}
    for i, name in enumerate(marked):  # a new stranger each time: refusals are rate-limited
        msg = Incoming(kind=TEXT, text=f"/{name} 1 x", user_id=f"s{i}", **base)
        replies = await dispatch.handle(core, msg)
        assert len(replies) == 1 and replies[0].notice and "🔒" in replies[0].text, name
    for i, action in enumerate(["f:as:1", "f:cl:1", "q:an:1", "q:lk:1:1.000001"]):
        msg = Incoming(kind=ACTION, text=action, user_id=f"t{i}", **base)
        replies = await dispatch.handle(core, msg)
        assert len(replies) == 1 and replies[0].notice and "🔒" in replies[0].text, action
    checks = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "handlers").rglob("*.py")
        if "officials.get(" in path.read_text(encoding="utf-8")
    ]
    # the router's one check, /hoso CODE STATUS (a citizen's command too) and the text an
    # official's pressed button waits for (a flow, not a route)
    assert sorted(checks) == [
        "handlers/officials.py",
        "handlers/questions_officials.py",
        "handlers/router.py",
    ]
