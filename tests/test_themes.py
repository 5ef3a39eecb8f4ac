"""Themes worked out from texts (consult.services.themes), without the database."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from consult.services.synthetic_themes import JUNK, SUBJECTS, themed_comments
from consult.services.themes import QUOTES, Text, find_themes


def _texts(pairs, lang="lv"):
    return [Text(("c", index), body, lang) for index, (_subject, body) in enumerate(pairs)]


def _subjects(pairs, theme):
    return Counter(pairs[ref[1]][0] for ref in theme.refs)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_three_subjects_written_in_different_word_forms_make_three_themes(seed):
    pairs = themed_comments(random.Random(seed))
    result = find_themes(_texts(pairs))
    assert len(result.themes) == 3 and result.other == []
    found = [_subjects(pairs, theme) for theme in result.themes]
    assert sorted(next(iter(subjects)) for subjects in found) == sorted(SUBJECTS)
    assert all(len(subjects) == 1 and sum(subjects.values()) == 12 for subjects in found), found


def test_forms_of_one_word_count_as_one_and_key_phrases_are_written_forms_not_stems():
    pairs = themed_comments(random.Random(7))
    result = find_themes(_texts(pairs))
    texts = " ".join(body.casefold() for _subject, body in pairs)
    for theme in result.themes:
        assert 3 <= len(theme.phrases) <= 5
        for phrase in theme.phrases:
            assert phrase in texts, f"{phrase!r} is not how anyone wrote it"
        words = [word for phrase in theme.phrases for word in phrase.split()]
        assert len(words) == len(set(words)), "a pair of words replaces its single words"
    children = next(t for t in result.themes if _subjects(pairs, t).most_common(1)[0][0] == "children")
    assert any("invaliditāt" in phrase for phrase in children.phrases)
    assert any("bērn" in phrase for phrase in children.phrases)
    # "bērniem ar invaliditāti": a pair is shown with the small words people wrote between its words.
    assert any(" ar " in phrase for phrase in children.phrases)


def test_one_word_emoji_and_other_languages_go_to_other_without_breaking_the_rest():
    pairs = themed_comments(random.Random(3))
    texts = _texts(pairs) + [Text(("junk", index), body) for index, body in enumerate(JUNK)]
    result = find_themes(texts)
    assert sorted(result.other) == [("junk", index) for index in range(len(JUNK))]
    assert len(result.themes) == 3 and all(ref[0] == "c" for theme in result.themes for ref in theme.refs)


@pytest.mark.parametrize("texts", [
    [], [Text(1, "👍")], [Text(1, "Piekrītu"), Text(2, "Piekrītu")], [Text(i, body) for i, body in enumerate(JUNK)],
    [Text(1, "Dienas centri laukos"), Text(2, "Autobusi pilsētā")],   # nothing in common
    [Text(1, None), Text(2, "   "), Text(3, "\x00")],
])
def test_too_little_to_group_gives_no_theme_and_everything_in_other(texts):
    result = find_themes(texts)
    assert result.themes == [] and sorted(map(str, result.other)) == sorted(str(t.ref) for t in texts)


def test_several_texts_in_another_language_go_to_other_too():
    german = ("Ich finde, dass die Regierung viel mehr Geld für soziale Dienste auf dem Land ausgeben sollte, weil "
              "viele ältere Menschen dort allein leben und keine Hilfe bekommen. Danke für die Arbeit!")
    russian = "Нужно больше автобусов в деревнях, пожилые люди не могут доехать до врача."
    pairs = themed_comments(random.Random(6)) + [("de", german), ("de", german + " Bitte!"), ("ru", russian),
                                                 ("ru", russian + " Спасибо.")]
    result = find_themes(_texts(pairs))
    assert sorted(result.other) == [("c", len(pairs) - i) for i in (4, 3, 2, 1)]


def test_latvian_typed_without_diacritics_or_stop_words_is_not_taken_for_another_language():
    pairs = [("salaries", "Aicinu noteikt minimalo algu socialajam darbiniekam. Socialo darbinieku algas neatbilst "
                          "slodzei visos novados pilsetas laukos")] * 2 + themed_comments(random.Random(2))
    result = find_themes(_texts(pairs))
    assert ("c", 0) not in result.other and ("c", 1) not in result.other


def test_the_same_texts_give_the_same_themes_every_time():
    pairs = themed_comments(random.Random(9), {"transport": 30, "children": 20, "salaries": 10})
    first = find_themes(_texts(pairs))
    second = find_themes(_texts(pairs))
    assert [(t.phrases, t.members, t.quotes) for t in first.themes] == \
        [(t.phrases, t.members, t.quotes) for t in second.themes]
    assert first.other == second.other


def test_copies_of_one_letter_do_not_take_over_and_quotes_are_different_texts():
    pairs = themed_comments(random.Random(4))
    letter = "Bērniem ar invaliditāti vajag dienas centru katrā novadā, jo vecāki nevar strādāt pilnu slodzi."
    pairs += [("children", letter)] * 40
    result = find_themes(_texts(pairs))
    assert len(result.themes) == 3
    children = next(t for t in result.themes if "children" in _subjects(pairs, t))
    assert _subjects(pairs, children) == Counter({"children": 52})
    for theme in result.themes:
        assert 2 <= len(theme.quotes) <= QUOTES and set(theme.quotes) <= set(theme.refs)
        assert len({pairs[ref[1]][1] for ref in theme.quotes}) == len(theme.quotes)


def test_english_comments_are_grouped_through_the_english_stemmer():
    rng = random.Random(5)
    buses = ["The bus to the town runs only twice a day.", "Buses do not run at weekends in our village.",
             "Please add more bus services between the villages.", "Without a bus older people stay at home.",
             "The bus timetable does not match the trains."]
    pay = ["Social workers are paid far too little.", "Low pay drives social workers out of the service.",
           "Please raise the salaries of social workers.", "A social worker's salary is lower than in Riga.",
           "Overtime of social workers is not paid."]
    pairs = [("buses", " ".join(rng.sample(buses, 2))) for _ in range(10)] + \
        [("pay", " ".join(rng.sample(pay, 2))) for _ in range(10)]
    result = find_themes(_texts(pairs, lang="en"))
    assert len(result.themes) == 2
    assert all(len(_subjects(pairs, theme)) == 1 for theme in result.themes)
    assert any("bus" in phrase for theme in result.themes for phrase in theme.phrases)
