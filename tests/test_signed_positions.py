"""Positions uploaded as signed documents: the signer and the check's result, for everyone who reads them."""
from __future__ import annotations

import io
import zipfile

import pytest

from consult.models import Position, PositionSignature

from . import signing
from .pages import DEMO
from .test_positions import NEW, _collect_test_client_upload_files, _submit, _verify, representative  # noqa: F401


@pytest.fixture(scope="module")
def pki():
    ca_key, ca_cert = signing.make_ca("Testa sertifikācijas centrs")
    key, cert = signing.make_signer(ca_key, ca_cert, "Anna Bērziņa")
    return {"ca": ca_cert, "key": key, "cert": cert}


@pytest.fixture
def trusted(app, tmp_path, pki):
    (tmp_path / "ca.pem").write_bytes(signing.pem(pki["ca"]))
    app.config["SIGNATURE_TRUST_DIR"] = str(tmp_path)
    yield
    app.config["SIGNATURE_TRUST_DIR"] = None


def _stored(app):
    from consult.extensions import db
    with app.app_context():
        return [(p.signature_status, p.attachment_name,
                 [(s.signer_name, s.issuer_name, s.status, s.signed_at is not None) for s in p.signatures])
                for p in db.session.query(Position).order_by(Position.id)]


def _publish(app, make_user, login):
    moderator = app.test_client()
    login(moderator, make_user(role="moderator"))
    from consult.extensions import db

    from .conftest import form_post
    with app.app_context():
        position_id = db.session.query(Position).one().id
    response = form_post(moderator, f"/en/moderation/positions/{position_id}/approve/", {},
                         page_url="/en/moderation/?type=positions")
    assert response.status_code in (302, 303)
    return position_id


def test_a_signed_pdf_shows_its_verified_signer_in_both_languages(app, client, representative, make_user, login,
                                                                 trusted, pki):
    organisation_id = _verify(app, make_user, login)
    signed = signing.signed_pdf(pki["key"], pki["cert"], pki["ca"])
    response = _submit(client, organisation_id, upload=(io.BytesIO(signed), "Viedoklis.pdf"))
    assert response.status_code == 303
    assert _stored(app) == [("valid", "Viedoklis.pdf",
                             [("Anna Bērziņa", "Testa sertifikācijas centrs", "valid", True)])]
    moderation = app.test_client()
    login(moderation, make_user(role="moderator"))
    queue = moderation.get("/en/moderation/?type=positions").get_data(as_text=True)
    assert "Signature valid" in queue and "Anna Bērziņa" in queue
    _publish(app, make_user, login)
    public = app.test_client()
    english = public.get(f"/en/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert "Signature valid" in english
    assert "Signed by Anna Bērziņa, certificate issued by Testa sertifikācijas centrs" in english
    latvian = public.get(f"/lv/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert "Paraksts derīgs" in latvian and "Parakstītājs: Anna Bērziņa" in latvian
    api = public.get(f"/api/v1/consultations/{DEMO}/positions").get_json()
    attachment = api["items"][0]["attachment"]
    assert attachment["signature_status"] == "valid"
    assert attachment["signatures"][0]["signer"] == "Anna Bērziņa"
    _collect_test_client_upload_files()


def test_without_trust_anchors_the_signature_is_present_but_not_verified(app, client, representative, make_user,
                                                                        login, pki):
    organisation_id = _verify(app, make_user, login)
    signed = signing.signed_pdf(pki["key"], pki["cert"], pki["ca"])
    assert _submit(client, organisation_id, upload=(io.BytesIO(signed), "Viedoklis.pdf")).status_code == 303
    assert _stored(app)[0][0] == "unverified"
    _collect_test_client_upload_files()


def test_a_signed_container_is_stored_and_downloads_as_a_container(app, client, representative, make_user, login,
                                                                  trusted, pki):
    organisation_id = _verify(app, make_user, login)
    files = {"Viedoklis.pdf": b"%PDF-1.4 the signed letter"}
    data = signing.asice(files, [signing.xades_signature(files, pki["key"], pki["cert"])])
    assert _submit(client, organisation_id, upload=(io.BytesIO(data), "Viedoklis.edoc")).status_code == 303
    assert _stored(app) == [("valid", "Viedoklis.edoc",
                             [("Anna Bērziņa", "Testa sertifikācijas centrs", "valid", True)])]
    position_id = _publish(app, make_user, login)
    download = app.test_client().get(f"/en/positions/{position_id}/attachment/")
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == "application/vnd.etsi.asic-e+zip"
    download.close()
    page = app.test_client().get(f"/en/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert "Download the signed document" in page
    _collect_test_client_upload_files()


def test_a_changed_container_is_kept_and_shown_as_broken(app, client, representative, make_user, login, trusted, pki):
    organisation_id = _verify(app, make_user, login)
    signature = signing.xades_signature({"Viedoklis.pdf": b"%PDF-1.4 as signed"}, pki["key"], pki["cert"])
    data = signing.asice({"Viedoklis.pdf": b"%PDF-1.4 changed later"}, [signature])
    assert _submit(client, organisation_id, upload=(io.BytesIO(data), "Viedoklis.asice")).status_code == 303
    assert _stored(app)[0][0] == "broken"
    _publish(app, make_user, login)
    latvian = app.test_client().get(f"/lv/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert "Paraksts bojāts" in latvian
    _collect_test_client_upload_files()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("vestule.pdf", b"%PDF-1.4")
    return out.getvalue()


@pytest.mark.parametrize("content, name, message", [
    (_plain_zip(), "Viedoklis.edoc", "not a signed container"),
    (signing.asice({"a.pdf": b"%PDF-1.4"}, []), "Viedoklis.asice", "holds no signature"),
    (b"PK\x03\x04 not really a zip", "Viedoklis.edoc", "not a signed container"),
])
def test_containers_that_cannot_be_checked_are_refused_and_nothing_is_stored(app, client, representative,
                                                                            make_user, login, content, name,
                                                                            message):
    organisation_id = _verify(app, make_user, login)
    response = _submit(client, organisation_id, upload=(io.BytesIO(content), name), title="Saglabātais virsraksts")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="attachment-error"' in html and message in html
    assert 'value="Saglabātais virsraksts"' in html
    assert _stored(app) == []
    from consult.extensions import db
    with app.app_context():
        assert db.session.query(PositionSignature).count() == 0
    _collect_test_client_upload_files()
