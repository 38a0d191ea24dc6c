"""Calls to the OA API, ZNS and OAuth over httpx; `error` is checked on every answer."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx

from bot.channels.zalo.errors import TOKEN, ZaloError, ZaloUnavailable
from bot.settings import ZaloSettings

log = logging.getLogger(__name__)

CS_PATH = "/v3.0/oa/message/cs"
GROUP_PATH = "/v3.0/oa/group/message"
ZNS_PATH = "/message/template"
ZBS_PATH = "/v3.0/oa/message/template"  # an approved template to a follower, by user_id
OA_PATH = "/v2.0/oa/getoa"
TEMPLATE_INFO_PATH = "/template/info/v2"
TOKEN_PATH = "/v4/oa/access_token"
PERMISSION_PATH = "/v4/oa/permission"


class ZaloApi:
    """One HTTP client for the three hosts; `tokens` hands out the access token."""

    def __init__(self, settings: ZaloSettings, tokens, client: httpx.AsyncClient):
        self.settings = settings
        self.tokens = tokens
        self.client = client

    async def send_cs(self, user_id: str, message: dict) -> dict:
        body = {"recipient": {"user_id": user_id}, "message": message}
        return await self.call(self.settings.api_base_url + CS_PATH, body)

    async def send_group(self, group_id: str, text: str) -> dict:
        body = {"recipient": {"group_id": group_id}, "message": {"text": text}}
        return await self.call(self.settings.api_base_url + GROUP_PATH, body)

    async def send_zns(self, phone: str, template_id: str, data: dict, tracking_id: str) -> dict:
        body = {
            "phone": phone,
            "template_id": template_id,
            "template_data": data,
            "tracking_id": tracking_id,
        }
        if self.settings.zns_development:
            body["mode"] = "development"
        return await self.call(self.settings.zns_base_url + ZNS_PATH, body)

    async def send_zbs(self, user_id: str, template_id: str, data: dict) -> dict:
        body = {"recipient": {"user_id": user_id}, "template_id": template_id,
                "template_data": data}  # fmt: skip
        return await self.call(self.settings.api_base_url + ZBS_PATH, body)

    async def oa_info(self) -> dict:
        return await self.call(self.settings.api_base_url + OA_PATH, None)

    async def template_info(self, template_id: str) -> dict:
        url = self.settings.zns_base_url + TEMPLATE_INFO_PATH
        return await self.call(url, None, params={"template_id": template_id})

    async def call(self, url: str, body: dict | None, params: dict | None = None) -> dict:
        """POST (GET without a body) with the current token; -216/-220 (-124 on ZNS):
        refresh once and retry once."""
        token = await self.tokens.access_token()
        answer = await self._post(url, token, body, params)
        if answer.get("error") in TOKEN:
            log.info("Zalo: access token refused (%s), refreshing", answer.get("error"))
            token = await self.tokens.refresh(stale=token)
            answer = await self._post(url, token, body, params)
        code = answer.get("error", 0)
        if code:
            raise ZaloError(int(code), str(answer.get("message", "")), body)
        return answer.get("data") or {}

    async def _post(self, url: str, token: str, body: dict | None, params=None) -> dict:
        headers = {"access_token": token}
        try:
            if body is None:
                response = await self.client.get(url, params=params, headers=headers)
            else:
                response = await self.client.post(url, json=body, headers=headers)
        except httpx.TransportError as exc:  # timeouts, refused or dropped connections
            raise ZaloUnavailable(f"{type(exc).__name__}: {exc}") from None
        return _answer(response)

    async def refresh_grant(self, refresh_token: str) -> tuple[str, str, timedelta]:
        """OAuth v4: form body and `secret_key` header; the old refresh token dies."""
        s = self.settings
        form = {"refresh_token": refresh_token, "app_id": s.app_id, "grant_type": "refresh_token"}
        return await self.grant(form)

    async def code_grant(self, code: str, verifier: str) -> tuple[str, str, timedelta]:
        """The first pair: the code from the permission page and the PKCE verifier."""
        s = self.settings
        form = {"code": code, "app_id": s.app_id, "grant_type": "authorization_code",
                "code_verifier": verifier}  # fmt: skip
        return await self.grant(form)

    async def grant(self, form: dict) -> tuple[str, str, timedelta]:
        s = self.settings
        try:
            response = await self.client.post(
                s.oauth_base_url + TOKEN_PATH, data=form, headers={"secret_key": str(s.app_secret)}
            )
        except httpx.TransportError as exc:
            raise ZaloUnavailable(f"{type(exc).__name__}: {exc}") from None
        answer = _answer(response)
        if answer.get("error") or not answer.get("access_token"):
            code = int(answer.get("error") or -1)
            text = answer.get("error_description") or answer.get("message") or "no token"
            raise ZaloError(code, str(text))
        try:
            lifetime = timedelta(seconds=int(str(answer.get("expires_in", "3600"))))
        except ValueError:
            lifetime = timedelta(hours=1)
        return answer["access_token"], answer["refresh_token"], lifetime


def _answer(response: httpx.Response) -> dict:
    if response.status_code >= 500 or response.status_code == 429:
        raise ZaloUnavailable(f"HTTP {response.status_code}")
    try:
        answer = response.json()
    except (ValueError, json.JSONDecodeError):
        raise ZaloUnavailable(f"HTTP {response.status_code}: not JSON") from None
    if not isinstance(answer, dict):
        raise ZaloUnavailable(f"HTTP {response.status_code}: unexpected answer")
    if response.status_code >= 400 and not answer.get("error"):
        answer["error"] = -response.status_code
    return answer
