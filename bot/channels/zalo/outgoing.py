"""Notifications to a citizen down a ladder that never drops a message.

Within 48 h of the citizen's last message a CS message is free; from 48 h to 7 days it
is paid (only when the deployment says the OA pays), so the notification goes by ZNS
to the verified phone, else by ZBS to the OA's `user_id` (a follower), else it is held
until the citizen writes again. -320/-321 (no or an empty Zalo Cloud Account) and the
configuration codes move it one rung down and tell the leaders once a day.
"""

from __future__ import annotations

import logging
import random
import re
from datetime import timedelta

from bot.channels.base import GiveUp, Hold, PartDone, RetryLater
from bot.channels.render import split_paragraphs
from bot.channels.zalo import errors
from bot.channels.zalo.errors import TokenRefreshFailed, ZaloError, ZaloUnavailable
from bot.channels.zalo.phones import international_phone
from bot.channels.zalo.render import TEXT_LIMIT, render
from bot.clock import utcnow
from bot.i18n import translator
from bot.reply import Reply
from bot.text import nfc

log = logging.getLogger(__name__)
MENTION = re.compile(r"\[@[^\]]*\]")  # a mention inside group text: never relayed

FREE = timedelta(hours=48)  # CS replies are free and unlimited this long after a message
GROUP_PREFIX = "group:"  # outbox chat ids of OA group chats (GMF)


class OutsideWindow(GiveUp):
    """-213/-230/-232: CS is not possible now; the next rung decides."""


class NextRung(Hold):
    """This way cannot carry the message now (paid, not configured): try the next one."""


