"""Campaigns: the same (or nearly the same) text sent by many people.

Two comments belong to one campaign when their texts are equal after folding case,
spacing and punctuation (anywhere in the consultation), or when they are on the same
section and their sets of words overlap almost completely (Jaccard similarity ≥ 0.9).
Summaries count a campaign once, with its size.

Comparing every pair would be quadratic. Exact copies are grouped by their folded
text (a dict lookup). Near-copies are found with MinHash locality-sensitive hashing:
each text gets 24 min-hashes of its word set (one-permutation MinHash, one hash per
word), in six bands of four; texts of the
same section that agree on a whole band land in one bucket, and only those are
compared exactly (Jaccard ≥ 0.9, sizes within 10 %). A pair at 0.9 is found with
probability above 99.8 %, and the work grows linearly with the number of comments.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

THRESHOLD = 0.9
# MinHash: 6 bands of 4 values. Two texts with Jaccard 0.9 share a band with probability
# about 1 − (1 − 0.9⁴)⁶ ≈ 99.8 % (0.95: 99.99 %); texts at 0.5 only a third of the time,
# and those are then checked exactly and left apart.
BANDS = 6
ROWS = 4
_EMPTY = 1 << 64
BUCKET_CHECKS = 20  # the newest members of a bucket a text is checked against
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


def _word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (the same in every process, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")


def _signature(word_hashes) -> list[int]:
    """One-permutation MinHash: the hash space is cut into BANDS × ROWS bins, and each bin keeps
    the smallest hash of the set's words that fall in it (−1 for an empty bin)."""
    bins = BANDS * ROWS
    signature = [_EMPTY] * bins
    for value in word_hashes:
        slot = value % bins
        if value < signature[slot]:
            signature[slot] = value
    return [-1 if v == _EMPTY else v for v in signature]


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

    # Near-duplicates among the distinct texts of a section: MinHash buckets, then the exact check.
    representatives = [i for i, first in enumerate(duplicates_of) if first == i and sets[i]]
    vocabulary: set[str] = set()
    for i in representatives:
        vocabulary.update(sets[i])
    hashes = {word: _word_hash(word) for word in vocabulary}
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i in representatives:
        words = sets[i]
        signature = _signature(map(hashes.__getitem__, words))
        size = len(words)
        smallest = threshold * size - 1e-9
        largest = size / threshold + 1e-9
        compared: set[int] = set()
        section = sections[i]
        for band in range(BANDS):
            bucket = buckets[(section, band, *signature[band * ROWS:(band + 1) * ROWS])]
            for j in bucket[-BUCKET_CHECKS:]:
                if j in compared:
                    continue
                compared.add(j)
                other = sets[j]
                if smallest <= len(other) <= largest:
                    common = len(words & other)
                    if common >= threshold * (size + len(other) - common):
                        union.union(i, j)
            bucket.append(i)

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
