"""A fake Telegram Bot API server for tests, refusing what Telegram refuses.

Example::

    from fakebotapi import FakeBotApi

    async def test_start():
        async with FakeBotApi() as api:
            bot = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
            async with bot:
                api.push_text(42, "/start")
                ...
                await bot.send_message(42, "<b>Xin chào</b>", parse_mode="HTML")
            assert api.last("sendMessage").params["text"] == "<b>Xin chào</b>"
            assert api.bot_texts(42) == ["Xin chào"]
"""

from .errors import ApiError
from .http import Upload
from .server import DEFAULT_TOKEN, Call, FakeBotApi, Logged
from .spec import load as load_spec

__all__ = ["DEFAULT_TOKEN", "ApiError", "Call", "FakeBotApi", "Logged", "Upload", "load_spec"]
