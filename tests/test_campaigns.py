"""Campaigns: identical or near-identical texts grouped, fast enough for 100,000 comments."""
from __future__ import annotations

import random
import time

from consult.services import campaigns
from consult.services.campaigns import distinct_count, find_campaigns, jaccard, normalise, word_set

CAMPAIGN = "Aicinām saglabāt valsts finansējumu dienas centriem visos novados, mēs esam pret jebkādu samazinājumu"


def test_normalising_folds_case_spacing_and_punctuation_and_keeps_diacritics():
    assert normalise("  ĢIMENĒM,   bērniem!!  ") == "ģimenēm bērniem"
    assert normalise("Ģimenēm bērniem") == normalise("ģimenēm — bērniem.")
    assert normalise("sēne") != normalise("sene")


def test_exact_copies_after_folding_are_one_campaign_anywhere_in_the_consultation():
    items = [(1, "s1", CAMPAIGN + "!"), (2, "s1", CAMPAIGN.upper()), (3, "s2", "  " + CAMPAIGN.replace(",", " ")),
             (4, "s1", "Pavisam cits teksts par mājokļiem")]
    found = find_campaigns(items)
    assert len(found) == 1
    assert found[0].ids == [1, 2, 3] and found[0].size == 3 and found[0].sections == ("s1", "s2")
    assert found[0].text == CAMPAIGN + "!"
    assert distinct_count(4, found) == 2


def test_near_copies_with_jaccard_at_least_0_9_in_the_same_section_are_grouped():
    signed = CAMPAIGN + " Paldies"              # 15 words against 14: 14/15 ≈ 0.93
    assert jaccard(word_set(CAMPAIGN), word_set(signed)) >= 0.9
    changed = CAMPAIGN.replace("novados", "pilsētās").replace("dienas", "nakts")  # 12/16 = 0.75
    assert jaccard(word_set(CAMPAIGN), word_set(changed)) < 0.9
    found = find_campaigns([(1, 7, CAMPAIGN), (2, 7, signed), (3, 7, changed), (4, 8, signed)])
    assert [sorted(c.ids) for c in found] == [[1, 2, 4]], "4 is an exact copy of 2, so it joins across sections"
    found = find_campaigns([(1, 7, CAMPAIGN), (2, 8, signed)])
    assert found == [], "near copies are compared only within a section"


def test_short_texts_need_to_be_the_same_words():
    found = find_campaigns([(1, 1, "Atbalstu."), (2, 1, "atbalstu!"), (3, 1, "Neatbalstu"), (4, 1, "Atbalstu arī")])
    assert [c.ids for c in found] == [[1, 2]]


def test_campaigns_are_largest_first_and_single_texts_are_not_campaigns():
    items = [(i, 1, "Pirmā kampaņa par skolām un bērnudārziem") for i in range(3)]
    items += [(10 + i, 1, "Otrā kampaņa par slimnīcām un ārstiem") for i in range(5)]
    items += [(20, 1, "Viens pats komentārs")]
    found = find_campaigns(items)
    assert [c.size for c in found] == [5, 3]
    assert campaigns.campaign_of(found)[11] is found[0]


def _random_text(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(12, 40)))


def test_it_stays_fast_on_a_hundred_thousand_texts():
    rng = random.Random(5)
    vocabulary = [f"vārds{i}ā" for i in range(5000)]
    items = [(i, i % 7, _random_text(rng, vocabulary)) for i in range(100_000)]
    for i in range(300):   # a campaign with small changes
        items.append((200_000 + i, 3, CAMPAIGN if i % 2 else CAMPAIGN.upper() + " Paldies"))
    started = time.perf_counter()
    found = find_campaigns(items)
    elapsed = time.perf_counter() - started
    assert any(c.size == 300 for c in found)
    assert elapsed < 30, elapsed


def test_synthetic_text_is_latvian_and_varied():
    from consult.services.synthetic import comment_text
    rng = random.Random(1)
    texts = [comment_text(rng) for _ in range(2000)]
    assert len(set(texts)) > 1990
    assert all(any(ch in text for ch in "āčēģīķļņšūž") for text in texts[:200])
    assert len(find_campaigns([(i, 1, t) for i, t in enumerate(texts)])) < 10
