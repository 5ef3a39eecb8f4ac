"""Sign-in through a real OpenID Connect provider: oidc-provider (npm) in Node.js, see tests/oidc/."""
from __future__ import annotations

import base64
import html
import json
import re
import time
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from .conftest import csrf_token_from
from .oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    id_token_parts,
    new_signing_key,
    resign,
    running_provider,
    tamper_token_response,
)

REDIRECT_URI = "http://127.0.0.1:5000/oidc/callback"


@pytest.fixture(scope="session")
def provider_key():
    return new_signing_key()


@pytest.fixture(scope="session")
def oidc_provider(provider_key):
    with running_provider([REDIRECT_URI], provider_key) as issuer:
        yield issuer


@pytest.fixture(scope="session")
def token_endpoint(oidc_provider):
    return requests.get(f"{oidc_provider}/.well-known/openid-configuration", timeout=10).json()["token_endpoint"]


@pytest.fixture
def oidc_app(app, oidc_provider, monkeypatch):
    for key, value in {"OIDC_ISSUER": oidc_provider, "OIDC_CLIENT_ID": CLIENT_ID,
                       "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "Test ID",
                       "BASE_URL": "http://127.0.0.1:5000"}.items():
        monkeypatch.setitem(app.config, key, value)
    return app


def provider_sign_in(client, login="anna", lang="lv", browser=None):
    """Presses the button, signs in at the provider's form, returns the callback URL it redirects to."""
    page = client.get(f"/{lang}/account/login/").get_data(as_text=True)
    response = client.post(f"/{lang}/account/oidc/start/", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    url, _asked = at_provider(browser or requests.Session(), response.headers["Location"], login)
    return url


def at_provider(browser, url, login):
    """Follows the provider's pages from `url` (signing in as `login` if it asks), in `browser` (which keeps
    the provider's own session). Returns (the callback URL it redirects to, whether it asked to sign in)."""
    asked = False
    for _ in range(10):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and 'name="login"' in answer.text:
            asked = True
            action = urljoin(url, answer.text.split('action="', 1)[1].split('"', 1)[0])
            answer = browser.post(action, data={"prompt": "login", "login": login, "password": "any"},
                                  allow_redirects=False, timeout=10)
        elif answer.status_code == 200 and "document.forms[0].submit()" in answer.text:
            # Signing in as another person ends the provider's session first, by a form its script sends.
            action = urljoin(url, answer.text.split('action="', 1)[1].split('"', 1)[0])
            fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', answer.text))
            answer = browser.post(action, data=fields, allow_redirects=False, timeout=10)
        assert "Location" in answer.headers, answer.text
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(REDIRECT_URI):
            return url, asked
    raise AssertionError("the provider never redirected back")


def callback(client, url):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=True)


def users(app):
    from consult.extensions import db
    from consult.models import User
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_without_settings_the_sign_in_page_has_no_provider_button(client):
    assert "oidc/start" not in client.get("/lv/account/login/").get_data(as_text=True)


def test_first_sign_in_makes_a_linked_confirmed_account(oidc_app, client):
    page = client.get("/en/account/login/").get_data(as_text=True)
    assert "Sign in with Test ID" in page
    response = callback(client, provider_sign_in(client, "anna"))
    assert response.status_code == 200
    from consult.extensions import db
    from consult.models import LinkedIdentity, User
    with oidc_app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "anna.berzina@example.lv" and user.display_name == "Anna Bērziņa"
        assert user.is_confirmed and user.password_hash == ""
        identity = db.session.scalar(select(LinkedIdentity))
        assert identity.user_id == user.id and identity.subject == "anna"
    assert "Anna Bērziņa" in client.get("/lv/account/activity/").get_data(as_text=True)
    # The second time the same account is used.
    client.post("/lv/account/logout/", data={"csrf_token": csrf_token_from(
        client.get("/lv/account/activity/").get_data(as_text=True))})
    callback(client, provider_sign_in(client, "anna"))
    assert users(oidc_app) == 1


def test_unverified_address_stays_unconfirmed(oidc_app, client):
    callback(client, provider_sign_in(client, "janis"))
    from consult.extensions import db
    from consult.models import User
    with oidc_app.app_context():
        assert db.session.scalar(select(User)).email_confirmed_at is None


def test_wrong_state_is_refused(oidc_app, client):
    url = provider_sign_in(client)
    response = callback(client, url.replace("state=", "state=x"))
    assert "Nevarēja pārbaudīt pieteikšanos ar Test ID" in response.get_data(as_text=True)
    assert users(oidc_app) == 0


