"""Issue 18 (8): every CLI error one line on stderr with the README's exit code; quiet by
default. Through a real process, as an operator meets them."""

from __future__ import annotations

from test_complaint_routes import motcua


def one_line(done) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_from_after_to_is_invalid_use(tmp_path):
    for command in ("stats", "report"):
        args = [command, "--from", "2026-05-01", "--to", "2026-04-01", "--csv", "r.csv"]
        done = motcua(tmp_path, *args[: 5 if command == "stats" else 7])
        assert done.returncode == 2 and "after --to" in one_line(done)


def test_report_into_a_folder_is_invalid_use(tmp_path):
    (tmp_path / "out").mkdir()
    done = motcua(tmp_path, "report", "--html", "out")
    assert done.returncode == 2 and "is a folder" in one_line(done)


def test_backup_into_a_missing_folder_fails(tmp_path):
    assert motcua(tmp_path, "officials", "list").returncode == 0  # the store exists
    done = motcua(tmp_path, "backup", str(tmp_path / "nope" / "copy.sqlite3"))
    assert done.returncode == 1 and "folder" in one_line(done)
    done = motcua(tmp_path, "backup", f"{tmp_path / 'nope'}/")  # wrote a file "nope", exit 0
    assert done.returncode == 1 and "no such folder" in one_line(done)
    assert not (tmp_path / "nope").exists()


def test_a_command_line_it_does_not_understand_is_one_line(tmp_path):
    done = motcua(tmp_path, "officials", "add", "123", "--channel", "foo")
    assert done.returncode == 2 and "--channel" in one_line(done)


def test_officials_add_checks_the_id_for_its_channel_and_accepts_an_alias(tmp_path):
    done = motcua(tmp_path, "officials", "add", "abc", "--role", "leader")
    assert done.returncode == 2 and "not a Telegram user id" in one_line(done)
    done = motcua(tmp_path, "officials", "add", "123", "--agency", "18526")  # merged commune
    assert done.returncode == 0 and "UBND xã Hương Khê (18496)" in done.stdout
    done = motcua(tmp_path, "officials", "remove", "123", "--channel", "terminal")
    assert done.returncode == 2 and "--channel telegram" in one_line(done)


def test_commands_are_quiet_by_default(tmp_path):
    done = motcua(tmp_path, "ask", "lam giay khai sinh", "--json")
    assert done.returncode == 0 and done.stderr == ""
    done = motcua(tmp_path, "learned", "list")
    assert done.stdout.strip() == "0 learned wording(s)" and done.stderr == ""
    assert "procedures indexed" in motcua(tmp_path, "-v", "ask", "x").stderr


def test_every_missing_zalo_setting_is_named_at_once(tmp_path):
    done = motcua(tmp_path, "check", MOTCUA_ZALO_APP_ID="1")
    line = one_line(done)
    assert done.returncode == 2
    # the refresh token is optional since `motcua zalo connect` can store the first pair
    for name in ("APP_SECRET", "OA_SECRET"):
        assert f"MOTCUA_ZALO_{name}" in line
