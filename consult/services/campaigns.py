"""Campaigns: the same (or nearly the same) text sent by many people.

Two comments belong to one campaign when their texts are equal after folding case,
spacing and punctuation (anywhere in the consultation), or when they are on the same
section and differ only by small edits: a changed greeting or signature, a typo, an
added or dropped sentence, sentences in another order. Summaries count a campaign
once, with its size.

How near-copies are found, in time that grows linearly with the number of comments:

1. Each distinct text is read through the text layer (consult.services.textlayer):
   the keys of its meaningful words, so word forms, case, diacritics, stop words,
   greetings and politeness words do not count.
2. Its word shingles (runs of SHINGLE keys, and the keys themselves) go into a
   MinHash signature (`datasketch.MinHash`, NUM_PERM permutations), and MinHash LSH
   (`datasketch.MinHashLSH`, LSH_BANDS bands of LSH_ROWS rows, one index per section)
   returns the earlier texts likely to share many shingles.
3. Each candidate pair is confirmed with `rapidfuzz`: the normalised Indel similarity
   (insertions and deletions, word by word) of the two key sequences, each with its
   sentences in sorted order so that moving a sentence changes nothing, must reach
   SIMILARITY. Confirmed pairs are joined (union–find), so a copy with two edits joins
   through copies with one.
4. The index holds only the first members of a campaign, so its buckets stay small; a text
   that found no group is looked up once more among the members left out of it.

Texts with fewer than MIN_WORDS meaningful words are only ever grouped as exact copies.
The thresholds were tuned on a generated letter sent 30 times with those edits and on
30 different comments on the same subject (tests/test_campaigns.py): the letter must
come back as one campaign of 30, the comments as none.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel

from . import textlayer
from .diffing import Segment, word_diff

if TYPE_CHECKING:
    from datasketch import MinHash

SHINGLE = 2               # words per shingle
NUM_PERM = 64             # MinHash permutations
LSH_BANDS, LSH_ROWS = 16, 4   # 64 = 16 × 4: a pair sharing 40 % of its shingles is a candidate 9 times in 10
SIMILARITY = 0.78         # word-level Indel similarity (0–1) that confirms a pair of long texts
LONG = 60                 # words of a pair (both texts together) from which SIMILARITY applies as it is
MIN_WORDS = 5             # fewer meaningful words: exact copies only
CANDIDATE_CHECKS = 40     # candidates of other groups confirmed per text, at most
SEEDS_PER_CAMPAIGN = 24   # members of one campaign kept in the LSH index (enough variety, bounded buckets)
MODEL_SAMPLE = 60         # distinct texts compared to choose a campaign's model text
_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@lru_cache(maxsize=1)
def _permutations():
    """datasketch is imported when campaigns are first looked for, not with the app: it brings SciPy,
    some 60 MB in every web worker that never computes one."""
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, seed=1).permutations


def normalise(text: str) -> str:
    """Case, spacing and punctuation folded away: the key of exact copies."""
    folded = unicodedata.normalize("NFC", text or "").casefold()
    return _NON_WORD.sub(" ", folded).strip()


def comparable(text: str) -> tuple[str, ...]:
    """What near-copies are compared on: the keys of the meaningful words of each sentence,
    the sentences in sorted order (so their order does not count)."""
    sentences = [textlayer.content_keys(sentence) for sentence in _SENTENCE_END.split(text or "")]
    return tuple(key for sentence in sorted(filter(None, sentences)) for key in sentence)


def shingles(keys) -> set[bytes]:
    """The keys themselves and each run of SHINGLE keys, as bytes for MinHash."""
    found = {key.encode() for key in keys}
    found.update(" ".join(keys[i:i + SHINGLE]).encode() for i in range(len(keys) - SHINGLE + 1))
    return found


@lru_cache(maxsize=1 << 18)
def _shingle_hash(data: bytes) -> int:
    """datasketch's own 32-bit hash, remembered: the same shingles come back in text after text."""
    from datasketch.hashfunc import sha1_hash32
    return sha1_hash32(data)


def signature(keys) -> MinHash:
    from datasketch import MinHash
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme="affine32",
                      hashfunc=_shingle_hash)
    minhash.update_batch(shingles(keys))
    return minhash


def required(length: int) -> float:
    """The similarity a pair of texts with `length` words together must reach. Short texts may
    differ by fewer words in proportion: two short comments sharing one long sentence stay apart."""
    slack = (1 - SIMILARITY) * min(1.0, length / LONG)
    return 1 - slack


def alike(a: tuple, b: tuple) -> bool:
    """Whether two key sequences (from `comparable`) are near-copies."""
    cutoff = required(len(a) + len(b))
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff) >= cutoff


def similarity(a: str, b: str) -> float:
    """How alike two texts are (0–1), as the confirmation step sees them."""
    return Indel.normalized_similarity(comparable(a), comparable(b))


@dataclass
class Campaign:
    """A group of near-identical texts: the member ids (oldest first) and its model text."""
    ids: list[Hashable]
    text: str                          # the model text: the one the others are closest to
    section: Hashable = None           # the section of the first text
    sections: tuple = ()               # every section it reached, in order of first appearance
    model_id: Hashable = None          # the member whose text is the model
    texts: dict = field(default_factory=dict, repr=False)   # id → text, for the differences

    @property
    def id(self) -> Hashable:
        """The campaign's id: its oldest member's id (stable while that member stays)."""
        return self.ids[0]

    @property
    def size(self) -> int:
        return len(self.ids)

    def differences(self) -> list[tuple[Hashable, list[Segment]]]:
        """Each member and its word-level changes against the model text."""
        return [(item_id, word_diff(self.text, self.texts.get(item_id, ""))) for item_id in self.ids]


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


