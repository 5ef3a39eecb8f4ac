"""The public "what changed" page between two published versions of a draft."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from .test_admin import build_site


@pytest.fixture
def two_versions(app, make_user):
    """An open consultation: sections 1 and 2 published, section 3 only in version 2 (published);
    in version 2 paragraph 2.1 is reworded, 1.2 removed and 2.2 added; a draft version 3 nobody may see."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.services import authoring
    ids = build_site(app, make_user)
    with app.app_context():
        item = authoring.consultation(ids["consultation"])
        authoring.change_status(item, "open")
        for section in authoring.sections(item):
            authoring.publish_section_now(section)
        first = authoring.section(item, 1)
        authoring.add_paragraph(first, authoring.version(item, 1), "Šis punkts tiks svītrots.", "")
        version2 = authoring.start_version(item)
        p = authoring.paragraph(authoring.section(item, 2), version2, 1)
        authoring.update_paragraph(p, "Otrais punkts, <b>ar</b> labojumu.", "Second paragraph, <b>with</b> a fix.")
        authoring.delete_last_paragraph(authoring.paragraph(first, version2, 2))
        authoring.add_paragraph(authoring.section(item, 2), version2, "Jauns punkts.", "A new paragraph.")
        third, _ = authoring.add_section(item, 3, "Finansējums", "Funding", utcnow() - timedelta(minutes=1))
        authoring.add_paragraph(third, version2, "Nauda.", "Money.")
        authoring.update_change_note(version2, "Precizēta 2. sadaļa.", "Section 2 clarified.")
        authoring.publish_version(version2)
        version3 = authoring.start_version(item)
        authoring.update_paragraph(authoring.paragraph(first, version3, 1), "Slepens melnraksts.", "Secret draft.")
        db.session.remove()
    return ids


URL = "/en/consultations/test-consultation/versions/1..2/"


