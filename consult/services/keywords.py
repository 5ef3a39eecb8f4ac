"""The most frequent words of a set of comments, Latvian-aware.

Words keep their diacritics (ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž), are folded to lower
case, and are dropped when short (under four letters) or on the Latvian or English
stop-word list in consult/data/. Each comment counts a word once, so one long text
cannot dominate.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 4
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for path in sorted(DATA_DIR.glob("stopwords_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(unicodedata.normalize("NFC", line).casefold())
    return frozenset(words)


def words(text: str) -> list[str]:
    """The keywords of one text, in order, repeats kept."""
    stop = stopwords()
    folded = unicodedata.normalize("NFC", text or "").casefold()
    return [w for w in _WORD.findall(folded) if len(w) >= MIN_LENGTH and w not in stop]


class KeywordCounter:
    """Counts, per group (a section), in how many texts each keyword appears."""

    def __init__(self) -> None:
        self.counts: dict[object, Counter[str]] = {}

    def add(self, group, text: str) -> None:
        self.counts.setdefault(group, Counter()).update(set(words(text)))

    def top(self, group, limit: int = 10) -> list[tuple[str, int]]:
        counter = self.counts.get(group)
        if not counter:
            return []
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


def top_keywords(texts: Iterable[str], limit: int = 10) -> list[tuple[str, int]]:
    counter = KeywordCounter()
    for text in texts:
        counter.add(None, text)
    return counter.top(None, limit)
