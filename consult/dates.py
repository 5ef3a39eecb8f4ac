"""Dates and times as people read them, in Europe/Riga, in one place for the whole site.

English uses the British and European forms: "6 December 2026", "6 Dec 2026", "14:48"
(a 24-hour clock), "6 December 2026, 14:48". Latvian writes "2026. gada 6. decembris",
"06.12.2026.", "14:48". No form has a two-digit year or seconds.

A Latvian date after a preposition or in a sentence takes a case of its own, so the
month's name is declined: "līdz 2027. gada 5. janvārim" (dative), "no 2026. gada
1. decembra" (genitive), "publicēta 2026. gada 6. decembrī" (locative). The template
that builds a sentence around a date names the case the Latvian sentence needs
(`dateformat('long', case='dative')`); English ignores it. A date and time together
read "2026. gada 6. decembrī plkst. 14:48".

Babel's own English patterns are American (Babel's "en" is en_US), hence the
patterns here rather than its named formats.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import get_locale, to_user_timezone

WIDTHS = ("full", "long", "medium", "short")
CASES = ("nominative", "genitive", "dative", "accusative", "locative")

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
EN_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LV_MONTHS = {
    "nominative": ("janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs", "jūlijs", "augusts",
                   "septembris", "oktobris", "novembris", "decembris"),
    "genitive": ("janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija", "jūlija", "augusta", "septembra",
                 "oktobra", "novembra", "decembra"),
    "dative": ("janvārim", "februārim", "martam", "aprīlim", "maijam", "jūnijam", "jūlijam", "augustam",
               "septembrim", "oktobrim", "novembrim", "decembrim"),
    "accusative": ("janvāri", "februāri", "martu", "aprīli", "maiju", "jūniju", "jūliju", "augustu", "septembri",
                   "oktobri", "novembri", "decembri"),
    "locative": ("janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā", "septembrī",
                 "oktobrī", "novembrī", "decembrī"),
}


def _language(lang: str | None) -> str:
    if lang is None:
        locale = get_locale()
        lang = locale.language if locale is not None else "lv"
    return "en" if lang == "en" else "lv"


def _local(value: date | datetime) -> date | datetime:
    """A stored (naive UTC) or aware datetime in Riga time; a plain date as it is."""
    return to_user_timezone(value) if isinstance(value, datetime) else value


def _date(day: date, width: str, case: str, lang: str) -> str:
    if lang == "en":
        if width in ("full", "long"):
            return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"
        return f"{day.day} {EN_MONTHS_SHORT[day.month - 1]} {day.year}"
    if width == "short":
        return f"{day.day:02d}.{day.month:02d}.{day.year}."
    return f"{day.year}. gada {day.day}. {LV_MONTHS[case][day.month - 1]}"


def date_text(value: date | datetime | None, width: str = "long", case: str = "nominative",
              lang: str | None = None) -> str:
    """The date alone: "6 December 2026" / "2026. gada 6. decembris" (in `case` for Latvian)."""
    if value is None:
        return ""
    if width not in WIDTHS:
        width = "long"
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    return _date(_local(value), width, case, _language(lang))


def time_text(value: datetime | None, width: str = "short", lang: str | None = None) -> str:
    """The time on a 24-hour clock, without seconds: "14:48"."""
    if value is None:
        return ""
    local = _local(value)
    return f"{local.hour:02d}:{local.minute:02d}"


def datetime_text(value: datetime | None, width: str = "long", lang: str | None = None) -> str:
    """Date and time: "6 December 2026, 14:48" / "2026. gada 6. decembrī plkst. 14:48".

    The short width is for tables: "6 Dec 2026, 14:48" / "06.12.2026. 14:48".
    """
    if value is None:
        return ""
    if width not in WIDTHS:
        width = "long"
    lang = _language(lang)
    local = _local(value)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if lang == "en":
        return f"{_date(local, width, 'nominative', lang)}, {clock}"
    if width == "short":
        return f"{_date(local, width, 'nominative', lang)} {clock}"
    return f"{_date(local, width, 'locative', lang)} plkst. {clock}"
