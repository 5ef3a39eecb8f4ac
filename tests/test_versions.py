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
