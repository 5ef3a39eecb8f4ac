"""Refusals: services raise one type with a code; one catalog words every code a page can show."""
from __future__ import annotations

import pathlib
import re

import pytest

from consult import refusals
from consult.services.refusals import Refused

SERVICES = pathlib.Path(refusals.__file__).parent / "services"
# Codes a view words in its own context (the sign-in flow, the admin's organisation list, the bulk
# confirmation shown again with the new count, a 403) or that no page can meet (the view checks first);
# every other code a service raises needs a message.
WORDED_ELSEWHERE = re.compile(
    r"^(identity\.|follow\.|position\.already_verified$|workflow\.(count_changed|not_allowed|too_many)$)")


# Refused("area.reason"), and the offline submissions' problems: _problem("submission.…") and
# refuse("column", "submission.…").
RAISED = re.compile(r'(?:Refused|_problem|refuse)\((?:"?\w+"?, )?"([a-z_]+\.[a-z0-9_]+)"')


def raised_codes() -> set[str]:
    codes = set()
    for path in SERVICES.rglob("*.py"):
        codes |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_code_a_service_raises_has_a_message():
    missing = {code for code in raised_codes() if code not in refusals.MESSAGES and not WORDED_ELSEWHERE.match(code)}
    assert raised_codes() and not missing


def test_codes_name_their_area():
    assert all(re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", code) for code in refusals.MESSAGES)
    assert Refused("comment.duplicate").reason == "duplicate"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The file is larger than 25 MB. Choose a smaller file."),
    ("lv", "Fails ir lielāks par 25 MB. Izvēlieties mazāku failu."),
])
def test_a_size_in_bytes_reads_as_megabytes_in_the_language(app, lang, expected):
    from flask_babel import force_locale
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        assert refusals.message(Refused("upload.too_large", limit=25 * 1024 * 1024)) == expected


def test_details_fill_the_message_and_english_is_for_commands(app):
    with app.test_request_context("/lv/"):
        text = refusals.english(Refused("upload.mismatch", claimed="DOCX", actual="PDF"))
    assert text == "The file's name says DOCX, but its content is PDF. Check that you chose the right file."
