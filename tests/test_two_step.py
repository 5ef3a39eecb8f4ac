"""Two-step verification (TOTP) for staff: setting up, signing in with a code, turning off, and the
administrator's setting that requires it."""
from __future__ import annotations

import re
import time

import pyotp
import pytest

from consult.models import ModerationEvent, Role, Setting

from .conftest import PASSWORD, csrf_token_from, form_post, outbox_messages
from .test_access import staff_routes
from .test_accounts import _hostile_inputs, get_user, sign_in, signed_in, update_user, url

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code(secret=SECRET, offset=0) -> str:
    """The code an authentication app shows now (offset: that many 30-second steps later)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * offset)


def wrong(secret=SECRET) -> str:
    """A code that is none of the codes accepted now."""
    accepted = {code(secret, offset) for offset in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000, 1000000, 7919)) if c not in accepted)


def two_step_user(make_user, role="editor", **fields):
    from consult.clock import utcnow
    fields.setdefault("totp_secret", SECRET)
    return make_user(role=role, totp_enabled_at=utcnow(), **fields)


def require_two_step(app, required=True):
    from consult.extensions import db
    from consult.models import User
    from consult.services import settings
    with app.app_context():
        admin = db.session.query(User).filter_by(role="admin").first()
        if admin is None:
            admin = User(email="settings-admin@example.test", display_name="Admin", role="admin")
            db.session.add(admin)
            db.session.commit()
        settings.set_two_step_required(required, admin)


def is_required(app) -> bool:
    from consult.services import settings
    with app.app_context():
        return settings.two_step_required()


def audit_events(app) -> list[tuple]:
    from consult.extensions import db
    with app.app_context():
        return [(e.actor_id, e.action, e.target_type, e.note) for e in db.session.query(ModerationEvent)
                .order_by(ModerationEvent.id)]


def error_text(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


# --- Setting up ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang, subject", [("en", "Two-step verification is on"),
                                           ("lv", "Divpakāpju pārbaude ir ieslēgta")])
def test_staff_turns_it_on_with_a_wrong_then_a_right_code(app, make_user, lang, subject):
    user_id = make_user(role="moderator", email="mod@example.test", language=lang)
    here, elsewhere = app.test_client(), app.test_client()
    assert sign_in(here, "mod@example.test", PASSWORD).status_code == 303
    assert sign_in(elsewhere, "mod@example.test", PASSWORD).status_code == 303
    page = url(lang, "two-step/")

    first = here.get(page)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert f'action="/{lang}/account/two-step/start/"' in first.get_data(as_text=True)
    assert get_user(app, id=user_id).totp_secret is None  # looking at the page changes nothing
    assert here.get(url(lang, "two-step/start/")).status_code == 405

    started = form_post(here, url(lang, "two-step/start/"), {}, page_url=page)
    assert started.status_code == 303 and started.headers["Location"] == page
    secret = get_user(app, id=user_id).totp_secret
    assert secret and len(secret) >= 16
    html = here.get(page).get_data(as_text=True)
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    assert f'<code id="totp-key">{grouped}</code>' in html
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" width="225" height="225" alt="[^"]+">', html)
    assert 'href="otpauth://totp/' in html and f"secret={secret}" in html
    assert not get_user(app, id=user_id).has_two_step

    refused = form_post(here, url(lang, "two-step/enable/"), {"code": wrong(secret)}, page_url=page)
    assert refused.status_code == 200
    refused_html = refused.get_data(as_text=True)
    assert error_text(refused_html, "code")
    assert re.search(r"<title>(Error|Kļūda):", refused_html)
    assert not get_user(app, id=user_id).has_two_step and signed_in(elsewhere)

    done = form_post(here, url(lang, "two-step/enable/"), {"code": " ".join([code(secret)[:3], code(secret)[3:]])},
                     page_url=page)
    # The answer shows the recovery codes, this once, and is not kept by any cache.
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r"<li><code>\d{4}( \d{4}){4}</code></li>", done.get_data(as_text=True))) == 10
    user = get_user(app, id=user_id)
    assert user.has_two_step and user.totp_secret == secret and user.totp_last_step is not None
    assert signed_in(here) and not signed_in(elsewhere)
    assert outbox_messages(app)[-1]["Subject"] == subject
    assert "disable" in here.get(page).get_data(as_text=True)


def test_citizens_do_not_get_the_setting_up_page(app, client, make_user, login):
    login(client, make_user(role="citizen"))
    assert client.get(url("en", "two-step/")).status_code == 404
    assert form_post(client, url("en", "two-step/start/"), {}, page_url=url("en", "activity/")).status_code == 404
    assert "/en/account/two-step/" not in client.get(url("en", "activity/")).get_data(as_text=True)


def test_activity_page_links_to_two_step_and_email_for_staff(app, client, make_user, login):
    login(client, make_user(role="workgroup"))
    html = client.get(url("en", "activity/")).get_data(as_text=True)
    assert 'href="/en/account/two-step/"' in html and 'href="/en/account/email/"' in html


def test_a_new_key_replaces_an_unconfirmed_one_and_a_used_one_cannot_be_started_again(app, client, make_user,
                                                                                        login):
    user_id = make_user(role="editor")
    login(client, user_id)
    page = url("en", "two-step/")
    form_post(client, url("en", "two-step/start/"), {}, page_url=page)
    first = get_user(app, id=user_id).totp_secret
    form_post(client, url("en", "two-step/start/"), {}, page_url=page)
    second = get_user(app, id=user_id).totp_secret
    assert first != second
    assert form_post(client, url("en", "two-step/enable/"), {"code": code(first)}, page_url=page).status_code == 200
    assert not get_user(app, id=user_id).has_two_step
    done = form_post(client, url("en", "two-step/enable/"), {"code": code(second)}, page_url=page)
    assert done.status_code == 200 and "Your recovery codes" in done.get_data(as_text=True)
    assert get_user(app, id=user_id).has_two_step
    login(client, user_id)
    form_post(client, url("en", "two-step/start/"), {}, page_url=page)
    assert get_user(app, id=user_id).totp_secret == second  # starting again does not replace a working key


# --- Signing in ----------------------------------------------------------------------------

def test_sign_in_needs_the_code_and_nobody_is_signed_in_before_it(app, client, make_user):
    user_id = two_step_user(make_user, email="ed@example.test")
    response = sign_in(client, "ed@example.test", PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == url("en", "login/code/")
    assert not signed_in(client)
    assert client.get("/en/admin/").status_code == 302
    assert get_user(app, id=user_id).last_login_at is None

    page = client.get(url("en", "login/code/"))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html

    refused = form_post(client, url("en", "login/code/"), {"code": wrong()})
    assert refused.status_code == 200
    refused_html = refused.get_data(as_text=True)
    assert "This code is not right." in error_text(refused_html, "code")
    assert "<title>Error: Enter your code" in refused_html
    assert not signed_in(client)

    before = client.get_cookie("session").value
    done = form_post(client, url("en", "login/code/"), {"code": code()})
    assert done.status_code == 303 and done.headers["Location"] == url("en", "activity/")
    assert client.get_cookie("session").value != before
    assert signed_in(client)
    assert client.get("/en/admin/").status_code == 200
    assert get_user(app, id=user_id).last_login_at is not None


def test_wrong_code_message_in_latvian(app, client, make_user):
    two_step_user(make_user, email="ed@example.test")
    sign_in(client, "ed@example.test", PASSWORD, lang="lv")
    html = form_post(client, url("lv", "login/code/"), {"code": wrong()}).get_data(as_text=True)
    assert "Kods nav pareizs." in error_text(html, "code")
    html = form_post(client, url("lv", "login/code/"), {"code": "12ab"}).get_data(as_text=True)
    assert "Ievadiet visus 6 koda ciparus vai visus 20 rezerves koda ciparus." in error_text(html, "code")


def test_next_page_is_kept_through_the_code_step(app, client, make_user):
    two_step_user(make_user, email="ed@example.test")
    page = client.get(url("en", "login/?next=/en/admin/")).get_data(as_text=True)
    client.post(url("en", "login/"), data={"email": "ed@example.test", "password": PASSWORD, "next": "/en/admin/",
                                           "csrf_token": csrf_token_from(page)})
    done = form_post(client, url("en", "login/code/"), {"code": code()})
    assert done.headers["Location"] == "/en/admin/"


def test_a_code_is_not_accepted_twice(app, make_user):
    two_step_user(make_user, email="ed@example.test")
    first, second = app.test_client(), app.test_client()
    now = code()
    sign_in(first, "ed@example.test", PASSWORD)
    assert form_post(first, url("en", "login/code/"), {"code": now}).status_code == 303
    sign_in(second, "ed@example.test", PASSWORD)
    replay = form_post(second, url("en", "login/code/"), {"code": now})
    assert replay.status_code == 200
    assert "already been used" in error_text(replay.get_data(as_text=True), "code")
    assert not signed_in(second)
    assert form_post(second, url("en", "login/code/"), {"code": code(offset=1)}).status_code == 303
    assert signed_in(second)


def test_codes_are_throttled_per_account(app, make_user):
    two_step_user(make_user, email="ed@example.test")
    two_step_user(make_user, email="other@example.test", totp_secret="KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
    client = app.test_client()
    sign_in(client, "ed@example.test", PASSWORD)
    for _attempt in range(5):
        assert form_post(client, url("en", "login/code/"), {"code": wrong()}).status_code == 200
    throttled = form_post(client, url("en", "login/code/"), {"code": code()})
    assert throttled.status_code == 429 and throttled.headers["Cache-Control"] == "no-store"
    # The lock-out page shows the way back to sign-in and to a new password.
    html = throttled.get_data(as_text=True)
    assert "Too many sign-in attempts" in html
    assert 'href="/en/account/login/"' in html and 'href="/en/account/reset/"' in html
    # A fresh session for the same account is still throttled; another account is not.
    again = app.test_client()
    sign_in(again, "ed@example.test", PASSWORD)
    assert form_post(again, url("en", "login/code/"), {"code": code()}).status_code == 429
    other = app.test_client()
    sign_in(other, "other@example.test", PASSWORD)
    assert form_post(other, url("en", "login/code/"),
                     {"code": code("KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")}).status_code == 303


def test_a_half_done_sign_in_expires(app, client, make_user):
    two_step_user(make_user, email="ed@example.test")
    sign_in(client, "ed@example.test", PASSWORD)
    token = csrf_token_from(client.get(url("en", "login/code/")).get_data(as_text=True))
    with client.session_transaction() as session:
        pending = dict(session["two_step_pending"])
        pending["at"] -= 6 * 60
        session["two_step_pending"] = pending
    response = client.post(url("en", "login/code/"), data={"code": code(), "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == url("en", "login/")
    assert "Signing in took too long" in client.get(url("en", "login/")).get_data(as_text=True)
    assert not signed_in(client)
    assert client.get(url("en", "login/code/")).headers["Location"] == url("en", "login/")


def test_a_password_change_meanwhile_ends_the_half_done_sign_in(app, client, make_user):
    user_id = two_step_user(make_user, email="ed@example.test")
    sign_in(client, "ed@example.test", PASSWORD)
    token = csrf_token_from(client.get(url("en", "login/code/")).get_data(as_text=True))
    update_user(app, user_id, session_token="changed-elsewhere")
    response = client.post(url("en", "login/code/"), data={"code": code(), "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == url("en", "login/")
    assert not signed_in(client)


def test_code_page_without_a_password_first_goes_to_sign_in(app, client):
    response = client.get(url("en", "login/code/"))
    assert response.status_code == 303 and response.headers["Location"] == url("en", "login/")


# --- Turning it off ------------------------------------------------------------------------

def test_turning_it_off_needs_the_password_and_a_code(app, make_user):
    user_id = two_step_user(make_user, email="ed@example.test", language="en")
    here, elsewhere = app.test_client(), app.test_client()
    for client, offset in ((here, -1), (elsewhere, 0)):
        sign_in(client, "ed@example.test", PASSWORD)
        form_post(client, url("en", "login/code/"), {"code": code(offset=offset)})
        assert signed_in(client)
    page = url("en", "two-step/")
    off = url("en", "two-step/disable/")

    wrong_password = form_post(here, off, {"password": "not the password", "code": code(offset=1)}, page_url=page)
    assert wrong_password.status_code == 200
    assert "The password is not right." in error_text(wrong_password.get_data(as_text=True), "password")
    assert get_user(app, id=user_id).has_two_step

    wrong_code = form_post(here, off, {"password": PASSWORD, "code": wrong()}, page_url=page)
    assert "This code is not right." in error_text(wrong_code.get_data(as_text=True), "code")
    used_code = form_post(here, off, {"password": PASSWORD, "code": code()}, page_url=page)
    assert "already been used" in error_text(used_code.get_data(as_text=True), "code")
    missing = form_post(here, off, {"password": "", "code": ""}, page_url=page)
    assert error_text(missing.get_data(as_text=True), "password") and error_text(missing.get_data(as_text=True), "code")
    assert get_user(app, id=user_id).has_two_step and signed_in(elsewhere)

    # The wrong password did not spend the code typed with it.
    done = form_post(here, off, {"password": PASSWORD, "code": code(offset=1)}, page_url=page)
    assert done.status_code == 303 and done.headers["Location"] == page
    user = get_user(app, id=user_id)
    assert not user.has_two_step and user.totp_secret is None
    assert signed_in(here) and not signed_in(elsewhere)
    assert outbox_messages(app)[-1]["Subject"] == "Two-step verification is off"
    fresh = app.test_client()
    assert sign_in(fresh, "ed@example.test", PASSWORD).headers["Location"] == url("en", "activity/")


def test_cli_turns_it_off_for_someone_who_lost_their_phone(app, runner, make_user):
    user_id = two_step_user(make_user, email="ed@example.test")
    result = runner.invoke(args=["users", "two-step-off", "--email", "ED@example.test"])
    assert result.exit_code == 0, result.output
    assert not get_user(app, id=user_id).has_two_step
    again = runner.invoke(args=["users", "two-step-off", "--email", "ed@example.test"])
    assert again.exit_code == 1 and "does not use two-step verification" in again.output
    unknown = runner.invoke(args=["users", "two-step-off", "--email", "nobody@example.test"])
    assert unknown.exit_code == 1 and "no account" in unknown.output


# --- The administrator's setting -----------------------------------------------------------

@pytest.mark.parametrize("role", [None, "citizen", "organisation", "moderator", "workgroup", "editor"])
def test_only_admins_reach_the_security_setting(app, make_user, login, role):
    client = app.test_client()
    page = "/en/admin/security/"
    if role is None:
        token = csrf_token_from(client.get(url("en", "login/")).get_data(as_text=True))
        for response in (client.get(page), client.post(page, data={"require_two_step": "y", "csrf_token": token})):
            assert response.status_code == 302 and "/en/account/login/" in response.headers["Location"]
    else:
        login(client, make_user(role=role))
        token = csrf_token_from(client.get("/en/").get_data(as_text=True))
        assert client.get(page).status_code == 403
        assert client.post(page, data={"require_two_step": "y", "csrf_token": token}).status_code == 403
        assert 'href="/en/admin/security/"' not in client.get("/en/admin/").get_data(as_text=True)
    assert not is_required(app) and audit_events(app) == []


def test_admin_requires_two_step_and_the_change_is_logged(app, client, make_user, login):
    admin_id = two_step_user(make_user, role="admin")
    login(client, admin_id)
    page = client.get("/en/admin/security/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Require two-step verification for staff" in html and 'aria-current="page"' in html
    assert 'href="/en/admin/security/"' in client.get("/en/admin/").get_data(as_text=True)
    assert client.get("/lv/admin/security/").status_code == 200

    on = form_post(client, "/en/admin/security/", {"require_two_step": "y"})
    assert on.status_code == 303 and on.headers["Location"] == "/en/admin/security/"
    assert is_required(app)
    assert "Two-step verification is now required" in client.get("/en/admin/security/").get_data(as_text=True)
    same = form_post(client, "/en/admin/security/", {"require_two_step": "y"})
    assert same.status_code == 303
    off = form_post(client, "/en/admin/security/", {})
    assert off.status_code == 303 and not is_required(app)
    assert audit_events(app) == [(admin_id, "two_step_required", "setting", "off → on"),
                                 (admin_id, "two_step_required", "setting", "on → off")]
    from consult.extensions import db
    with app.app_context():
        [setting] = db.session.query(Setting).all()
        assert setting.updated_by_id == admin_id and setting.value == "off"
    assert client.get("/en/admin/security/").status_code == 200


def test_extra_fields_do_not_change_the_setting_or_the_user(app, client, make_user, login):
    admin_id = two_step_user(make_user, role="admin")
    login(client, admin_id)
    form_post(client, "/en/admin/security/", {"require_two_step": "y", "name": "other", "value": "x",
                                              "role": "citizen"})
    from consult.extensions import db
    with app.app_context():
        assert [(s.name, s.value) for s in db.session.query(Setting)] == [("two_step_required", "on")]
    assert get_user(app, id=admin_id).role == "admin"


def test_when_required_staff_without_it_are_sent_to_set_it_up(app, client, demo, make_user, login):
    require_two_step(app)
    moderator = make_user(role="moderator", email="mod@example.test")
    login(client, moderator)
    response = client.get("/en/moderation/")
    assert response.status_code == 303 and response.headers["Location"] == "/en/account/two-step/"
    setup = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Staff accounts must use two-step verification." in setup
    assert client.get("/lv/moderation/").headers["Location"] == "/lv/account/two-step/"
    assert client.get("/en/admin/").status_code == 403  # a role they do not have is still refused
    assert "required for staff accounts" in client.get(url("en", "activity/")).get_data(as_text=True)

    citizen = app.test_client()
    login(citizen, make_user(role="citizen"))
    assert citizen.get(url("en", "activity/")).status_code == 200
    assert citizen.get("/en/").status_code == 200
    assert citizen.get("/en/moderation/").status_code == 403
    assert citizen.get(url("en", "two-step/")).status_code == 404

    with_it = app.test_client()
    login(with_it, two_step_user(make_user, role="moderator"))
    assert with_it.get("/en/moderation/").status_code == 200


def test_when_required_staff_cannot_turn_it_off(app, client, make_user, login):
    require_two_step(app)
    user_id = two_step_user(make_user, role="workgroup")
    login(client, user_id)
    page = client.get(url("en", "two-step/")).get_data(as_text=True)
    assert "so it cannot be turned off" in page and "two-step/disable/" not in page
    response = form_post(client, url("en", "two-step/disable/"), {"password": PASSWORD, "code": code()},
                         page_url=url("en", "activity/"))
    assert response.status_code == 303
    assert get_user(app, id=user_id).has_two_step


@pytest.mark.parametrize("role", Role.STAFF)
def test_when_required_every_staff_route_sends_staff_without_it_to_set_up(app, demo, make_user, login, role):
    """The role walk of test_access, for the routes the role may use: nothing runs, nothing changes."""
    from .test_access import _snapshot
    require_two_step(app)
    client = app.test_client()
    login(client, make_user(role=role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    before = _snapshot(app)
    checked = 0
    for endpoint, method, path, roles in staff_routes(app):
        if not (role == Role.ADMIN or role in roles):
            continue
        response = client.open(path, method=method, data={"csrf_token": token} if method != "GET" else None)
        assert response.status_code == 303, (endpoint, method, response.status_code)
        assert response.headers["Location"] == "/lv/account/two-step/", endpoint
        checked += 1
    assert checked > 0
    assert _snapshot(app) == before


def test_without_the_setting_staff_without_it_are_not_redirected(app, client, demo, make_user, login):
    login(client, make_user(role="editor"))
    assert client.get("/en/admin/").status_code == 200
    require_two_step(app, required=False)
    assert client.get("/en/admin/").status_code == 200


# --- Cross-cutting ---------------------------------------------------------------------------

def test_state_changes_are_post_only_with_csrf(app, client, make_user, login):
    user_id = make_user(role="editor")
    login(client, user_id)
    for path in ("two-step/start/", "two-step/enable/", "two-step/disable/"):
        assert client.get(url("en", path)).status_code == 405
        assert client.post(url("en", path), data={"code": code()}).status_code == 400
    assert get_user(app, id=user_id).totp_secret is None
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    assert admin.post("/en/admin/security/", data={"require_two_step": "y"}).status_code == 400
    assert not is_required(app)


def test_hostile_inputs_in_the_code_fields_get_a_message(app, make_user, login):
    from consult.extensions import limiter
    setup_id = make_user(role="editor")
    two_step_user(make_user, email="ed@example.test")
    setup = app.test_client()
    login(setup, setup_id)
    form_post(setup, url("en", "two-step/start/"), {}, page_url=url("en", "two-step/"))
    with_it = app.test_client()
    login(with_it, two_step_user(make_user, role="moderator"))
    for text in _hostile_inputs():
        with app.app_context():
            limiter.reset()
        signing_in = app.test_client()
        sign_in(signing_in, "ed@example.test", PASSWORD)
        for client, path, data in (
                (signing_in, "login/code/", {"code": text}),
                (setup, "two-step/enable/", {"code": text}),
                (with_it, "two-step/disable/", {"password": text, "code": text})):
            page = url("en", "two-step/") if path != "login/code/" else None
            response = form_post(client, url("en", path), data, page_url=page)
            assert response.status_code == 200, (path, text[:40], response.status_code)
            html = response.get_data(as_text=True)
            assert 'class="field-error"' in html, (path, text[:40])
            assert "<script>alert(1)</script>" not in html
    assert not get_user(app, id=setup_id).has_two_step


def test_two_step_pages_are_valid_html(app, demo, make_user, login, tmp_path):
    pages = {}
    for lang in ("lv", "en"):
        setup = app.test_client()
        setup_id = make_user(role="editor", language=lang)
        login(setup, setup_id)
        pages[f"{lang} two-step off"] = setup.get(url(lang, "two-step/")).get_data(as_text=True)
        form_post(setup, url(lang, "two-step/start/"), {}, page_url=url(lang, "two-step/"))
        pages[f"{lang} two-step setting up"] = setup.get(url(lang, "two-step/")).get_data(as_text=True)
        pages[f"{lang} two-step setting up (errors)"] = form_post(
            setup, url(lang, "two-step/enable/"), {"code": "x"}, page_url=url(lang, "two-step/")).get_data(as_text=True)
        pages[f"{lang} activity (staff)"] = setup.get(url(lang, "activity/")).get_data(as_text=True)
        with_it = app.test_client()
        login(with_it, two_step_user(make_user, role="admin", email=f"admin-{lang}@example.test"))
        pages[f"{lang} two-step on"] = with_it.get(url(lang, "two-step/")).get_data(as_text=True)
        pages[f"{lang} two-step on (errors)"] = form_post(
            with_it, url(lang, "two-step/disable/"), {}, page_url=url(lang, "two-step/")).get_data(as_text=True)
        pages[f"{lang} admin security"] = with_it.get(f"/{lang}/admin/security/").get_data(as_text=True)
        signing_in = app.test_client()
        sign_in(signing_in, f"admin-{lang}@example.test", PASSWORD, lang=lang)
        pages[f"{lang} sign-in code"] = signing_in.get(url(lang, "login/code/")).get_data(as_text=True)
        pages[f"{lang} sign-in code (errors)"] = form_post(
            signing_in, url(lang, "login/code/"), {"code": ""}).get_data(as_text=True)
    from .test_html_valid import check_html
    assert check_html(pages, tmp_path) == []


def test_export_tells_when_it_was_turned_on_but_never_the_secret(app, client, make_user, login):
    login(client, two_step_user(make_user))
    raw = client.get(url("en", "export/")).get_data(as_text=True)
    assert '"two_step_enabled_at": "' in raw and SECRET not in raw


def test_deleting_the_account_removes_the_secret(app, client, make_user, login):
    user_id = two_step_user(make_user)
    login(client, user_id)
    form_post(client, url("en", "delete/"), {"password": PASSWORD, "confirm": "y"})
    user = get_user(app, id=user_id)
    assert user.deleted_at is not None and user.totp_secret is None and not user.has_two_step


@pytest.mark.parametrize("lang, words", [("en", ("Staff who have not set up two-step verification", "Moderator",
                                                 "2 staff accounts do not use it yet.")),
                                         ("lv", ("Darbinieki, kuri nav iestatījuši divpakāpju pārbaudi", "Moderators",
                                                 "2 darbinieku konti"))])
def test_the_security_page_names_the_staff_without_two_step(app, client, make_user, login, lang, words):
    from consult.clock import utcnow
    admin_id = two_step_user(make_user, role="admin", display_name="Admina Ieslēgta")
    make_user(role="moderator", display_name="Māra Bez Koda", email="mara@example.test")
    make_user(role="workgroup", display_name="Dace Bez Koda", email="dace@example.test")
    make_user(role="editor", display_name="Suspendētais Redaktors", suspended_at=utcnow())
    make_user(role="citizen", display_name="Iedzīvotājs Bez Koda")
    login(client, admin_id)
    html = client.get(f"/{lang}/admin/security/").get_data(as_text=True)
    table = html[html.index("<caption>"):html.index("</table>")]
    assert words[0] in table and words[1] in table and words[2] in html
    assert "Māra Bez Koda" in table and "mara@example.test" in table and "Dace Bez Koda" in table
    assert table.index("Dace Bez Koda") < table.index("Māra Bez Koda")
    for absent in ("Admina Ieslēgta", "Suspendētais Redaktors", "Iedzīvotājs Bez Koda"):
        assert absent not in table


def test_the_security_page_has_no_list_when_all_staff_use_two_step(app, client, make_user, login):
    login(client, two_step_user(make_user, role="admin"))
    html = client.get("/en/admin/security/").get_data(as_text=True)
    assert "0 staff accounts do not use it yet." in html and "<caption>Staff who" not in html
