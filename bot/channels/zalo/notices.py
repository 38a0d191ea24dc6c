"""The leaders' alerts about the Zalo OA, in the deployment's language, once per key.

Urgent, because nobody notices from the chat: Zalo switches a webhook off after about
an hour of failed posts, and a dead token or an unpaid account stops every message.
"""

from __future__ import annotations

from bot.channels.zalo.alert_events import OaRefused, SignaturesFailing, TokenRenewalRefused
from bot.channels.zalo.alerts import OA_CODES, ZNS_CODES
from bot.i18n import translator
from bot.notify.events import notice
from bot.notify.outbox import Priority, enqueue
from bot.reply import Reply, esc
from bot.settings import Settings
from bot.store.sql import Conn


@notice(SignaturesFailing)
async def signatures_failing(conn, e: SignaturesFailing, settings: Settings) -> int:
    _ = translator(settings.locale).gettext
    return await _leaders(conn, settings, f"zalo-signature:{e.at}", [
        "🚨 <b>" + _("Zalo OA: webhook signatures keep failing") + "</b>",
        _("%(n)s events from Zalo were refused in %(m)s minutes: the OA secret key "
          "looks wrong, and Zalo will switch the webhook off.") % {
            "n": e.count, "m": e.minutes},
        "👉 " + _("Copy the OA secret key from the app's webhook settings on "
                 "developers.zalo.me into MOTCUA_ZALO_OA_SECRET, restart the bot, "
                 "then run: motcua zalo check"),
    ])  # fmt: skip


@notice(OaRefused)
async def oa_refused(conn, e: OaRefused, settings: Settings) -> int:
    meaning = (ZNS_CODES if e.api == "zns" else OA_CODES).get(e.code, "")
    _ = translator(settings.locale).gettext
    return await _leaders(conn, settings, f"zalo-refusal:{e.code}:{e.day}", [
        "🚨 <b>" + _("Zalo OA: %(what)s (code %(code)s)") % {
            "what": esc(_(meaning)), "code": e.code} + "</b>",
        _("No message is lost: each goes another way (ZNS) or waits for the citizen's "
          "next message."),
        "👉 " + _("An OA admin must fix this in the Zalo console; then run: motcua zalo check"),
    ])  # fmt: skip


@notice(TokenRenewalRefused)
async def token_refused(conn, e: TokenRenewalRefused, settings: Settings) -> int:
    _ = translator(settings.locale).gettext
    lines = [
        "🚨 <b>" + _("Zalo OA: the access token could not be renewed") + "</b>",
        _("Zalo said: %s") % esc(f"{e.code} {e.message}"),
        "👉 "
        + _(
            "Messages to Zalo citizens are kept, not sent. An OA admin must grant "
            "access again and put the new token pair in the settings."
        ),
    ]
    return await _leaders(conn, settings, f"zalo-refresh-failed:{e.token_hash}", lines)


async def _leaders(conn: Conn, settings: Settings, key: str, lines: list[str]) -> int:
    """One urgent message to the leaders' chat (once per `key`); 0 if none is set or it was
    queued before."""
    chat = settings.leaders_chat_id
    if chat is None:
        return 0
    return await enqueue(
        conn, settings.staff_channel, chat, Reply("\n".join(lines)),
        dedupe_key=key, priority=Priority.URGENT,
    )  # fmt: skip
