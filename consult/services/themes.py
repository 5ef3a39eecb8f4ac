"""Themes: what the comments and positions are about, found by scikit-learn.

Each text is read through the text layer (consult.services.textlayer): the keys of its
meaningful words, so "pakalpojums", "pakalpojumu" and "pakalpojumā" are one term, and
pairs of neighbouring keys ("dienas centr") as terms of their own, which makes the key
phrases readable. Then:

1. **Other.** A text goes straight to the "other" group when it has fewer than MIN_TERMS
   different meaningful words (one word, emoji only, "+1"), when most of its letters are
   not Latin (Russian, Greek, …), or when it is long and has neither a Latvian or English
   stop word nor a letter only Latvian has (German, Lithuanian, … in Latin letters). Later, a text that shares no term
   with any other text, or fits its best theme too weakly (MIN_FIT), goes there too.
2. **TF-IDF** (`TfidfVectorizer` over the terms; a term must occur in at least two texts)
   weighs the terms; exact copies (a campaign) are fitted once, so a letter sent a
   thousand times does not pull every theme towards itself, and then get its theme.
3. **NMF** (`sklearn.decomposition.NMF`, deterministic initialisation and random_state)
   finds the themes: each is a weighted set of terms, each text a mix of themes, and a
   text belongs to the theme it draws most on. How many themes: every count from 2 to
   MAX_THEMES is tried on a sample of at most SAMPLE texts, and the one whose grouping
   has the best silhouette score (cosine; how much closer texts are to their own theme
   than to the nearest other) is kept.
4. **Key phrases** are the theme's strongest terms, shown in the form people wrote most
   often (a pair of words rather than its single words when both are strong), and the
   **quotes** are the members that fit the theme best, with enough words to read.

Nothing here touches the database: it takes (ref, text, language) and returns groups of
refs. consult.services.stored_themes keeps the result, with the working group's edits.
"""
from __future__ import annotations

import re
import sys
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from . import textlayer
from .campaigns import normalise

if TYPE_CHECKING:
    import numpy as np

MIN_TERMS = 2          # fewer different meaningful words: "other"
MIN_WORD = 3           # letters a word needs to count (drops "a", "un"-like leftovers)
FOREIGN_CHECK_WORDS = 20  # words from which a text without Latvian or English stop words is another language
MIN_THEME_SIZE = 2     # members (copies included) a theme needs; smaller ones join "other"
MAX_THEMES = 12
MIN_AVERAGE = 8        # texts per theme on average, at least, when choosing how many themes
MIN_GROUPED = 6        # fewer texts that can be grouped: one theme
TOLERANCE = 0.1        # a larger number of themes must score this much (10 %) better than a smaller one
SAMPLE = 2000          # distinct texts the number of themes is chosen on
MAX_TERMS = 20000      # vocabulary cap: memory stays bounded for 100,000 texts
MIN_FIT = 0.08         # cosine between a text and its theme below which it is "other"
PHRASES = 5            # key phrases per theme
QUOTES = 3             # representative quotes per theme
QUOTE_MIN_WORDS = 5    # meaningful words a quote should have (shorter ones only when nothing else fits)
RANDOM_STATE = 0
_CLAUSE_END = re.compile(r"[.!?;:,()\[\]\n–—]+")   # a pair of words never spans these
MAX_GAP = 2            # small words a pair may span ("bērniem ar invaliditāti")
_LATVIAN_LETTERS = re.compile("[āēīģķļņĀĒĪĢĶĻŅ]")   # ū, č, š, ž are Lithuanian letters too


@dataclass(frozen=True)
class Text:
    ref: Hashable          # what the caller knows the text by, e.g. ("c", 12)
    body: str
    lang: str | None = "lv"


@dataclass
class FoundTheme:
    phrases: list[str]                       # key phrases, strongest first, as people wrote them
    members: list[tuple[Hashable, float]]    # (ref, fit 0–1), best fitting first
    quotes: list[Hashable]                   # refs of the representative members

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def refs(self) -> list[Hashable]:
        return [ref for ref, _fit in self.members]


