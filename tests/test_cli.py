"""The `motcua` command: ask (JSON), import, invalid settings, the terminal chat."""

from __future__ import annotations

import io
import json
import sys

import pytest
from conftest import NATIONAL

from bot.cli import main


def run(monkeypatch, tmp_path, capsys, argv, stdin: str = "", **env):
    monkeypatch.chdir(tmp_path)  # no stray .env; var/ lands in tmp_path
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "cli.sqlite3"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_prints_json(monkeypatch, tmp_path, capsys):
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["ask", "lam giay khai sinh", "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["query"] == "lam giay khai sinh"
    assert result["abstained"] is False
    assert result["matches"][0]["code"].startswith("1.001193")
    assert {"code", "name", "score"} <= set(result["matches"][0])


def test_ask_reads_one_question_a_line(monkeypatch, tmp_path, capsys):
    stdin = "dang ky ket hon\n\nthời tiết hôm nay\n"
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["ask", "--json"], stdin=stdin)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 2
    assert lines[0]["matches"] and not lines[0]["abstained"]
    assert lines[1]["abstained"] is True and lines[1]["matches"] == []


def test_invalid_setting_stops_with_one_line(monkeypatch, tmp_path, capsys):
    code, _out, err = run(monkeypatch, tmp_path, capsys, ["ask", "x"], MOTCUA_LOCALE="fr")
    assert code == 2
    assert err.strip().count("\n") == 0 and "MOTCUA_LOCALE" in err


def test_import_reports_counts_and_rejections(monkeypatch, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ma_thu_tuc": "TEST_MOT_CAP", "ten_thu_tuc": "Thủ tục test"}\nnot json\n')
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["import", "procedures", str(bad)])
    assert code == 1  # nothing accepted (issue 11: exit codes that tell the truth)
    assert "added 0" in out and "rejected 2" in out
    assert "bad.jsonl:1" in out and "bad.jsonl:2" in out


def test_chat_in_the_terminal(monkeypatch, tmp_path, capsys):
    stdin = "lam giay khai sinh\n1\n/quit\n"
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["chat"], stdin=stdin)
    assert code == 0
    assert "[1] 🔎 Hỏi về thủ tục" in out
    assert "Đăng ký khai sinh" in out and "Giấy tờ cần nộp" in out


def test_national_catalog_is_importable_when_shared_data_is_there(monkeypatch, tmp_path, capsys):
    if not NATIONAL.exists():
        pytest.skip("../shared is not beside the project")
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["import", "procedures", str(NATIONAL)])
    # the bundled layer is written first: 45 of its procedures are in the national file
    assert code == 0 and "added 2597, updated 45, unchanged 0, rejected 0" in out
    assert "kept curated fields for 45 procedures (" in out


def test_import_dossiers_reports_bad_lines_and_keeps_good_rows(monkeypatch, tmp_path, capsys):
    csv = tmp_path / "hoso.csv"
    header = "code,procedure_code,agency_code,applicant_name,applicant_phone,channel,"
    header += "received_at,due_at,status,status_at,result_place,note\n"
    good = "000.00.06.H56-261120-0001,1.001193,18496,Trần Thị B,0912345678,truc_tiep,"
    good += "2026-11-20T08:00,2026-11-27T17:00,4,2026-11-21T09:00,Một cửa xã,\n"
    bad = "000.00.06.H56-261120-0002,1.001193,18496,Lê C,0912345679,truc_tiep,"
    bad += "2026-11-20T08:00,2026-11-27T17:00,42,2026-11-21T09:00,,\n"
    csv.write_text(header + good + bad, encoding="utf-8")
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["import", "dossiers", str(csv)])
    assert code == 2  # some rows rejected (issue 11)
    assert "added 1" in out and "rejected 1" in out and "line 3" in out
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["import", "dossiers", str(csv)])
    assert "unchanged 1" in out and "added 0" in out


def test_sync_without_url_says_so(monkeypatch, tmp_path, capsys):
    code, _out, err = run(monkeypatch, tmp_path, capsys, ["sync"])
    assert code == 2 and "MOTCUA_TRACKING_URL" in err


def test_stats_and_report(monkeypatch, tmp_path, capsys):
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["stats", "--from", "2026-01-01"])
    assert code == 0 and "không có số liệu" in out
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["stats", "--json"])
    data = json.loads(out)
    assert code == 0 and data["satisfaction"] == [] and data["decision_766"] == []
    html, csv = tmp_path / "r.html", tmp_path / "r.csv"
    code, out, _err = run(
        monkeypatch, tmp_path, capsys, ["report", "--html", str(html), "--csv", str(csv)]
    )
    assert code == 0 and html.exists() and csv.exists()
    assert "<html" in html.read_text(encoding="utf-8")
    code, _out, err = run(monkeypatch, tmp_path, capsys, ["stats", "--agency", "99999"])
    assert code == 2 and "99999" in err


def test_export_feedback_csv(monkeypatch, tmp_path, capsys):
    out_csv = tmp_path / "pakn.csv"
    code, out, _err = run(
        monkeypatch, tmp_path, capsys, ["export", "feedback", "--csv", str(out_csv)]
    )
    assert code == 0 and "wrote 0 published answers" in out and out_csv.exists()
