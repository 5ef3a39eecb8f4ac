"""The admin area: who may use it, and what editors do with consultations, sections, paragraphs and versions."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import url_for

from consult.demo import minimal_pdf

from .conftest import csrf_token_from, form_post

STAFF_WITHOUT_ADMIN = ("citizen", "organisation", "moderator", "workgroup")

def build_site(app, make_user) -> dict:
    """A draft consultation with two sections (one paragraph each, in the draft version 1), a subgroup,
    a news item, a FAQ item, a document and a citizen whose role can be changed; returns their ids."""
    from consult.extensions import db
    from consult.services import authoring, uploads
    target = make_user(role="citizen", display_name="Ilze Kalniņa", email="ilze@example.test")
    with app.app_context():
        consultation = authoring.create_consultation({
            "slug": "test-consultation", "title_lv": "Testa konsultācija", "title_en": "Test consultation",
            "summary_lv": "Kopsavilkums.", "moderation_mode": "pre"})
        version = consultation.versions[0]
        first, _ = authoring.add_section(consultation, 1, "Ievads", "Introduction", None)
        second, _ = authoring.add_section(consultation, 2, "Mērķi", "Goals", None)
        authoring.add_paragraph(first, version, "Pirmais punkts.", "First paragraph.")
        authoring.add_paragraph(second, version, "Otrais punkts.", "Second paragraph.")
        group = authoring.save_subgroup(consultation, None, {
            "name_lv": "Apakšgrupa", "name_en": "Subgroup", "description_lv": "", "description_en": "",
            "position": 0}, [first.id])
        news = authoring.save_news(None, {"slug": "test-news", "title_lv": "Ziņa", "title_en": "News",
                                          "body_lv": "", "body_en": "", "consultation_id": None,
                                          "published_at": None})
        faq = authoring.save_faq(None, {"consultation_id": None, "position": 0, "question_lv": "Jautājums?",
                                        "question_en": "", "answer_lv": "Atbilde.", "answer_en": ""})
        checked = uploads.check_document(minimal_pdf(["Test"]), "pārskats.pdf")
        document = authoring.add_document(consultation, checked, "Pārskats", "Report", app.config["UPLOAD_DIR"])
        ids = {"consultation": consultation.id, "subgroup": group.id, "news": news.id, "faq": faq.id,
               "document": document.id, "user": target, "version": version.id}
        db.session.remove()
    return ids


def snapshot(app) -> dict:
    """Everything an admin route could change, as plain values."""
    from consult.extensions import db
    from consult.models import (
        Consultation,
        Document,
        FaqItem,
        NewsItem,
        Paragraph,
        Section,
        Subgroup,
        User,
        Version,
    )
    columns = {
        Consultation: ("slug", "title_lv", "status", "opens_at", "closes_at", "moderation_mode"),
        Version: ("number", "published_at", "change_note_lv"),
        Section: ("number", "title_lv", "published_at"),
        Paragraph: ("section_id", "version_id", "number", "text_lv", "text_en"),
        Subgroup: ("name_lv", "position"),
        NewsItem: ("slug", "title_lv", "published_at"),
        FaqItem: ("question_lv", "position"),
        Document: ("title_lv", "stored_name"),
        User: ("email", "role", "session_token"),
    }
    with app.app_context():
        state = {model.__name__: sorted(tuple(str(getattr(row, c)) for c in ("id",) + names)
                                        for row in db.session.query(model))
                 for model, names in columns.items()}
        db.session.remove()
    return state


def docx_bytes(sections: list[tuple[str, list]], title: str | None = None, style: str = "Heading 1") -> bytes:
    """A Word document: each section a heading and its paragraphs; a paragraph given as a list of rows
    becomes a table."""
    import docx
    document = docx.Document()
    if title:
        document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_paragraph(heading, style=style)
        for item in paragraphs:
            if isinstance(item, list):
                table = document.add_table(rows=len(item), cols=len(item[0]))
                for r, row in enumerate(item):
                    for c, value in enumerate(row):
                        table.cell(r, c).text = value
            else:
                document.add_paragraph(item)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def site(app, make_user):
    return build_site(app, make_user)


@pytest.fixture
def editor(app, client, make_user, login):
    user_id = make_user(role="editor", display_name="Redaktore")
    login(client, user_id)
    return user_id


def admin_urls(app, ids) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route of the admin blueprint, with ids that exist."""
    values = {"consultation_id": ids["consultation"], "number": 1, "paragraph_number": 1,
              "subgroup_id": ids["subgroup"], "document_id": ids["document"], "user_id": ids["user"],
              "target": "open", "lang": "lv"}
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("admin."):
                continue
            args = {name: values[name] for name in rule.arguments if name != "item_id"}
            if "item_id" in rule.arguments:
                args["item_id"] = ids["faq"] if "faq" in rule.endpoint else ids["news"]
            url = url_for(rule.endpoint, **args)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, url))
    return sorted(routes)


