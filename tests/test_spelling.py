"""Every Latvian message and e-mail template passes Debian's Latvian dictionary (hunspell-lv).

Words the dictionary does not know (product names, file formats, terms of the trade) are allowed
only when listed, with a reason, in tests/data/lv_allowed_words.txt.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "consult/translations/lv/LC_MESSAGES/messages.po"
MAIL_TEMPLATES = sorted((ROOT / "consult/templates/email").glob("*.lv.txt"))
ALLOWED = ROOT / "tests/data/lv_allowed_words.txt"
DICTIONARY = Path("/usr/share/hunspell/lv_LV.dic")

# Jinja and printf placeholders become one mark first, so that an address built of several of them
# ("{{ base_url }}/lv/{{ slug }}/") is still one word to drop with the other addresses and paths.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
NOT_WORDS = re.compile(r"<[^>]+>|\S*/\S*|&\w+;|^Subject:|\x00", re.MULTILINE)


def clean(text: str) -> str:
    return NOT_WORDS.sub(" ", PLACEHOLDER.sub("\x00", text))


def _hunspell() -> str:
    found = shutil.which("hunspell")
    if found and DICTIONARY.exists():
        return found
    if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
        pytest.fail("hunspell and hunspell-lv are required")
    pytest.skip("hunspell or hunspell-lv not installed")


def allowed_words() -> set[str]:
    words = set()
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return words


def latvian_texts() -> dict[str, str]:
    """Where each text comes from (msgid or template name) → the Latvian text without placeholders."""
    texts = {}
    with CATALOG.open("rb") as handle:
        for message in read_po(handle, locale="lv"):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            source = message.id if isinstance(message.id, str) else message.id[0]
            texts[source] = clean("\n".join(strings))
    for template in MAIL_TEMPLATES:
        texts[template.name] = clean(template.read_text(encoding="utf-8"))
    return texts


def misspelt(text: str, hunspell: str) -> list[str]:
    result = subprocess.run([hunspell, "-d", "lv_LV", "-l", "-i", "utf-8"], input=text, capture_output=True,
                            text=True, check=True)
    return result.stdout.split()


def test_every_latvian_text_is_spelt_right():
    hunspell = _hunspell()
    allowed = allowed_words()
    texts = latvian_texts()
    unknown = set(misspelt("\n".join(texts.values()), hunspell)) - allowed
    where = {word: [source for source, text in texts.items() if re.search(rf"\b{re.escape(word)}\b", text)][:3]
             for word in sorted(unknown)}
    assert not unknown, f"not in the Latvian dictionary nor in {ALLOWED.name}: {where}"


def test_the_allowed_list_holds_only_words_still_needed():
    hunspell = _hunspell()
    needed = set(misspelt("\n".join(latvian_texts().values()), hunspell))
    assert allowed_words() - needed == set(), "remove these from the allowed list"


def test_the_check_finds_a_misspelt_word():
    assert misspelt("Komentārs ir iesniegts, paldies par lidzdalību.", _hunspell()) == ["lidzdalību"]


def test_latvian_letters_quote_with_latvian_marks_and_address_the_reader_as_jus():
    """Letters quote as the site does („…”) and write the polite Jūs, Jūsu, Jums with a capital."""
    for template in MAIL_TEMPLATES:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r'"\{\{[^}]*\}\}"', text), f"{template.name}: straight quotes around a value"
        assert not re.search(r"\b(jūs|jūsu|jums)\b", text), f"{template.name}: a lower-case jūs form"
