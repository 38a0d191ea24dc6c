"""Zalo settings, rendering and event parsing, without a network."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import make_settings

from bot.channels.render import split_paragraphs
from bot.channels.zalo.channel import international_phone, local_phone
from bot.channels.zalo.events import parse
from bot.channels.zalo.render import render
from bot.channels.zalo.webhook import mac
from bot.reply import Button, Reply
from bot.settings import SettingsError

ZALO = {
    "MOTCUA_ZALO_APP_ID": "123",
    "MOTCUA_ZALO_APP_SECRET": "s",
    "MOTCUA_ZALO_OA_SECRET": "o",
    "MOTCUA_ZALO_REFRESH_TOKEN": "r",
}


def test_settings_defaults_and_refusals(tmp_path):
    assert make_settings(tmp_path).zalo is None
    z = make_settings(tmp_path, **ZALO).zalo
    assert z.api_base_url == "https://openapi.zalo.me"
    assert z.oauth_base_url == "https://oauth.zaloapp.com"
    assert z.zns_base_url == "https://business.openapi.zalo.me"
    assert z.zns_template_dossier == "" and z.buttons == "template"
    assert repr(z.refresh_token) == "Secret('***')"
    bad = {
        "MOTCUA_ZALO_APP_ID": "abc",
        "MOTCUA_ZALO_API_BASE_URL": "openapi.zalo.me",
        "MOTCUA_ZNS_TEMPLATE_DOSSIER": "tpl one",
        "MOTCUA_ZALO_BUTTONS": "many",
        "MOTCUA_ZNS_DEVELOPMENT": "yes",
        "MOTCUA_ZALO_OFFICIALS_GROUP_ID": "a b",
    }
    for name, value in bad.items():
        with pytest.raises(SettingsError, match=name):
            make_settings(tmp_path, **{**ZALO, name: value})
    partial = dict(ZALO)
    del partial["MOTCUA_ZALO_OA_SECRET"]
    with pytest.raises(SettingsError, match="MOTCUA_ZALO_OA_SECRET"):
        make_settings(tmp_path, **partial)


def test_render_plain_split_buttons_fold_and_numbers(tmp_path):
    z = make_settings(tmp_path, **ZALO).zalo
    five = [[Button(f"Nút {i}", f"m:{i}")] for i in range(5)]
    out = render(Reply("<b>Chào</b> &amp; bạn", five), z, "Gõ số")
    (message,) = out.messages
    assert message["text"] == "Chào & bạn"
    assert [b["payload"] for b in message["attachment"]["payload"]["buttons"]] == [
        f"m:{i}" for i in range(5)
    ]
    assert out.actions == [f"m:{i}" for i in range(5)] and out.choices == []
    six = five + [[Button("Trang web", "", url="https://dichvucong.gov.vn")]]
    # past 5: the 4 first (most important) and one "more" button; nothing numbered
    out = render(Reply("Chọn", six), z, "Gõ số", more_label="Thêm lựa chọn")
    buttons = out.messages[0]["attachment"]["payload"]["buttons"]
    assert [b["payload"] for b in buttons] == [f"m:{i}" for i in range(4)] + [
        "zalo:more:" + out.more_key
    ]
    assert buttons[-1]["title"] == "Thêm lựa chọn" and out.choices == []
    assert [b.label for b in out.more] == ["Nút 4", "Trang web"]
    assert "Gõ số" not in out.messages[0]["text"]
    numbers = make_settings(tmp_path, **ZALO, MOTCUA_ZALO_BUTTONS="numbers").zalo
    out = render(Reply("Chọn", six), numbers, "Gõ số", numbering_from=3)
    assert "attachment" not in out.messages[0]
    assert "3. Nút 0" in out.messages[0]["text"] and "7. Nút 4" in out.messages[0]["text"]
    assert "https://dichvucong.gov.vn" in out.messages[0]["text"]
    assert out.choices == [f"m:{i}" for i in range(5)]
    long = "\n\n".join(["đoạn " + "a\u0323" * 900] * 5)  # decomposed marks: NFC first
    parts = render(Reply(long, five), z, "Gõ số").messages
    assert len(parts) > 1 and "attachment" in parts[-1]
    assert all(len(p["text"]) <= 2000 for p in parts)
    assert all(unicodedata.is_normalized("NFC", p["text"]) for p in parts)
    contact = Reply("Bấm nút", [[Button("📱 Chia sẻ", "contact")]], request_contact=True)
    (info,) = render(contact, z, "Gõ số").messages
    assert info["attachment"]["payload"]["template_type"] == "request_user_info"
    assert info["attachment"]["payload"]["elements"][0]["title"] == "📱 Chia sẻ"


def test_split_paragraphs_prefers_paragraph_breaks():
    text = "a" * 1500 + "\n\n" + "b" * 1500
    assert split_paragraphs(text, 2000) == ["a" * 1500, "b" * 1500]
    assert all(len(p) <= 2000 for p in split_paragraphs("x " * 3000, 2000))


def test_events_and_phones():
    e = parse({"event_name": "user_send_text", "sender": {"id": "1"}, "timestamp": "5",
               "message": {"text": "hi", "msg_id": "m1"}, "user_id_by_app": "9"})  # fmt: skip
    assert (e.user_id, e.key, e.text, e.user_id_by_app) == ("1", "msg:m1", "hi", "9")
    assert not parse({"event_name": "oa_send_text", "sender": {"id": "oa"}}).from_user
    assert not parse({"event_name": "user_seen_message", "sender": {"id": "1"}}).from_user
    info = parse({"event_name": "user_submit_info", "sender": {"id": "1"}, "timestamp": "7",
                  "info": {"phone": "84912345678"}})  # fmt: skip
    assert info.phone == "84912345678" and info.key == "user_submit_info:1:7"
    assert local_phone("84912345678") == "0912345678"
    assert international_phone("0912345678") == "84912345678"
    assert mac("1", b"{}", "2", "s") == __import__("hashlib").sha256(b"1{}2s").hexdigest()


def test_motcua_run_starts_the_zalo_channel_and_refuses_a_bad_setting(
    tmp_path, monkeypatch, capsys
):
    from bot.app import build_channels
    from bot.cli import main

    names = [c.name for c in build_channels(make_settings(tmp_path, **ZALO))]
    assert names == ["zalo"]
    monkeypatch.chdir(tmp_path)  # no .env here
    for name, value in {**ZALO, "MOTCUA_ZALO_APP_ID": "not-digits"}.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "MOTCUA_ZALO_APP_ID" in err[0]
