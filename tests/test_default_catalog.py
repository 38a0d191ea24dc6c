"""The bundled default catalog: it loads, it can answer, and its codes are right."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import asdict
from importlib import resources
from pathlib import Path

import pytest

from bot.catalog.default import load_default_catalog, parse_default_catalog
from bot.catalog.model import Procedure, is_valid_code

SHARED = Path(__file__).resolve().parents[2] / "shared"
NATIONAL = SHARED / "data" / "procedures" / "national-2026.jsonl.gz"

# Entries whose fee depends on the case (land area and value, building size, provincial rates
# not confirmed): fee_amount stays None so the bot never says "free", and fee_text explains.
VARIABLE_FEE = {
    "1.004859",  # cải chính hộ tịch: rate depends on age and case
    "1.013978",  # first land certificate: fees, land-use levy
    "1.013831",  # land transfer: taxes, registration fee
    "1.013949",  # change of land use: land-use levy
    "1.001612",  # household business: provincial fee
    "2.000720",  # household business change: provincial fee
    "1.013225",  # building permit: provincial fee
}

KEY_PROCEDURES = {
    "1.001193": "khai sinh",
    "1.004222": "thường trú",
    "2.000815": "chứng thực bản sao",
    "1.000894": "kết hôn",
    "1.014061": "thẻ căn cước",
}


@pytest.fixture(scope="module")
def catalog() -> list[Procedure]:
    return load_default_catalog()


@pytest.fixture(scope="module")
def raw() -> dict:
    text = resources.files("bot").joinpath("data/default_catalog.json").read_text("utf-8")
    return json.loads(text)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _fold_name(name: str) -> str:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip().casefold()
    text = re.sub(r"^thủ tục\s+", "", text)
    return text.rstrip(".").strip()


def test_file_shape(raw):
    assert set(raw) == {"_about", "procedures"}
    assert raw["_about"].strip()
    assert isinstance(raw["procedures"], list)


def test_file_is_nfc_utf8_without_ascii_escapes():
    data = resources.files("bot").joinpath("data/default_catalog.json").read_bytes()
    text = data.decode("utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert "\\u" not in text, "write with ensure_ascii=False"


def test_loads_between_35_and_50(catalog):
    assert 35 <= len(catalog) <= 50
    assert all(isinstance(p, Procedure) for p in catalog)


def test_codes_valid_and_unique_on_first_8(catalog):
    codes8 = [p.code8 for p in catalog]
    assert all(is_valid_code(p.code) for p in catalog)
    assert len(codes8) == len(set(codes8))


def test_key_procedures_present(catalog):
    by_code = {p.code8: p for p in catalog}
    for code, words in KEY_PROCEDURES.items():
        assert code in by_code, f"{code} ({words}) missing"
        assert words in by_code[code].name.lower() or words in " ".join(by_code[code].keywords)


@pytest.mark.parametrize("field", ["name", "field", "agency", "requirements", "result"])
def test_text_fields_filled(catalog, field):
    for p in catalog:
        assert getattr(p, field).strip(), f"{p.code}: no {field}"


def test_levels_commune_or_province(catalog):
    for p in catalog:
        assert p.levels and set(p.levels) <= {"xa", "tinh"}, p.code
        assert len(p.levels) == len(set(p.levels)), p.code


def test_filings_have_time_and_fee(catalog):
    for p in catalog:
        assert p.filings, f"{p.code}: no filing"
        timed = [f for f in p.filings if f.time_value and f.time_unit and f.time_text.strip()]
        assert timed, f"{p.code}: no filing with a time"
        assert all(f.fee_text.strip() for f in p.filings), f"{p.code}: a filing has no fee_text"
        if p.code in VARIABLE_FEE:
            assert all(f.fee_amount is None for f in p.filings), p.code
        else:
            assert any(f.fee_amount is not None for f in timed), f"{p.code}: no fee_amount"
        for f in p.filings:
            if f.fee_amount == 0:
                assert re.search(r"miễn|không thu", f.fee_text, re.I), f"{p.code}: {f.fee_text!r}"
            elif f.fee_amount:
                shown = f"{f.fee_amount:,}".replace(",", ".")
                assert shown in f.fee_text, f"{p.code}: {f.fee_amount} not in {f.fee_text!r}"
        channels = [f.channel for f in p.filings]
        assert len(channels) == len(set(channels)), f"{p.code}: channel listed twice"


def test_variable_fee_list_is_current(catalog):
    assert {p.code for p in catalog} >= VARIABLE_FEE


def test_documents_steps_keywords(catalog):
    for p in catalog:
        assert p.documents and all(d.name.strip() for d in p.documents), p.code
        assert 3 <= len(p.steps) <= 6, f"{p.code}: {len(p.steps)} steps"
        assert all(s.strip() for s in p.steps), p.code
        assert 3 <= len(p.keywords) <= 10, f"{p.code}: {len(p.keywords)} keywords"
        assert len({k.casefold() for k in p.keywords}) == len(p.keywords), p.code
        assert all(k == k.strip() and k == k.lower() for k in p.keywords), p.code


def test_legal_basis_short_and_numbered(catalog):
    for p in catalog:
        assert 1 <= len(p.legal_basis) <= 3, p.code
        assert all(d.title.strip() and d.number.strip() for d in p.legal_basis), p.code


def test_online_level_portal_source(catalog):
    for p in catalog:
        assert p.online_level in (None, "toan_trinh", "mot_phan"), p.code
        assert p.portal_url.startswith("https://dichvucong.gov.vn"), p.code
        assert p.source == "default", p.code


def test_all_text_nfc(catalog):
    for p in catalog:
        for text in _strings(asdict(p)):
            assert unicodedata.normalize("NFC", text) == text, f"{p.code}: {text[:40]!r}"


def test_roundtrip_through_json(catalog):
    for p in catalog:
        assert Procedure.from_json(p.to_json()) == p


@pytest.mark.skipif(not NATIONAL.exists(), reason="shared national catalog not available")
def test_names_match_national_catalog(catalog):
    """Sanity check that codes are not mixed up: same code, same official name."""
    national = {}
    with gzip.open(NATIONAL, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            national[record["ma_thu_tuc"][:8]] = record["ten_thu_tuc"]
    checked = 0
    for p in catalog:
        if p.code8 not in national:
            continue
        assert _fold_name(p.name) == _fold_name(national[p.code8]), p.code
        checked += 1
    assert checked >= 35


# --- the loader refuses a broken file, naming the entry -------------------------------------


def _entry(**changes) -> dict:
    entry = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "levels": ["xa"],
        "filings": [
            {
                "channel": "truc_tiep",
                "time_text": "1 ngày",
                "time_value": 1,
                "time_unit": "ngay_lam_viec",
                "fee_text": "Miễn lệ phí",
                "fee_amount": 0,
            }
        ],
    }
    entry.update(changes)
    return entry


def _parse(*entries) -> list[Procedure]:
    return parse_default_catalog(json.dumps({"_about": "x", "procedures": list(entries)}))


def test_parse_minimal_entry():
    [proc] = _parse(_entry())
    assert proc.code == "1.001193"
    assert proc.filings[0].fee_amount == 0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(code="1.1193"), "invalid procedure code"),
        (_entry(name=" "), "no name"),
        (_entry(levels=["huyen"]), "levels"),
        (_entry(keyword=["x"]), "unknown field"),
        (_entry(filings=[{"channel": "fax"}]), "channel"),
        (_entry(filings=[{"channel": "truc_tiep", "fee_amount": "8.000"}]), "fee_amount"),
        (_entry(filings=[{"channel": "truc_tiep", "time_value": 3}]), "go together"),
        (_entry(filings=[{"channel": "truc_tiep", "fee": 0}]), "unknown field"),
        (_entry(online_level="muc_4"), "online_level"),
    ],
)
def test_parse_rejects_bad_entry(entry, message):
    with pytest.raises(ValueError, match=message) as info:
        _parse(_entry(code="1.004222", name="Đăng ký thường trú"), entry)
    assert "entry #1" in str(info.value)


def test_parse_rejects_duplicate_code8():
    with pytest.raises(ValueError, match=r"entry #1 \(1\.001193\.000\.00\.00\.H42\).*repeats"):
        _parse(_entry(), _entry(code="1.001193.000.00.00.H42"))


@pytest.mark.parametrize("text", ["", "[]", '{"procedures": {}}', "{not json"])
def test_parse_rejects_bad_file(text):
    with pytest.raises(ValueError):
        parse_default_catalog(text)
