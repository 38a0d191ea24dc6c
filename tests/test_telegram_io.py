"""Replies turned into Telegram objects: kept keyboards serialise like fresh ones."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram.outgoing import NO_PREVIEW, markup
from bot.reply import Button, Reply


def test_a_kept_keyboard_serialises_like_a_fresh_one_every_time():
    reply = Reply(
        "x", [[Button("📄 Giấy tờ", "p:d:1.001193")], [Button("Cổng", "", url="https://x.vn")]]
    )
    fresh = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📄 Giấy tờ", callback_data="p:d:1.001193")],
            [InlineKeyboardButton("Cổng", url="https://x.vn")],
        ]
    )
    kept = markup(reply)
    assert markup(Reply("y", reply.buttons)) is kept  # the same keyboard object is reused
    first = kept.to_dict()
    assert first == fresh.to_dict()
    first["inline_keyboard"] = []  # a caller changing its dict does not change the next
    assert kept.to_dict() == fresh.to_dict()
    assert kept == fresh and kept.to_json() == fresh.to_json()
    assert NO_PREVIEW.to_dict() == {"is_disabled": True}
