"""Translations (gettext catalogs under `locales/`) and locale-aware formatting (babel).

Message ids are English; Vietnamese is the default locale. A compiled `.mo`
is used when it is newer than its `.po`; otherwise the `.po` is compiled in
memory, so a fresh checkout works before `pybabel compile` has run.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"


def N_(message: str) -> str:
    """Mark a message id for extraction where it is defined; it is translated where shown."""
    return message


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog for a locale; English falls back to the message ids themselves."""
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


class Translator:
    """Everything a reply needs to speak one locale: text, money, dates."""

    def __init__(self, locale: str):
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE
        self._t = translations(self.locale)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def money(self, amount: int) -> str:
        """50.000 ₫ in Vietnamese, 50,000 ₫ in English (đồng has no minor unit)."""
        return _money(amount, self.locale)

    def number(self, value: float) -> str:
        return _number(value, self.locale)

    def day(self, value: date | datetime) -> str:
        """`thứ Năm, 26/11/2026` — the weekday helps elderly readers."""
        text = format_date(value, "EEEE, dd/MM/yyyy", locale=self.locale)
        if self.locale != "vi":
            return text
        if text.startswith("Chủ Nhật"):  # CLDR's capitals; written "Chủ nhật" in Vietnamese
            return "Chủ nhật" + text[len("Chủ Nhật") :]
        return text[:1].lower() + text[1:]


@lru_cache(maxsize=4096)
def _money(amount: int, locale: str) -> str:
    """Cached: the same few fees appear on every card, and babel formatting is not cheap."""
    return format_currency(amount, "VND", format="#,##0 ¤", locale=locale)


@lru_cache(maxsize=4096)
def _number(value: float, locale: str) -> str:
    return format_decimal(value, locale=locale)


@lru_cache(maxsize=8)
def translator(locale: str) -> Translator:
    return Translator(locale)
