"""Campaigns: the same (or nearly the same) text sent by many people.

Two comments belong to one campaign when their texts are equal after folding case,
spacing and punctuation (anywhere in the consultation), or when they are on the same
section and their sets of words overlap almost completely (Jaccard similarity ≥ 0.9).
Summaries count a campaign once, with its size.

Comparing every pair would be quadratic, so near-duplicates are found with prefix
filtering (the "All-Pairs" method): words are ordered rarest first, and two sets
with Jaccard ≥ t must share at least one word among the first |x| − ⌈t·|x|⌉ + 1
words of each. Only texts of the same section that share such a rare word, and
whose sizes are within the threshold of each other, are compared. No pair above the
threshold is missed, and on real feedback (mostly different texts) the work grows
about linearly with the number of comments.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

THRESHOLD = 0.9
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case, spacing and punctuation folded away: the key of exact copies."""
    folded = unicodedata.normalize("NFC", text or "").casefold()
    return _NON_WORD.sub(" ", folded).strip()


def word_set(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass
class Campaign:
    """A group of near-identical texts: the member ids (oldest first) and a sample text."""
    ids: list[Hashable]
    text: str
    section: Hashable = None          # the section of the first text
    sections: tuple = ()              # every section it reached, in order of first appearance

    @property
    def size(self) -> int:
        return len(self.ids)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _prefix_length(size: int, threshold: float) -> int:
    return size - math.ceil(threshold * size - 1e-9) + 1


def find_campaigns(items: Iterable[tuple[Hashable, Hashable, str]], threshold: float = THRESHOLD,
                   min_size: int = 2) -> list[Campaign]:
    """Groups (id, section, text) triples into campaigns of at least `min_size` members.

    Exact copies are found everywhere; near-copies only within a section. Members are
    listed in the order given (give them oldest first). Returns the campaigns largest first.
    """
    ids: list[Hashable] = []
    sections: list[Hashable] = []
    texts: list[str] = []
    sets: list[frozenset[str]] = []
    exact: dict[str, int] = {}
    duplicates_of: list[int] = []  # index → index of its first exact copy, or itself
    for item_id, section, text in items:
        key = normalise(text)
        index = len(ids)
        ids.append(item_id)
        sections.append(section)
        texts.append(text)
        first = exact.setdefault(key, index)
        duplicates_of.append(first)
        sets.append(frozenset(key.split()) if first == index else frozenset())
    union = _UnionFind(len(ids))
    for index, first in enumerate(duplicates_of):
        if first != index:
            union.union(first, index)

    # Near-duplicates among the distinct texts, per section, by prefix filtering.
    representatives = [i for i, first in enumerate(duplicates_of) if first == i and sets[i]]
    frequency: Counter[str] = Counter()
    for i in representatives:
        frequency.update(sets[i])
    by_section: dict[Hashable, list[int]] = defaultdict(list)
    for i in representatives:
        by_section[sections[i]].append(i)
    for members in by_section.values():
        if len(members) < 2:
            continue
        # Shortest first: each text is compared only with shorter or equal ones already indexed.
        members.sort(key=lambda i: len(sets[i]))
        index_: dict[str, list[int]] = defaultdict(list)
        for i in members:
            words = sorted(sets[i], key=lambda w: (frequency[w], w))
            size = len(words)
            prefix = words[:_prefix_length(size, threshold)]
            seen: set[int] = set()
            for word in prefix:
                for j in index_.get(word, ()):
                    if j in seen:
                        continue
                    seen.add(j)
                    if len(sets[j]) < threshold * size:
                        continue
                    if jaccard(sets[i], sets[j]) >= threshold:
                        union.union(i, j)
                index_[word].append(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(ids)):
        groups[union.find(index)].append(index)
    campaigns = [Campaign(ids=[ids[i] for i in members], text=texts[members[0]], section=sections[members[0]],
                          sections=tuple(dict.fromkeys(sections[i] for i in members)))
                 for members in groups.values() if len(members) >= min_size]
    campaigns.sort(key=lambda c: (-c.size, str(c.section), str(c.ids[0])))
    return campaigns


def campaign_of(campaigns: Iterable[Campaign]) -> dict[Hashable, Campaign]:
    """id → its campaign, for the members of the given campaigns."""
    return {item_id: campaign for campaign in campaigns for item_id in campaign.ids}


def distinct_count(total: int, campaigns: Iterable[Campaign]) -> int:
    """How many items there are when each campaign counts once."""
    return total - sum(campaign.size - 1 for campaign in campaigns)
