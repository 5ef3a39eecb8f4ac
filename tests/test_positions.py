"""Organisations register and are verified; their representatives submit positions with a checked PDF."""
from __future__ import annotations

import io
import os

import pytest

from consult.demo import minimal_pdf
from consult.models import Organisation, Position

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import DEMO

NEW = f"/en/consultations/{DEMO}/positions/new/"


def _positions(app):
    from consult.extensions import db
    with app.app_context():
        return [(p.id, p.status, p.title, p.attachment_stored, p.attachment_name)
                for p in db.session.query(Position).order_by(Position.id)]


@pytest.fixture
def representative(app, client, demo, make_user, login):
    user = make_user(display_name="Ilze Kalniņa", email="rep@example.test")
    login(client, user)
    response = form_post(client, "/en/organisations/", {"name": "Biedrība “Sociālais tilts”",
                                                         "registration_number": "4000 800 0000",
                                                         "kind": "ngo", "website": "https://tilts.example.lv"})
    assert response.status_code == 303
    return user


def _verify(app, make_user, login):
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    from consult.extensions import db
    with app.app_context():
        organisation_id = db.session.query(Organisation).one().id
    response = form_post(admin, f"/en/admin/organisations/{organisation_id}/verify/", {},
                         page_url="/en/admin/organisations/")
    assert response.status_code == 303
    return organisation_id


