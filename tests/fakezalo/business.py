"""The fake's business side: ZBS by user_id, OA information, ZNS template information and
the OAuth v4 authorization-code grant with PKCE, each refusing what Zalo refuses."""

from __future__ import annotations

import base64
import hashlib
import secrets

from . import rules


class BusinessApis:
    """Mixed into FakeZalo (its templates, users, token checks and deliveries)."""

    def zbs(self, call) -> dict:
        """ZBS: an approved template to a follower by the OA's user_id (no tracking_id)."""
        problem = self._token_problem(call)
        if problem:
            return problem
        body = call.body if isinstance(call.body, dict) else {}
        uid = (body.get("recipient") or {}).get("user_id")
        template = str(body.get("template_id", ""))
        as_zns = {"phone": "84900000000", "template_id": template,
                  "template_data": body.get("template_data")}  # fmt: skip
        refusal = rules.zns_problem(as_zns, self.templates)
        if refusal:
            return self._refused(call, *refusal)
        if template in self.pre_zbs_templates:
            return {"error": -249, "message": "Template is not supported to send by user_id"}
        if self.oa_refusal is not None:
            return {"error": self.oa_refusal, "message": "OA cannot use this API"}
        user = self.users.get(str(uid))
        if user is None or not user.following:
            return {"error": -213, "message": "User has not followed the OA"}
        if user.refuses is not None:
            return {"error": user.refuses, "message": "User cannot receive this message"}
        mid = secrets.token_hex(10)
        self.deliveries.append({"kind": "zbs", "to": uid, "message": body, "message_id": mid})
        return {"error": 0, "message": "Success", "data": {"msg_id": mid}}

    def oa_info(self, call) -> dict:
        problem = self._token_problem(call)
        if problem:
            return problem
        data = {"oa_id": self.oa_id, "name": "UBND xã Hương Khê", "is_verified": True}
        return {"error": 0, "message": "Success", "data": data}

    def template_info(self, call) -> dict:
        if self._token_problem(call):
            return {"error": -124, "message": "Access token is invalid"}
        template = str((call.body or {}).get("template_id", ""))
        params = self.templates.get(template)
        if params is None:
            return {"error": -131, "message": "Template is not approved or does not exist"}
        listed = [{"name": n, "require": True, "type": "STRING", "maxLength": m, "minLength": 0,
                   "acceptNull": False} for n, m in params.items()]  # fmt: skip
        data = {"templateId": template, "templateName": f"Mẫu {template}", "status": "ENABLE",
                "listParams": listed}  # fmt: skip
        return {"error": 0, "message": "Success", "data": data}

    def authorize(self, challenge: str, redirect_uri: str = "") -> str:
        """An OA admin granted the app on the permission page: the code Zalo redirects with."""
        code = "code-" + secrets.token_urlsafe(16)
        self._codes[code] = (challenge, redirect_uri)
        return code

    def _code_grant(self, form: dict) -> dict:
        """A code works once, within 10 minutes, with the verifier of its PKCE challenge."""
        found = self._codes.pop(form.get("code", ""), None)
        if found is None:
            return _oauth_error(-14019, "invalid_grant", "Invalid or used authorization code")
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != found[0]:
            return _oauth_error(-14018, "invalid_grant", "code_verifier does not match")
        access, refresh = self._new_pair()
        return {"access_token": access, "refresh_token": refresh,
                "expires_in": str(self.token_lifetime)}  # fmt: skip


def _oauth_error(code: int, name: str, description: str) -> dict:
    return {"error": code, "error_name": name, "error_description": description}
