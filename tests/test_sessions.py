"""Signed-in sessions: cookie flags, an idle limit and an absolute limit."""
from __future__ import annotations

import pytest

from .test_accounts import sign_in, signed_in


@pytest.fixture
def clock(monkeypatch):
    """Moves the time the session checks see, in seconds."""
    import consult.auth
    now = {"t": 2_000_000_000}
    monkeypatch.setattr(consult.auth, "_now", lambda: now["t"])

    def advance(seconds: int) -> None:
        now["t"] += seconds
    return advance


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    make_user(email="cookie@example.test")
    response = sign_in(client, "cookie@example.test", "correct horse battery staple")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only in production, where the site is served over HTTPS


def test_an_idle_session_ends(app, client, make_user, clock):
    make_user(email="idle@example.test")
    sign_in(client, "idle@example.test", "correct horse battery staple")
    clock(app.config["SESSION_IDLE_MINUTES"] * 60 - 30)
    assert signed_in(client)  # a request within the limit keeps the session going
    clock(app.config["SESSION_IDLE_MINUTES"] * 60 - 30)
    assert signed_in(client)
    clock(app.config["SESSION_IDLE_MINUTES"] * 60 + 1)
    response = client.get("/en/account/activity/")
    assert response.status_code == 302 and "/en/account/login/" in response.headers["Location"]
    assert not signed_in(client)


def test_a_busy_session_still_ends_after_the_absolute_limit(app, client, make_user, clock):
    make_user(email="busy@example.test")
    sign_in(client, "busy@example.test", "correct horse battery staple")
    step = app.config["SESSION_IDLE_MINUTES"] * 60 // 2
    elapsed = 0
    while elapsed + step < app.config["SESSION_MAX_HOURS"] * 3600:
        clock(step)
        elapsed += step
        assert signed_in(client), elapsed
    clock(app.config["SESSION_MAX_HOURS"] * 3600 - elapsed + 1)
    assert not signed_in(client)
    # Signing in again starts a new session.
    sign_in(client, "busy@example.test", "correct horse battery staple")
    assert signed_in(client)


def test_settings_for_the_limits_come_from_the_environment(monkeypatch, tmp_path):
    from consult.config import load_config
    monkeypatch.setenv("CONSULT_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("CONSULT_SESSION_MAX_HOURS", "4")
    config = load_config(str(tmp_path))
    assert config["SESSION_IDLE_MINUTES"] == 15 and config["SESSION_MAX_HOURS"] == 4
