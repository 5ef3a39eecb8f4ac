"""The most frequent words of a set of comments, Latvian-aware.

Words come from the text layer (consult.services.textlayer): forms of one word count
as one ("pakalpojums", "pakalpojumu", "pakalpojuma" → one key), shown in the form
people used most, lower case with its diacritics (ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž).
Words under four letters, numbers and the Latvian and English stop words (function
words, filler verbs, politeness words) are left out. Each comment counts a word once,
so one long text cannot dominate.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from . import textlayer

MIN_LENGTH = 4


def stopwords() -> frozenset[str]:
    return textlayer.stopwords()


@lru_cache(maxsize=65536)
def _keyword(word: str) -> str | None:
    """A meaningful word in lower case, or None when it has a digit."""
    return None if any(c.isdigit() for c in word) else word.casefold()


def words(text: str) -> list[str]:
    """The keywords of one text, lower case, in order, repeats kept."""
    return [found for found in map(_keyword, textlayer.content_words(text, MIN_LENGTH)) if found is not None]


class KeywordCounter:
    """Counts, per group (a section), in how many texts each word (all its forms together) appears."""

    def __init__(self) -> None:
        self.counts: dict[object, Counter[str]] = {}
        self.forms: dict[object, defaultdict[str, Counter[str]]] = {}

    def add(self, group, text: str, lang: str | None = "lv") -> None:
        found: dict[str, str] = {}
        forms = self.forms.get(group)
        if forms is None:
            forms = self.forms[group] = defaultdict(Counter)
        for word in words(text):
            key = textlayer.key(word, lang)
            forms[key][word] += 1
            found.setdefault(key, word)
        self.counts.setdefault(group, Counter()).update(found.keys())

    def form(self, group, key: str) -> str:
        """The form of the word written most often (alphabetically first among equals)."""
        return min(self.forms[group][key].items(), key=lambda item: (-item[1], item[0]))[0]

    def top(self, group, limit: int = 10) -> list[tuple[str, int]]:
        counter = self.counts.get(group)
        if not counter:
            return []
        shown = [(self.form(group, key), count) for key, count in counter.items()]
        return sorted(shown, key=lambda item: (-item[1], item[0]))[:limit]


def top_keywords(texts: Iterable[str], limit: int = 10) -> list[tuple[str, int]]:
    counter = KeywordCounter()
    for text in texts:
        counter.add(None, text)
    return counter.top(None, limit)