# A POST body for each route that would change something if the role check let it through.
POST_DATA = {
    "admin.new_consultation": {"slug": "hacked", "title_lv": "X", "moderation_mode": "pre"},
    "admin.consultation": {"slug": "hacked", "title_lv": "X", "moderation_mode": "post"},
    "admin.change_status": {},
    "admin.new_section": {"number": "9", "title_lv": "X"},
    "admin.section": {"number": "7", "title_lv": "X"},
    "admin.new_paragraph": {"text_lv": "X"},
    "admin.paragraph": {"text_lv": "X"},
    "admin.version_note": {"change_note_lv": "X"},
    "admin.new_subgroup": {"name_lv": "X"},
    "admin.subgroup": {"name_lv": "X"},
    "admin.new_news": {"slug": "x", "title_lv": "X"},
    "admin.edit_news": {"slug": "x", "title_lv": "X"},
    "admin.new_faq": {"question_lv": "X"},
    "admin.edit_faq": {"question_lv": "X"},
    "admin.user": {"role": "admin"},
}


def test_every_admin_response_is_no_store_and_the_area_is_for_editors(app, client, site, editor):
    for endpoint, method, url in admin_urls(app, site):
        if method != "GET":
            continue
        response = client.get(url)
        response.close()
        if "admin" in getattr(app.view_functions[endpoint], "required_roles", ()):
            assert response.status_code == 403, url
        else:
            assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("role", STAFF_WITHOUT_ADMIN)
