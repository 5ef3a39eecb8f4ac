"""Sign-in through a real OpenID Connect provider: oidc-provider (npm) in Node.js, see tests/oidc/."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from .conftest import csrf_token_from

PROVIDER_DIR = Path(__file__).parent / "oidc"
REDIRECT_URI = "http://127.0.0.1:5000/oidc/callback"


@pytest.fixture(scope="session")
def oidc_provider():
    """Starts the test provider on a free port (installing it first if needed) and stops it afterwards."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(PROVIDER_DIR)],
                       check=True)
    env = {**os.environ, "OIDC_CLIENT_ID": "consult", "OIDC_CLIENT_SECRET": "consult-test-secret",
           "OIDC_REDIRECT_URIS": REDIRECT_URI}
    process = subprocess.Popen(["node", str(PROVIDER_DIR / "server.js")], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        issuer = json.loads(process.stdout.readline())["issuer"]
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def oidc_app(app, oidc_provider, monkeypatch):
    for key, value in {"OIDC_ISSUER": oidc_provider, "OIDC_CLIENT_ID": "consult",
                       "OIDC_CLIENT_SECRET": "consult-test-secret", "OIDC_PROVIDER_NAME": "Test ID",
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