@dataclass
class ThemeResult:
    themes: list[FoundTheme]                 # largest first
    other: list[Hashable] = field(default_factory=list)


# --- Reading a text -------------------------------------------------------------------------

_ASCII_LETTER = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


@lru_cache(maxsize=8192)
def _letter_kind(char: str) -> tuple[bool, bool]:
    """(a letter, a Latin letter) for one character outside ASCII."""
    return char.isalpha(), char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def _latin_share(text: str) -> float:
    """The share of Latin letters among the text's letters. ASCII letters are counted by a regular
    expression; only the few other characters are looked at one by one."""
    ascii_letters = len(_ASCII_LETTER.findall(text))
    letters = latin = ascii_letters
    for char in _NON_ASCII.findall(text):
        is_letter, is_latin = _letter_kind(char)
        letters += is_letter
        latin += is_latin
    return latin / letters if letters else 0.0


def _foreign(text: str) -> bool:
    """Whether a text is in neither Latvian nor English: mostly not in Latin letters, or long with
    none of the two languages' stop words and none of the letters only Latvian has (so Latvian
    typed without diacritics, or a short list of nouns, is never taken for another language)."""
    if _latin_share(text) < 0.5:
        return True
    if _LATVIAN_LETTERS.search(text):
        return False
    words = textlayer.tokens(text)   # only for the few texts without a Latvian letter
    if len(words) < FOREIGN_CHECK_WORDS:
        return False
    return not any(textlayer.is_stopword(w) for w in words)


class _Reader:
    """Turns texts into terms, remembering how people wrote each term."""

    def __init__(self) -> None:
        self.forms: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def terms(self, text: Text) -> tuple[list[str], list[str]] | None:
        """The text's keys and its pairs of neighbouring keys, or None when it belongs in "other"."""
        body = text.body or ""
        if _foreign(body):
            return None
        keys: list[str] = []
        pairs: list[str] = []
        forms = self.forms
        for clause in _CLAUSE_END.split(body):
            words = [w.casefold() for w in textlayer.tokens(clause)]
            previous = None   # (index among the words, key) of the last meaningful word
            for index, word in enumerate(words):
                if not _meaningful(word):
                    if not textlayer.is_stopword(word):
                        previous = None   # a number or a stray letter ends a pair
                    continue
                key = textlayer.key(word, text.lang)
                keys.append(key)
                forms[key][word] += 1
                if previous is not None and index - previous[0] <= MAX_GAP + 1:
                    # The pair as written, with the small words between ("bērniem ar invaliditāti").
                    # Interned: the same pair comes back in thousands of texts, one string serves them all.
                    pair = sys.intern(f"{previous[1]} {key}")
                    pairs.append(pair)
                    forms[pair][" ".join(words[previous[0]:index + 1])] += 1
                previous = (index, key)
        if len(set(keys)) < MIN_TERMS:
            return None
        return keys, pairs

    def form(self, term: str) -> str:
        """The form written most often (alphabetically first among equals)."""
        return min(self.forms[term].items(), key=lambda item: (-item[1], item[0]))[0]


@lru_cache(maxsize=65536)
def _meaningful(word: str) -> bool:
    """A word that can carry a theme: MIN_WORD letters or more, no digits, not a stop word."""
    return len(word) >= MIN_WORD and not any(c.isdigit() for c in word) and not textlayer.is_stopword(word)


def _identity(terms):
    return terms


# --- Grouping -------------------------------------------------------------------------------

# scikit-learn is imported where it is used: it takes a second to load, and most requests never need it.
def _nmf(matrix, k: int):
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    model = NMF(n_components=k, init="nndsvda", random_state=RANDOM_STATE, max_iter=300, tol=1e-4)
    with warnings.catch_warnings():
        # Stopping at max_iter still gives a usable grouping; the warning would only be noise.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_