def _submit(client, organisation_id, upload=None, **fields):
    html = client.get(NEW).get_data(as_text=True)
    import re
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]*)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "idempotency_key": key, "organisation": str(organisation_id),
            "title": "Par individuālo budžetu", "body": "Atbalstām individuālā budžeta modeli ar nosacījumiem.",
            "sections": ["6"], "publish_name": "y", **fields}
    if upload is not None:
        data["attachment"] = upload
    return client.post(NEW, data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("number, ok", [("40008000000", True), ("4000800000", False), ("400080000001", False),
                                        ("4000800000x", False), ("", True)])
def test_registration_number_has_eleven_digits(app, client, demo, make_user, login, number, ok):
    login(client, make_user())
    response = form_post(client, "/en/organisations/", {"name": "Org", "registration_number": number,
                                                         "kind": "ngo", "website": ""})
    assert (response.status_code == 303) == ok
    if not ok:
        html = response.get_data(as_text=True)
        assert 'id="registration_number-error"' in html and "exactly 11 digits" in html
        assert f'value="{number}"' in html


def test_unverified_organisation_cannot_submit(app, client, representative):
    html = client.get(NEW).get_data(as_text=True)
    assert "has not been verified yet" in html and "<textarea" not in html


def test_position_with_pdf_is_moderated_listed_and_downloads_as_attachment(app, client, representative, make_user,
                                                                          login):
    organisation_id = _verify(app, make_user, login)
    pdf = minimal_pdf(["Position of the association"])
    response = _submit(client, organisation_id, upload=(io.BytesIO(pdf), "Viedoklis par budžetu.pdf"))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    stored = _positions(app)
    assert stored[0][1] == "pending" and stored[0][4] == "Viedoklis par budžetu.pdf"
    assert os.path.isfile(os.path.join(app.config["UPLOAD_DIR"], stored[0][3]))
    public = app.test_client()
    assert "Par individuālo budžetu" not in public.get(f"/en/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert public.get(f"/en/positions/{stored[0][0]}/attachment/").status_code == 404
    moderator = app.test_client()
    login(moderator, make_user(role="moderator"))
    queue = moderator.get("/en/moderation/?type=positions").get_data(as_text=True)
    assert "Par individuālo budžetu" in queue
    form_post(moderator, f"/en/moderation/positions/{stored[0][0]}/approve/", {},
              page_url="/en/moderation/?type=positions")
    listing = public.get(f"/en/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert "Par individuālo budžetu" in listing and "Verified organisation" in listing
    assert "Sociālais tilts" in listing
    assert "Par individuālo budžetu" in public.get(f"/en/consultations/{DEMO}/sections/6/").get_data(as_text=True)
    assert "Par individuālo budžetu" not in public.get(f"/en/consultations/{DEMO}/sections/5/").get_data(as_text=True)
    download = public.get(f"/en/positions/{stored[0][0]}/attachment/")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    assert outbox_messages(app)[-1]["Subject"] == "Jūsu viedoklis ir publicēts"  # the author's own language


@pytest.mark.parametrize("content, name, message", [
    (b"just some text, not a PDF", "renamed.pdf", "not a PDF"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "page.html", "not a PDF"),
    (b"", "empty.pdf", "empty"),
    (b"%PDF-1.4\n garbage that does not open\n%%EOF", "broken.pdf", "not a PDF"),
    (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF", "huge.pdf", "larger than 10 MB"),
])
def test_bad_uploads_are_refused_and_the_form_is_kept(app, client, representative, make_user, login, content,
                                                      name, message):
    organisation_id = _verify(app, make_user, login)
    response = _submit(client, organisation_id, upload=(io.BytesIO(content), name), title="Saglabātais virsraksts")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="attachment-error"' in html and message in html
    assert 'value="Saglabātais virsraksts"' in html
    assert _positions(app) == []
    leftovers = [f for f in os.listdir(app.config["UPLOAD_DIR"])] if os.path.isdir(app.config["UPLOAD_DIR"]) else []
    assert not any(f.endswith(".tmp") for f in leftovers)
    _collect_test_client_upload_files()


def test_a_pdf_far_over_the_limit_keeps_the_form_and_says_the_limit(app, client, representative, make_user, login):
    organisation_id = _verify(app, make_user, login)
    huge = io.BytesIO(b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024) + b"\n%%EOF")
    response = _submit(client, organisation_id, upload=(huge, "huge.pdf"), title="Saglabātais virsraksts")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="attachment-error"' in html and "The file is larger than 10 MB. Choose a smaller file." in html
    assert 'value="Saglabātais virsraksts"' in html and "up to 10 MB. The signature is checked" in html
    assert _positions(app) == []
    _collect_test_client_upload_files()


def test_the_position_form_says_its_limit_as_the_page_writes_numbers(app, client, representative, make_user, login):
    organisation_id = _verify(app, make_user, login)
    html = client.get(NEW).get_data(as_text=True)
    assert "Plain text, up to 20,000 characters." in html and 'data-character-count="20000"' in html
    response = _submit(client, organisation_id, body="a" * 20_001)
    assert response.status_code == 400
    assert "Use at most 20,000 characters (you used 20,001)." in response.get_data(as_text=True)
    assert _positions(app) == []


def _collect_test_client_upload_files():
    """Flask's test client leaves its own copy of a large multipart upload for the garbage collector."""
    import gc
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_position_without_consent_gets_a_message(app, client, representative, make_user, login):
    organisation_id = _verify(app, make_user, login)
    response = _submit(client, organisation_id, publish_name="")
    assert response.status_code == 400
    assert 'id="publish_name-error"' in response.get_data(as_text=True)
    assert _positions(app) == []


def test_someone_else_cannot_submit_for_the_organisation(app, client, representative, make_user, login):
    organisation_id = _verify(app, make_user, login)
    stranger = app.test_client()
    login(stranger, make_user())
    html = stranger.get(NEW).get_data(as_text=True)
    assert "<textarea" not in html
    token = csrf_token_from(html)
    response = stranger.post(NEW, data={"csrf_token": token, "organisation": str(organisation_id), "title": "X",
                                        "body": "Y", "publish_name": "y"})
    assert response.status_code in (200, 400)
    assert _positions(app) == []


def test_only_admins_verify_organisations(app, client, representative, make_user, login):
    from consult.extensions import db
    with app.app_context():
        organisation_id = db.session.query(Organisation).one().id
    for role in ("citizen", "moderator", "editor", "workgroup"):
        other = app.test_client()
        login(other, make_user(role=role))
        token = csrf_token_from(other.get("/en/").get_data(as_text=True))
        assert other.post(f"/en/admin/organisations/{organisation_id}/verify/",
                          data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, organisation_id).verified_at is None


# The organisation's name, only where its author agreed to publish it -------------------------------

def _stored_position(app, title, organisation, kind, publish_name, sections=(6,)):
    import secrets

    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Section, User
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        author = User(email=f"rep-{secrets.token_hex(4)}@example.test", display_name="Pārstāvis",
                      role="organisation", respondent_type="citizen")
        org = Organisation(name=organisation, kind=kind, verified_at=utcnow(), representatives=[author])
        covered = [db.session.query(Section).filter_by(consultation_id=consultation.id, number=n).one()
                   for n in sections]
        position = Position(consultation_id=consultation.id, organisation=org, author=author, title=title,
                            body="Mūsu viedoklis par individuālo budžetu.", whole_draft=not covered,
                            sections=covered, publish_name=publish_name, status="approved",
                            idempotency_key=secrets.token_hex(8), version_id=consultation.versions[-1].id)
        db.session.add(position)
        db.session.commit()
        return position.id


@pytest.fixture
def two_positions(app, demo):
    named = _stored_position(app, "Atklātais viedoklis", "Biedrība “Redzamā”", "ngo", True)
    unnamed = _stored_position(app, "Klusais viedoklis", "Slepenā pašvaldība", "municipality", False)
    other = _stored_position(app, "Cits klusais viedoklis", "Nezināmā apvienība", "other", False)
    return named, unnamed, other


def _card(html: str, position_id: int) -> str:
    start = html.index(f'id="position-{position_id}"')
    return html[start:html.index("</article>", start)]


def test_public_pages_name_an_organisation_only_where_it_agreed_like_the_api(app, client, two_positions):
    named, unnamed, other = two_positions
    labels = {"lv": ("Pašvaldība", "Organizācija"), "en": ("Municipality", "An organisation")}
    for lang in ("lv", "en"):
        for path in (f"/{lang}/consultations/{DEMO}/sections/6/", f"/{lang}/consultations/{DEMO}/positions/"):
            html = client.get(path).get_data(as_text=True)
            assert "Biedrība “Redzamā”" in _card(html, named), path
            assert "Slepenā pašvaldība" not in html and "Nezināmā apvienība" not in html, path
            assert f"<strong>{labels[lang][0]}</strong>" in _card(html, unnamed), path
            assert f"<strong>{labels[lang][1]}</strong>" in _card(html, other), path
    listed = client.get(f"/api/v1/consultations/{DEMO}/positions").get_json()["items"]
    api = {p["id"]: p["organisation"] for p in listed}
    assert api[named]["name"] == "Biedrība “Redzamā”"
    assert (api[unnamed]["name"], api[unnamed]["kind"]) == (None, "municipality")
    assert (api[other]["name"], api[other]["kind"]) == (None, "other")


def test_search_shows_and_finds_an_organisations_name_only_where_it_agreed(app, client, two_positions):
    named, unnamed, _other = two_positions
    html = client.get("/en/search", query_string={"q": "viedoklis", "type": "position"}).get_data(as_text=True)
    assert f"#position-{named}" in html and f"#position-{unnamed}" in html
    assert "Biedrība “Redzamā”" in html and "Slepenā pašvaldība" not in html and "Municipality" in html
    # The name is not in the index either, so searching for it finds nothing.
    hidden = client.get("/en/search", query_string={"q": "Slepenā"}).get_data(as_text=True)
    assert f"#position-{unnamed}" not in hidden
    found = client.get("/en/search", query_string={"q": "Redzamā"}).get_data(as_text=True)
    assert f"#position-{named}" in found


def test_the_outcome_page_names_an_organisation_only_where_it_agreed(app, client, two_positions, make_user):
    from consult.extensions import db
    from consult.models import Consultation
    from consult.services import responses
    named, unnamed, other = two_positions
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        consultation.status = "closed"
        db.session.commit()
        responses.publish_outcome(consultation, None)
    html = client.get(f"/lv/consultations/{DEMO}/outcome/").get_data(as_text=True)
    assert "Biedrība “Redzamā”" in _card(html, named)
    assert "Slepenā pašvaldība" not in html and "Nezināmā apvienība" not in html
    assert "Pašvaldība ·" in _card(html, unnamed) and "Organizācija ·" in _card(html, other)
