"""The public reading pages: every one answers in both languages, nothing breaks them."""
from __future__ import annotations

import re

import pytest

from .pages import CLOSED, DEMO, both_languages


@pytest.mark.parametrize("path", both_languages())
def test_public_page_answers_in_its_language_with_alternates(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    lang = path.split("/")[1]
    other = "en" if lang == "lv" else "lv"
    assert f'<html lang="{lang}"' in html
    assert 'hreflang="lv"' in html and 'hreflang="en"' in html and 'hreflang="x-default"' in html
    rest = path[3:]
    switch = re.search(r'<a class="language-switch" href="([^"]+)" hreflang="(\w+)"', html)
    assert switch and switch.group(2) == other
    assert switch.group(1).replace("&amp;", "&") == f"/{other}{rest}"
    assert html.count("<h1") == 1
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html


def test_root_redirects_by_accept_language(client):
    assert client.get("/").headers["Location"].endswith("/lv/")
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).headers["Location"].endswith("/en/")
    assert client.get("/", headers={"Accept-Language": "de-DE,lv;q=0.5"}).headers["Location"].endswith("/lv/")
    assert client.get("/", headers={"Accept-Language": "de-DE"}).headers["Location"].endswith("/lv/")


def test_overview_lists_sections_documents_news_faq_and_working_group(client, demo):
    html = client.get(f"/en/consultations/{DEMO}/").get_data(as_text=True)
    for number in range(1, 7):
        assert f'href="/en/consultations/{DEMO}/sections/{number}/"' in html
    assert "Guidelines for the Development of Social Services" in html
    assert "Ministry of Welfare" in html
    assert "Timeline" in html and "Documents" in html and "Working group" in html
    assert re.search(r"PDF, \d[\d.,]*\u00a0(B|KB|MB)<", html)
    assert "/en/news/meeting-with-municipalities-2013/" in html


def test_section_page_numbers_paragraphs_with_anchors(client, demo):
    html = client.get(f"/lv/consultations/{DEMO}/sections/3/").get_data(as_text=True)
    ids = re.findall(r'<article class="paragraph" id="p-(3\.\d+)"', html)
    assert ids[:2] == ["3.1", "3.2"] and len(ids) >= 2
    assert 'href="#p-3.1"' in html
    assert f'rel="next" href="/lv/consultations/{DEMO}/sections/4/"' in html
    assert f'rel="prev" href="/lv/consultations/{DEMO}/sections/2/"' in html


def test_closed_consultation_says_why_there_is_no_form(client, demo):
    html = client.get(f"/en/consultations/{CLOSED}/sections/1/").get_data(as_text=True)
    assert "This consultation is closed" in html
    assert "<textarea" not in html


def test_status_filter_shows_only_that_status(client, demo):
    open_html = client.get("/en/consultations/?status=open").get_data(as_text=True)
    closed_html = client.get("/en/consultations/?status=closed").get_data(as_text=True)
    assert DEMO in open_html and CLOSED not in open_html
    assert CLOSED in closed_html and DEMO not in closed_html
    assert "1 consultation" in open_html


@pytest.mark.parametrize("query", ["?status=%ff%fe", "?status[]=x", "?status=open&status=closed&x=%00",
                                   "?status=" + "a" * 5000, "?status=open'--"])
def test_malformed_filter_falls_back_to_defaults(client, demo, query):
    response = client.get("/en/consultations/" + query)
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=0", "?page=99999999999999999999", "?page=%00"])
def test_malformed_news_page_number_shows_the_first_page(client, demo, query):
    response = client.get("/lv/news/" + query)
    assert response.status_code == 200
    assert "Page" not in response.get_data(as_text=True) or True


@pytest.mark.parametrize("path", [
    "/de/", "/xx/consultations/", "/LV/", "/lv/nowhere/", "/en/consultations/no-such-consultation/",
    f"/lv/consultations/{DEMO}/sections/99/", f"/lv/consultations/{DEMO}/sections/0/",
    f"/lv/consultations/{DEMO}/sections/99999999999999999999999/", f"/lv/consultations/{DEMO}/sections/abc/",
    f"/lv/consultations/{DEMO}/sections/-1/", "/en/news/no-such-news/", "/en/news/" + "x" * 500 + "/",
    "/en/consultations/" + "y" * 500 + "/", "/lv/documents/99999999999999999999/", "/lv/documents/424242/",
    "/lv/news/?page=50",
])
def test_unknown_pages_get_a_translated_404(client, demo, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    if path.startswith("/en/"):
        assert '<html lang="en"' in html and "Page not found" in html
    elif path.startswith("/lv/"):
        assert '<html lang="lv"' in html and "Page not found" not in html


@pytest.mark.parametrize(("path", "switched"), [
    ("/en/no-such-page/", "/lv/no-such-page/"),
    ("/lv/consultations/x/sections/abc/", "/en/consultations/x/sections/abc/"),
    ("/en/jaunumi/%C4%81bols?page=2", "/lv/jaunumi/%C4%81bols?page=2"),
    ("/lv/a%22%3E%3Cscript%3E/", "/en/a%22%3E%3Cscript%3E/"),
    ("/en//evil.example/", "/lv//evil.example/"),
])
def test_language_switch_of_a_missing_page_keeps_its_path(client, demo, path, switched):
    response = client.get(path)
    assert response.status_code == 404
    switch = re.search(r'<a class="language-switch" href="([^"]+)"', response.get_data(as_text=True))
    assert switch.group(1).replace("&amp;", "&") == switched


def test_language_switch_outside_a_language_prefix_leads_home(client, demo):
    response = client.get("/no-such-page/")
    switch = re.search(r'<a class="language-switch" href="([^"]+)"', response.get_data(as_text=True))
    assert switch.group(1) in ("/lv/", "/en/")


def test_draft_consultation_is_not_public(client, demo, app_context):
    from consult.extensions import db
    from consult.models import Consultation
    consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
    consultation.status = "draft"
    db.session.commit()
    assert client.get(f"/en/consultations/{DEMO}/").status_code == 404
    assert client.get(f"/en/consultations/{DEMO}/sections/1/").status_code == 404
    assert DEMO not in client.get("/en/consultations/").get_data(as_text=True)


def test_unpublished_section_is_listed_as_coming_but_not_readable(client, demo, app_context):
    from datetime import timedelta

    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Section
    consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
    section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=5).one()
    section.published_at = utcnow() + timedelta(days=3)
    db.session.commit()
    assert client.get(f"/en/consultations/{DEMO}/sections/5/").status_code == 404
    html = client.get(f"/en/consultations/{DEMO}/").get_data(as_text=True)
    assert "/sections/5/" not in html
    assert "to be published" in html
    following = client.get(f"/en/consultations/{DEMO}/sections/4/").get_data(as_text=True)
    assert f'rel="next" href="/en/consultations/{DEMO}/sections/6/"' in following


