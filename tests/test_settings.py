"""Settings: defaults, .env overlay, and one clear line for each invalid setting."""

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, read_dotenv

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


def test_defaults_are_the_huong_khe_deployment():
    s = load_settings(environ={}, dotenv=None)
    assert s.locale == "vi"
    assert str(s.timezone) == "Asia/Ho_Chi_Minh"
    assert s.db_path == Path("var/motcua.sqlite3")
    assert not s.has_telegram
    communes = [a for a in s.agencies if a.level == "xa"]
    assert len(communes) == 7
    assert {a.code for a in communes} == {
        "18496",
        "18502",
        "18523",
        "18532",
        "18544",
        "18547",
        "18550",
    }
    assert any(a.level == "tinh" for a in s.agencies)


def test_dotenv_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nMOTCUA_LOCALE="en"\nMOTCUA_DB=x.db\n', encoding="utf-8")
    assert read_dotenv(env_file)["MOTCUA_LOCALE"] == "en"
    s = load_settings(environ={"MOTCUA_DB": "y.db"}, dotenv=env_file)
    assert s.locale == "en" and s.db_path == Path("y.db")


def test_token_is_secret_in_repr():
    s = load_settings(environ={"TELEGRAM_BOT_TOKEN": TOKEN}, dotenv=None)
    assert s.has_telegram
    assert "TEST-token" not in repr(s)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not a token"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("MOTCUA_LOCALE", "fr"),
        ("MOTCUA_TIMEZONE", "Mars/Olympus"),
        ("MOTCUA_OFFICIALS_CHAT_ID", "abc"),
        ("MOTCUA_AGENCIES_FILE", "/nonexistent/agencies.json"),
    ],
)
def test_invalid_setting_names_itself_in_one_line(name, value):
    with pytest.raises(SettingsError) as info:
        load_settings(environ={name: value}, dotenv=None)
    message = str(info.value)
    assert message.startswith(name) and "\n" not in message


def test_broken_agencies_file(tmp_path):
    bad = tmp_path / "agencies.json"
    bad.write_text('{"agencies": [{"code": "1", "name": "X", "level": "huyen"}]}', "utf-8")
    with pytest.raises(SettingsError, match="level"):
        load_settings(environ={"MOTCUA_AGENCIES_FILE": str(bad)}, dotenv=None)