# --- Answers that must be refused ------------------------------------------------------------
# Each starts a real sign-in at the provider; the provider's own token-endpoint answer is then
# changed on its way to the site's client, so the site's real verification code judges it.

def identities_count(app):
    from consult.extensions import db
    from consult.models import LinkedIdentity
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LinkedIdentity))


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_nobody_signed_in(app, client, lang="en"):
    assert users(app) == 0 and identities_count(app) == 0
    response = client.get(f"/{lang}/account/activity/")
    assert response.status_code == 302 and "/account/login/" in response.headers["Location"]


def test_replayed_code_is_refused(oidc_app, client):
    """The same callback (code and state, with the browser's session as it was) used a second time."""
    url = provider_sign_in(client, "anna", lang="en")
    cookie_name = oidc_app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(cookie_name).value
    callback(client, url)
    assert users(oidc_app) == 1
    client.post("/en/account/logout/", data={"csrf_token": csrf_token_from(
        client.get("/en/account/activity/").get_data(as_text=True))})
    client.set_cookie(cookie_name, before)
    response = callback(client, url)
    assert response.status_code == 200
    assert "This sign-in through Test ID has already been used or has expired." in page_text(response)
    assert users(oidc_app) == 1 and identities_count(oidc_app) == 1
    assert client.get("/en/account/activity/").status_code == 302


def _alg_none(token: str, key) -> str:
    header, claims = id_token_parts(token)
    encode = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{encode({**header, 'alg': 'none'})}.{encode(claims)}."


OTHER_KEY = new_signing_key()                      # the same kid as the provider's, but not its key
UNKNOWN_KEY = new_signing_key("a-key-nobody-published")
NOW = int(time.time())

