"""Changing the e-mail address: needs the current password, is confirmed from the new mailbox,
tells the old one, and ends the other sessions."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .conftest import PASSWORD, csrf_token_from, form_post, outbox_messages
from .test_accounts import _hostile_inputs, get_user, sign_in, signed_in, url

PAGE = "email/"


def change_link(message) -> str:
    match = re.search(r"https?://\S+/account/email/confirm/[^/\s]+/", message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path


def ask(client, lang="en", **data):
    return form_post(client, url(lang, PAGE), {"email": "new@example.test", "current_password": PASSWORD, **data})


def flashes(client, lang="en") -> str:
    return client.get(url(lang, "activity/")).get_data(as_text=True)


def test_wrong_password_keeps_the_stored_address_and_what_was_typed(app, client, make_user, login):
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    response = ask(client, email="New@Example.test", current_password="not my password")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'id="current_password-error">.*The password is not right.', html, re.S)
    assert 'value="new@example.test"' in html and "not my password" not in html
    assert "<title>Error: Change your e-mail address" in html
    assert get_user(app, id=user_id).email == "old@example.test"
    assert outbox_messages(app) == []


def test_wrong_password_message_in_latvian(app, client, make_user, login):
    login(client, make_user(email="old@example.test"))
    html = ask(client, "lv", current_password="nepareizi").get_data(as_text=True)
    assert re.search(r'id="current_password-error">.*Parole nav pareiza.', html, re.S)


@pytest.mark.parametrize("page_lang, user_lang, confirm_subject, notice_subject", [
    ("en", "lv", "Confirm your new e-mail address", "Jūsu konta e-pasta adrese ir nomainīta"),
    ("lv", "en", "Apstipriniet savu jauno e-pasta adresi", "The e-mail address of your account has been changed"),
])
def test_the_link_changes_the_address_once_and_ends_other_sessions(app, make_user, page_lang, user_lang,
                                                                   confirm_subject, notice_subject):
    user_id = make_user(email="old@example.test", language=user_lang, confirmed=False)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "old@example.test", PASSWORD)
    sign_in(elsewhere, "old@example.test", PASSWORD)
    asked = ask(here, page_lang, email=" New@Example.TEST ")
    assert asked.status_code == 303 and asked.headers["Location"] == url(page_lang, "activity/")
    assert "new@example.test" in flashes(here, page_lang)
    assert get_user(app, id=user_id).email == "old@example.test"

    [message] = outbox_messages(app)
    assert message["To"] == "new@example.test" and message["Subject"] == confirm_subject  # the page language
    link = change_link(message)
    assert link.startswith(f"/{page_lang}/account/email/confirm/")

    page = here.get(link)  # opening the link (as a mail scanner would) changes nothing
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "new@example.test" in page.get_data(as_text=True)
    assert get_user(app, id=user_id).email == "old@example.test" and signed_in(elsewhere)

    done = form_post(here, link, {})
    assert done.status_code == 303 and done.headers["Location"] == url(page_lang, "activity/")
    user = get_user(app, id=user_id)
    assert user.email == "new@example.test" and user.email_confirmed_at is not None
    assert signed_in(here) and not signed_in(elsewhere)
    notice = outbox_messages(app)[-1]
    assert notice["To"] == "old@example.test" and notice["Subject"] == notice_subject  # the user's language
    assert "new@example.test" in notice.get_content()

    again = here.get(link)
    assert again.status_code == 400 and "24" in again.get_data(as_text=True)
    assert here.post(link, data={"csrf_token": csrf_token_from(flashes(here))}).status_code == 400
    assert sign_in(app.test_client(), "old@example.test", PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "new@example.test", PASSWORD).status_code == 303


def test_the_link_works_without_being_signed_in_and_ends_every_session(app, make_user):
    user_id = make_user(email="old@example.test")
    signed = app.test_client()
    sign_in(signed, "old@example.test", PASSWORD)
    ask(signed)
    link = change_link(outbox_messages(app)[0])
    other_browser = app.test_client()
    done = form_post(other_browser, link, {})
    assert done.status_code == 303 and done.headers["Location"] == url("en", "login/")
    assert get_user(app, id=user_id).email == "new@example.test"
    assert not signed_in(signed) and not signed_in(other_browser)


def test_expired_or_garbage_link_is_refused(app, client, make_user, login, monkeypatch):
    from consult.services import accounts
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    ask(client)
    link = change_link(outbox_messages(app)[0])
    monkeypatch.setattr(accounts.email_change, "EMAIL_CHANGE_MAX_AGE", -1)
    expired = client.get(link)
    assert expired.status_code == 400 and "This link does not work" in expired.get_data(as_text=True)
    assert 'href="/en/account/email/"' in expired.get_data(as_text=True)
    assert form_post(client, link, {}, page_url=url("en", "activity/")).status_code == 400
    assert get_user(app, id=user_id).email == "old@example.test"
    assert client.get(url("lv", "email/confirm/garbage/")).status_code == 400


def test_an_older_link_stops_working_once_another_change_is_made(app, client, make_user, login):
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    ask(client, email="first@example.test")
    ask(client, email="second@example.test")
    first, second = (change_link(m) for m in outbox_messages(app))
    assert form_post(client, second, {}).status_code == 303
    assert form_post(client, first, {}, page_url=url("en", "activity/")).status_code == 400
    assert get_user(app, id=user_id).email == "second@example.test"


def test_an_address_used_by_another_account_reveals_nothing(app, make_user, login):
    make_user(email="taken@example.test", display_name="Taken Owner")
    user_id = make_user(email="old@example.test")
    free, taken = app.test_client(), app.test_client()
    login(free, user_id)
    login(taken, user_id)
    free_response = ask(free, email="free@example.test")
    taken_response = ask(taken, email="Taken@Example.test")
    assert free_response.status_code == taken_response.status_code == 303
    assert free_response.headers["Location"] == taken_response.headers["Location"]

    def flash_text(client):
        return re.search(r'class="flash flash-success" role="status">(.*?)</div>', flashes(client)).group(1)
    assert flash_text(free).replace("free@", "X@") == flash_text(taken).replace("taken@", "X@")
    messages = {m["To"]: m for m in outbox_messages(app)}
    warning = messages["taken@example.test"]
    assert warning["Subject"] == "Someone tried to use your e-mail address for another account"
    assert "/account/email/confirm/" not in warning.get_content()
    assert get_user(app, id=user_id).email == "old@example.test"


def test_the_address_taken_after_the_link_was_sent_is_not_changed(app, client, make_user, login):
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    ask(client)
    link = change_link(outbox_messages(app)[0])
    make_user(email="new@example.test")
    assert form_post(client, link, {}, page_url=url("en", "activity/")).status_code == 400
    assert get_user(app, id=user_id).email == "old@example.test"


def test_format_and_same_address_get_messages(app, client, make_user, login):
    login(client, make_user(email="old@example.test"))
    html = ask(client, email="not an address").get_data(as_text=True)
    assert 'id="email-error"' in html and 'value="not an address"' in html
    html = ask(client, email="OLD@example.test").get_data(as_text=True)
    assert "This is already your e-mail address." in html
    html = ask(client, email="", current_password="").get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="current_password-error"' in html
    assert outbox_messages(app) == []


def test_the_page_needs_sign_in_post_and_csrf(app, client, make_user, login):
    response = client.get(url("lv", PAGE))
    assert response.status_code == 302 and response.headers["Location"].startswith("/lv/account/login/")
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    assert client.get(url("en", PAGE)).headers["Cache-Control"] == "no-store"
    assert client.post(url("en", PAGE), data={"email": "new@example.test",
                                              "current_password": PASSWORD}).status_code == 400
    ask(client)
    link = change_link(outbox_messages(app)[0])
    assert client.post(link).status_code == 400
    assert get_user(app, id=user_id).email == "old@example.test"
    assert 'href="/en/account/email/"' in flashes(client)


def test_requests_are_throttled_per_user(app, client, make_user, login):
    login(client, make_user(email="old@example.test"))
    for _attempt in range(10):
        assert ask(client, current_password="wrong").status_code == 200
    assert ask(client).status_code == 429


def test_hostile_inputs_in_the_fields_get_a_message(app, client, make_user, login):
    from consult.extensions import limiter
    user_id = make_user(email="old@example.test")
    login(client, user_id)
    for text in _hostile_inputs():
        with app.app_context():
            limiter.reset()
        for data in ({"email": text}, {"current_password": text}, {"email": text, "current_password": text}):
            response = ask(client, **data)
            assert response.status_code == 200, (text[:40], response.status_code)
            html = response.get_data(as_text=True)
            assert 'class="field-error"' in html and "<script>alert(1)</script>" not in html
        assert client.get(url("en", f"email/confirm/{text[:200]}/")).status_code < 500
    assert get_user(app, id=user_id).email == "old@example.test" and outbox_messages(app) == []


def test_email_pages_are_valid_html(app, make_user, login, tmp_path):
    pages = {}
    for lang in ("lv", "en"):
        client = app.test_client()
        login(client, make_user(email=f"old-{lang}@example.test"))
        pages[f"{lang} email"] = client.get(url(lang, PAGE)).get_data(as_text=True)
        pages[f"{lang} email (errors)"] = ask(client, lang, email="x", current_password="").get_data(as_text=True)
        ask(client, lang, email=f"new-{lang}@example.test")
        link = change_link(outbox_messages(app)[-1])
        pages[f"{lang} email confirm"] = client.get(link).get_data(as_text=True)
        pages[f"{lang} email link invalid"] = client.get(url(lang, "email/confirm/broken/")).get_data(as_text=True)
        pages[f"{lang} activity"] = client.get(url(lang, "activity/")).get_data(as_text=True)
    from .test_html_valid import check_html
    assert check_html(pages, tmp_path) == []
