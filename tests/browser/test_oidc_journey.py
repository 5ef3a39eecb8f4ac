"""Signing in through a real OpenID Connect provider (oidc-provider in Node.js, tests/oidc/) in Chromium:
the provider's button, its sign-in page, back on the site with a linked account; connecting and
disconnecting the provider from the account page; deleting an account that has no password."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ..conftest import PASSWORD
from ..oidc_provider import CLIENT_ID, CLIENT_SECRET, new_signing_key, running_provider


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider([f"{live_server}/oidc/callback"], new_signing_key(), ask_consent=True) as issuer:
        yield issuer


@pytest.fixture
def oidc_site(app, live_server, provider, monkeypatch):
    for key, value in {"OIDC_ISSUER": provider, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                       "OIDC_PROVIDER_NAME": "Test ID", "BASE_URL": live_server}.items():
        monkeypatch.setitem(app.config, key, value)
    return live_server


def sign_in_at_provider(page, provider, login, consent):
    """The provider's own pages: its sign-in form, then (the first time) its consent page."""
    expect(page).to_have_url(re.compile("^" + re.escape(provider) + "/interaction/"))
    sign_in_url = page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: url != sign_in_url)
    if consent:
        expect(page).to_have_url(re.compile("^" + re.escape(provider) + "/interaction/"))
        expect(page.locator("input[name=prompt][value=consent]")).to_have_count(1)
        page.get_by_role("button", name="Continue").click()


def linked_identities(app):
    from consult.extensions import db
    from consult.models import LinkedIdentity
    with app.app_context():
        return [(identity.user_id, identity.subject) for identity in db.session.scalars(select(LinkedIdentity))]


def test_the_button_shows_in_both_languages(page, oidc_site, check_accessibility):
    for lang, label in (("lv", "Pieteikties ar Test ID"), ("en", "Sign in with Test ID")):
        page.goto(f"{oidc_site}/{lang}/account/login/")
        expect(page.get_by_role("button", name=label)).to_be_visible()
        check_accessibility(page)


def test_first_sign_in_through_the_provider_and_deleting_the_account(page, app, oidc_site, provider,
                                                                     check_accessibility):
    base = f"{oidc_site}/lv/account"
    page.goto(f"{base}/login/")
    page.get_by_role("button", name="Pieteikties ar Test ID").click()
    sign_in_at_provider(page, provider, "anna", consent=True)

    # Back on the site, signed in to a new account linked to the provider's person.
    expect(page).to_have_url(f"{base}/activity/")
    expect(page.locator(".flash-success")).to_have_text("Pieteikšanās izdevās.")
    expect(page.locator("main")).to_contain_text("Anna Bērziņa")
    expect(page.locator("main")).to_contain_text("anna.berzina@example.lv")
    expect(page.get_by_role("button", name="Atvienot Test ID")).to_be_visible()
    check_accessibility(page)
    [(user_id, subject)] = linked_identities(app)
    assert subject == "anna"

    # It has no password, so the provider cannot be disconnected yet.
    page.get_by_role("button", name="Atvienot Test ID").click()
    expect(page.locator(".flash-error")).to_contain_text("Jūsu kontam vēl nav paroles")
    assert linked_identities(app) == [(user_id, "anna")]

    # Deleting it: the provider is asked to confirm, with a fresh sign-in, instead of a password.
    page.goto(f"{base}/delete/")
    expect(page.locator("input[type=password]")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("checkbox").check()
    page.locator("main form button[type=submit]").click()
    sign_in_at_provider(page, provider, "anna", consent=False)  # asked to sign in again, consent is kept
    expect(page).to_have_url(f"{oidc_site}/lv/")
    expect(page.locator(".flash-success")).to_contain_text("Jūsu konts ir dzēsts")
    assert linked_identities(app) == []
    from consult.extensions import db
    from consult.models import User
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.deleted_at is not None and user.email is None


def test_an_account_with_a_password_connects_and_disconnects_the_provider(page, app, oidc_site, provider,
                                                                         make_user, check_accessibility):
    user_id = make_user(email="liga@example.test", display_name="Līga Ozoliņa", language="en")
    base = f"{oidc_site}/en/account"
    page.goto(f"{base}/login/")
    page.fill("#email", "liga@example.test")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{base}/activity/")

    page.get_by_role("button", name="Connect Test ID").click()
    sign_in_at_provider(page, provider, "janis", consent=True)
    expect(page).to_have_url(f"{base}/activity/")
    expect(page.locator(".flash-success")).to_have_text("Your account is now connected to Test ID.")
    expect(page.locator("main")).to_contain_text("Your account is connected to Test ID")
    check_accessibility(page)
    assert linked_identities(app) == [(user_id, "janis")]

    page.get_by_role("button", name="Disconnect Test ID").click()
    expect(page.locator(".flash-success")).to_have_text("Your account is no longer connected to Test ID.")
    expect(page.get_by_role("button", name="Connect Test ID")).to_be_visible()
    check_accessibility(page)
    assert linked_identities(app) == []