class Outgoing:
    """Mixed into ZaloChannel: it has api, store, core, zalo, refusals and _failures."""

    async def deliver(
        self, chat_id: str, reply: Reply, *, skip: int = 0, on_part: PartDone | None = None
    ) -> None:
        uid = str(chat_id)
        if uid.startswith(GROUP_PREFIX):
            await self._send_group(uid.removeprefix(GROUP_PREFIX), reply)
            return
        user = await self.store.user(uid)
        now = utcnow()
        tried: list[str] = []
        if user is not None and user.in_window(now):
            free = now - user.last_interaction_at < FREE
            if free or self.zalo.paid_cs:
                try:
                    await self._cs_reply(uid, reply, skip, on_part)
                    return
                except NextRung as exc:
                    tried.append(f"CS: {exc}")
            else:
                tried.append("CS: after 48 h (paid, not allowed)")
        for rung in (self._send_zns, self._send_zbs):
            try:
                await rung(uid, reply, user)
                return
            except NextRung as exc:
                tried.append(str(exc))
        raise Hold("; ".join(tried) or "no way to reach the citizen now")

    async def _cs_reply(self, uid: str, reply: Reply, skip: int, on_part) -> None:
        t = translator(await self.core.users.locale(self.name, uid))
        rendered = render(reply, self.zalo, choose_hint(t), more_label=more_label(t))
        try:
            for i, message in enumerate(rendered.messages):
                if i < skip:
                    continue
                await self._send_cs(uid, message)
                if on_part:
                    await on_part(i + 1)
        except OutsideWindow as exc:
            raise NextRung(str(exc)) from None
        folds = {rendered.more_key: rendered.more} if rendered.more else None
        await self.store.remember(uid, rendered.actions, rendered.choices or None, folds)

    async def _send_cs(self, uid: str, message: dict) -> None:
        try:
            await self.api.send_cs(uid, message)
        except ZaloError as exc:
            raise await self._classify(uid, exc) from None
        except (ZaloUnavailable, TokenRefreshFailed) as exc:
            raise self._retry(uid, str(exc), slow=isinstance(exc, TokenRefreshFailed)) from None
        self._failures.pop(uid, None)

    async def _send_group(self, group_id: str, reply: Reply) -> None:
        """An alert copied to the officials' OA group (GMF): text to read, no buttons."""
        text = MENTION.sub("", nfc(reply.plain()))
        for part in split_paragraphs(text, TEXT_LIMIT):
            try:
                await self.api.send_group(group_id, part)
            except ZaloError as exc:
                if exc.code in errors.RETRY:
                    raise self._retry(GROUP_PREFIX, str(exc)) from None
                if exc.code in errors.CONFIG:
                    await self.refusals.seen(exc.code, "openapi")
                raise GiveUp(str(exc)) from None  # -237 package expired, -403 not the OA's
            except (ZaloUnavailable, TokenRefreshFailed) as exc:
                raise self._retry(GROUP_PREFIX, str(exc)) from None

    def _template(self, reply: Reply) -> tuple[str, dict]:
        notice = reply.zns or {}
        template = {
            "dossier": self.zalo.zns_template_dossier,
            "feedback": self.zalo.zns_template_feedback,
        }.get(notice.get("kind", ""), "")
        return (template, notice) if notice.get("params") else ("", notice)

    async def _send_zns(self, uid: str, reply: Reply, user) -> None:
        template, notice = self._template(reply)
        phone = await self.core.privacy.verified_phone(self.name, uid)
        if not template or not phone:
            raise NextRung("ZNS: no template or verified phone")
        number = international_phone(phone)
        await self._template_send(
            "zns", uid, self.api.send_zns(number, template, notice["params"], notice["tracking_id"])
        )

    async def _send_zbs(self, uid: str, reply: Reply, user) -> None:
        """The OA's approved template to a follower by user_id (cheaper, no phone needed)."""
        template, notice = self._template(reply)
        if not template or user is None or not user.following:
            raise NextRung("ZBS: no template, or not a follower")
        sending = self.api.send_zbs(uid, template, notice["params"])
        await self._template_send("openapi", uid, sending)

    async def _template_send(self, api: str, uid: str, call) -> None:
        try:
            await call
        except ZaloError as exc:
            if exc.code in errors.RETRY:
                raise self._retry(uid, str(exc)) from None
            if exc.code in errors.ZNS_LATER:
                raise RetryLater(str(exc), 3600.0) from None
            if api == "openapi" and exc.code in errors.STOP:
                raise GiveUp(str(exc)) from None
            if self.refusals.watched(exc.code, api):
                await self.refusals.seen(exc.code, api)
            elif exc.code in errors.ZNS_DEFECT or exc.code in errors.DEFECT:
                log.error("Zalo: %s refused our payload (a defect) %s: %s", api, exc, exc.payload)
            raise NextRung(f"{'ZNS' if api == 'zns' else 'ZBS'}: {exc}") from None
        except (ZaloUnavailable, TokenRefreshFailed) as exc:
            raise self._retry(uid, str(exc), slow=isinstance(exc, TokenRefreshFailed)) from None
        self._failures.pop(uid, None)

    async def _classify(self, uid: str, exc: ZaloError) -> Exception:
        if exc.code in errors.RETRY or exc.code in errors.TOKEN:
            return self._retry(uid, str(exc), slow=exc.code in errors.TOKEN)
        if exc.code in errors.UNREACHABLE:
            return OutsideWindow(str(exc))
        if exc.code in errors.PAID or exc.code in errors.CONFIG:
            await self.refusals.seen(exc.code, "openapi")
            return NextRung(f"CS: {exc}")
        if exc.code in errors.STOP:
            return GiveUp(str(exc))
        if exc.code in errors.DEFECT:
            log.error("Zalo: refused payload (a defect) %s: %s", exc, exc.payload)
            return GiveUp(str(exc))
        log.error("Zalo: unexpected error %s for %s", exc, exc.payload)
        return GiveUp(str(exc))

    def _retry(self, uid: str, reason: str, slow: bool = False) -> RetryLater:
        """Exponential backoff per chat, with jitter so retries do not come in a wave."""
        n = self._failures[uid] = self._failures.get(uid, 0) + 1
        delay = 300.0 if slow else self.retry_base * 2 ** min(n - 1, 6)
        return RetryLater(reason, delay * random.uniform(0.5, 1.5))


def choose_hint(t) -> str:
    return t.gettext("Type the number of your choice.")


def more_label(t) -> str:
    return t.gettext("More choices")