def test_other_roles_get_403_on_every_admin_route_and_nothing_changes(app, site, make_user, login, role):
    client = app.test_client()
    login(client, make_user(role=role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    before = snapshot(app)
    for endpoint, method, url in admin_urls(app, site):
        data = {**POST_DATA.get(endpoint, {}), "csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        response.close()
        assert response.status_code == 403, (endpoint, method)
        assert response.headers["Cache-Control"] == "no-store"
    assert snapshot(app) == before


def test_anonymous_visitors_are_sent_to_the_log_in_page(app, site):
    client = app.test_client()
    token = csrf_token_from(client.get("/lv/account/login/").get_data(as_text=True))
    before = snapshot(app)
    for endpoint, method, url in admin_urls(app, site):
        data = {**POST_DATA.get(endpoint, {}), "csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        response.close()
        assert response.status_code == 302, (endpoint, method)
        assert "/lv/account/login/" in response.headers["Location"]
    assert snapshot(app) == before


def test_admin_may_use_every_admin_page(app, client, site, make_user, login):
    login(client, make_user(role="admin"))
    for _endpoint, method, url in admin_urls(app, site):
        if method == "GET":
            response = client.get(url)
            response.close()
            assert response.status_code == 200, url


def test_a_post_without_csrf_token_is_refused(app, client, site, editor):
    before = snapshot(app)
    response = client.post(f"/lv/admin/consultations/{site['consultation']}/",
                           data={"slug": "other", "title_lv": "X", "moderation_mode": "pre"})
    assert response.status_code == 400
    assert snapshot(app) == before


def test_the_header_links_editors_to_the_admin_area(client, editor):
    html = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/admin/"' in html and "Administration" in html


def test_the_admin_menu_links_working_groups_and_organisations_for_administrators_only(app, client, site,
                                                                                       make_user, login):
    links = ('href="/en/admin/workgroups/"', 'href="/en/admin/organisations/"')
    editor = login(app.test_client(), make_user(role="editor"))
    html = editor.get("/en/admin/").get_data(as_text=True)
    assert not any(link in html for link in links)
    assert editor.get("/en/admin/workgroups/").status_code == 403
    admin = login(client, make_user(role="admin"))
    for page in ("/en/admin/", "/en/admin/news/", "/en/admin/users/"):
        html = admin.get(page).get_data(as_text=True)
        assert all(link in html for link in links), page
    for page, link in zip(("/en/admin/workgroups/", "/en/admin/organisations/"), links):
        html = admin.get(page).get_data(as_text=True)
        assert f'<a {link} aria-current="page">' in html, page
        assert 'href="/en/admin/news/"' in html


# ---------------------------------------------------------------------------
# Consultations

NEW = {"slug": "social-care-2026", "title_lv": "Sociālā aprūpe 2026", "title_en": "Social care 2026",
       "summary_lv": "**Mērķis** ir uzlabot pakalpojumus.", "summary_en": "",
       "institution_lv": "Labklājības ministrija",
       "institution_en": "Ministry of Welfare", "opens_date": "2026-03-01", "opens_time": "09:00",
       "closes_date": "2026-07-01", "closes_time": "17:30", "moderation_mode": "post"}


def _consultation(app, slug="social-care-2026"):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        item = db.session.query(Consultation).filter_by(slug=slug).one_or_none()
        if item is not None:
            db.session.expunge(item)
        return item


def test_editor_creates_a_consultation_with_riga_times_stored_as_utc(app, client, editor):
    response = form_post(client, "/en/admin/consultations/new/", NEW)
    assert response.status_code == 303
    item = _consultation(app)
    assert item.title_lv == "Sociālā aprūpe 2026" and item.status == "draft" and item.moderation_mode == "post"
    assert item.opens_at.isoformat() == "2026-03-01T07:00:00"      # Riga is UTC+2 in winter
    assert item.closes_at.isoformat() == "2026-07-01T14:30:00"     # and UTC+3 in summer
    edit = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="2026-03-01"' in edit and 'value="09:00"' in edit and 'value="17:30"' in edit
    from consult.extensions import db
    from consult.models import Version
    with app.app_context():
        assert [v.number for v in db.session.query(Version).filter_by(consultation_id=item.id)] == [1]


def test_closing_before_opening_gets_a_message_beside_the_field_and_keeps_the_input(app, client, editor):
    data = {**NEW, "closes_date": "2026-02-01", "title_en": "Ā <b>bold</b>"}
    response = form_post(client, "/en/admin/consultations/new/", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r"<title>Error:", html)
    assert 'id="closes_date-error"' in html and "The closing time must be after the opening time." in html
    assert 'href="#closes_date"' in html
    assert 'value="Ā &lt;b&gt;bold&lt;/b&gt;"' in html and 'value="2026-02-01"' in html
    assert _consultation(app) is None


@pytest.mark.parametrize("field, value, message", [
    ("slug", "Not A Slug!", "Use only small letters"),
    ("slug", "", "Enter the web address name."),
    ("title_lv", "", "Enter the title in Latvian."),
    ("opens_date", "2026-02-30", "Enter a real date"),
    ("opens_date", "0001-01-01", "Enter a real date"),
    ("opens_time", "25:00", "Enter a time of day"),
    ("opens_time", "", "Enter a time as well as the date."),
    ("title_lv", "x" * 301, "Use at most 300 characters"),
    ("title_lv", "a\x00b", "cannot be stored"),
    ("moderation_mode", "sometimes", "Not a valid choice"),
])
def test_bad_consultation_input_gets_a_message_and_nothing_is_stored(app, client, editor, field, value, message):
    response = form_post(client, "/en/admin/consultations/new/", {**NEW, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _consultation(app) is None


def test_a_taken_slug_gets_a_message(app, client, editor, site):
    response = form_post(client, "/en/admin/consultations/new/", {**NEW, "slug": "test-consultation"})
    assert response.status_code == 400
    assert "already uses this web address name" in response.get_data(as_text=True)


def test_editing_keeps_what_is_not_changed(app, client, editor, site):
    url = f"/lv/admin/consultations/{site['consultation']}/"
    html = client.get(url).get_data(as_text=True)
    assert 'value="test-consultation"' in html
    response = form_post(client, url, {**NEW, "slug": "test-consultation", "title_lv": "Jauns nosaukums"})
    assert response.status_code == 303
    assert _consultation(app, "test-consultation").title_lv == "Jauns nosaukums"


def test_status_change_needs_a_confirmation_page_and_a_post(app, client, editor, site):
    cid = site["consultation"]
    status_page = client.get(f"/en/admin/consultations/{cid}/status/").get_data(as_text=True)
    assert f'href="/en/admin/consultations/{cid}/status/open/"' in status_page
    confirm = client.get(f"/en/admin/consultations/{cid}/status/open/")
    assert confirm.status_code == 200 and "Open for comments?" in confirm.get_data(as_text=True)
    assert _consultation(app, "test-consultation").status == "draft"
    response = form_post(client, f"/en/admin/consultations/{cid}/status/open/", {})
    assert response.status_code == 303
    item = _consultation(app, "test-consultation")
    assert item.status == "open" and item.opens_at is not None
    # Only the next (or previous) step: draft → concluded is not offered and does nothing.
    skip = client.get(f"/en/admin/consultations/{cid}/status/concluded/")
    assert skip.status_code == 303
    assert client.get(f"/en/admin/consultations/{cid}/status/nonsense/").status_code == 404
    response = form_post(client, f"/en/admin/consultations/{cid}/status/closed/", {})
    item = _consultation(app, "test-consultation")
    assert item.status == "closed" and item.closes_at is not None


# ---------------------------------------------------------------------------
# Sections and paragraphs

def _public_sections(client, slug="test-consultation"):
    html = client.get(f"/en/consultations/{slug}/").get_data(as_text=True)
    return html


def test_publish_now_shows_only_that_section_to_visitors(app, client, editor, site):
    cid = site["consultation"]
    form_post(client, f"/en/admin/consultations/{cid}/status/open/", {})
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/1/publish/", {},
                         page_url=f"/en/admin/consultations/{cid}/sections/1/")
    assert response.status_code == 303
    visitor = app.test_client()
    assert visitor.get("/en/consultations/test-consultation/sections/1/").status_code == 200
    assert "First paragraph." in visitor.get("/en/consultations/test-consultation/sections/1/").get_data(as_text=True)
    assert visitor.get("/en/consultations/test-consultation/sections/2/").status_code == 404
    overview = visitor.get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert "not yet published" in overview and "Version 1, published" in overview


def test_a_section_can_be_scheduled_and_the_overview_says_when(app, client, editor, site):
    cid = site["consultation"]
    form_post(client, f"/en/admin/consultations/{cid}/status/open/", {})
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/2/",
                         {"number": "2", "title_lv": "Mērķi", "title_en": "Goals",
                          "publish_date": "2099-05-04", "publish_time": "10:00"})
    assert response.status_code == 303
    overview = app.test_client().get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert "to be published 4 May 2099" in overview
    assert app.test_client().get("/en/consultations/test-consultation/sections/2/").status_code == 404


def test_section_numbers_are_unique(app, client, editor, site):
    cid = site["consultation"]
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/new/", {"number": "2", "title_lv": "X"})
    assert response.status_code == 400
    assert "Another section already has this number." in response.get_data(as_text=True)
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/new/",
                         {"number": "3", "title_lv": "Finansējums", "title_en": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith("/sections/3/")


def test_deleting_an_empty_section_asks_first(app, client, editor, site):
    cid = site["consultation"]
    form_post(client, f"/en/admin/consultations/{cid}/sections/new/", {"number": "3", "title_lv": "Finansējums"})
    section = f"/en/admin/consultations/{cid}/sections/3/"
    delete = section + "delete/"
    html = client.get(section).get_data(as_text=True)
    assert f'href="{delete}"' in html and f'action="{delete}"' not in html
    question = client.get(delete).get_data(as_text=True)
    assert "Finansējums" in question and f'<form method="post" action="{delete}"' in question
    assert f'href="{section}"' in question  # Cancel
    assert client.get(section).status_code == 200  # the question deleted nothing
    assert form_post(client, delete, {}).status_code == 303
    assert client.get(section).status_code == 404


def test_editor_edits_a_paragraph_and_markdown_is_rendered_safely(app, client, editor, site):
    cid = site["consultation"]
    url = f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/"
    hostile = "**Svarīgi:** <script>alert(1)</script> [saite](javascript:alert(1))"
    response = form_post(client, url, {"text_lv": hostile, "text_en": "Plain *English*."})
    assert response.status_code == 303
    from consult.extensions import db
    from consult.models import Paragraph, Section
    with app.app_context():
        stored = (db.session.query(Paragraph).join(Section, Section.id == Paragraph.section_id)
                  .filter(Paragraph.version_id == site["version"], Paragraph.number == 1,
                          Section.number == 1).one())  # both sections have a paragraph 1
        assert stored.text_lv == hostile
    html = client.get(f"/lv/admin/consultations/{cid}/sections/1/").get_data(as_text=True)
    assert "<strong>Svarīgi:</strong>" in html and "<script>alert" not in html and 'href="javascript' not in html
    assert "<em>English</em>" in html


def test_paragraph_numbers_stay_stable(app, client, editor, site):
    cid = site["consultation"]
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/new/", {"text_lv": "Otrais."})
    assert response.status_code == 303
    # Only the last paragraph can be deleted.
    first = form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/delete/", {},
                      page_url=f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/")
    assert first.status_code == 303
    from consult.extensions import db
    from consult.models import Paragraph, Section
    with app.app_context():
        section = db.session.query(Section).filter_by(consultation_id=cid, number=1).one()
        assert [p.number for p in section.paragraphs] == [1, 2]
    delete = f"/en/admin/consultations/{cid}/sections/1/paragraphs/2/delete/"
    edit = client.get(f"/en/admin/consultations/{cid}/sections/1/paragraphs/2/").get_data(as_text=True)
    assert f'href="{delete}"' in edit and f'action="{delete}"' not in edit  # asks first, no one-click form
    question = client.get(delete).get_data(as_text=True)
    assert "Otrais." in question and f'<form method="post" action="{delete}"' in question
    with app.app_context():
        assert [p.number for p in db.session.query(Paragraph).filter_by(section_id=section.id)] == [1, 2]
    form_post(client, delete, {})
    with app.app_context():
        assert [p.number for p in db.session.query(Paragraph).filter_by(section_id=section.id)] == [1]


def test_empty_paragraph_text_gets_a_message(app, client, editor, site):
    cid = site["consultation"]
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/",
                         {"text_lv": "  ", "text_en": "kept"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the text in Latvian." in html and "kept</textarea>" in html


@pytest.mark.parametrize("field, text, line", [
    ("text_lv", "## ", 1), ("text_lv", "Ievads.\n\n###\n\nTeksts.", 3), ("text_en", "- #", 1)])
def test_a_heading_with_no_text_in_a_paragraph_is_refused(app, client, editor, site, field, text, line):
    cid = site["consultation"]
    before = snapshot(app)
    data = {"text_lv": "Teksts.", "text_en": "", field: text}
    response = form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Line {line} is a heading with no text" in html and f'id="{field}-error"' in html
    assert snapshot(app) == before
    assert form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/",
                     {"text_lv": "## Virsraksts\n\n#1 nav virsraksts", "text_en": ""}).status_code == 303


def test_unknown_ids_are_404(client, editor, site):
    cid = site["consultation"]
    for url in ["/en/admin/consultations/999999/", f"/en/admin/consultations/{cid}/sections/99/",
                f"/en/admin/consultations/{cid}/sections/1/paragraphs/99/",
                f"/en/admin/consultations/{cid}/versions/9/",
                f"/en/admin/consultations/{cid}/subgroups/99999/", "/en/admin/news/99999/", "/en/admin/faq/99999/",
                f"/en/admin/consultations/{cid}/documents/99999/delete/",
                "/en/admin/consultations/99999999999999999999/"]:
        assert client.get(url).status_code == 404, url


# ---------------------------------------------------------------------------
# Versions

def test_a_new_version_needs_a_change_note_before_it_is_published(app, client, editor, site):
    cid = site["consultation"]
    form_post(client, f"/en/admin/consultations/{cid}/status/open/", {})
    form_post(client, f"/en/admin/consultations/{cid}/sections/1/publish/", {},
              page_url=f"/en/admin/consultations/{cid}/sections/1/")
    response = form_post(client, f"/en/admin/consultations/{cid}/versions/new/", {},
                         page_url=f"/en/admin/consultations/{cid}/versions/")
    assert response.status_code == 303
    form_post(client, f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/",
              {"text_lv": "Pirmais punkts, labots.", "text_en": "First paragraph, revised."})
    refused = form_post(client, f"/en/admin/consultations/{cid}/versions/2/publish/", {})
    assert refused.status_code == 303
    assert "Write what changed" in client.get(refused.headers["Location"]).get_data(as_text=True)
    form_post(client, f"/en/admin/consultations/{cid}/versions/2/",
              {"change_note_lv": "Precizēts 1.1. punkts.", "change_note_en": "Paragraph 1.1 clarified."})
    published = form_post(client, f"/en/admin/consultations/{cid}/versions/2/publish/", {})
    assert published.status_code == 303
    visitor = app.test_client()
    assert "First paragraph, revised." in visitor.get(
        "/en/consultations/test-consultation/sections/1/").get_data(as_text=True)
    overview = visitor.get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert 'href="/en/consultations/test-consultation/versions/1..2/"' in overview
    diff = visitor.get("/en/consultations/test-consultation/versions/1..2/").get_data(as_text=True)
    assert "<del><span class=\"visually-hidden\">removed: </span>.</del>" in diff or "<ins>" in diff
    assert "Paragraph 1.1 clarified." in diff


def test_admin_pages_and_the_changes_page_are_valid_html(app, client, site, make_user, login, tmp_path):
    from .test_admin_uploads import post_multipart
    from .test_html_valid import check_html
    from .test_importing import MARKDOWN_EN, MARKDOWN_LV
    login(client, make_user(role="admin"))
    pages = {}
    for endpoint, method, url in admin_urls(app, site):
        if method == "GET" and "download" not in endpoint:
            pages[url] = client.get(url).get_data(as_text=True)
    cid = site["consultation"]
    pages["new consultation (errors)"] = form_post(
        client, "/lv/admin/consultations/new/", {**NEW, "closes_date": "2020-01-01",
                                                 "slug": "Ā"}).get_data(as_text=True)
    pages["section (errors)"] = form_post(client, f"/en/admin/consultations/{cid}/sections/1/",
                                          {"number": "x", "publish_date": "2026-01-01"}).get_data(as_text=True)
    upload = f"/en/admin/consultations/{cid}/documents/"
    pages["documents (errors)"] = post_multipart(client, upload, {
        "csrf_token": csrf_token_from(client.get(upload).get_data(as_text=True)), "title_lv": "",
        "file": (b"text", "a.pdf")}).get_data(as_text=True)
    url = f"/en/admin/consultations/{cid}/import/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    pages["import (errors)"] = post_multipart(client, url, {"csrf_token": token, "file_lv": (b"x", "a.md")}) \
        .get_data(as_text=True)
    pages["import preview"] = post_multipart(client, url, {
        "csrf_token": token, "file_lv": (MARKDOWN_LV.encode(), "lv.md"), "file_en": (MARKDOWN_EN.encode(), "en.md"),
        "change_note_lv": "Piezīme."}).get_data(as_text=True)
    pages["user (errors)"] = form_post(client, f"/lv/admin/users/{site['user']}/", {"role": ""}).get_data(as_text=True)
    pages["news (errors)"] = form_post(client, "/lv/admin/news/new/", {"slug": ""}).get_data(as_text=True)
    assert all("<title>" in html for html in pages.values())
    assert check_html(pages, tmp_path) == []


def _unsafe_markup(html: str) -> list[str]:
    """Elements, attributes and URLs in the page that could run script."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed", "img", "svg", "style", "math"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or name == "style" or \
                        (name in ("href", "src", "action", "formaction") and value and
                         value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))):
                    found.append(f"{tag} {name}={value}")

    Parser().feed(html)
    return found


def test_hostile_input_in_editors_markdown_is_stored_exactly_and_rendered_inert(app, client, editor, site):
    import json
    import pathlib
    import unicodedata
    data = json.loads((pathlib.Path(__file__).parent / "data" / "hostile_inputs.json").read_text("utf-8"))
    cid = site["consultation"]
    url = f"/en/admin/consultations/{cid}/sections/1/paragraphs/1/"
    from consult.extensions import db
    from consult.models import Paragraph, Section
    baseline = _unsafe_markup(client.get(f"/en/admin/consultations/{cid}/sections/1/").get_data(as_text=True))
    for group in ("markup", "template", "sql", "unicode"):
        for value in data["inputs"][group]:
            response = form_post(client, url, {"text_lv": value, "text_en": value})
            if "\x00" in value:
                assert response.status_code == 400 and "cannot be stored" in response.get_data(as_text=True)
                continue
            if not value.strip():
                continue
            assert response.status_code == 303, (group, value)
            with app.app_context():
                stored = (db.session.query(Paragraph).join(Section, Section.id == Paragraph.section_id)
                          .filter(Paragraph.version_id == site["version"], Paragraph.number == 1,
                                  Section.number == 1).one())  # both sections have a paragraph 1
                expected = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
                assert stored.text_lv == expected, (group, value)
                db.session.remove()
            page = client.get(f"/en/admin/consultations/{cid}/sections/1/").get_data(as_text=True)
            assert _unsafe_markup(page) == baseline, (group, value)
            if group == "template":
                assert value in page      # shown literally, never evaluated


@pytest.mark.parametrize("typed, expected", [
    ("2026-03-01", date(2026, 3, 1)),
    ("1.03.2026.", date(2026, 3, 1)),
    ("01.03.2026", date(2026, 3, 1)),
    ("1. 3. 2026.", date(2026, 3, 1)),
    ("31.02.2026", None),
    ("03/01/2026", None),
    ("01.03.26", None),
])
def test_a_date_is_read_as_the_picker_sends_it_or_in_the_latvian_order(typed, expected):
    from consult.admin.forms import _parse_date
    assert _parse_date(typed) == expected