REFUSED = {
    "expired": (lambda token, key: resign(token, key, exp=NOW - 3600, iat=NOW - 4200),
                "Test ID sent a sign-in that has already expired."),
    "signed with another key": (lambda token, key: resign(token, OTHER_KEY),
                                "Test ID's answer is not signed with its keys"),
    "signed with an unknown key": (lambda token, key: resign(token, UNKNOWN_KEY, {"kid": UNKNOWN_KEY.kid}),
                                   "Test ID's answer is not signed with its keys"),
    "unsigned": (_alg_none, "Test ID's answer is not signed with its keys"),
    "signature of another token": (
        lambda token, key: resign(token, key, sub="ilze").rsplit(".", 1)[0] + "." + token.rsplit(".", 1)[1],
        "Test ID's answer is not signed with its keys"),
    "another audience": (lambda token, key: resign(token, key, aud="another-site"),
                         "Test ID's answer was meant for another site"),
    "another authorised party": (lambda token, key: resign(token, key, aud=[CLIENT_ID, "another-site"],
                                                           azp="another-site"),
                                 "Test ID's answer was meant for another site"),
    # Authlib alone accepts this one: the audience is another site, the authorised party this one.
    "another audience naming this site as azp": (lambda token, key: resign(token, key, aud="another-site",
                                                                           azp=CLIENT_ID),
                                                 "Test ID's answer was meant for another site"),
    "two audiences without azp": (lambda token, key: resign(token, key, aud=[CLIENT_ID, "another-site"]),
                                  "Test ID's answer was meant for another site"),
    "no audience": (lambda token, key: resign(token, key, aud=None), "Test ID's answer was meant for another site"),
    "another issuer": (lambda token, key: resign(token, key, iss="https://id.example.invalid"),
                       "Test ID's answer could not be verified"),
    "nonce of another sign-in": (lambda token, key: resign(token, key, nonce="another-sign-in"),
                                 "Test ID's answer could not be verified"),
    "not a token": (lambda token, key: "not.a.token", "Test ID's answer could not be verified"),
    "a number": (lambda token, key: 42, "Test ID's answer could not be verified"),
    "missing": (lambda token, key: None, "Test ID's answer could not be verified"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_bad_id_token_is_refused_and_no_account_made(oidc_app, client, monkeypatch, token_endpoint, provider_key,
                                                     case):
    change, message = REFUSED[case]

    def tamper(body):
        token = change(body["id_token"], provider_key)
        if token is None:
            del body["id_token"]
        else:
            body["id_token"] = token
        return body

    url = provider_sign_in(client, "anna", lang="en")
    seen = tamper_token_response(monkeypatch, token_endpoint, tamper)
    response = callback(client, url)
    assert len(seen) == 1  # the provider did answer, with a good token, before it was changed
    assert response.status_code == 200
    assert message in page_text(response)
    assert_nobody_signed_in(oidc_app, client)


def test_untouched_answer_through_the_same_interception_signs_in(oidc_app, client, monkeypatch, token_endpoint,
                                                               provider_key):
    """The tests above fail only for what they change: the provider's token, signed again with the
    provider's key and nothing changed, is accepted."""
    url = provider_sign_in(client, "anna", lang="en")
    seen = tamper_token_response(monkeypatch, token_endpoint,
                                 lambda body: {**body, "id_token": resign(body["id_token"], provider_key)})
    callback(client, url)
    assert len(seen) == 1 and users(oidc_app) == 1


def test_refusal_is_in_latvian_on_latvian_pages(oidc_app, client, monkeypatch, token_endpoint, provider_key):
    url = provider_sign_in(client, "anna", lang="lv")
    tamper_token_response(monkeypatch, token_endpoint,
                          lambda body: {**body, "id_token": resign(body["id_token"], provider_key, aud="cits")})
    response = callback(client, url)
    assert "Test ID atbilde bija domāta citai vietnei, tāpēc tā tika noraidīta." in page_text(response)
    assert users(oidc_app) == 0


# --- An account without a password confirms at the provider instead --------------------------

def signed_in_through_provider(client, login="anna", lang="en"):
    """A new account made by signing in through the provider; returns the provider-side browser."""
    browser = requests.Session()
    callback(client, provider_sign_in(client, login, lang=lang, browser=browser))
    return browser


def the_user(app):
    from consult.extensions import db
    from consult.models import User
    with app.app_context():
        user = db.session.scalar(select(User))
        db.session.expunge(user)
        return user


def confirm_at_provider(client, browser, page, data, login="anna"):
    """Sends the form on `page`; the site sends the browser to the provider, which must ask for the
    password again although its own session is still open. Returns the page after the callback."""
    form = client.get(page).get_data(as_text=True)
    response = client.post(page, data={**data, "csrf_token": csrf_token_from(form)})
    assert response.status_code == 302
    query = response.headers["Location"]
    assert "prompt=login" in query and "max_age=0" in query
    url, asked = at_provider(browser, query, login)
    assert asked
    return callback(client, url)


def test_account_without_password_is_deleted_after_signing_in_at_the_provider_again(oidc_app, client):
    browser = signed_in_through_provider(client)
    page = page_text(client.get("/en/account/delete/"))
    assert 'name="password"' not in page and "you will sign in at Test ID again" in page
    # Without the box ticked nothing happens and the provider is not asked.
    response = client.post("/en/account/delete/", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 200
    assert "Tick the box to confirm that you want to delete your account." in page_text(response)

    response = confirm_at_provider(client, browser, "/en/account/delete/", {"confirm": "y"})
    assert "Your account has been deleted." in page_text(response)
    user = the_user(oidc_app)
    assert user.deleted_at is not None and user.email is None and user.display_name == ""
    assert identities_count(oidc_app) == 0
    assert client.get("/en/account/activity/").status_code == 302


def test_confirming_as_another_person_changes_nothing(oidc_app, client):
    browser = signed_in_through_provider(client, "anna")
    response = confirm_at_provider(client, browser, "/en/account/delete/", {"confirm": "y"}, login="janis")
    assert response.request.path == "/en/account/delete/"
    assert "You signed in at Test ID as somebody other than the person connected to this account." \
        in page_text(response)
    user = the_user(oidc_app)
    assert user.deleted_at is None and user.email == "anna.berzina@example.lv"
    assert client.get("/en/account/activity/").status_code == 200  # still signed in


@pytest.mark.parametrize("auth_time", [NOW - 3600, None])
def test_confirming_without_a_fresh_sign_in_changes_nothing(oidc_app, client, monkeypatch, token_endpoint,
                                                           provider_key, auth_time):
    """A provider that does not honour prompt=login/max_age=0 (here: its answer says the sign-in is an hour
    old, or does not say when it was) confirms nothing."""
    browser = signed_in_through_provider(client, "anna")
    tamper_token_response(monkeypatch, token_endpoint,
                          lambda body: {**body, "id_token": resign(body["id_token"], provider_key,
                                                                   auth_time=auth_time)})
    response = confirm_at_provider(client, browser, "/en/account/delete/", {"confirm": "y"})
    assert "Test ID did not ask you to sign in again" in page_text(response)
    assert the_user(oidc_app).deleted_at is None


def test_a_refused_confirmation_answer_changes_nothing(oidc_app, client, monkeypatch, token_endpoint):
    browser = signed_in_through_provider(client, "anna")
    tamper_token_response(monkeypatch, token_endpoint,
                          lambda body: {**body, "id_token": resign(body["id_token"], OTHER_KEY)})
    response = confirm_at_provider(client, browser, "/en/account/delete/", {"confirm": "y"})
    assert response.request.path == "/en/account/delete/"
    assert "Test ID's answer is not signed with its keys" in page_text(response)
    assert the_user(oidc_app).deleted_at is None


def test_account_without_password_changes_its_address_after_signing_in_at_the_provider_again(oidc_app, client):
    from .conftest import outbox_messages
    browser = signed_in_through_provider(client, "anna")
    page = page_text(client.get("/en/account/email/"))
    assert 'name="current_password"' not in page and "you will sign in at Test ID again" in page
    # A bad or unchanged address gets its message beside the field before anybody goes to the provider.
    for typed, message in [("not an address", "Enter an e-mail address in the right format"),
                           ("anna.berzina@example.lv", "This is already your e-mail address.")]:
        response = client.post("/en/account/email/", data={"email": typed, "csrf_token": csrf_token_from(page)})
        assert response.status_code == 200
        assert message in page_text(response) and f'value="{typed}"' in page_text(response)

    response = confirm_at_provider(client, browser, "/en/account/email/", {"email": "anna@example.org"})
    assert "We have sent a confirmation link to anna@example.org." in page_text(response)
    sent = outbox_messages(oidc_app)
    assert [message["To"] for message in sent] == ["anna@example.org"]
    assert "/en/account/email/confirm/" in sent[0].get_content()
    assert the_user(oidc_app).email == "anna.berzina@example.lv"  # until the link is opened


def test_without_the_provider_the_pages_say_how_to_set_a_password(oidc_app, client, monkeypatch):
    signed_in_through_provider(client, "anna", lang="lv")
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", None)
    for path in ("/lv/account/delete/", "/lv/account/email/"):
        page = page_text(client.get(path))
        assert "Jūsu kontam nav paroles" in page and 'href="/lv/account/reset/"' in page
        assert f'<form method="post" action="{path}"' not in page
        # A form sent anyway changes nothing.
        response = client.post(path, data={"confirm": "y", "email": "anna@example.org",
                                           "csrf_token": csrf_token_from(page)})
        assert response.status_code == 200
    user = the_user(oidc_app)
    assert user.deleted_at is None and user.email == "anna.berzina@example.lv"
    assert outbox_messages_count(oidc_app) == 0


def outbox_messages_count(app):
    from .conftest import outbox_messages
    return len(outbox_messages(app))


def test_account_with_a_password_still_needs_it(oidc_app, client, make_user, login):
    user_id = make_user(email="liga@example.test")
    login(client, user_id)
    for path in ("/en/account/delete/", "/en/account/email/"):
        page = page_text(client.get(path))
        assert "password" in page and "you will sign in at Test ID again" not in page
    response = client.post("/en/account/delete/", data={"confirm": "y", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 200 and "Enter your password." in page_text(response)


def test_account_pages_let_their_forms_lead_to_the_provider_and_no_other_page_does(oidc_app, client, oidc_provider):
    """Browsers apply the Content-Security-Policy's form-action to the redirect that follows a form, so
    without the provider's origin there the sign-in button would lead nowhere (the journey in Chromium
    shows it); the rest of the site keeps form-action 'self'."""
    policy = client.get("/en/account/login/").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider};" in policy
    assert "form-action 'self';" in client.get("/en/").headers["Content-Security-Policy"]


def test_a_provider_signing_in_on_another_host_is_allowed_from_the_first_page(oidc_app, client, oidc_provider,
                                                                             monkeypatch):
    """The discovery document is read before the first sign-in page goes out, so its form may lead to
    an authorization endpoint on another host at once, not only after a first failed click."""
    from authlib.integrations.flask_client import OAuth
    state = oidc_app.extensions["consult.oidc"]     # no discovery document read yet: as after a restart
    monkeypatch.setitem(state, "clients", {})
    monkeypatch.setitem(state, "oauth", OAuth(oidc_app))
    discovery = f"{oidc_provider}/.well-known/openid-configuration"
    original_send = requests.Session.send

    def send(self, request, **kwargs):
        response = original_send(self, request, **kwargs)
        if request.url == discovery and response.ok:
            body = response.json()
            body["authorization_endpoint"] = "https://login.example.test/authorize"
            response._content = json.dumps(body).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    policy = client.get("/en/account/login/").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider} https://login.example.test;" in policy
    token = csrf_token_from(client.get("/en/account/login/").get_data(as_text=True))
    response = client.post("/en/account/oidc/start/", data={"csrf_token": token})
    assert response.headers["Location"].startswith("https://login.example.test/authorize?")


def test_an_unreachable_provider_is_asked_again_only_after_a_while(oidc_app, client, monkeypatch):
    from consult.account import oidc
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", "http://127.0.0.1:9")   # nothing listens there
    monkeypatch.setitem(oidc_app.extensions["consult.oidc"], "discovery_failed", {})
    asked = []
    original_send = requests.Session.send

    def send(self, request, **kwargs):
        asked.append(request.url)
        return original_send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", send)
    for _ in range(2):
        response = client.get("/en/account/login/")
        assert response.status_code == 200
        assert "form-action 'self' http://127.0.0.1:9;" in response.headers["Content-Security-Policy"]
    assert asked == ["http://127.0.0.1:9/.well-known/openid-configuration"]
    monkeypatch.setattr(oidc, "DISCOVERY_RETRY", -1)
    client.get("/en/account/login/")
    assert len(asked) == 2


def test_without_settings_the_policy_is_unchanged(client):
    assert "form-action 'self';" in client.get("/en/account/login/").headers["Content-Security-Policy"]


# --- Setting a first password, and two-step verification, without a password -----------------

NEW_PASSWORD = "kalni upes ezeri"


def confirm_at_provider_from(client, browser, page, action, data, login="anna"):
    """confirm_at_provider() for a form at `action` shown on `page` (a POST-only address)."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    response = client.post(action, data={**data, "csrf_token": token, "recovery-csrf_token": token})
    assert response.status_code == 302
    query = response.headers["Location"]
    assert "prompt=login" in query and "max_age=0" in query
    url, asked = at_provider(browser, query, login)
    assert asked
    return callback(client, url)


def set_password_form(client, data):
    page = client.get("/en/account/password/").get_data(as_text=True)
    return client.post("/en/account/password/", data={**data, "csrf_token": csrf_token_from(page)})


def can_sign_in_with(app, email, password) -> bool:
    fresh = app.test_client()
    page = fresh.get("/en/account/login/").get_data(as_text=True)
    fresh.post("/en/account/login/", data={"email": email, "password": password, "csrf_token": csrf_token_from(page)})
    return fresh.get("/en/account/activity/").status_code == 200


def test_account_without_password_sets_one_after_signing_in_at_the_provider_again(oidc_app, client):
    from .conftest import outbox_messages
    browser = signed_in_through_provider(client, "anna")
    other_session = oidc_app.test_client()
    signed_in_through_provider(other_session, "anna")
    page = page_text(client.get("/en/account/password/"))
    assert 'name="current_password"' not in page and 'name="password"' not in page
    assert "you will sign in at Test ID again" in page
    # Before the confirmation a password sent anyway is not set: the form only leads to the provider.
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith(oidc_app.config["OIDC_ISSUER"])
    assert the_user(oidc_app).password_hash == ""

    response = confirm_at_provider(client, browser, "/en/account/password/", {})
    page = page_text(response)
    assert response.request.path == "/en/account/password/"
    assert "Test ID has confirmed that it is you. Now choose a password." in page
    assert 'name="password"' in page and 'name="current_password"' not in page
    # Bad input: the message beside the field, nothing set.
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": "citi vārdi"})
    assert response.status_code == 200 and "The two passwords are not the same." in page_text(response)
    response = set_password_form(client, {"password": "īsa", "password_again": "īsa"})
    assert "Use at least 8 characters" in page_text(response)
    assert the_user(oidc_app).password_hash == ""

    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/en/account/activity/")
    assert "Your account now has a password." in page_text(client.get("/en/account/activity/"))
    assert the_user(oidc_app).password_hash != ""
    assert can_sign_in_with(oidc_app, "anna.berzina@example.lv", NEW_PASSWORD)
    assert other_session.get("/en/account/activity/").status_code == 302  # signed out everywhere else
    assert outbox_messages(oidc_app)[-1]["Subject"] == "Your password has been changed"
    # From now on the page asks for the password just set.
    assert 'name="current_password"' in page_text(client.get("/en/account/password/"))


def test_setting_a_password_as_another_person_at_the_provider_changes_nothing(oidc_app, client):
    browser = signed_in_through_provider(client, "anna")
    response = confirm_at_provider(client, browser, "/en/account/password/", {}, login="janis")
    assert response.request.path == "/en/account/password/"
    page = page_text(response)
    assert "You signed in at Test ID as somebody other than the person connected to this account." in page
    assert 'name="password"' not in page
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302  # to the provider again, not set
    assert the_user(oidc_app).password_hash == ""


def test_setting_a_password_without_a_fresh_sign_in_changes_nothing(oidc_app, client, monkeypatch, token_endpoint,
                                                                   provider_key):
    browser = signed_in_through_provider(client, "anna")
    tamper_token_response(monkeypatch, token_endpoint,
                          lambda body: {**body, "id_token": resign(body["id_token"], provider_key,
                                                                   auth_time=NOW - 3600)})
    response = confirm_at_provider(client, browser, "/en/account/password/", {})
    assert "Test ID did not ask you to sign in again" in page_text(response)
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert the_user(oidc_app).password_hash == ""


def test_a_confirmation_to_set_a_password_expires(oidc_app, client):
    from consult.account.passwords import PASSWORD_CONFIRMED, PASSWORD_CONFIRMED_SECONDS
    browser = signed_in_through_provider(client, "anna")
    confirm_at_provider(client, browser, "/en/account/password/", {})
    with client.session_transaction() as session:
        session[PASSWORD_CONFIRMED] = {**session[PASSWORD_CONFIRMED],
                                       "at": int(time.time()) - PASSWORD_CONFIRMED_SECONDS - 1}
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert the_user(oidc_app).password_hash == ""


def test_without_the_provider_the_password_page_offers_the_link_by_e_mail(oidc_app, client, monkeypatch):
    signed_in_through_provider(client, "anna", lang="lv")
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", None)
    page = page_text(client.get("/lv/account/password/"))
    assert "Jūsu kontam vēl nav paroles" in page and 'href="/lv/account/reset/"' in page
    assert '<form method="post" action="/lv/account/password/"' not in page
    response = client.post("/lv/account/password/", data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
                                                          "csrf_token": csrf_token_from(page)})
    assert response.status_code == 200
    assert the_user(oidc_app).password_hash == ""


def test_account_with_a_password_still_needs_it_to_change_it(oidc_app, client, make_user, login):
    from consult.account.passwords import PASSWORD_CONFIRMED
    user_id = make_user(email="liga@example.test")
    login(client, user_id)
    before = the_user(oidc_app).password_hash
    with client.session_transaction() as session:  # even with a confirmation in the session
        session[PASSWORD_CONFIRMED] = {"u": user_id, "t": the_user(oidc_app).session_token, "at": int(time.time())}
    page = page_text(client.get("/en/account/password/"))
    assert 'name="current_password"' in page and "you will sign in at Test ID again" not in page
    response = set_password_form(client, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 200 and "Enter your current password." in page_text(response)
    assert the_user(oidc_app).password_hash == before


SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(offset=0) -> str:
    import pyotp
    return pyotp.TOTP(SECRET).at(time.time() + 30 * offset)


def passwordless_staff_with_two_step(app, client, login="anna"):
    """A staff account made through the provider, with two-step verification on."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import User
    browser = signed_in_through_provider(client, login)
    with app.app_context():
        user = db.session.scalar(select(User))
        user.role, user.totp_secret, user.totp_enabled_at = "editor", SECRET, utcnow()
        db.session.commit()
    return browser


def recovery_code_hashes(app):
    from consult.extensions import db
    from consult.models import RecoveryCode
    with app.app_context():
        return set(db.session.scalars(select(RecoveryCode.code_hash)))


def test_passwordless_staff_turn_two_step_off_after_a_code_and_signing_in_at_the_provider(oidc_app, client):
    browser = passwordless_staff_with_two_step(oidc_app, client)
    page = page_text(client.get("/en/account/two-step/"))
    assert 'name="password"' not in page and 'name="recovery-password"' not in page
    assert "you will sign in at Test ID again" in page
    # A wrong or missing code: its message beside the field, and nobody is sent to the provider.
    for typed, message in [(totp(offset=5), "This code is not right."), ("", "Enter the code")]:
        response = client.post("/en/account/two-step/disable/",
                               data={"code": typed, "csrf_token": csrf_token_from(page)})
        assert response.status_code == 200 and message in page_text(response)
    assert the_user(oidc_app).has_two_step

    response = confirm_at_provider_from(client, browser, "/en/account/two-step/", "/en/account/two-step/disable/",
                                        {"code": totp()})
    assert response.request.path == "/en/account/two-step/"
    assert "Two-step verification is off." in page_text(response)
    user = the_user(oidc_app)
    assert not user.has_two_step and user.totp_secret is None
    assert client.get("/en/account/activity/").status_code == 200


@pytest.mark.parametrize("login, auth_time, message", [
    ("janis", "as given", "You signed in at Test ID as somebody other than the person connected to this account."),
    ("anna", NOW - 3600, "Test ID did not ask you to sign in again")])
def test_two_step_stays_on_for_another_person_or_a_stale_sign_in(oidc_app, client, monkeypatch, token_endpoint,
                                                                 provider_key, login, auth_time, message):
    browser = passwordless_staff_with_two_step(oidc_app, client)
    if auth_time != "as given":
        tamper_token_response(monkeypatch, token_endpoint,
                              lambda body: {**body, "id_token": resign(body["id_token"], provider_key,
                                                                       auth_time=auth_time)})
    response = confirm_at_provider_from(client, browser, "/en/account/two-step/", "/en/account/two-step/disable/",
                                        {"code": totp()}, login=login)
    assert response.request.path == "/en/account/two-step/" and message in page_text(response)
    assert the_user(oidc_app).has_two_step
    response = confirm_at_provider_from(client, browser, "/en/account/two-step/",
                                        "/en/account/two-step/recovery-codes/", {}, login=login)
    assert message in page_text(response)
    assert recovery_code_hashes(oidc_app) == set()


def test_passwordless_staff_get_new_recovery_codes_after_signing_in_at_the_provider(oidc_app, client):
    browser = passwordless_staff_with_two_step(oidc_app, client)
    response = confirm_at_provider_from(client, browser, "/en/account/two-step/",
                                        "/en/account/two-step/recovery-codes/", {})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "You have new recovery codes." in page_text(response)
    first = recovery_code_hashes(oidc_app)
    assert first
    response = confirm_at_provider_from(client, browser, "/en/account/two-step/",
                                        "/en/account/two-step/recovery-codes/", {})
    second = recovery_code_hashes(oidc_app)
    assert second and not first & second
    assert the_user(oidc_app).has_two_step


def test_without_the_provider_two_step_pages_offer_the_link_by_e_mail(oidc_app, client, monkeypatch):
    passwordless_staff_with_two_step(oidc_app, client)
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", None)
    page = page_text(client.get("/lv/account/two-step/"))
    assert "Jūsu kontam nav paroles" in page and 'href="/lv/account/reset/"' in page
    assert "/lv/account/two-step/disable/" not in page
    token = csrf_token_from(client.get("/lv/account/activity/").get_data(as_text=True))
    client.post("/lv/account/two-step/disable/", data={"code": totp(), "csrf_token": token})
    client.post("/lv/account/two-step/recovery-codes/", data={"recovery-csrf_token": token})
    assert the_user(oidc_app).has_two_step and recovery_code_hashes(oidc_app) == set()


def test_staff_with_a_password_still_need_it_for_two_step(oidc_app, client, make_user, login):
    from consult.clock import utcnow
    user_id = make_user(email="ed@example.test", role="editor", totp_secret=SECRET, totp_enabled_at=utcnow())
    login(client, user_id)
    page = page_text(client.get("/en/account/two-step/"))
    assert 'name="password"' in page and "you will sign in at Test ID again" not in page
    response = client.post("/en/account/two-step/disable/", data={"code": totp(), "csrf_token": csrf_token_from(page)})
    assert response.status_code == 200 and "Enter your password." in page_text(response)
    response = client.post("/en/account/two-step/recovery-codes/", data={"recovery-csrf_token": csrf_token_from(page)})
    assert response.status_code == 200 and "Enter your password." in page_text(response)
    assert the_user(oidc_app).has_two_step and recovery_code_hashes(oidc_app) == set()
