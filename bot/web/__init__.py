"""The one HTTP server (aiohttp): webhooks of the channels, /healthz and /metrics.

aiohttp because it is asyncio-native (it shares the bot's event loop with
python-telegram-bot and aiosqlite, no thread or second loop), well kept, and ships
a test client; aiogram's webhook helpers are built on it too.
"""

from bot.web.health import Health, Reading
from bot.web.scrape import StoreCollector
from bot.web.server import WebServer, WebServerError

__all__ = ["Health", "Reading", "StoreCollector", "WebServer", "WebServerError"]
