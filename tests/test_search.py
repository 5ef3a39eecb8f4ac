"""Site search: Latvian-aware, only what is published, hostile queries harmless, highlighting escaped."""
from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest

from consult.clock import utcnow
from consult.models import Comment, Consultation, NewsItem, Organisation, Position, SearchEntry, Section, User

from .pages import CLOSED, DEMO

HOSTILE = json.loads((Path(__file__).parent / "data" / "hostile_inputs.json").read_text(encoding="utf-8"))


def _db():
    from consult.extensions import db
    return db


def add_comment(app, body, status="approved", slug=DEMO, section=2, author_id=None, show_name=True,
                language="lv") -> int:
    """A comment stored as the site would after moderation (the index follows through session events)."""
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        target = db.session.query(Section).filter_by(consultation_id=consultation.id, number=section).one()
        if author_id is None:
            author = User(email=f"author-{uuid.uuid4().hex[:8]}@example.test", display_name="Jānis Ozols",
                          respondent_type="citizen")
            db.session.add(author)
            db.session.flush()
            author_id = author.id
        comment = Comment(consultation_id=consultation.id, section_id=target.id, author_id=author_id,
                          stance="proposes", body=body, language=language, show_name=show_name, status=status,
                          fingerprint=uuid.uuid4().hex, idempotency_key=uuid.uuid4().hex)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def add_position(app, title, body, status="approved", slug=DEMO) -> int:
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        author = User(email=f"rep-{uuid.uuid4().hex[:8]}@example.test", display_name="Pārstāve")
        organisation = Organisation(name="Biedrība “Ūdensroze”", kind="ngo", verified_at=utcnow())
        db.session.add_all([author, organisation])
        db.session.flush()
        position = Position(consultation_id=consultation.id, organisation_id=organisation.id, author_id=author.id,
                            title=title, body=body, status=status, idempotency_key=uuid.uuid4().hex)
        db.session.add(position)
        db.session.commit()
        return position.id


def search(client, query, lang="lv", **params):
    response = client.get(f"/{lang}/search", query_string={"q": query, **params})
    assert response.status_code == 200, (query, response.status_code)
    return response.get_data(as_text=True)


def result_links(html: str) -> list[str]:
    return [unescape(link) for link in re.findall(r'<h3 class="h4"><a href="([^"]+)"', html)]


def test_search_finds_latvian_words_without_diacritics_in_any_case(client, demo):
    for query in ("sociala", "SOCIĀLĀ", "Sociālā", "sOcIaLa"):
        html = search(client, query)
        assert f"/lv/consultations/{DEMO}/sections/" in html, query
        assert re.search(r"<mark>sociālā\w*</mark>", html, re.I), query


def test_english_page_searches_the_english_text(client, demo):
    html = search(client, "rehabilitation", lang="en")
    assert f"/en/consultations/{DEMO}/sections/" in html
    assert "<mark>rehabilitation</mark>" in html.lower()


def test_a_result_links_to_the_paragraph_it_was_found_in(client, demo, app):
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=3).one()
        paragraph = sorted(section.paragraphs, key=lambda p: p.number)[-1]
        paragraph.text_lv += " Vārds kvazimodo ir tikai šeit."
        db.session.commit()
        label = f"3.{paragraph.number}"
    html = search(client, "kvazimodo")
    assert result_links(html) == [f"/lv/consultations/{DEMO}/sections/3/#p-{label}"]


def test_only_approved_comments_are_found(app, client, demo):
    for status in ("approved", "pending", "rejected", "hidden", "withdrawn"):
        add_comment(app, f"Ierosinu krokodilu {status}", status=status)
    html = search(client, "krokodil")
    assert "krokodilu approved" in unescape(re.sub("</?mark>", "", html))
    for status in ("pending", "rejected", "hidden", "withdrawn"):
        assert f"krokodilu {status}" not in html
    assert len(result_links(html)) == 1


def test_hiding_and_unhiding_a_comment_updates_the_index(app, client, demo, make_user):
    from consult.services import moderation
    comment_id = add_comment(app, "Žirafe ir garā kaklā", status="pending")
    assert "Žirafe" not in search(client, "zirafe")
    db = _db()
    with app.app_context():
        moderator = db.session.get(User, make_user(role="moderator"))
        comment = db.session.get(Comment, comment_id)
        moderation.approve(comment, moderator)
    assert f"#comment-{comment_id}" in search(client, "zirafe")
    with app.app_context():
        moderator = db.session.query(User).filter_by(role="moderator").one()
        moderation.hide(db.session.get(Comment, comment_id), moderator, "offensive")
    assert f"#comment-{comment_id}" not in search(client, "zirafe")
    with app.app_context():
        moderator = db.session.query(User).filter_by(role="moderator").one()
        moderation.unhide(db.session.get(Comment, comment_id), moderator)
    assert f"#comment-{comment_id}" in search(client, "zirafe")


