"""Dates in one place: British English, Latvian in the case its sentence needs, Riga time, no two-digit years."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from consult.dates import date_text, datetime_text, time_text

# 12:48 UTC is 14:48 in Riga in December (EET, UTC+2); stored times are naive UTC.
WINTER = datetime(2026, 12, 6, 12, 48, 37)
# 21:30 UTC on 4 January is already 5 January in Riga.
LATE = datetime(2027, 1, 4, 22, 30)


@pytest.fixture
def in_language(app):
    def run(lang, function, *args, **kwargs):
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return function(*args, **kwargs)
    return run


@pytest.mark.parametrize("width, expected", [("long", "6 December 2026"), ("full", "6 December 2026"),
                                             ("medium", "6 Dec 2026"), ("short", "6 Dec 2026")])
def test_english_dates_are_british(in_language, width, expected):
    assert in_language("en", date_text, WINTER, width) == expected


def test_english_times_use_the_24_hour_clock_in_riga_without_seconds(in_language):
    assert in_language("en", time_text, WINTER) == "14:48"
    assert in_language("en", datetime_text, WINTER) == "6 December 2026, 14:48"
    assert in_language("en", datetime_text, WINTER, "short") == "6 Dec 2026, 14:48"
    assert in_language("en", date_text, LATE) == "5 January 2027"  # the day in Riga, not in UTC


@pytest.mark.parametrize("case, expected", [
    ("nominative", "2027. gada 5. janvāris"), ("genitive", "2027. gada 5. janvāra"),
    ("dative", "2027. gada 5. janvārim"), ("accusative", "2027. gada 5. janvāri"),
    ("locative", "2027. gada 5. janvārī")])
def test_latvian_dates_are_declined(in_language, case, expected):
    assert in_language("lv", date_text, LATE, "long", case=case) == expected


def test_english_ignores_the_latvian_case(in_language):
    assert in_language("en", date_text, LATE, "long", case="dative") == "5 January 2027"


def test_every_latvian_month_has_every_case(in_language):
    names = {case: [in_language("lv", date_text, date(2026, month, 1), case=case).rsplit(" ", 1)[1]
                    for month in range(1, 13)] for case in ("nominative", "genitive", "dative", "locative")}
    assert names["nominative"][2] == "marts" and names["genitive"][3] == "aprīļa"
    assert names["dative"][4] == "maijam" and names["locative"][11] == "decembrī"
    for case, months in names.items():
        assert len(set(months)) == 12, case


def test_latvian_short_dates_and_times(in_language):
    assert in_language("lv", date_text, WINTER, "short") == "06.12.2026."
    assert in_language("lv", datetime_text, WINTER, "short") == "06.12.2026. 14:48"
    assert in_language("lv", datetime_text, WINTER) == "2026. gada 6. decembrī plkst. 14:48"
    assert in_language("lv", time_text, WINTER) == "14:48"


def test_an_unknown_case_is_a_programming_error(in_language):
    with pytest.raises(ValueError):
        in_language("lv", date_text, WINTER, case="vocative")


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("function", [date_text, datetime_text])
def test_no_width_gives_a_two_digit_year_or_seconds(in_language, lang, function):
    for width in ("full", "long", "medium", "short"):
        text = in_language(lang, function, WINTER, width)
        assert "2026" in text and ":37" not in text, (lang, width, text)
        assert not re.search(r"\b\d{1,2}[./]\d{1,2}[./]\d{2}\b(?!\d)", text), text
        assert "AM" not in text and "PM" not in text


def test_missing_values_are_empty(in_language):
    assert in_language("lv", date_text, None) == "" and in_language("en", datetime_text, None) == ""
