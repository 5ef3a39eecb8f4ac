"""Sign-in through a real OpenID Connect provider: oidc-provider (npm) in Node.js, see tests/oidc/."""
from __future__ import annotations

import base64
import html
import json
import time
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from .conftest import csrf_token_from
from .oidc_provider import (CLIENT_ID, CLIENT_SECRET, id_token_parts, new_signing_key, resign,
                            running_provider, tamper_token_response)

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


def provider_sign_in(client, login="anna", lang="lv"):
    """Presses the button, signs in at the provider's form, returns the callback URL it redirects to."""
    page = client.get(f"/{lang}/account/login/").get_data(as_text=True)
    response = client.post(f"/{lang}/account/oidc/start/", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    browser = requests.Session()
    url = response.headers["Location"]
    for _ in range(10):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and 'name="login"' in answer.text:
            action = urljoin(url, answer.text.split('action="', 1)[1].split('"', 1)[0])
            answer = browser.post(action, data={"prompt": "login", "login": login, "password": "any"},
                                  allow_redirects=False, timeout=10)
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(REDIRECT_URI):
            return url
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
    assert "Pierakstīšanos caur Test ID nevarēja pārbaudīt" in response.get_data(as_text=True)
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
