"""Word-level differences between two texts."""
from __future__ import annotations

from consult.services.diffing import (
    ADDED,
    CHANGED,
    DELETE,
    EQUAL,
    INSERT,
    REMOVED,
    UNCHANGED,
    Segment,
    compare_paragraphs,
    parse_range,
    tokens,
    word_diff,
)


def test_tokens_give_the_text_back():
    text = "Sociālie pakalpojumi, 2014.–2020. gadā:\n- reģionos"
    assert "".join(tokens(text)) == text
    assert tokens("ārstniecība un aprūpe") == ["ārstniecība", " ", "un", " ", "aprūpe"]


def test_a_changed_word_is_one_deletion_and_one_insertion():
    assert word_diff("Pakalpojumi jāattīsta reģionos.", "Pakalpojumi jāattīsta visos reģionos.") == [
        Segment(EQUAL, "Pakalpojumi jāattīsta "), Segment(INSERT, "visos "), Segment(EQUAL, "reģionos.")]
    assert word_diff("līdz 2020. gadam", "līdz 2022. gadam") == [
        Segment(EQUAL, "līdz "), Segment(DELETE, "2020"), Segment(INSERT, "2022"), Segment(EQUAL, ". gadam")]


def test_neighbouring_changes_read_as_one():
    assert word_diff("vecs teksts te", "jauns saturs te") == [
        Segment(DELETE, "vecs teksts"), Segment(INSERT, "jauns saturs"), Segment(EQUAL, " te")]


def test_whole_words_change_not_letters():
    segments = word_diff("pakalpojums", "pakalpojumi")
    assert segments == [Segment(DELETE, "pakalpojums"), Segment(INSERT, "pakalpojumi")]


def test_empty_and_equal_texts():
    assert word_diff("", "jauns") == [Segment(INSERT, "jauns")]
    assert word_diff("vecs", "") == [Segment(DELETE, "vecs")]
    assert word_diff("tas pats", "tas pats") == [Segment(EQUAL, "tas pats")]
    assert word_diff("", "") == []


def test_markup_in_the_text_is_kept_as_text_for_the_template_to_escape():
    segments = word_diff("a", "a <script>alert(1)</script>")
    assert "".join(s.text for s in segments if s.kind != DELETE) == "a <script>alert(1)</script>"


def test_very_long_paragraphs_fall_back_to_a_whole_replacement():
    old = "vārds " * 30_000
    new = "cits " * 30_000
    assert [s.kind for s in word_diff(old, new)] == [DELETE, INSERT]


def test_paragraphs_are_matched_by_number():
    changes = compare_paragraphs({1: "a", 2: "b", 3: "c"}, {1: "a", 2: "B", 4: "d"})
    assert [(c.number, c.kind) for c in changes] == [(1, UNCHANGED), (2, CHANGED), (3, REMOVED), (4, ADDED)]
    assert changes[2].segments == [Segment(DELETE, "c")] and changes[3].segments == [Segment(INSERT, "d")]


def test_version_ranges():
    assert parse_range("1..2") == (1, 2)
    assert parse_range("3..1") == (3, 1)
    for bad in ("1..1", "0..2", "1.2", "1...2", "a..b", "1..", "..2", "-1..2", "01..2", "1..2..3", "9999999..1", ""):
        assert parse_range(bad) is None, bad


# --- Markdown in the public diff -------------------------------------------------------------------

def _rendered(old, new):
    from consult.services.diffing import word_diff
    from consult.services.sanitize import render_markdown_diff
    return str(render_markdown_diff(word_diff(old, new), "added:", "removed:"))


def test_a_number_with_a_decimal_comma_changes_as_a_whole():
    from consult.services.diffing import word_diff
    assert [(s.kind, s.text) for s in word_diff("Līmenis 13,1 %.", "Līmenis 15,0 %.")] == [
        ("equal", "Līmenis "), ("delete", "13,1"), ("insert", "15,0"), ("equal", " %.")]


def test_lists_tables_and_emphasis_render_with_the_changes_inside_them():
    listed = _rendered("- pirmais\n- otrais", "- pirmais\n- otrais jauns\n- trešais")
    assert listed.count("<li>") == 3
    assert '<li><ins><span class="visually-hidden">added: </span>trešais</ins></li>' in listed
    table = _rendered("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 3 |")
    assert ('<td><del><span class="visually-hidden">removed: </span>2</del>'
            '<ins><span class="visually-hidden">added: </span>3</ins></td>') in table
    emphasis = _rendered("Tas ir **svarīgs** teksts", "Tas ir **ļoti svarīgs** teksts")
    assert "<strong><ins><span class=\"visually-hidden\">added: </span>ļoti</ins> svarīgs</strong>" in emphasis


def test_removed_markup_shows_as_the_characters_and_the_html_stays_well_formed():
    html = _rendered("Teksts **treknraksts**", "Teksts treknraksts")
    assert "<strong>" not in html and html.count("<del>") == html.count("</del>") == 2
    hostile = _rendered("Teksts", "Teksts <script>alert(1)</script> \ue000 [x](javascript:alert(1))")
    assert "<script" not in hostile and 'href="javascript' not in hostile
    assert "\ue000" not in hostile and hostile.count("<ins>") == hostile.count("</ins>")