def _model(members: list[int], keys: list[tuple], duplicates_of: list[int]) -> int:
    """The member whose text the others are closest to, counting exact copies: the campaign's model."""
    copies = Counter(duplicates_of[i] for i in members)
    distinct = sorted(copies, key=lambda i: (-copies[i], i))[:MODEL_SAMPLE]
    if len(distinct) == 1:
        return distinct[0]
    scores = [[Indel.normalized_similarity(keys[i], keys[j]) for j in distinct] for i in distinct]
    weights = [copies[i] for i in distinct]
    best = max(range(len(distinct)), key=lambda row: (
        sum(score * weight for score, weight in zip(scores[row], weights)), weights[row], -distinct[row]))
    return distinct[best]


def _join_candidates(i: int, candidates, keys: list[tuple], union: _UnionFind) -> bool:
    """Joins text i with the candidates that are near-copies of it; whether it joined any."""
    joined = False
    checks = 0
    for j in candidates:
        # A candidate already in this text's group has nothing to add: confirming it would only
        # spend the checks that a text of another group (or a lone text) may need.
        if union.find(j) == union.find(i):
            continue
        if checks == CANDIDATE_CHECKS:
            break
        checks += 1
        if alike(keys[i], keys[j]):
            union.union(i, j)
            joined = True
    return joined


def _join_near_copies(keys: list[tuple], sections: list, duplicates_of: list[int], union: _UnionFind,
                      progress=None) -> None:
    """Near-copies among the distinct texts of a section: LSH candidates, confirmed by rapidfuzz.

    The index keeps every lone text and the first SEEDS_PER_CAMPAIGN members of a campaign, so its
    buckets stay small. A text that found no group may resemble only members left out of it (a copy
    with an unusual mix of edits), so at the end the lone texts are looked up once more among those.
    """
    from datasketch import MinHashLSH
    indexes: dict[Hashable, MinHashLSH] = {}
    seeds: Counter[int] = Counter()   # campaign root → members in the index
    left_out: dict[Hashable, list[tuple[int, MinHash]]] = defaultdict(list)
    lone: list[tuple[int, MinHash]] = []
    for i, first in enumerate(duplicates_of):
        if progress is not None and i % 1000 == 0:
            progress(i / len(duplicates_of))
        if first != i or len(keys[i]) < MIN_WORDS:
            continue
        lsh = indexes.get(sections[i])
        if lsh is None:
            lsh = indexes[sections[i]] = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
        minhash = signature(keys[i])
        joined = _join_candidates(i, sorted(lsh.query(minhash)), keys, union)
        root = union.find(i)
        if not joined or seeds[root] < SEEDS_PER_CAMPAIGN:
            lsh.insert(i, minhash, check_duplication=False)
            seeds[root] += 1
        else:
            left_out[sections[i]].append((i, minhash))
        if not joined:
            lone.append((i, minhash))

    for section, members in left_out.items():
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
        signatures = dict(members)
        for i, minhash in members:
            lsh.insert(i, minhash, check_duplication=False)
        for i, minhash in lone:
            if sections[i] == section and seeds[union.find(i)] <= 1:
                # Hundreds of members of one campaign may come back: the likeliest are confirmed first.
                candidates = sorted(lsh.query(minhash), key=lambda j: (-minhash.jaccard(signatures[j]), j))
                _join_candidates(i, candidates, keys, union)


def find_campaigns(items: Iterable[tuple[Hashable, Hashable, str]], min_size: int = 2,
                   progress: Callable[[float], None] | None = None) -> list[Campaign]:
    """Groups (id, section, text) triples into campaigns of at least `min_size` members.

    `progress`, when given, is told the share of the work done (0–1) now and then; it learns
    nothing while the texts are read unless `items` has a length.

    Exact copies are found everywhere; near-copies only within a section. Members are
    listed in the order given (give them oldest first). Returns the campaigns largest first.
    """
    ids: list[Hashable] = []
    sections: list[Hashable] = []
    texts: list[str] = []
    keys: list[tuple] = []
    exact: dict[str, int] = {}
    duplicates_of: list[int] = []  # index → index of its first exact copy, or itself
    total = len(items) if progress is not None and hasattr(items, "__len__") else 0
    for item_id, section, text in items:
        index = len(ids)
        if total and index % 1000 == 0:
            progress(0.6 * index / total)   # reading the texts is most of the work
        ids.append(item_id)
        sections.append(section)
        texts.append(text)
        first = exact.setdefault(normalise(text), index)
        duplicates_of.append(first)
        keys.append(comparable(text) if first == index else keys[first])
    union = _UnionFind(len(ids))
    for index, first in enumerate(duplicates_of):
        if first != index:
            union.union(first, index)

    _join_near_copies(keys, sections, duplicates_of, union,
                      None if progress is None else (lambda share: progress(0.6 + 0.35 * share)))

    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(ids)):
        groups[union.find(index)].append(index)
    campaigns = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        model = _model(members, keys, duplicates_of)
        campaigns.append(Campaign(ids=[ids[i] for i in members], text=texts[model], section=sections[members[0]],
                                  sections=tuple(dict.fromkeys(sections[i] for i in members)), model_id=ids[model],
                                  texts={ids[i]: texts[i] for i in members}))
    campaigns.sort(key=lambda c: (-c.size, str(c.section), str(c.ids[0])))
    return campaigns


def campaign_of(campaigns: Iterable[Campaign]) -> dict[Hashable, Campaign]:
    """id → its campaign, for the members of the given campaigns."""
    return {item_id: campaign for campaign in campaigns for item_id in campaign.ids}


def distinct_count(total: int, campaigns: Iterable[Campaign]) -> int:
    """How many items there are when each campaign counts once."""
    return total - sum(campaign.size - 1 for campaign in campaigns)
