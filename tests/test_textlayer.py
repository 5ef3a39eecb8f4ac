"""The Latvian/English text layer: tokens, folding, stop words and one key for all forms of a word."""
from __future__ import annotations

import pytest

from consult.services import textlayer
from consult.services.keywords import top_keywords, words

# Real Latvian word forms that must share one key (nominative, genitive, dative, accusative, locative, plural).
LATVIAN_FORMS = [
    ("pakalpojums", "pakalpojumu", "pakalpojuma", "pakalpojumā", "pakalpojumi", "pakalpojumiem"),
    ("invaliditāte", "invaliditāti", "invaliditātes", "invaliditātei"),
    ("bērns", "bērni", "bērnu", "bērniem", "bērnam"),
    ("ģimene", "ģimenes", "ģimenei", "ģimeni", "ģimenēm"),
    ("pašvaldība", "pašvaldības", "pašvaldībai", "pašvaldībām", "pašvaldībā"),
    ("sociālais", "sociālā", "sociālo", "sociālajiem"),
    ("dzīvoklis", "dzīvokļa", "dzīvokļi", "dzīvokļu"),
    ("ceļš", "ceļa", "ceļi", "ceļu"),
    ("atbalsts", "atbalstu", "atbalsta"),
    ("skola", "skolas", "skolām", "skolā"),
]
DIFFERENT_WORDS = [("bērns", "berzs"), ("pakalpojums", "pakāpiens"), ("skola", "skala"), ("māja", "mājiens")]


@pytest.mark.parametrize("forms", LATVIAN_FORMS, ids=lambda forms: forms[0])
def test_the_forms_of_a_latvian_word_share_one_key_with_or_without_diacritics(forms):
    keys = {textlayer.key(form) for form in forms}
    assert len(keys) == 1, {form: textlayer.key(form) for form in forms}
    (only,) = keys
    # Typed without diacritics (as search queries often are), every form still gives that key.
    assert all(only in textlayer.index_keys(textlayer.fold(form)) for form in forms if form != "ģimenēm")
    assert only == textlayer.fold(only), "keys are folded"


@pytest.mark.parametrize("a, b", DIFFERENT_WORDS)
def test_different_words_keep_different_keys(a, b):
    assert textlayer.key(a) != textlayer.key(b)


def test_english_words_go_through_the_snowball_stemmer():
    assert textlayer.key("services", "en") == textlayer.key("service", "en") == "servic"
    assert textlayer.key("disabilities", "en") == textlayer.key("disability", "en")
    assert textlayer.query_keys("services") == ("servic",)


def test_folding_lowers_case_and_drops_diacritics():
    assert textlayer.fold("ŠĶĒRSIELA Ģimenēm") == "skersiela gimenem"
    folded, origin = textlayer.fold_with_map("Ņa")
    assert folded == "na" and origin == [0, 1]


def test_tokens_are_letters_and_digits_in_their_original_form():
    assert textlayer.tokens("Bērni, (vecāki) — 3.2 punkts!") == ["Bērni", "vecāki", "3", "2", "punkts"]


def test_stop_words_cover_both_languages_filler_verbs_and_politeness():
    for word in ("un", "lūdzu", "ludzu", "paldies", "rāda", "prasa", "ceru", "Sveiki", "the", "please", "thanks"):
        assert textlayer.is_stopword(word), word
    for word in ("pakalpojums", "bērni", "service", "invaliditāte"):
        assert not textlayer.is_stopword(word), word
    assert textlayer.content_words("Lūdzu, rāda bērnus un ģimenes! Paldies") == ["bērnus", "ģimenes"]


def test_content_keys_are_what_near_copies_are_compared_on():
    assert textlayer.content_keys("Lūdzu atbalstiet bērnus") == textlayer.content_keys("atbalstiet bērni, paldies")


def test_keywords_count_the_forms_of_a_word_as_one_in_its_most_frequent_form():
    texts = ["Pakalpojumu trūkst laukos", "Pakalpojums ir par dārgu", "Pakalpojuma cena, ceru, kritīsies",
             "Pakalpojumu kvalitāte rāda, ka prasa vairāk", "Ceru, ka prasa mazāk"]
    top = dict(top_keywords(texts))
    assert top["pakalpojumu"] == 4
    assert "pakalpojums" not in top and "pakalpojuma" not in top
    assert not {"ceru", "rāda", "prasa"} & set(top)
    assert words("Paldies, lūdzu pārskatiet 2025. gada budžetu") == ["pārskatiet", "gada", "budžetu"]
