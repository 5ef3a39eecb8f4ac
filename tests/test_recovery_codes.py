"""Recovery codes for two-step verification: shown once, stored hashed, each accepted once, replaced with
the password; sign-in accepts one instead of a code from the app."""
from __future__ import annotations

import hashlib
import re

import pytest

from consult.models import RecoveryCode

from .conftest import PASSWORD, csrf_token_from, form_post
from .test_accounts import get_user, sign_in, signed_in, url
from .test_two_step import SECRET, code, error_text, two_step_user

CODE_IN_PAGE = re.compile(r"<li><code>(\d{4}(?: \d{4}){4})</code></li>")


def stored(app, user_id):
    from consult.extensions import db
    with app.app_context():
        return [(c.code_hash, c.used_at is not None) for c in
                db.session.query(RecoveryCode).filter_by(user_id=user_id).order_by(RecoveryCode.id)]


def turn_on(app, client, make_user, email="mod@example.test", lang="en"):
    """A moderator sets up two-step verification; returns (user id, the recovery codes shown)."""
    user_id = make_user(role="moderator", email=email, language=lang)
    sign_in(client, email, PASSWORD, lang=lang)
    page = url(lang, "two-step/")
    form_post(client, url(lang, "two-step/start/"), {}, page_url=page)
    secret = get_user(app, id=user_id).totp_secret
    done = form_post(client, url(lang, "two-step/enable/"), {"code": code(secret)}, page_url=page)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    return user_id, CODE_IN_PAGE.findall(done.get_data(as_text=True))


def code_step(client, typed, lang="en"):
    return form_post(client, url(lang, "login/code/"), {"code": typed})


@pytest.mark.parametrize("lang, heading", [("en", "Your recovery codes"), ("lv", "Jūsu rezerves kodi")])
def test_codes_are_shown_once_and_only_their_hashes_are_stored(app, client, make_user, lang, heading):
    user_id, codes = turn_on(app, client, make_user, lang=lang)
    assert len(codes) == 10 and len(set(codes)) == 10
    hashes = stored(app, user_id)
    assert [h for h, _used in hashes] == [hashlib.sha256(c.replace(" ", "").encode()).hexdigest() for c in codes]
    assert not any(used for _h, used in hashes)
    page = client.get(url(lang, "two-step/")).get_data(as_text=True)
    assert not CODE_IN_PAGE.findall(page) and not any(c in page for c in codes)
    assert ("10 recovery codes are left." if lang == "en" else "Atlikuši 10 rezerves kodi.") in page


def test_sign_in_accepts_a_recovery_code_once(app, make_user):
    first = app.test_client()
    user_id, codes = turn_on(app, first, make_user)
    other = app.test_client()
    sign_in(other, "mod@example.test", PASSWORD)
    done = code_step(other, codes[2].replace(" ", "-"))  # as typed with dashes
    assert done.status_code == 303 and done.headers["Location"] == url("en", "activity/")
    assert "9 recovery codes are left." in other.get(url("en", "activity/")).get_data(as_text=True)
    assert signed_in(other)
    assert [used for _h, used in stored(app, user_id)].count(True) == 1

    again = app.test_client()
    sign_in(again, "mod@example.test", PASSWORD)
    refused = code_step(again, codes[2])
    assert refused.status_code == 200 and not signed_in(again)
    assert "This code is not right." in error_text(refused.get_data(as_text=True), "code")
    assert [used for _h, used in stored(app, user_id)].count(True) == 1


def test_a_code_that_is_not_one_of_the_users_codes_is_refused(app, make_user):
    _mine, _codes = turn_on(app, app.test_client(), make_user)
    _theirs, their_codes = turn_on(app, app.test_client(), make_user, email="other@example.test")
    client = app.test_client()
    sign_in(client, "mod@example.test", PASSWORD)
    for typed in (their_codes[0], "0" * 20, "1234 5678 9012 3456 789", "12345678901234567890123"):
        response = code_step(client, typed)
        assert response.status_code == 200 and error_text(response.get_data(as_text=True), "code"), typed
    assert not signed_in(client)
    assert not any(used for _h, used in stored(app, _theirs))


