"""Translations and locale-aware formatting (Babel); catalogues compiled from the .po files at first use."""

from __future__ import annotations

import gettext
import io
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def N_(message: str) -> str:  # noqa: N802 - the conventional name for "mark for translation"
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled in memory from its .po (no build step)."""
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return gettext.NullTranslations()  # English: the msgids are the English text
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header (zh-CN when nothing matches)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, index, tag.strip()))
    for _, _, tag in sorted(weighted):
        primary = tag.replace("-", "_").split("_")[0].lower()
        if primary == "zh":
            return "zh_CN"
        if primary == "en":
            return "en"
    return DEFAULT_LANGUAGE


def zone(name: str | None, fallback: str) -> ZoneInfo:
    """A time zone by name, the fallback when unknown."""
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


class I18n:
    """What a page needs to speak the reader's language: gettext and Babel formatting in their zone."""

    def __init__(self, language: str, timezone: ZoneInfo) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.timezone = timezone
        try:
            self.locale = Locale.parse(self.language)
        except UnknownLocaleError:
            self.locale = Locale.parse("en")
        self._t = translations(self.language)

    @property
    def html_lang(self) -> str:
        return self.language.replace("_", "-")

    def gettext(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._t.ngettext(singular, plural, n).format(n=n, **values)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return "—"
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return format_datetime(value.astimezone(self.timezone), "medium", tzinfo=self.timezone, locale=self.locale)

    def date(self, value) -> str:
        return "—" if value is None else format_date(value, "medium", locale=self.locale)

    def number(self, value: int | float | Decimal | None) -> str:
        return "—" if value is None else format_decimal(value, locale=self.locale)

    def money(self, value: int | float | Decimal | None) -> str:
        return "—" if value is None else format_currency(value, "CNY", locale=self.locale)

    def delta(self, value: datetime | None) -> str:
        """How far a moment is from now, in words ("in 3 hours", "2 days ago")."""
        if value is None:
            return "—"
        return format_timedelta(value - datetime.now(UTC), add_direction=True, locale=self.locale)


def extract_messages() -> set[str]:
    """Every msgid the workspace uses (templates and code), as Babel extracts them (the catalogue test uses it)."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parent
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(root, method_map, options_map=options, keywords=keywords):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.add(text)
    return found
