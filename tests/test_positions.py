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
