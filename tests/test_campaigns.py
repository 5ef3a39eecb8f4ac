"""Campaigns: identical or near-identical texts grouped, fast enough for 100,000 comments."""
from __future__ import annotations

import random

import pytest

from consult.services import campaigns
from consult.services.campaigns import distinct_count, find_campaigns, normalise, similarity
from consult.services.synthetic import EDITS, edited_copies, edited_copy, same_subject_comments

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


def test_near_copies_in_the_same_section_are_grouped_and_other_texts_are_not():
    signed = "Labdien! " + CAMPAIGN + " Paldies, ar cieņu, Anna Liepa"
    changed = CAMPAIGN.replace("novados", "pilsētās").replace("dienas centriem", "nakts patversmēm")
    assert similarity(CAMPAIGN, signed) > similarity(CAMPAIGN, changed)
    found = find_campaigns([(1, 7, CAMPAIGN), (2, 7, signed), (3, 7, changed), (4, 8, signed)])
    assert [sorted(c.ids) for c in found] == [[1, 2, 4]], "4 is an exact copy of 2, so it joins across sections"
    found = find_campaigns([(1, 7, CAMPAIGN), (2, 8, signed)])
    assert found == [], "near copies are compared only within a section"


@pytest.mark.parametrize("seed", range(12))
def test_a_letter_sent_30_times_with_the_usual_edits_is_one_campaign_of_30(seed):
    rng = random.Random(seed)
    copies = edited_copies(rng, 30)
    assert len(set(copies)) > 20, "the copies really differ"
    others = same_subject_comments(rng, 30)
    items = [(f"copy{i}", 1, text) for i, text in enumerate(copies)]
    items += [(f"other{i}", 1, text) for i, text in enumerate(others)]
    rng.shuffle(items)
    found = find_campaigns(items)
    assert len(found) == 1, [c.ids for c in found]
    assert sorted(found[0].ids) == sorted(f"copy{i}" for i in range(30))


@pytest.mark.parametrize("edit", EDITS)
def test_each_kind_of_edit_alone_keeps_a_copy_in_its_campaign(edit):
    rng = random.Random(7)
    original = edited_copy(rng, ())
    copy = edited_copy(rng, (edit,))
    found = find_campaigns([(1, 1, original), (2, 1, copy)])
    assert [c.ids for c in found] == [[1, 2]], (edit, copy)


def test_comments_on_the_same_subject_stay_apart():
    for seed in range(5):
        texts = same_subject_comments(random.Random(seed), 30)
        assert find_campaigns([(i, 1, text) for i, text in enumerate(texts)]) == [], seed


def test_a_campaign_has_a_model_text_and_each_copy_its_differences():
    rng = random.Random(3)
    copies = [edited_copy(rng, ())] * 3 + [edited_copy(rng, ("typo",)), edited_copy(rng, ("added",))]
    items = [(10 + i, 1, text) for i, text in enumerate(reversed(copies))]
    (campaign,) = find_campaigns(items)
    assert campaign.text == copies[0], "the text most others are closest to is the model"
    assert campaign.id == 10 and campaign.model_id in (12, 13, 14)
    differences = dict(campaign.differences())
    assert all(segment.kind == "equal" for segment in differences[campaign.model_id])
    added = [segment.text for segment in differences[10] if segment.kind == "insert"]
    assert added and any(sentence.strip() in " ".join(added) for sentence in
                         ("Arī mūsu kaimiņi saskaras ar to pašu problēmu.", "Mans dēls centru apmeklē jau piecus "
                          "gadus.",
                          "Līdz tuvākajam citam centram ir sešdesmit kilometru.",
                          "Lūdzu, uztveriet šo jautājumu nopietni.")), added
    typo = differences[11]
    assert sum(1 for segment in typo if segment.kind == "insert") == 1


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


def test_a_campaign_is_found_among_thousands_of_unrelated_texts():
    # Speed is measured by `make bench` (bench/campaigns.py), not here.
    rng = random.Random(5)
    vocabulary = [f"vārds{i}ā" for i in range(5000)]
    items = [(i, i % 7, _random_text(rng, vocabulary)) for i in range(5_000)]
    for i in range(300):   # a campaign with small changes
        items.append((200_000 + i, 3, CAMPAIGN if i % 2 else CAMPAIGN.upper() + " Paldies"))
    found = find_campaigns(items)
    assert [c.size for c in found] == [300]


def test_a_copy_like_only_a_member_left_out_of_the_index_still_joins(monkeypatch):
    # Copies 6 and 41 are not alike; copy 0 is like both. With one member per campaign in the
    # index, copy 0 joins 6 without entering it, and 41 finds its campaign only in the last pass.
    copies = edited_copies(random.Random(5), 42)
    assert not campaigns.alike(campaigns.comparable(copies[6]), campaigns.comparable(copies[41]))
    monkeypatch.setattr(campaigns, "SEEDS_PER_CAMPAIGN", 1)
    found = find_campaigns([("a", 1, copies[6]), ("b", 1, copies[0]), ("c", 1, copies[41])])
    assert [sorted(c.ids) for c in found] == [["a", "b", "c"]]


def test_synthetic_text_is_latvian_and_varied():
    from consult.services.synthetic import comment_text
    rng = random.Random(1)
    texts = [comment_text(rng) for _ in range(2000)]
    assert len(set(texts)) > 1990
    assert all(any(ch in text for ch in "āčēģīķļņšūž") for text in texts[:200])
    assert len(find_campaigns([(i, 1, t) for i, t in enumerate(texts)])) < 10