def test_a_comment_shows_its_author_only_as_they_chose(app, client, demo):
    add_comment(app, "Pelikāns ar vārdu", show_name=True)
    add_comment(app, "Pelikāns bez vārda", show_name=False)
    html = search(client, "pelikans")
    assert html.count("Jānis Ozols") == 1
    assert "@example.test" not in html


def test_unpublished_and_scheduled_sections_are_never_found(app, client, demo):
    from consult.services import search as search_service
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        db.session.add(Section(consultation_id=consultation.id, number=41, title_lv="Slepenais bruņurupucis",
                               published_at=None))
        db.session.add(Section(consultation_id=consultation.id, number=42, title_lv="Nākotnes bruņurupucis",
                               published_at=utcnow() + timedelta(days=2)))
        db.session.commit()
        consultation_id = consultation.id
    assert "bruņurupucis" not in search(client, "brunurupucis").lower()
    with app.test_request_context("/lv/"):
        later = search_service.search("brunurupucis", "lv", now=utcnow() + timedelta(days=3))
        assert [hit.entry.title for hit in later.hits] == ["Nākotnes bruņurupucis"]
    with app.app_context():
        section = db.session.query(Section).filter_by(number=41, consultation_id=consultation_id).one()
        section.published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Slepenais <mark>bruņurupucis</mark>" in search(client, "brunurupucis")


def test_a_draft_consultation_is_never_found(app, client, demo):
    from consult.services import authoring
    assert f"/lv/consultations/{DEMO}/" in search(client, "pamatnostadnes")
    db = _db()
    with app.app_context():
        authoring.change_status(db.session.query(Consultation).filter_by(slug=DEMO).one(), "draft")
    html = search(client, "pamatnostadnes")
    assert f"/lv/consultations/{DEMO}/" not in html
    with app.app_context():
        authoring.change_status(db.session.query(Consultation).filter_by(slug=DEMO).one(), "open")
    assert f"/lv/consultations/{DEMO}/" in search(client, "pamatnostadnes")


def test_a_bulk_update_also_updates_the_index(app, client, demo):
    from sqlalchemy import update
    comment_id = add_comment(app, "Lielais flamingo")
    db = _db()
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == comment_id).values(status="hidden"))
        db.session.commit()
    assert result_links(search(client, "flamingo")) == []