def test_the_page_shows_which_sections_changed_and_a_word_diff(client, two_versions):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "What changed from version 1 to version 2" in html
    assert "Section 2 clarified." in html
    summary = html.split('id="summary-heading"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"1\. Introduction</a>\s*<strong class=\"tag tag-change-changed\">Changed", summary)
    assert re.search(r"2\. Goals</a>\s*<strong class=\"tag tag-change-changed\">Changed", summary)
    assert re.search(r"3\. Funding</a>\s*<strong class=\"tag tag-change-added\">Added", summary)
    paragraph = html.split('id="d-2.1"', 1)[1].split("</article>", 1)[0]
    assert ('<ins><span class="visually-hidden">added: </span>, &lt;b&gt;with&lt;/b&gt; a fix</ins>' in paragraph)
    assert "<b>with</b>" not in html
    removed = html.split('id="d-1.2"', 1)[1].split("</article>", 1)[0]
    assert "Removed" in removed
    assert "Secret draft" not in html


def test_latvian_page_shows_latvian_text(client, two_versions):
    html = client.get(URL.replace("/en/", "/lv/")).get_data(as_text=True)
    assert "&lt;b&gt;ar&lt;/b&gt; labojumu" in html
    assert '<html lang="lv"' in html


def test_a_paragraph_that_exists_in_one_version_only_is_added_or_removed(client, two_versions):
    html = client.get(URL).get_data(as_text=True)
    section_one = html.split('id="s-1"', 1)[1].split("</section>", 1)[0]
    assert "Paragraph 1.2" in section_one
    assert '<del><span class="visually-hidden">removed: </span>Šis punkts tiks svītrots.</del>' in section_one
    section_two = html.split('id="s-2"', 1)[1].split("</section>", 1)[0]
    assert '<ins><span class="visually-hidden">added: </span>A new paragraph.</ins>' in section_two
    assert "Paragraph 2.2 <strong class=\"tag tag-change-added\">Added</strong>" in section_two


def test_the_overview_links_to_the_changes(client, two_versions):
    html = client.get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert 'href="/en/consultations/test-consultation/versions/1..2/"' in html
    assert "What changed since version 1" in html


def test_no_link_while_there_is_one_published_version(client, app, make_user):
    ids = build_site(app, make_user)
    from consult.extensions import db
    from consult.services import authoring
    with app.app_context():
        item = authoring.consultation(ids["consultation"])
        authoring.change_status(item, "open")
        authoring.publish_section_now(authoring.section(item, 1))
        db.session.remove()
    html = client.get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert "/versions/" not in html


@pytest.mark.parametrize("spec", ["1..3", "2..2", "0..1", "1-2", "1..2..3", "a..b", "1..99999999", "%00"])
def test_unknown_or_malformed_versions_are_404(client, two_versions, spec):
    assert client.get(f"/en/consultations/test-consultation/versions/{spec}/").status_code == 404


def test_a_draft_consultation_has_no_public_changes_page(app, client, two_versions):
    from consult.extensions import db
    from consult.services import authoring
    with app.app_context():
        authoring.change_status(authoring.consultation(two_versions["consultation"]), "draft")
        db.session.remove()
    assert client.get(URL).status_code == 404


def test_the_reverse_comparison_works_too(client, two_versions):
    html = client.get("/en/consultations/test-consultation/versions/2..1/").get_data(as_text=True)
    assert "What changed from version 2 to version 1" in html


def test_the_page_runs_a_fixed_number_of_queries(app, client, two_versions, count_queries, make_user, login):
    login(client, make_user())      # signed in, so the page is rendered every time rather than cached
    client.get(URL)
    with count_queries as counter:
        client.get(URL)
    small = counter.count
    from consult.extensions import db
    from consult.services import authoring
    with app.app_context():
        item = authoring.consultation(two_versions["consultation"])
        for number in range(10, 30):
            section, _ = authoring.add_section(item, number, f"S{number}", "", None)
            authoring.publish_section_now(section)
            for version_number in (1, 2):
                for _ in range(3):
                    authoring.add_paragraph(section, authoring.version(item, version_number), f"T{number}", "")
        db.session.remove()
    with count_queries as counter:
        client.get(URL)
    assert counter.count == small


def test_the_changes_page_is_valid_html(client, two_versions, tmp_path):
    from .test_html_valid import check_html
    pages = {path: client.get(path).get_data(as_text=True)
             for path in (URL, URL.replace("/en/", "/lv/"), "/en/consultations/test-consultation/")}
    assert check_html(pages, tmp_path) == []


# ---------------------------------------------------------------------------
# Comments follow a paragraph into a new version while its text is unchanged

SECTION_ONE = "/en/consultations/test-consultation/sections/1/"


def _approved_comment(app, paragraph_id, body, parent_id=None):
    """An approved comment on a paragraph, made on the version that paragraph belongs to."""
    from consult.extensions import db
    from consult.models import Comment, Paragraph, User
    with app.app_context():
        paragraph = db.session.get(Paragraph, paragraph_id)
        author = db.session.query(User).filter_by(role="citizen").first()
        comment = Comment(consultation_id=paragraph.section.consultation_id, section_id=paragraph.section_id,
                          version_id=paragraph.version_id, paragraph_id=paragraph.id, parent_id=parent_id,
                          author_id=author.id, stance="supports", body=body, status="approved",
                          needs_review=False, fingerprint=body, idempotency_key=body, language="lv")
        db.session.add(comment)
        db.session.commit()
        return comment.id


@pytest.fixture
def revised_section(app, make_user):
    """Section 1 with paragraphs 1.1–1.3 commented on in version 1; version 2 (published) keeps 1.1,
    rewords 1.2, changes only the English of 1.3; the ids of the paragraphs in both versions."""
    from consult.extensions import db
    from consult.services import authoring
    ids = build_site(app, make_user)
    with app.app_context():
        item = authoring.consultation(ids["consultation"])
        authoring.change_status(item, "open")
        authoring.publish_section_now(authoring.section(item, 1))
        first, version1 = authoring.section(item, 1), authoring.version(item, 1)
        authoring.add_paragraph(first, version1, "Otrais teksts.", "Second text.")
        authoring.add_paragraph(first, version1, "Trešais teksts.", "Third text.")
        old = {p.number: p.id for p in authoring.paragraphs(first, version1)}
        version2 = authoring.start_version(item)
        authoring.update_paragraph(authoring.paragraph(first, version2, 2), "Otrais teksts, pārrakstīts.",
                                   "Second text, rewritten.")
        authoring.update_paragraph(authoring.paragraph(first, version2, 3), "Trešais teksts.", "The third text.")
        authoring.update_change_note(version2, "Pārrakstīts 1.2.", "1.2 rewritten.")
        new = {p.number: p.id for p in authoring.paragraphs(first, version2)}
        db.session.remove()
    return {**ids, "old": old, "new": new, "version2": version2.id}


def _publish_version_two(app, ids):
    from consult.extensions import db
    from consult.models import Version
    from consult.services import authoring
    with app.app_context():
        authoring.publish_version(db.session.get(Version, ids["version2"]))
        db.session.remove()


def _paragraph_html(html, label):
    return html.split(f'id="p-{label}"', 1)[1].split("</article>", 1)[0]


def _comment_html(html, comment_id):
    return html.split(f'id="comment-{comment_id}"', 1)[1].split("</article>", 1)[0]


def test_an_unchanged_paragraph_counts_and_links_comments_made_on_the_earlier_version(app, client, revised_section):
    ids = revised_section
    early = _approved_comment(app, ids["old"][1], "Agrāks komentārs.")
    _approved_comment(app, ids["old"][1], "Atbilde uz agrāko.", parent_id=early)
    _publish_version_two(app, ids)
    late = _approved_comment(app, ids["new"][1], "Vēlāks komentārs.")
    html = client.get(SECTION_ONE).get_data(as_text=True)
    assert "Version 2 of the draft" in html
    assert "3 comments" in _paragraph_html(html, "1.1")
    for comment_id in (early, late):
        assert '<a href="#p-1.1">on paragraph 1.1</a>' in _comment_html(html, comment_id)
    assert "made on version 1 of the draft" in _comment_html(html, early)


def test_a_reworded_paragraph_keeps_its_old_comments_apart(app, client, revised_section):
    ids = revised_section
    comment = _approved_comment(app, ids["old"][2], "Par veco tekstu.")
    _publish_version_two(app, ids)
    html = client.get(SECTION_ONE).get_data(as_text=True)
    assert "0 comments" in _paragraph_html(html, "1.2")
    card = _comment_html(html, comment)
    assert "on paragraph 1.2" in card and 'href="#p-1.2"' not in card
    assert "made on version 1 of the draft" in card


def test_a_change_in_the_english_text_alone_is_a_change_too(app, client, revised_section):
    ids = revised_section
    comment = _approved_comment(app, ids["old"][3], "Par trešo.")
    _publish_version_two(app, ids)
    html = client.get(SECTION_ONE).get_data(as_text=True)
    assert "0 comments" in _paragraph_html(html, "1.3")
    assert 'href="#p-1.3"' not in _comment_html(html, comment)


def test_a_paragraph_moved_to_another_number_takes_its_comments_along(app, client, revised_section):
    """Version 2 inserts a paragraph before 1.1: the unchanged text is now 1.2 and its comments go with it."""
    from consult.extensions import db
    from consult.models import Paragraph
    ids = revised_section
    comment = _approved_comment(app, ids["old"][1], "Par pirmo.")
    with app.app_context():
        rows = {p.number: p for p in db.session.query(Paragraph).filter(Paragraph.id.in_(ids["new"].values()))}
        for number in sorted(rows, reverse=True):
            rows[number].number = number + 10          # out of the way of the unique number first
        db.session.flush()
        for number, row in rows.items():
            row.number = number + 1
        db.session.add(Paragraph(section_id=rows[1].section_id, version_id=ids["version2"], number=1,
                                 text_lv="Jauns ievads.", text_en="A new opening."))
        db.session.commit()
    _publish_version_two(app, ids)
    html = client.get(SECTION_ONE).get_data(as_text=True)
    assert "1 comment<" in _paragraph_html(html, "1.2")
    assert "0 comments" in _paragraph_html(html, "1.1")
    assert '<a href="#p-1.2">on paragraph 1.2</a>' in _comment_html(html, comment)


def test_repeated_text_follows_to_the_paragraph_with_the_same_number_first():
    from consult.services.diffing import ParagraphText, follow_unchanged
    earlier = [ParagraphText(1, 1, "Svītrots.", ""), ParagraphText(2, 2, "Svītrots.", ""),
               ParagraphText(3, 3, "Cits.", ""), ParagraphText(4, 4, " Svītrots.\r\n", "")]
    current = [ParagraphText(11, 1, "Svītrots.", ""), ParagraphText(12, 2, "Svītrots.", ""),
               ParagraphText(13, 3, "Cits, labots.", "")]
    assert follow_unchanged(earlier, current) == {1: 11, 2: 12, 4: 12, 11: 11, 12: 12, 13: 13}
