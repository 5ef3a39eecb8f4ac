"""The Latvian/English text layer: what search, keywords and campaign detection see of a text.

One place decides what a word is and which words are the same:

* **tokens** — runs of letters and digits, in their original form (NFC);
* **folding** — lower case without diacritics ("Sociālā" → "sociala"), so a query
  typed without ā, č, š … still matches;
* **stop words** — function words, pronouns, filler verbs ("rāda", "prasa", "ceru")
  and politeness words ("lūdzu", "paldies", "please", "thanks") of both languages,
  listed in consult/data/stopwords_{lv,en}.txt and compared folded;
* **keys** — each word reduced to one key for all its forms: Latvian with the light
  stemmer of `LatvianStemmer` (the Lucene algorithm: case, number and gender endings
  of nouns and adjectives, with palatalisation undone — "pakalpojums",
  "pakalpojumu", "pakalpojumā" → "pakalpojum"), English with the Snowball English
  stemmer of `snowballstemmer`. Keys are folded, so "bērni" and "berni" give one key.

The Latvian stemmer works on the word with its diacritics (ā and a are different
endings); a word typed without them is stemmed as it is, which gives the same key
for almost every form. `index_keys` returns both where they differ, so the index
holds what either spelling of a query produces.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import LatvianStemmer
import snowballstemmer

LANGUAGES = ("lv", "en")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_TOKEN = re.compile(r"[^\W_]+")


# --- Folding ------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character in lower case without its diacritics (ā → a, Š → s, ß → ss)."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict):
    """code point → its folded text, filled as characters are first met; for str.translate, which is
    several times faster than joining the characters one by one (bulk loads fold millions of texts)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(value: str) -> str:
    """Lower case, no diacritics: what the search index and its queries are compared in."""
    return unicodedata.normalize("NFC", value or "").translate(_FOLD_TABLE)


def fold_with_map(value: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(value):
        piece = _fold_char(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


# --- Tokens and stop words ----------------------------------------------------------------

def tokens(text: str) -> list[str]:
    """The words of a text in their original form (NFC), in order, repeats kept."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text or ""))


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where each token of `text` starts and ends (for marking words in the text as written)."""
    return [match.span() for match in _TOKEN.finditer(text or "")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop words of both languages, folded."""
    words: set[str] = set()
    for path in sorted(DATA_DIR.glob("stopwords_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(fold(line))
    return frozenset(words)


@lru_cache(maxsize=65536)
def _meaningful(word: str, min_length: int) -> bool:
    return len(word) >= min_length and not word.isdigit() and fold(word) not in stopwords()


@lru_cache(maxsize=65536)
def is_stopword(word: str) -> bool:
    return fold(word) in stopwords()


# --- Keys ---------------------------------------------------------------------------------

_english = snowballstemmer.stemmer("english")


def _language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "lv"


@lru_cache(maxsize=65536)
def key(word: str, lang: str | None = "lv") -> str:
    """The one key of all forms of a word: stemmed in its language, then folded."""
    lower = unicodedata.normalize("NFC", word).casefold()
    if _language(lang) == "en":
        return fold(_english.stemWord(lower))
    return fold(LatvianStemmer.stem(lower))


@lru_cache(maxsize=65536)
def index_keys(word: str, lang: str | None = "lv") -> tuple[str, ...]:
    """The key of a word as written and, when different, the key of its folded spelling."""
    first = key(word, lang)
    second = key(fold(word), lang)
    return (first,) if first == second else (first, second)


def query_keys(word: str) -> tuple[str, ...]:
    """The keys a query word can have: Latvian and English (a page shows comments in both)."""
    return tuple(dict.fromkeys(k for lang in LANGUAGES for k in index_keys(word, lang)))


def content_words(text: str, min_length: int = 1) -> list[str]:
    """The words of a text that carry meaning: no stop words, no numbers, at least `min_length` letters."""
    return [w for w in tokens(text) if _meaningful(w, min_length)]


def content_keys(text: str, lang: str | None = "lv") -> list[str]:
    """The keys of the meaningful words of a text, in order: what near-duplicates are compared on."""
    return [key(w, lang) for w in content_words(text)]


def keys_line(texts: Iterable[str], lang: str | None = "lv") -> str:
    """The distinct keys of the meaningful words of these texts, space-separated (for the search index)."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in content_words(text):
            for k in index_keys(word, lang):
                seen.setdefault(k, None)
    return " ".join(seen)
