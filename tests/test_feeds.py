"""Atom feeds of news and of each consultation's events, in both languages."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from consult.clock import utcnow
from consult.models import Consultation, NewsItem

from .pages import CLOSED, DEMO

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _db():
    from consult.extensions import db
    return db


def parse_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{A}{name}") is not None and root.find(f"{A}{name}").text, name
    assert root.find(f"{A}author/{A}name").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links["self"].endswith(path) and links["self"].startswith("http")
    assert links["alternate"].startswith("http")
    for entry in root.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{A}{name}") is not None and entry.find(f"{A}{name}").text, name
        assert entry.find(f"{A}updated").text.endswith("Z")
        link = entry.find(f"{A}link[@rel='alternate']")
        assert link is not None and link.get("href").startswith("http")
        assert entry.find(f"{A}summary") is not None or entry.find(f"{A}content") is not None
    return root


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_news_feed_is_atom_in_the_page_language(client, demo, lang):
    root = parse_feed(client, f"/{lang}/feeds/news.xml")
    assert root.get(XML_LANG) == lang
    entries = root.findall(f"{A}entry")
    assert entries
    html = client.get(f"/{lang}/news/").get_data(as_text=True)
    for entry in entries[:3]:
        assert entry.find(f"{A}title").text in html.replace("&#39;", "'").replace("&#34;", '"')
        assert f"/{lang}/news/" in entry.find(f"{A}link").get("href")
    assert len({entry.find(f"{A}id").text for entry in entries}) == len(entries)


def test_news_feed_leaves_out_unpublished_news_and_escapes_text(app, client, demo):
    db = _db()
    with app.app_context():
        db.session.add(NewsItem(slug="hostile", title_lv='<script>alert(1)</script> & "ziņa"',
                                body_lv="**Trekns** <b>teksts</b>", published_at=utcnow() - timedelta(minutes=1)))
        db.session.add(NewsItem(slug="tomorrow", title_lv="Rītdienas ziņa", published_at=utcnow() + timedelta(days=1)))
        db.session.add(NewsItem(slug="draft", title_lv="Melnraksts", published_at=None))
        db.session.commit()
    response = client.get("/lv/feeds/news.xml")
    assert b"<script>" not in response.data
    root = parse_feed(client, "/lv/feeds/news.xml")
    titles = [entry.find(f"{A}title").text for entry in root.findall(f"{A}entry")]
    assert titles[0] == '<script>alert(1)</script> & "ziņa"'
    assert "Rītdienas ziņa" not in titles and "Melnraksts" not in titles
    first = root.find(f"{A}entry")
    assert first.find(f"{A}content").get("type") == "html"
    assert "<strong>Trekns</strong>" in first.find(f"{A}content").text
    assert "<b>" not in first.find(f"{A}content").text  # raw HTML in Markdown is not passed on


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_consultation_feed_lists_its_events(app, client, demo, lang):
    from consult.services import authoring
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        authoring.add_section(consultation, 31, "Jaunā sadaļa", "The new section", utcnow() - timedelta(minutes=1))
        authoring.add_section(consultation, 32, "Nākamā sadaļa", "Next section", utcnow() + timedelta(days=1))
    root = parse_feed(client, f"/{lang}/feeds/consultations/{DEMO}.xml")
    assert root.get(XML_LANG) == lang
    entries = root.findall(f"{A}entry")
    titles = [entry.find(f"{A}title").text for entry in entries]
    newest = "Jaunā sadaļa" if lang == "lv" else "The new section"
    assert newest in titles[0]
    assert not any("Nākamā" in title or "Next section" in title for title in titles)  # not yet published
    link = entries[0].find(f"{A}link").get("href")
    assert link.endswith(f"/{lang}/consultations/{DEMO}/sections/31/")
    assert entries[-1].find(f"{A}link").get("href").endswith(f"/{lang}/consultations/{DEMO}/")


def test_a_closed_consultation_feed_says_so(client, demo):
    root = parse_feed(client, f"/en/feeds/consultations/{CLOSED}.xml")
    assert root.find(f"{A}entry/{A}title").text == "The consultation is closed for comments"


def test_feeds_of_unknown_or_draft_consultations_are_404(app, client, demo):
    assert client.get("/en/feeds/consultations/no-such.xml").status_code == 404
    from consult.services import authoring
    db = _db()
    with app.app_context():
        authoring.change_status(db.session.query(Consultation).filter_by(slug=DEMO).one(), "draft")
    assert client.get(f"/en/feeds/consultations/{DEMO}.xml").status_code == 404


def test_feeds_can_be_cached_and_answer_304(client, demo):
    response = client.get("/en/feeds/news.xml")
    assert "public" in response.headers["Cache-Control"] and response.headers["ETag"]
    again = client.get("/en/feeds/news.xml", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_pages_link_their_feeds(client, demo):
    for lang in ("lv", "en"):
        news = client.get(f"/{lang}/news/").get_data(as_text=True)
        assert '<link rel="alternate" type="application/atom+xml" title="' in news
        assert f'href="/{lang}/feeds/news.xml"' in news
        overview = client.get(f"/{lang}/consultations/{DEMO}/").get_data(as_text=True)
        assert f'href="/{lang}/feeds/consultations/{DEMO}.xml"' in overview
        # the consultation's feed and the news feed (the page lists its news) as <link>s, and the visible link
        assert overview.count('type="application/atom+xml"') == 3
        assert '<link rel="alternate" type="application/atom+xml" title="' in overview


def test_feed_query_count_does_not_grow_with_the_number_of_entries(app, client, demo, count_queries):
    db = _db()
    with app.app_context():
        consultation_id = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    with count_queries as few:
        client.get("/lv/feeds/news.xml")
    with count_queries as few_events:
        client.get(f"/lv/feeds/consultations/{DEMO}.xml")
    from consult.services import authoring
    with app.app_context():
        for number in range(12):
            db.session.add(NewsItem(slug=f"n{number}", title_lv=f"Ziņa {number}", consultation_id=consultation_id,
                                    published_at=utcnow() - timedelta(minutes=number + 1)))
        db.session.commit()
        consultation = db.session.get(Consultation, consultation_id)
        for number in range(12):
            authoring.add_section(consultation, 50 + number, f"Sadaļa {number}", "", utcnow() - timedelta(seconds=1))
    with count_queries as many:
        root = parse_feed(client, "/lv/feeds/news.xml")
    assert len(root.findall(f"{A}entry")) >= 16
    with count_queries as many_events:
        client.get(f"/lv/feeds/consultations/{DEMO}.xml")
    assert many.count == few.count and many_events.count == few_events.count