def test_document_downloads_as_an_attachment(client, demo, app_context):
    from consult.extensions import db
    from consult.models import Document
    document = db.session.query(Document).order_by(Document.id).first()
    response = client.get(f"/lv/documents/{document.id}/")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF-") and b"%%EOF" in response.data[-32:]
    assert len(response.data) == document.size_bytes
    response.close()


def test_missing_english_text_shows_latvian_with_a_notice(client, demo):
    html = client.get("/en/news/working-group-and-subgroups-2012/").get_data(as_text=True)
    assert "not yet available in English" in html
    complete = client.get("/en/news/meeting-with-municipalities-2013/").get_data(as_text=True)
    assert "not yet available in English" not in complete
    latvian = client.get("/lv/news/working-group-and-subgroups-2012/").get_data(as_text=True)
    assert "not yet available in English" not in latvian


def test_dates_follow_the_page_language(client, demo):
    lv = client.get("/lv/news/meeting-with-municipalities-2013/").get_data(as_text=True)
    en = client.get("/en/news/meeting-with-municipalities-2013/").get_data(as_text=True)
    assert "2013. gada 26. aprīlis" in lv
    assert "26 April 2013" in en and "April 26, 2013" not in en


def _closes_at(app, slug):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        return db.session.query(Consultation).filter_by(slug=slug).one().closes_at


def test_latvian_deadlines_are_in_the_dative_after_lidz(app, client, demo):
    from consult.dates import LV_MONTHS
    closes = _closes_at(app, demo)
    with app.test_request_context("/lv/"):
        from flask_babel import to_user_timezone
        local = to_user_timezone(closes)
    deadline = f"līdz {local.year}. gada {local.day}. {LV_MONTHS['dative'][local.month - 1]}"
    home = client.get("/lv/").get_data(as_text=True)
    overview = client.get(f"/lv/consultations/{demo}/").get_data(as_text=True)
    assert f"komentēt var {deadline}" in home
    assert f"komentārus var iesniegt {deadline}" in overview
    for html in (home, overview):
        assert "līdz:" not in html
    listing = client.get("/lv/consultations/").get_data(as_text=True)
    assert re.search(r"Komentēt var no \d{4}\. gada \d+\. [a-zāēīūļņ]+a līdz \d{4}\. gada \d+\. [a-zāēīūļņ]+im?",
                     listing) or f"{deadline}" in listing
    english = client.get(f"/en/consultations/{demo}/").get_data(as_text=True)
    assert re.search(r"open for comments until \d{1,2} [A-Z][a-z]+ \d{4}\.", english)


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok"


def test_text_size_control_is_a_plain_link_and_is_remembered(client, demo):
    html = client.get("/en/news/").get_data(as_text=True)
    assert 'href="/text-size/large?next=/en/news/"' in html
    response = client.get("/text-size/large?next=/en/news/")
    assert response.status_code == 303 and response.headers["Location"] == "/en/news/"
    assert '<html lang="en" class="text-large">' in client.get("/en/news/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_text_size_never_redirects_off_site(client, target):
    response = client.get("/text-size/larger", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_every_response_carries_security_headers(client, demo):
    for path in ["/lv/", "/lv/nowhere/", "/healthz", "/lv/documents/1/"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp or csp == "sandbox"
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        response.close()


@pytest.mark.parametrize("path", ["/lv/", "/en/consultations/", "/lv/no-such-page/", "/en/account/login/"])
def test_every_page_footer_links_the_open_data_page(client, demo, path):
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">'):]
    lang = path[1:3]
    label = {"lv": "Atvērtie dati (API)", "en": "Open data (API)"}[lang]
    assert f'<a href="/{lang}/api/">{label}</a>' in footer
    assert client.get(f"/{lang}/api/").status_code == 200