def test_positions_news_and_faq_are_found_and_unpublished_news_is_not(app, client, demo):
    add_position(app, "Par ūdensrožu dīķi", "Atbalstām dīķa tīrīšanu.")
    add_position(app, "Par ūdensrožu gaidīšanu", "Vēl nav apstiprināts.", status="pending")
    db = _db()
    with app.app_context():
        db.session.add(NewsItem(slug="future-news", title_lv="Ūdensrožu nākotnes ziņa",
                                published_at=utcnow() + timedelta(days=1)))
        db.session.add(NewsItem(slug="draft-news", title_lv="Ūdensrožu melnraksts", published_at=None))
        db.session.add(NewsItem(slug="today-news", title_lv="Ūdensrožu ziņa šodien",
                                published_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    html = search(client, "udensrozu")
    links = result_links(html)
    assert any(link.startswith(f"/lv/consultations/{DEMO}/positions/#position-") for link in links)
    assert "/lv/news/today-news/" in links
    assert "gaidīšanu" not in html and "nākotnes ziņa" not in html and "melnraksts" not in html
    faq = search(client, "konsultacija", type="faq")
    assert "#faq-" in faq


def test_results_are_grouped_by_type_and_filtered(app, client, demo):
    add_comment(app, "Sociālā aprūpe mājās ir svarīga")
    html = search(client, "sociala")
    headings = re.findall(r'<h2 id="results-(\w+)"', html)
    assert headings == sorted(headings, key=["consultation", "section", "news", "faq", "position",
                                             "comment"].index)
    assert "section" in headings and "comment" in headings
    only_comments = search(client, "sociala", type="comment")
    assert re.findall(r'<h2 id="results-(\w+)"', only_comments) == ["comment"]
    closed_only = search(client, "sociala", consultation=CLOSED)
    assert not any(DEMO in link for link in result_links(closed_only))
    assert result_links(closed_only)
    # Unknown filters fall back to everything instead of failing.
    assert result_links(search(client, "sociala", type="nonsense", consultation="no-such"))


def test_empty_and_too_long_queries_get_a_clear_message(client, demo):
    empty = search(client, "   ", lang="en")
    assert "Enter a word or words to search for." in empty
    assert "<title>Error:" in empty and 'class="error-summary"' in empty
    long = search(client, "ā" * 201, lang="en")
    assert "Use at most 200 characters (you used 201)." in long
    assert 'class="error-summary"' in search(client, "")  # ?q= with nothing in it
    fresh = client.get("/en/search").get_data(as_text=True)
    assert "error-summary" not in fresh and "<title>Error" not in fresh


def test_a_query_of_only_symbols_says_there_is_nothing_to_search(client, demo):
    assert "There is nothing to search for" in search(client, "!!! *** ???", lang="en")


@pytest.mark.parametrize("query", [value for group in ("markup", "template", "sql", "filenames", "unicode", "formula")
                                   for value in HOSTILE["inputs"][group]]
                         + ['"', '""', "*", "a*", "NEAR(a b)", "folded:x", "a OR b", "NOT a", "^a", "(", ")",
                            "-a", "a AND", "'", "\\", "%", "_", ":*", "a & b | !c", "a:* & b"])
def test_hostile_queries_are_harmless(client, demo, query):
    for lang in ("lv", "en"):
        response = client.get(f"/{lang}/search", query_string={"q": query})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        if "<" in query:
            assert query not in html
        if "{{" in query:
            assert query in html  # shown literally, never evaluated


@pytest.mark.parametrize("query", HOSTILE["inputs"]["oversized"])
def test_oversized_queries_get_a_message(client, demo, query):
    response = client.get("/en/search", query_string={"q": query})
    assert response.status_code == 200
    assert "Use at most 200 characters" in response.get_data(as_text=True)


def test_highlighted_snippets_are_escaped(app, client, demo):
    add_comment(app, '<b onclick="x()">vaboles</b> & <script>alert(1)</script> vaboles')
    html = search(client, "vaboles")
    assert "<b onclick" not in html and "<script>alert(1)" not in html
    assert '&lt;b onclick=&#34;x()&#34;&gt;<mark>vaboles</mark>&lt;/b&gt; &amp; &lt;script&gt;' in html


def test_stored_hostile_text_is_found_and_shown_inert(app, client, demo):
    for value in HOSTILE["inputs"]["markup"]:
        add_comment(app, f"zebra {value}")
    html = search(client, "zebra")
    assert len(result_links(html)) == len(HOSTILE["inputs"]["markup"])
    results = html.split("</form>")[-1]
    assert "<script" not in results and "<img" not in results and "<svg" not in results
    assert "<iframe" not in results and 'href="javascript' not in results.lower()


def test_results_are_paged(app, client, demo):
    for number in range(23):
        add_comment(app, f"Bebrs numur {number}")
    first = search(client, "bebrs")
    assert len(result_links(first)) == 20
    assert "Page 1 of 2" in search(client, "bebrs", lang="en")
    second = search(client, "bebrs", page="2")
    assert len(result_links(second)) == 3
    assert not set(result_links(first)) & set(result_links(second))
    assert len(result_links(search(client, "bebrs", page="999"))) == 3  # past the end: the last page
    assert len(result_links(search(client, "bebrs", page="x"))) == 20


def test_query_count_does_not_grow_with_the_number_of_results(app, client, demo, count_queries):
    for number in range(3):
        add_comment(app, f"Ezis {number}")
        add_position(app, f"Ezis {number}", "Ezis")
    with count_queries as few:
        search(client, "ezis")
    for number in range(3, 15):
        add_comment(app, f"Ezis {number}")
        add_position(app, f"Ezis {number}", "Ezis")
    with count_queries as many:
        html = search(client, "ezis")
    assert len(result_links(html)) == 20
    assert many.count == few.count


def test_reindex_command_rebuilds_the_index(app, client, demo, runner):
    add_comment(app, "Ūdrs peld upē")
    db = _db()
    with app.app_context():
        before = db.session.query(SearchEntry).count()
        db.session.query(SearchEntry).delete()
        db.session.commit()
    assert "#comment-" not in search(client, "udrs")
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert f"{before} entries" in result.output
    assert "#comment-" in search(client, "udrs")


def test_search_pages_are_valid_html(client, demo, app, tmp_path):
    from .test_html_valid import check_html
    add_comment(app, "Sociālā <b>kaza</b>")
    pages = {
        "/lv/search": client.get("/lv/search").get_data(as_text=True),
        "/lv/search?q=sociala": search(client, "sociala"),
        "/en/search?q=social": search(client, "social", lang="en"),
        "/en/search?q= (error)": search(client, " ", lang="en"),
        "/lv/search?q=zzzz (none)": search(client, "zzzzqqq"),
        "/lv/search?q=kaza&type=comment": search(client, "kaza", type="comment"),
    }
    assert check_html(pages, tmp_path) == []


def test_search_finds_the_other_forms_of_a_word_with_or_without_diacritics(app, client, demo):
    inflected = add_comment(app, "Pakalpojumu kvalitāte laukos ir zema")
    other = add_comment(app, "Pakalpojuma cena kāpj")
    exact = add_comment(app, "Pakalpojums jāsniedz tuvāk mājām")
    disability = add_comment(app, "Invaliditāti nosaka komisija")
    children = add_comment(app, "Bērni paliek bez aprūpes")
    for query in ("pakalpojums", "pakalpojumu", "pakalpojuma", "PAKALPOJUMĀ", "pakalpojumiem"):
        links = [link for link in result_links(search(client, query)) if "#comment-" in link]
        assert {f"#comment-{i}" for i in (inflected, other, exact)} <= {link[link.index("#"):] for link in links}, \
            query
    for query, wanted in (("invaliditāte", disability), ("invaliditate", disability), ("bērns", children),
                          ("berns", children), ("bērniem", children)):
        html = search(client, query)
        assert any(link.endswith(f"#comment-{wanted}") for link in result_links(html)), query
    assert re.search(r"<mark>Bērni</mark>", search(client, "berns")), "the other form is marked in the snippet"


def test_the_exact_form_ranks_before_other_forms(app, client, demo):
    first = add_comment(app, "Kurmju skaits dārzos pieaug, kurmju ir daudz")
    second = add_comment(app, "Kurmis rok dārzā")
    links = [link for link in result_links(search(client, "kurmis")) if "#comment-" in link]
    assert links[0].endswith(f"#comment-{second}") and links[1].endswith(f"#comment-{first}")
    links = [link for link in result_links(search(client, "kurmju")) if "#comment-" in link]
    assert links[0].endswith(f"#comment-{first}") and links[1].endswith(f"#comment-{second}")


def test_stop_words_in_a_query_are_left_out_unless_nothing_else_is_there(app, client, demo):
    from consult.services.search import query_words
    assert query_words("Lūdzu, pakalpojumi un bērni") == ["pakalpojumi", "berni"]
    assert query_words("un") == ["un"]
    wanted = add_comment(app, "Pelikāni lido pār ezeru")
    assert any(link.endswith(f"#comment-{wanted}") for link in result_links(search(client, "lūdzu pelikāns")))


def test_a_common_word_is_counted_up_to_a_limit_and_only_the_newest_matches_are_ranked(app, client, demo,
                                                                                      monkeypatch):
    from consult.services.search import querying
    monkeypatch.setattr(querying, "COUNT_LIMIT", 4)
    monkeypatch.setattr(querying, "RANK_LIMIT", 3)
    exact = add_comment(app, "Kurmis rok dārzā")              # the oldest, and the best match
    newer = [add_comment(app, f"Kurmju pulks numur {number}") for number in range(5)]
    html = search(client, "kurmis", lang="en")
    assert "More than 4 results for “kurmis”" in html
    assert "(more than 4)" in html
    assert "Only the 3 newest matches of each type are listed." in html
    links = [link for link in result_links(html) if "#comment-" in link]
    # The three newest are ranked; the best match is older than them and is not listed.
    assert sorted(int(link.rsplit("-", 1)[1]) for link in links) == sorted(newer[-3:])
    assert not any(link.endswith(f"#comment-{exact}") for link in links)
    latvian = search(client, "kurmis")
    assert "Vairāk nekā 4 rezultāti pēc vaicājuma „kurmis”" in latvian and "(vairāk nekā 4)" in latvian
    assert "Sarakstā ir tikai katra veida 3 jaunākie atrastie ieraksti." in latvian
    # Below the limits nothing changes: every match counted exactly and ranked.
    monkeypatch.setattr(querying, "COUNT_LIMIT", 100)
    monkeypatch.setattr(querying, "RANK_LIMIT", 100)
    html = search(client, "kurmis", lang="en")
    assert "6 results for “kurmis”" in html and "more than" not in html.lower().replace("more than 100", "")
    links = [link for link in result_links(html) if "#comment-" in link]
    assert links[0].endswith(f"#comment-{exact}") and len(links) == 6
