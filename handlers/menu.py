"""Greeting, help, language and the main menu: the doors to every feature."""

from __future__ import annotations

from bot.i18n import LOCALES, translator
from bot.reply import Button, Reply, esc
from bot.text import fold
from handlers.context import Turn

LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}
# What people type after /lang, folded: the code, the name in either language.
LANGUAGE_WORDS = {
    "vi": "vi",
    "vn": "vi",
    "viet": "vi",
    "tieng viet": "vi",
    "vietnamese": "vi",
    "en": "en",
    "eng": "en",
    "english": "en",
    "anh": "en",
    "tieng anh": "en",
}


def main_menu(turn: Turn) -> list[list[Button]]:
    """Big buttons, one or two a row: many users are elderly and on phones."""
    _ = turn.t.gettext
    return [
        [Button("🔎 " + _("Ask about a procedure"), "m:ask")],
        [Button("📂 " + _("Check my dossier"), "m:dos")],
        [
            Button("⭐ " + _("Rate our service"), "m:rate"),
            Button("✉️ " + _("Send feedback"), "m:fb"),
        ],
        [Button("🌐 " + _("Language"), "lang")],
    ]


def back_to_menu(turn: Turn) -> list[Button]:
    return [Button("🏠 " + turn.t.gettext("Main menu"), "menu")]


async def start(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = "\n".join(
        [
            "👋 <b>" + _("Hello! I am MotCua, the one-stop desk assistant.") + "</b>",
            _("I answer questions about administrative procedures: documents, time, fees, steps."),
            "",
            "🔒 "
            + _("Privacy: I keep only what you send me, to answer you; send /help to learn more."),
            "",
            "👉 " + _('Type your question, for example "lam giay khai sinh", or press a button.'),
        ]
    )
    return [Reply(text, main_menu(turn))]


async def menu(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    return [Reply("👉 " + _("What would you like to do? Press a button."), main_menu(turn))]


async def help_(turn: Turn, commands: list[tuple[str, str]]) -> list[Reply]:
    """/help; `commands` are (name, description msgid) from the conversation map, which
    imports this module (so the map hands them in rather than this module reaching up)."""
    _ = turn.t.gettext
    text = "\n".join(
        [
            "<b>" + _("How to use MotCua") + "</b>",
            "• " + _("Type a question in your own words, with or without accents."),
            "  " + _('For example: "dang ky thuong tru", "lam lai cccd", "xin giay doc than".'),
            "• " + _("I show the procedure: documents, time, fees and steps."),
            "• " + _("If I cannot find it, you can send your question to the officials."),
            "• " + _("Type your dossier code to see where it stands."),
            "",
            "<b>" + _("Commands") + "</b>",
            *(f"/{name} — {_(description)}" for name, description in commands),
            "",
            "🔒 "
            + _(
                "Privacy: your messages are used only to answer you and are not shared with "
                "anyone outside the one-stop desk."
            ),
        ]
    )
    return [Reply(text, [back_to_menu(turn)])]


async def choose_language(turn: Turn) -> list[Reply]:
    buttons = [[Button(LANGUAGE_NAMES[code], f"lang:{code}")] for code in LOCALES]
    return [Reply("🌐 " + turn.t.gettext("Choose your language:"), buttons)]


async def language_command(turn: Turn, args: str) -> list[Reply]:
    """/lang shows the chooser; /lang en, /lang vi (or the language's name) switch at once."""
    wanted = " ".join(fold(args).split())
    if not wanted:
        return await choose_language(turn)
    code = LANGUAGE_WORDS.get(wanted)
    if code is None:
        _ = turn.t.gettext
        text = _("I do not know the language %s. Choose one:") % esc(args.strip()[:30])
        buttons = [[Button(LANGUAGE_NAMES[c], f"lang:{c}")] for c in LOCALES]
        return [Reply("🌐 " + text, buttons)]
    return await set_language(turn, code)


async def set_language(turn: Turn, code: str) -> list[Reply]:
    if code not in LOCALES:
        return await choose_language(turn)
    await turn.core.users.set_locale(turn.msg.channel, turn.msg.user_id, code)
    turn.t = translator(code)
    _ = turn.t.gettext
    return [Reply("✅ " + _("Done: I will reply in English from now on."), main_menu(turn))]


async def coming_soon(turn: Turn) -> list[Reply]:
    _ = turn.t.gettext
    text = "\n".join(
        [
            _("This service is not open in the chat yet."),
            "👉 " + _("Please contact your commune's one-stop desk, or ask me about a procedure."),
        ]
    )
    return [Reply(text, [back_to_menu(turn)])]
