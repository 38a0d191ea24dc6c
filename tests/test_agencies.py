"""Agencies as real places: aliases resolved in import, the roster, officials' commands and
the report; unknown agencies counted and listed; `motcua agencies check`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from dialog import Conversation
from test_cli import run
from test_dossier_import import row, write_jsonl

from bot.agencies import AgencyConfigError, load_agencies
from bot.core import open_core
from bot.dossiers.agency_ids import AgencyResolver
from bot.settings import load_settings

ALIAS = "000.11.32.H23"
AGENCIES = {
    "agencies": [
        {"code": "18496", "name": "UBND xã Hương Khê", "level": "xa", "aliases": [ALIAS, "18526"],
         "address": "Số 1 đường Thử", "phone": "0239 000 0000", "hours": "7:30–17:00",
         "officials_chat_id": -100},
        {"code": "18502", "name": "UBND xã Hà Linh", "level": "xa"},
    ]
}  # fmt: skip


def agencies_file(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(AGENCIES, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_aliases_resolve_without_case_or_spaces(tmp_path):
    settings = load_settings(environ={"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}, dotenv=None)
    for given in ("18496", ALIAS, ALIAS.lower(), f" {ALIAS} ", "18526"):
        assert settings.agency_code(given) == "18496", given
        assert settings.desk_chat(given) == -100
    assert settings.agency("000.99.99.H99") is None
    assert settings.agency_name("000.99.99.H99") == "000.99.99.H99"


def test_an_id_claimed_by_two_agencies_is_refused(tmp_path):
    data = json.loads(json.dumps(AGENCIES))
    data["agencies"][1]["aliases"] = [ALIAS.lower()]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AgencyConfigError, match="listed twice"):
        load_agencies(path)


def test_resolver_rewrites_only_the_agency():
    resolver = AgencyResolver(load_agencies_from(AGENCIES))
    rows = [("c1", "p", ALIAS, "x"), ("c2", "p", "18502", "y"), ("c3", "p", "nowhere", "z")]
    out, unknown = resolver.resolve(rows)
    assert out == [("c1", "p", "18496", "x"), rows[1], rows[2]] and unknown == [2]


def load_agencies_from(data):
    from bot.agencies import Agency

    return [
        Agency(a["code"], a["name"], a["level"], aliases=tuple(a.get("aliases", [])))
        for a in data["agencies"]
    ]


def test_import_stores_the_agency_code_and_lists_unknown_agencies(monkeypatch, tmp_path, capsys):
    env = {"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [
            row(1, agency_code=ALIAS),
            row(2, agency_code="000.99.99.H99"),
            row(3, agency_code="18502"),
            row(4, agency_code="000.99.99.H99"),
        ],
    )
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["import", "dossiers", str(path)], **env)
    assert code == 0
    assert "added 4," in out and "rejected 0; unknown agency 2" in out
    assert "unknown agency '000.99.99.H99': 2 dossier(s), lines 2, 4" in out

    async def stored():
        core = await open_core(
            load_settings(environ={**env, "MOTCUA_DB": str(tmp_path / "cli.sqlite3")}, dotenv=None)
        )  # noqa: E501
        try:
            return [(await core.dossiers.get(r["code"])).agency_code for r in (row(1), row(2))]
        finally:
            await core.close()

    assert asyncio.run(stored()) == ["18496", "000.99.99.H99"]  # unknown: kept as given


def test_officials_add_accepts_an_alias_and_acts_on_aliased_dossiers(monkeypatch, tmp_path, capsys):
    env = {"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}
    argv = ["officials", "add", "off1", "--agency", ALIAS, "--name", "Chị Hoa", "--channel",
            "terminal"]  # fmt: skip
    code, out, _err = run(monkeypatch, tmp_path, capsys, argv, **env)
    assert code == 0 and "for UBND xã Hương Khê (18496)" in out
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["officials", "list"], **env)
    assert "terminal\toff1\tofficial\tUBND xã Hương Khê\tChị Hoa" in out
    code, _out, err = run(
        monkeypatch, tmp_path, capsys, ["officials", "add", "x", "--agency", "nowhere"], **env
    )
    assert code == 2 and "nowhere" in err

    async def act():
        from test_dialog_dossier_cards import add

        settings = load_settings(
            environ={**env, "MOTCUA_DB": str(tmp_path / "cli.sqlite3")}, dotenv=None
        )
        core = await open_core(settings)
        try:
            # Stored before the alias was known: the agency id as the tracking system wrote it.
            await add(core, "000.11.32.H23-261001-0001", agency=ALIAS, due=-3)
            official = Conversation(core, user_id="off1")
            late = await official.say("/quahan")
            changed = await official.say("/hoso 000.11.32.H23-261001-0001 5 Thiếu tờ khai")
            return late, changed
        finally:
            await core.close()

    late, changed = asyncio.run(act())
    assert "000.11.32.H23-261001-0001" in late and "Quá hạn: 1" in late
    assert "Yêu cầu bổ sung giấy tờ" in changed


def test_agencies_check_prints_what_is_missing(monkeypatch, tmp_path, capsys):
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["agencies", "check"])
    assert code == 1 and "8 agencies" in out
    line = next(x for x in out.splitlines() if x.startswith("18496\t"))
    assert "UBND xã Hương Khê" in line and "aliases: 18526, 18529" in line
    assert "missing: address, phone, hours, officials_chat_id" in line
    env = {"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}
    code, out, _err = run(monkeypatch, tmp_path, capsys, ["agencies", "check"], **env)
    assert "18496\tUBND xã Hương Khê\t(aliases: 000.11.32.H23, 18526)\tcomplete" in out
    assert "18502\tUBND xã Hà Linh\t(aliases: -)\tmissing: address, phone, hours" in out


def test_the_bundled_file_invents_no_contact_data():
    from bot.settings import DEFAULT_AGENCIES

    for agency in load_agencies(DEFAULT_AGENCIES):
        assert (agency.address, agency.phone, agency.hours) == ("", "", ""), agency.code


def test_report_counts_dossiers_stored_under_an_alias_with_their_agency(
    monkeypatch, tmp_path, capsys
):
    from bot.dossiers.model import Dossier
    from bot.dossiers.repository import apply_many

    env = {"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}
    settings = load_settings(
        environ={**env, "MOTCUA_DB": str(tmp_path / "cli.sqlite3")}, dotenv=None
    )
    now = datetime.now(UTC).replace(microsecond=0)

    async def seed():
        core = await open_core(settings)
        try:
            async with core.db.transaction() as conn:
                await apply_many(
                    conn,
                    [
                        Dossier(
                            f"000.11.32.H23-261001-000{i}",
                            "1.001193",
                            agency,
                            now - timedelta(10),
                            10,
                            due_at=now + timedelta(1),
                            status_at=now - timedelta(hours=1),
                        )
                        for i, agency in ((1, ALIAS), (2, "18496"))
                    ],  # fmt: skip
                    "test",
                )
        finally:
            await core.close()

    asyncio.run(seed())
    out_csv = tmp_path / "r.csv"
    code, _out, _err = run(monkeypatch, tmp_path, capsys, ["report", "--csv", str(out_csv)], **env)
    assert code == 0
    lines = out_csv.read_text(encoding="utf-8-sig").splitlines()
    [line] = [x for x in lines if "UBND xã Hương Khê" in x]
    assert line.startswith("18496,UBND xã Hương Khê,") and ",2," in line  # both, one agency
    assert ALIAS not in "\n".join(lines)


async def test_sync_stores_the_agency_code_and_counts_unknown_agencies(tmp_path):
    import httpx
    from test_dossier_sync import TZ, Server, item

    from bot.dossiers.repository import DossierRepository
    from bot.dossiers.sync import TrackingSync
    from bot.store import open_database

    settings = load_settings(environ={"MOTCUA_AGENCIES_FILE": agencies_file(tmp_path)}, dotenv=None)
    db = await open_database(tmp_path / "s.sqlite3")
    try:
        async with Server() as server, httpx.AsyncClient(trust_env=False) as client:
            server.script = [(200, [item(1, agency_code=ALIAS), item(2, agency_code="X.99")])]
            sync = TrackingSync(
                db, server.url, None, TZ, client=client,
                agencies=AgencyResolver(settings.agencies),
            )  # fmt: skip
            report = await sync.run_once()
        assert report.ok and report.added == 2
        assert report.unknown_agency == [item(2)["code"]] and "unknown agency 1" in report.summary()
        repo = DossierRepository(db)
        assert (await repo.get(item(1)["code"])).agency_code == "18496"
        assert (await repo.get(item(2)["code"])).agency_code == "X.99"
    finally:
        await db.close()
