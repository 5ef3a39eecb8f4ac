"""Security at the edges: settings that refuse to be unsafe, headers on every response, no raw HTML."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    from consult.config import load_config
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.delenv("CONSULT_SECRET_KEY", raising=False)
    monkeypatch.setenv("CONSULT_BASE_URL", "https://konsultacijas.example.lv")
    with pytest.raises(RuntimeError, match="CONSULT_SECRET_KEY"):
        load_config(str(tmp_path))
    monkeypatch.setenv("CONSULT_SECRET_KEY", "s" * 40)
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_sends_hsts(monkeypatch, tmp_path, app):
    from consult import create_app
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("CONSULT_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("CONSULT_BASE_URL", "https://konsultacijas.example.lv")
    monkeypatch.setenv("CONSULT_INSTANCE_DIR", str(tmp_path))
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    response = production.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert not production.debug


@pytest.mark.parametrize("path", ["/lv/", "/en/consultations/", "/lv/no-such-page/", "/healthz", "/lv/account/login/"])
def test_csp_and_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # development serves plain HTTP


@pytest.mark.parametrize("path", ["/lv/account/activity/", "/lv/moderation/", "/lv/account/export/"])
def test_staff_and_account_pages_are_never_cached(app, demo, make_user, login, path):
    client = login(app.test_client(), make_user(role="admin"))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_no_template_or_module_marks_text_safe_outside_the_sanitizer():
    """`|safe` and Markup() only where bleach produced the HTML (services/sanitize.py), or an autoescaped
    template did (fragments.py, which refuses any other template)."""
    offenders = []
    for path in (ROOT / "consult").rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or path.name in ("sanitize.py", "fragments.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|Markup\(|autoescape\s+false", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_inline_script_or_style_in_templates():
    offenders = []
    for path in (ROOT / "consult" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)|\son[a-z]+=\"|\sstyle=\"|<style", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_state_changes_refuse_get(client):
    for path in ("/lv/account/logout/", "/lv/moderation/comments/1/approve/"):
        assert client.get(path).status_code == 405


@pytest.mark.parametrize("path", ["/lv/consultations/a%00b/", "/en/news/x%00/", "/lv/search?q=a%00b",
                                  "/lv/consultations/?status=open%00", "/api/v1/consultations/a%00b"])
def test_nul_in_an_address_never_reaches_the_database(client, demo, path):
    assert client.get(path).status_code in (200, 400, 404)


def test_nul_in_a_sign_in_address_gets_the_usual_message(client):
    from .conftest import form_post
    response = form_post(client, "/en/account/login/", {"email": "abc\x00def@example.test", "password": "x"})
    assert response.status_code == 200