def test_new_codes_need_the_password_and_the_old_ones_stop_working(app, client, make_user):
    user_id, codes = turn_on(app, client, make_user)
    page = url("en", "two-step/")
    wrong = form_post(client, url("en", "two-step/recovery-codes/"), {"recovery-password": "not it"}, page_url=page)
    assert wrong.status_code == 200
    assert "The password is not right." in error_text(wrong.get_data(as_text=True), "recovery-password")
    assert [h for h, _ in stored(app, user_id)] == [hashlib.sha256(c.replace(" ", "").encode()).hexdigest()
                                                    for c in codes]
    missing = form_post(client, url("en", "two-step/recovery-codes/"), {"recovery-password": ""}, page_url=page)
    assert error_text(missing.get_data(as_text=True), "recovery-password")

    done = form_post(client, url("en", "two-step/recovery-codes/"), {"recovery-password": PASSWORD}, page_url=page)
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    new = CODE_IN_PAGE.findall(done.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(codes) and len(stored(app, user_id)) == 10

    fresh = app.test_client()
    sign_in(fresh, "mod@example.test", PASSWORD)
    assert code_step(fresh, codes[0]).status_code == 200 and not signed_in(fresh)
    assert code_step(fresh, new[0]).status_code == 303 and signed_in(fresh)


def test_turning_it_off_with_a_recovery_code_removes_the_codes(app, client, make_user):
    user_id, codes = turn_on(app, client, make_user)
    off = form_post(client, url("en", "two-step/disable/"), {"password": PASSWORD, "code": codes[0]},
                    page_url=url("en", "two-step/"))
    assert off.status_code == 303
    assert not get_user(app, id=user_id).has_two_step and stored(app, user_id) == []


def test_deleting_the_account_removes_the_codes(app, client, make_user):
    user_id, _codes = turn_on(app, client, make_user)
    form_post(client, url("en", "delete/"), {"password": PASSWORD, "confirm": "y"})
    assert get_user(app, id=user_id).deleted_at is not None and stored(app, user_id) == []


def test_the_command_line_reset_removes_the_codes(app, client, runner, make_user):
    user_id, _codes = turn_on(app, client, make_user)
    result = runner.invoke(args=["users", "two-step-off", "--email", "mod@example.test"])
    assert result.exit_code == 0, result.output
    assert stored(app, user_id) == []


@pytest.mark.parametrize("role", [None, "citizen", "organisation"])
def test_who_has_no_two_step_cannot_make_codes(app, make_user, login, role):
    client = app.test_client()
    if role:
        user_id = make_user(role=role)
        login(client, user_id)
        token = csrf_token_from(client.get("/en/").get_data(as_text=True))
        response = client.post(url("en", "two-step/recovery-codes/"),
                               data={"csrf_token": token, "recovery-password": PASSWORD})
        assert response.status_code == 404
    else:
        response = client.post(url("en", "two-step/recovery-codes/"), data={"recovery-password": PASSWORD})
        assert response.status_code in (302, 400)
    from consult.extensions import db
    with app.app_context():
        assert db.session.query(RecoveryCode).count() == 0


def test_staff_without_two_step_get_no_codes(app, client, make_user, login):
    login(client, make_user(role="editor"))
    response = form_post(client, url("en", "two-step/recovery-codes/"), {"recovery-password": PASSWORD},
                         page_url=url("en", "two-step/"))
    assert response.status_code == 303
    from consult.extensions import db
    with app.app_context():
        assert db.session.query(RecoveryCode).count() == 0


def test_codes_must_be_posted_with_the_csrf_token(app, client, make_user, login):
    user_id = two_step_user(make_user, role="editor", totp_secret=SECRET)
    login(client, user_id)
    assert client.get(url("en", "two-step/recovery-codes/")).status_code == 405
    assert client.post(url("en", "two-step/recovery-codes/"), data={"recovery-password": PASSWORD}).status_code == 400
    assert stored(app, user_id) == []
