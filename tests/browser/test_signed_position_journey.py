"""A position signed with an electronic signature: uploaded as an .edoc, checked, and shown with its signer."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .. import signing
from ..pages import DEMO
from .test_participation_journey import sign_in


@pytest.fixture
def verified_representative(app, make_user):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Organisation, User
    user_id = make_user(email="rep@example.test", display_name="Ieva Bērziņa", role="organisation")
    with app.app_context():
        db.session.add(Organisation(name="Biedrība “Kopā”", kind="ngo", verified_at=utcnow(),
                                    representatives=[db.session.get(User, user_id)]))
        db.session.commit()


def test_a_signed_container_shows_its_verified_signer_in_both_languages(browser, live_server, app, demo, make_user,
                                                                       verified_representative, check_accessibility,
                                                                       tmp_path):
    ca_key, ca_cert = signing.make_ca("Testa sertifikācijas centrs")
    key, cert = signing.make_signer(ca_key, ca_cert, "Ieva Bērziņa")
    anchors = tmp_path / "anchors"
    anchors.mkdir()
    (anchors / "ca.pem").write_bytes(signing.pem(ca_cert))
    app.config["SIGNATURE_TRUST_DIR"] = str(anchors)
    files = {"Viedoklis.pdf": b"%PDF-1.4 the association's signed letter"}
    container = tmp_path / "Kopā viedoklis.edoc"
    container.write_bytes(signing.asice(files, [signing.xades_signature(files, key, cert)]))
    try:
        rep = browser.new_context().new_page()
        sign_in(rep, live_server, "lv", "rep@example.test")
        rep.goto(f"{live_server}/lv/consultations/{DEMO}/positions/new/")
        rep.fill("#title", "Parakstīts biedrības viedoklis")
        rep.fill("#body", "Atbalstām individuālā budžeta modeli.")
        rep.set_input_files("#attachment", str(container))
        rep.check("#publish_name")
        rep.locator("main form button[type=submit]").click()
        expect(rep).to_have_url(re.compile(f"/lv/consultations/{DEMO}/positions/$"))

        moderator = browser.new_context().new_page()
        make_user(role="moderator", email="mod@example.test")
        sign_in(moderator, live_server, "en", "mod@example.test")
        moderator.goto(f"{live_server}/en/moderation/?type=positions")
        expect(moderator.locator(".tag-signature-valid")).to_have_text("Signature valid")
        check_accessibility(moderator)
        moderator.locator(".mod-item form button.button").first.click()

        visitor = browser.new_context().new_page()
        for lang, status, signer in [("lv", "Paraksts derīgs", "Parakstītājs: Ieva Bērziņa"),
                                     ("en", "Signature valid", "Signed by Ieva Bērziņa")]:
            visitor.goto(f"{live_server}/{lang}/consultations/{DEMO}/positions/")
            position = visitor.locator("article.position", has_text="Parakstīts biedrības viedoklis")
            expect(position.locator(".tag-signature-valid")).to_have_text(status)
            expect(position.locator(".signature-list")).to_contain_text(signer)
            expect(position.locator(".signature-list")).to_contain_text("Testa sertifikācijas centrs")
            check_accessibility(visitor)
    finally:
        app.config["SIGNATURE_TRUST_DIR"] = None
        for context in browser.contexts:
            context.close()