def _choose_count(matrix) -> int:
    """How many themes: the fewest whose grouping of a sample scores nearly as well as the best.

    Each count from 2 up to one theme per MIN_AVERAGE texts (at most MAX_THEMES) is fitted and
    scored by its silhouette (cosine). Silhouette favours many small tight groups, so the
    smallest count within TOLERANCE of the best score is taken: one subject split in two is
    then rarer, and the working group can still merge what belongs together.
    """
    import numpy as np  # imported where themes are worked out, not in every web worker
    from sklearn.metrics import silhouette_score
    rows = matrix.shape[0]
    if rows > SAMPLE:
        picked = np.random.default_rng(RANDOM_STATE).choice(rows, SAMPLE, replace=False)
        matrix = matrix[np.sort(picked)]
        rows = SAMPLE
    scores: dict[int, float] = {}
    for k in range(2, max(2, min(MAX_THEMES, rows // MIN_AVERAGE)) + 1):
        weights, _components = _nmf(matrix, k)
        labels = weights.argmax(axis=1)
        if 2 <= len(set(labels.tolist())) < rows:
            scores[k] = float(silhouette_score(matrix, labels, metric="cosine"))
    if not scores:
        return 1
    best = max(scores.values())
    return min(k for k, score in scores.items() if score >= best * (1 - TOLERANCE))


def _distinctive(matrix, total, rows: list[int]):
    """How much more each term weighs in these rows than in the others: words every theme uses
    ("pārāk", "nevar", a closing thanks) score low, so the key phrases say what sets a theme apart."""
    import numpy as np
    inside = np.asarray(matrix[rows].sum(axis=0)).ravel()
    outside_count = matrix.shape[0] - len(rows)
    outside = (total - inside) / outside_count if outside_count else 0.0
    return inside / len(rows) - outside


def _phrases(centroid, terms: np.ndarray, reader: _Reader) -> list[str]:
    """The strongest terms of a theme as phrases; a pair of words replaces its single words, and
    pairs that share a word are not both shown."""
    import numpy as np
    chosen: list[str] = []
    for index in np.argsort(-centroid, kind="stable")[:PHRASES * 4]:
        if centroid[index] <= 0 or len(chosen) >= PHRASES:
            break
        term = str(terms[index])
        parts = term.split(" ")
        if len(parts) == 1:
            if any(term in c.split(" ") for c in chosen):
                continue
            chosen.append(term)
        else:
            if any(part in c.split(" ") for c in chosen if " " in c for part in parts):
                continue   # overlaps a chosen pair ("dienas centrs", "centrs bērniem")
            singles = [c for c in chosen if c in parts]
            if singles:
                chosen[chosen.index(singles[0])] = term
                chosen = [c for c in chosen if c not in singles[1:]]
            elif term not in chosen:
                chosen.append(term)
    return list(dict.fromkeys(reader.form(term) for term in chosen))[:PHRASES]


def _quotes(members: list[tuple[Hashable, float]], texts: dict, word_counts: dict) -> list[Hashable]:
    """The best-fitting members with enough words to read, one of each text."""
    picked: list[Hashable] = []
    seen: set[str] = set()
    for long_enough in (True, False):
        for ref, _fit in members:
            if len(picked) >= QUOTES:
                return picked
            same = normalise(texts[ref])
            if same in seen or (long_enough and word_counts[ref] < QUOTE_MIN_WORDS):
                continue
            seen.add(same)
            picked.append(ref)
    return picked


def _vectorise(documents: list[list[str]]):
    """TF-IDF of the documents' terms (each a list), with the terms; a term must be in two documents."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=2, max_df=1.0 if len(documents) < 20 else 0.95,
                                 sublinear_tf=True, max_features=MAX_TERMS, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no term is in two documents: nothing to group on
        return None, None
    return matrix, vectorizer.get_feature_names_out()


def find_themes(texts: Iterable[Text], progress: Callable[[float], None] | None = None) -> ThemeResult:
    """Groups the texts into themes and an "other" group; the same input always gives the same result.
    `progress`, when given, is told the share of the work done (0–1) now and then."""
    import numpy as np
    report = progress or (lambda share: None)
    total = len(texts) if hasattr(texts, "__len__") else 0
    reader = _Reader()
    other: list[Hashable] = []
    bodies: dict[Hashable, str] = {}
    word_counts: dict[Hashable, int] = {}
    distinct: dict[str, int] = {}         # normalised text → its index among the distinct texts, -1: "other"
    distinct_terms: list[tuple[list[str], list[str]]] = []
    row_of: list[tuple[Hashable, int]] = []   # (ref, distinct index) of each text that was read
    for number, text in enumerate(texts):
        if total and number % 1000 == 0:
            report(0.5 * number / total)    # reading the texts
        bodies[text.ref] = text.body or ""
        same = normalise(text.body)
        index = distinct.get(same)
        if index is None:
            terms = reader.terms(text)
            index = distinct[same] = -1 if terms is None else len(distinct_terms)
            if terms is not None:
                distinct_terms.append(terms)
        if index < 0:
            other.append(text.ref)
            continue
        word_counts[text.ref] = len(distinct_terms[index][0])
        row_of.append((text.ref, index))

    everything_other = ThemeResult([], other + [ref for ref, _index in row_of])
    # Themes are fitted on the keys alone: pairs of words would tie together texts that share one
    # phrase more than texts on one subject. The pairs come back for the key phrases.
    matrix, _keys = _vectorise([keys for keys, _pairs in distinct_terms])
    if matrix is None:
        return everything_other
    usable = np.flatnonzero(np.asarray(matrix.getnnz(axis=1)).ravel() > 0)
    if len(usable) < MIN_THEME_SIZE:
        return everything_other
    fitted = matrix[usable]
    report(0.5)
    k = _choose_count(fitted) if len(usable) >= MIN_GROUPED else 1
    report(0.75)
    weights, components = _nmf(fitted, k)
    report(0.85)
    labels = weights.argmax(axis=1)
    # How well each text fits its theme: the cosine between the text and the theme's terms.
    norms = np.linalg.norm(components, axis=1)
    norms[norms == 0] = 1.0
    fit = np.asarray(fitted @ (components / norms[:, None]).T)[np.arange(len(usable)), labels]

    theme_of: dict[int, tuple[int, float]] = {}   # distinct index → (theme, fit)
    for row, distinct_index in enumerate(usable.tolist()):
        if fit[row] >= MIN_FIT:
            theme_of[distinct_index] = (int(labels[row]), float(fit[row]))
    members: dict[int, list[tuple[Hashable, float]]] = {}
    for ref, distinct_index in row_of:
        found = theme_of.get(distinct_index)
        if found is None:
            other.append(ref)
        else:
            members.setdefault(found[0], []).append((ref, round(found[1], 4)))

    phrase_matrix, phrase_terms = _vectorise([keys + pairs for keys, pairs in distinct_terms])
    phrase_total = np.asarray(phrase_matrix.sum(axis=0)).ravel()
    themes = []
    for theme, found in sorted(members.items()):
        if len(found) < MIN_THEME_SIZE:
            other.extend(ref for ref, _fit in found)
            continue
        found.sort(key=lambda item: -item[1])   # stable: equal fits keep the input order
        rows = sorted(index for index, (label, _fit) in theme_of.items() if label == theme)
        themes.append(FoundTheme(phrases=_phrases(_distinctive(phrase_matrix, phrase_total, rows), phrase_terms,
                                                  reader), members=found,
                                 quotes=_quotes(found, bodies, word_counts)))
    themes.sort(key=lambda t: (-t.size, t.phrases))
    return ThemeResult(themes, other)
