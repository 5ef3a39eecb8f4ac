"""The message catalogs: complete, current, with Latvian plural forms; no English on Latvian pages."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .pages import both_languages

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "consult" / "translations"


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_latvian_catalog_is_complete_and_has_no_fuzzy_entries():
    catalog = _catalog("lv")
    missing = [m.id for m in catalog if m.id and (
        m.fuzzy or (not all(m.string) if isinstance(m.string, tuple) else not m.string))]
    assert missing == []
    assert catalog.plural_forms == "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"


def test_catalog_holds_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "--no-location", "-o", str(pot), "consult"], check=True, cwd=ROOT)
    with open(pot, "rb") as handle:
        in_code = {m.id for m in read_po(handle) if m.id}
    for lang in ("lv", "en"):
        in_catalog = {m.id for m in _catalog(lang) if m.id}
        assert in_code - in_catalog == set(), f"{lang}: run `flask --app consult translate update`"


def test_latvian_plural_forms(app):
    from flask_babel import force_locale, ngettext
    with app.test_request_context("/lv/"), force_locale("lv"):
        forms = {n: ngettext("%(num)d consultation", "%(num)d consultations", n) for n in (0, 1, 2, 11, 21, 22)}
    assert forms[1].endswith("konsultācija") and forms[21].endswith("konsultācija")
    assert forms[2].endswith("konsultācijas") and forms[11].endswith("konsultācijas")
    assert forms[22].endswith("konsultācijas")
    assert forms[0].endswith("konsultāciju")


def _english_ui_strings() -> set[str]:
    """English UI strings of two words or more whose Latvian differs."""
    strings = set()
    for message in _catalog("lv"):
        if not message.id or isinstance(message.id, tuple):
            continue
        text = re.sub(r"%\(\w+\)[sd]", "", message.id).strip(" .:")
        if len(text.split()) >= 2 and message.string and message.string != message.id:
            strings.add(text)
    return strings


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<[^>]+lang="en"[^>]*>.*?</a>', " ", html)  # the language switcher names itself
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("path", [p for p in both_languages() if p.startswith("/lv/")])
def test_latvian_pages_hold_no_english_ui_words(client, demo, path):
    text = _visible_text(client.get(path).get_data(as_text=True))
    leaked = sorted(s for s in _english_ui_strings() if s in text)
    assert leaked == []


def test_english_pages_use_the_english_interface(client, demo):
    text = _visible_text(client.get("/en/").get_data(as_text=True))
    assert "Skip to main content" in text and "Consultations" in text


def test_numbers_follow_the_page_language(app):
    from flask import g

    from consult.i18n import human_size
    with app.test_request_context("/lv/"):
        g.lang = "lv"
        from flask_babel import refresh
        refresh()
        assert human_size(1_887_437) == "1,8\u00a0MB"
    with app.test_request_context("/en/"):
        g.lang = "en"
        refresh()
        assert human_size(1_887_437) == "1.8\u00a0MB"
        assert human_size(4_905) == "4.8\u00a0KB"
