"""Accounts: register, confirm, sign in and out, passwords, own activity, data export, deletion, CLI."""
from __future__ import annotations

import json
import pathlib
import re
import unicodedata
import uuid
from urllib.parse import urlsplit

import pytest

from consult.clock import utcnow
from consult.models import Comment, Report, User

from .conftest import PASSWORD, csrf_token_from, form_post, outbox_messages
from .pages import DEMO

GOOD_PASSWORD = "zaļā ābele zied maijā"
# 64 characters with Latvian letters and an emoji (one code point).
LONG_PASSWORD = ("ā č ž 👩 " * 8)[:64]
LONG_PASSWORD = LONG_PASSWORD[:-1] + "x"


def url(lang: str, path: str) -> str:
    return f"/{lang}/account/{path}"


def registration(**fields) -> dict:
    data = {"display_name": "Anna Bērziņa", "email": "anna@example.test", "password": GOOD_PASSWORD,
            "respondent_type": "citizen", "consent": "y", "website": ""}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def register(client, lang="en", **fields):
    return form_post(client, url(lang, "register/"), registration(**fields))


def sign_in(client, email, password, lang="en", **kwargs):
    return form_post(client, url(lang, "login/"), {"email": email, "password": password}, **kwargs)


def users(app) -> list[User]:
    from consult.extensions import db
    with app.app_context():
        found = db.session.query(User).order_by(User.id).all()
        db.session.expunge_all()
        return found


def get_user(app, **filters) -> User | None:
    from consult.extensions import db
    with app.app_context():
        user = db.session.query(User).filter_by(**filters).one_or_none()
        db.session.expunge_all()
        return user


def update_user(app, user_id, **values) -> None:
    from consult.extensions import db
    with app.app_context():
        db.session.query(User).filter_by(id=user_id).update(values)
        db.session.commit()


def link_in(message, kind: str) -> str:
    """The path of the confirm/ or reset/ link in a mail."""
    match = re.search(rf"https?://\S+/account/{kind}/[^/\s]+/", message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path


def signed_in(client) -> bool:
    response = client.get(url("en", "activity/"))
    return response.status_code == 200


def add_comment(app, author_id, status="pending", body="Ierosinu papildināt šo punktu.", on_paragraph=True,
                **fields) -> int:
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = consultation.sections[1]
        paragraph = section.paragraphs[1] if on_paragraph else None
        comment = Comment(consultation_id=consultation.id, section_id=section.id, author_id=author_id,
                          paragraph_id=paragraph.id if paragraph else None,
                          version_id=paragraph.version_id if paragraph else None,
                          stance=fields.pop("stance", "proposes"), body=body, status=status,
                          fingerprint=uuid.uuid4().hex, idempotency_key=uuid.uuid4().hex, **fields)
        db.session.add(comment)
        db.session.commit()
        return comment.id


# --- Registration ------------------------------------------------------------------------

@pytest.mark.parametrize("lang, subject", [("lv", "Apstipriniet savu e-pasta adresi"),
                                           ("en", "Confirm your e-mail address")])
def test_registration_sends_a_confirmation_link_in_the_page_language(app, client, lang, subject):
    response = register(client, lang, display_name="  Anna\u200b  Bērziņa ", email=" Anna@Example.TEST ")
    assert response.status_code == 303
    assert response.headers["Location"] == url(lang, "register/check-your-email/")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and f'<html lang="{lang}"' in page.get_data(as_text=True)

    [user] = users(app)
    assert user.email == "anna@example.test" and user.display_name == "Anna Bērziņa"
    assert user.language == lang and user.role == "citizen" and user.respondent_type == "citizen"
    assert user.consent_at is not None and user.email_confirmed_at is None
    assert user.password_hash.startswith("scrypt:") and GOOD_PASSWORD not in user.password_hash

    [message] = outbox_messages(app)
    assert message["To"] == "anna@example.test" and message["Subject"] == subject
    link = link_in(message, "confirm")
    assert link.startswith(f"/{lang}/account/confirm/")

    confirmed = client.get(link)
    assert confirmed.status_code == 200
    assert get_user(app, id=user.id).email_confirmed_at is not None
    assert client.get(link).status_code == 200  # a second visit changes nothing and does not fail


def test_latvian_confirmation_mail_is_in_latvian(app, client):
    register(client, "lv")
    body = outbox_messages(app)[0].get_content()
    assert "Labdien, Anna Bērziņa!" in body and "apstiprinātu" in body and "3 dienas" in body


def test_every_invalid_field_gets_its_message_beside_it_and_typed_values_stay(app, client):
    response = form_post(client, url("en", "register/"), {
        "display_name": "", "email": "not-an-address", "password": "short", "website": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"<title>Error: Create an account", html)
    assert 'class="error-summary"' in html
    for field, message in [("display_name", "Enter your name."),
                           ("email", "Enter an e-mail address in the right format"),
                           ("password", "Use at least 8 characters"),
                           ("respondent_type", "Choose how you take part."),
                           ("consent", "agree to the privacy notice")]:
        assert re.search(rf'id="{field}-error">.*?{re.escape(message)}', html), field
        assert f'href="#{field}' in html  # the summary links to the field
    assert 'value="not-an-address"' in html
    assert "short" not in re.sub(r"<p class=\"field-error\".*?</p>", "", html.split("<form", 1)[1])
    assert users(app) == [] and outbox_messages(app) == []


def test_valid_values_are_kept_when_another_field_is_wrong(client):
    html = register(client, display_name="ā" * 81, respondent_type="academic").get_data(as_text=True)
    assert "Use at most 80 characters (you used 81)." in html
    assert 'value="anna@example.test"' in html
    assert re.search(r'<input checked[^>]*value="academic"|<input[^>]*value="academic"[^>]*checked', html)
    assert re.search(r'<input checked[^>]*name="consent"|<input[^>]*name="consent"[^>]*checked', html)
    assert GOOD_PASSWORD not in html


def test_latvian_error_page_title_starts_with_kluda(client):
    html = register(client, "lv", email="").get_data(as_text=True)
    assert re.search(r"<title>Kļūda:", html)


def test_duplicate_email_reveals_nothing_and_warns_the_owner(app, client, make_user):
    make_user(email="taken@example.test")
    fresh = register(app.test_client(), email="new@example.test")
    taken = register(client, email=" Taken@Example.test ", display_name="Someone Else")
    assert taken.status_code == fresh.status_code == 303
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert client.get(taken.headers["Location"]).get_data() == \
        app.test_client().get(fresh.headers["Location"]).get_data()
    assert len(users(app)) == 2
    assert get_user(app, email="taken@example.test").display_name != "Someone Else"
    messages = {message["To"]: message for message in outbox_messages(app)}
    warning = messages["taken@example.test"]
    assert warning["Subject"] == "Someone tried to create an account with your e-mail address"
    assert "/account/confirm/" not in warning.get_content()
    assert "/en/account/reset/" in warning.get_content()


def test_filled_honeypot_is_refused(app, client):
    response = register(client, website="http://spam.example/")
    assert response.status_code == 200
    assert "This form could not be accepted" in response.get_data(as_text=True)
    assert users(app) == [] and outbox_messages(app) == []


@pytest.mark.parametrize("password", ["parole123", "Parole123", "PASSWORD1", "qwerty123", "12345678"])
def test_common_password_is_refused_whatever_its_case(app, client, password):
    html = register(client, password=password).get_data(as_text=True)
    assert "This password is too common" in html
    assert users(app) == []


def test_too_long_password_is_refused(app, client):
    html = register(client, password="a" * 129 + "ā").get_data(as_text=True)
    assert "Use at most 128 characters for your password." in html
    assert users(app) == []


def test_long_unicode_password_works_and_its_truncation_does_not(app, client):
    assert len(LONG_PASSWORD) == 64 and "👩" in LONG_PASSWORD and "ž" in LONG_PASSWORD
    assert register(client, password=LONG_PASSWORD).status_code == 303
    for wrong in (LONG_PASSWORD[:-1], LONG_PASSWORD[:63] + "y", LONG_PASSWORD[:32]):
        assert sign_in(app.test_client(), "anna@example.test", wrong).status_code == 200
    assert sign_in(client, "anna@example.test", LONG_PASSWORD).status_code == 303
    # The same password typed with combining marks (NFD) is the same password.
    other = app.test_client()
    assert sign_in(other, "anna@example.test", unicodedata.normalize("NFD", LONG_PASSWORD)).status_code == 303


def test_extra_fields_like_role_are_ignored(app, client):
    response = register(client, role="admin", email_confirmed_at="2020-01-01", id="1", session_token="x",
                        language="en")
    assert response.status_code == 303
    [user] = users(app)
    assert user.role == "citizen" and user.email_confirmed_at is None and user.session_token != "x"


def test_registration_is_rate_limited_per_client(app, client):
    for _attempt in range(20):
        form_post(client, url("en", "register/"), {"display_name": ""})
    response = form_post(client, url("en", "register/"), {"display_name": ""})
    assert response.status_code == 429


# --- Confirmation --------------------------------------------------------------------------

@pytest.mark.parametrize("lang, text", [("en", "This link does not work"), ("lv", "<h1>")])
def test_garbage_confirmation_link_gets_a_friendly_400(client, lang, text):
    response = client.get(url(lang, "confirm/not-a-token/"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert text in html and f'<html lang="{lang}"' in html
    assert "/account/login/" in html


def test_expired_confirmation_link_gets_a_friendly_400(app, client, monkeypatch):
    from consult.services import accounts
    register(client)
    link = link_in(outbox_messages(app)[0], "confirm")
    monkeypatch.setattr(accounts.registration, "CONFIRM_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)
    assert users(app)[0].email_confirmed_at is None


def test_unconfirmed_user_may_sign_in_sees_a_notice_and_can_ask_for_a_new_link(app, client):
    register(client)
    assert sign_in(client, "anna@example.test", GOOD_PASSWORD).status_code == 303
    html = client.get(url("en", "activity/")).get_data(as_text=True)
    assert "is not confirmed yet" in html and "Send the link again" in html
    for _attempt in range(3):
        response = form_post(client, url("en", "resend-confirmation/"), {}, page_url=url("en", "activity/"))
        assert response.status_code == 303
    assert len(outbox_messages(app)) == 4
    throttled = form_post(client, url("en", "resend-confirmation/"), {}, page_url=url("en", "activity/"))
    assert throttled.status_code == 429
    assert client.get(url("en", "resend-confirmation/")).status_code == 405
    client.get(link_in(outbox_messages(app)[-1], "confirm"))
    assert "is not confirmed yet" not in client.get(url("en", "activity/")).get_data(as_text=True)


# --- Signing in and out ------------------------------------------------------------------

def test_unknown_address_and_wrong_password_get_the_same_message(app, make_user):
    make_user(email="known@example.test")
    unknown = sign_in(app.test_client(), "nobody@example.test", PASSWORD)
    wrong = sign_in(app.test_client(), "known@example.test", "wrong password here")
    assert unknown.status_code == wrong.status_code == 200

    def message(response):
        return re.search(r'id="email-error">(.*?)</p>', response.get_data(as_text=True), re.S).group(1)
    assert message(unknown) == message(wrong)
    assert "The e-mail address or the password is not right." in message(wrong)
    assert "<title>Error: Sign in" in wrong.get_data(as_text=True)
    assert 'value="known@example.test"' in wrong.get_data(as_text=True)


def test_sign_in_records_the_time_and_goes_to_my_activity(app, client, make_user):
    user_id = make_user(email="known@example.test")
    response = sign_in(client, "Known@Example.test", PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == url("en", "activity/")
    assert get_user(app, id=user_id).last_login_at is not None
    assert signed_in(client)


def test_session_cookie_changes_at_sign_in(client, make_user):
    make_user(email="known@example.test")
    html = client.get(url("en", "login/")).get_data(as_text=True)
    before = client.get_cookie("session").value
    response = client.post(url("en", "login/"), data={"email": "known@example.test", "password": PASSWORD,
                                                        "csrf_token": csrf_token_from(html)})
    assert response.status_code == 303
    after = client.get_cookie("session").value
    assert after != before
    # A form token from before the sign-in belonged to the old session: it no longer works.
    assert client.post(url("en", "logout/"), data={"csrf_token": csrf_token_from(html)}).status_code == 400
    assert signed_in(client)


def test_next_is_kept_through_the_form_and_must_be_on_this_site(app, make_user):
    make_user(email="known@example.test")
    client = app.test_client()
    page = client.get(url("en", "login/?next=/en/account/password/")).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/en/account/password/"' in page
    response = client.post(url("en", "login/"), data={"email": "known@example.test", "password": PASSWORD,
                                                        "next": "/en/account/password/",
                                                        "csrf_token": csrf_token_from(page)})
    assert response.headers["Location"] == "/en/account/password/"
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        other = app.test_client()
        response = form_post(other, url("en", "login/"), {"email": "known@example.test", "password": PASSWORD,
                                                           "next": evil})
        assert response.headers["Location"] == url("en", "activity/")


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    for path in ("activity/", "export/", "delete/", "password/"):
        response = client.get(url("lv", path))
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location.startswith("/lv/account/login/") and "next=" in location


def test_sign_in_is_throttled_per_account_without_locking_others_on_the_same_ip(app, client, make_user):
    make_user(email="victim@example.test")
    make_user(email="other@example.test")
    for _attempt in range(5):
        assert sign_in(client, "victim@example.test", "not the password").status_code == 200
    throttled = sign_in(client, "VICTIM@example.test", PASSWORD, lang="lv")
    assert throttled.status_code == 429
    assert "Pārāk daudz pieteikšanās mēģinājumu" in throttled.get_data(as_text=True)
    assert throttled.headers["Cache-Control"] == "no-store"
    assert sign_in(client, "other@example.test", PASSWORD).status_code == 303


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_the_lock_out_page_links_back_to_sign_in_and_to_a_new_password(app, client, make_user, lang):
    make_user(email="victim@example.test")
    for _attempt in range(5):
        sign_in(client, "victim@example.test", "not the password", lang=lang)
    throttled = sign_in(client, "victim@example.test", "not the password", lang=lang)
    assert throttled.status_code == 429
    html = throttled.get_data(as_text=True)
    main = html[html.index('<main'):html.index('</main>')]
    assert f'href="/{lang}/account/login/"' in main and f'href="/{lang}/account/reset/"' in main
    assert f'<html lang="{lang}"' in html


def test_other_throttled_pages_keep_the_general_message(app, client):
    for _attempt in range(21):
        response = form_post(client, url("en", "register/"), {"display_name": ""})
    assert response.status_code == 429
    main = response.get_data(as_text=True).split('<main', 1)[1]
    assert "Too many attempts" in main and "/en/account/reset/" not in main


def test_sign_in_is_throttled_per_client_address(app, client):
    for number in range(30):
        sign_in(client, f"person{number}@example.test", "not the password")
    assert sign_in(client, "another@example.test", "not the password").status_code == 429


def test_sign_out_is_post_only_and_ends_every_session_of_the_user(app, make_user, login):
    user_id = make_user(email="known@example.test")
    first, second = app.test_client(), app.test_client()
    assert sign_in(first, "known@example.test", PASSWORD).status_code == 303
    assert sign_in(second, "known@example.test", PASSWORD).status_code == 303
    copied_cookie = first.get_cookie("session").value

    assert first.get(url("en", "logout/")).status_code == 405
    assert signed_in(first)
    response = form_post(first, url("en", "logout/"), {}, page_url=url("en", "activity/"))
    assert response.status_code == 303 and response.headers["Location"] == "/en/"
    assert not signed_in(first)
    assert not signed_in(second)
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert not signed_in(replay)
    assert get_user(app, id=user_id).is_active


def test_suspended_user_cannot_sign_in_and_an_open_session_stops_working(app, client, make_user):
    from consult.clock import utcnow
    user_id = make_user(email="known@example.test")
    assert sign_in(client, "known@example.test", PASSWORD).status_code == 303
    update_user(app, user_id, suspended_at=utcnow())
    assert not signed_in(client)
    response = sign_in(app.test_client(), "known@example.test", PASSWORD)
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.get_data(as_text=True)


# --- Passwords ---------------------------------------------------------------------------

def test_password_reset_link_works_once_in_the_users_language(app, make_user):
    user_id = make_user(email="known@example.test", language="en")
    open_session = app.test_client()
    sign_in(open_session, "known@example.test", PASSWORD)
    client = app.test_client()
    response = form_post(client, url("lv", "reset/"), {"email": "KNOWN@example.test"})
    assert response.status_code == 303 and response.headers["Location"] == url("lv", "reset/check-your-email/")
    [message] = outbox_messages(app)
    assert message["To"] == "known@example.test"
    assert message["Subject"] == "Set a new password"  # the user's language, not the page's
    link = link_in(message, "reset")

    assert client.get(link).status_code == 200
    mismatch = form_post(client, link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD + "!"})
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    weak = form_post(client, link, {"password": "password1", "password_again": "password1"})
    assert "too common" in weak.get_data(as_text=True)
    done = form_post(client, link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/en/account/login/"  # the link is in English

    assert not signed_in(open_session)
    assert sign_in(app.test_client(), "known@example.test", PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "known@example.test", GOOD_PASSWORD).status_code == 303
    used = client.get(link)
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)
    assert get_user(app, id=user_id).email_confirmed_at is not None
    assert outbox_messages(app)[-1]["Subject"] == "Your password has been changed"


def test_garbage_and_expired_reset_links_get_a_friendly_400(app, client, make_user, monkeypatch):
    from consult.services import accounts
    garbage = client.get(url("en", "reset/garbage.token.value/"))
    assert garbage.status_code == 400
    assert "This link does not work" in garbage.get_data(as_text=True)
    assert 'href="/en/account/reset/"' in garbage.get_data(as_text=True)
    posted = client.post(url("en", "reset/garbage/"), data={
        "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD,
        "csrf_token": csrf_token_from(client.get(url("en", "reset/")).get_data(as_text=True))})
    assert posted.status_code == 400

    make_user(email="known@example.test", language="en")
    form_post(client, url("en", "reset/"), {"email": "known@example.test"})
    link = link_in(outbox_messages(app)[0], "reset")
    monkeypatch.setattr(accounts.passwords, "RESET_MAX_AGE", -1)
    expired = client.get(link)
    assert expired.status_code == 400 and "one hour" in expired.get_data(as_text=True)


def test_reset_answers_the_same_for_unknown_addresses_and_is_throttled_per_address(app, make_user):
    make_user(email="known@example.test")
    known = form_post(app.test_client(), url("en", "reset/"), {"email": "known@example.test"})
    unknown = form_post(app.test_client(), url("en", "reset/"), {"email": "unknown@example.test"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [m["To"] for m in outbox_messages(app)] == ["known@example.test"]
    client = app.test_client()
    for _attempt in range(2):
        assert form_post(client, url("en", "reset/"), {"email": "unknown@example.test"}).status_code == 303
    assert form_post(client, url("en", "reset/"), {"email": "unknown@example.test"}).status_code == 429
    assert form_post(client, url("en", "reset/"), {"email": "someone@example.test"}).status_code == 303


def test_reset_form_checks_the_address_format(client):
    html = form_post(client, url("en", "reset/"), {"email": "nonsense"}).get_data(as_text=True)
    assert 'id="email-error"' in html and 'value="nonsense"' in html


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app, make_user):
    make_user(email="known@example.test")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "known@example.test", PASSWORD)
    sign_in(elsewhere, "known@example.test", PASSWORD)
    page = url("en", "password/")
    wrong = form_post(here, page, {"current_password": "nope nope", "password": GOOD_PASSWORD,
                                   "password_again": GOOD_PASSWORD})
    assert wrong.status_code == 200
    assert re.search(r'id="current_password-error">.*The password is not right.', wrong.get_data(as_text=True))
    assert signed_in(elsewhere)

    done = form_post(here, page, {"current_password": PASSWORD, "password": GOOD_PASSWORD,
                                  "password_again": GOOD_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == url("en", "activity/")
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert sign_in(app.test_client(), "known@example.test", GOOD_PASSWORD).status_code == 303
    assert outbox_messages(app)[-1]["Subject"] == "Jūsu parole ir nomainīta"  # the user's language: lv


# --- My activity, export, deletion -------------------------------------------------------

def test_my_activity_shows_profile_and_every_comment_with_its_status(app, client, demo, make_user, login):
    from consult.clock import utcnow
    user_id = make_user(display_name="Anna Bērziņa", email="anna@example.test", respondent_type="academic")
    add_comment(app, user_id, status="approved", body="Atbalstu šo priekšlikumu.", stance="supports")
    add_comment(app, user_id, status="rejected", body="Noraidīts teksts", moderation_reason="off_topic",
                moderated_at=utcnow(), on_paragraph=False)
    add_comment(app, user_id, status="pending", body="Pirmā rinda\notrā rinda\n\nOtrā rindkopa")
    other = make_user()
    add_comment(app, other, body="Cita cilvēka komentārs")
    login(client, user_id)
    response = client.get(url("en", "activity/"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Anna Bērziņa" in html and "anna@example.test" in html
    assert "You have written 3 comments." in html
    assert "Atbalstu šo priekšlikumu." in html and "Noraidīts teksts" in html
    assert "Pirmā rinda<br>otrā rinda</p>" in html and "<p>Otrā rindkopa</p>" in html
    assert "Cita cilvēka komentārs" not in html
    assert html.index("Pirmā rinda") < html.index("Noraidīts teksts") < html.index("Atbalstu")  # newest first
    assert "Paragraph 2.2" in html and "Section 2" in html
    assert f'href="/en/consultations/{DEMO}/sections/2/#p-2.2"' in html
    assert "/en/account/password/" in html and "/en/account/export/" in html and "/en/account/delete/" in html


def test_my_activity_runs_the_same_number_of_queries_for_many_comments(app, client, demo, make_user, login,
                                                                       count_queries):
    user_id = make_user()
    login(client, user_id)
    add_comment(app, user_id)
    with count_queries as few:
        assert client.get(url("en", "activity/")).status_code == 200
    for number in range(15):
        add_comment(app, user_id, body=f"Komentārs {number}", on_paragraph=number % 2 == 0)
    with count_queries as many:
        assert client.get(url("en", "activity/")).status_code == 200
    assert many.count == few.count


def test_latvian_activity_page_shows_dates_in_latvian(app, client, demo, make_user, login):
    user_id = make_user()
    add_comment(app, user_id)
    login(client, user_id)
    html = client.get(url("lv", "activity/")).get_data(as_text=True)
    assert '<html lang="lv"' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">\d{4}\. gada \d{1,2}\. \w+', html)


def test_export_holds_everything_about_the_user_and_nothing_about_others(app, client, demo, make_user, login):
    user_id = make_user(display_name="Anna Bērziņa", email="anna@example.test")
    other = make_user(display_name="Otra Persona", email="other@example.test")
    mine = add_comment(app, user_id, status="hidden", body="Mans komentārs ar ā un č", moderation_reason="spam")
    add_comment(app, user_id, status="withdrawn", body="Atsaukts", on_paragraph=False)
    theirs = add_comment(app, other, body="Cita komentārs")
    from consult.extensions import db
    with app.app_context():
        db.session.add(Report(comment_id=theirs, reporter_id=user_id, reason="offensive", note="Aizskarošs"))
        db.session.add(Report(comment_id=mine, reporter_id=other, reason="spam", note="Otra ziņojums"))
        db.session.commit()
    login(client, user_id)
    response = client.get(url("en", "export/"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=consult-my-data.json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    raw = response.get_data()
    assert "Mans komentārs ar ā un č".encode() in raw  # UTF-8, not \\u escapes
    data = json.loads(raw.decode("utf-8"))
    assert data["profile"]["email"] == "anna@example.test"
    assert data["profile"]["display_name"] == "Anna Bērziņa"
    assert data["profile"]["consent_at"].endswith("Z")
    assert [c["body"] for c in data["comments"]] == ["Mans komentārs ar ā un č", "Atsaukts"]
    first = data["comments"][0]
    assert first["status"] == "hidden" and first["stance"] == "proposes" and first["section"] == 2
    assert first["paragraph"] == "2.2" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["created_at"])
    assert data["comments"][1]["paragraph"] is None
    assert [(r["comment"], r["reason"], r["note"]) for r in data["reports"]] == [(theirs, "offensive", "Aizskarošs")]
    assert "other@example.test" not in raw.decode() and "Otra" not in raw.decode()
    assert "Cita komentārs" not in raw.decode()


def test_export_lists_what_the_user_follows_and_since_when_without_any_key(app, client, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, Follow
    from consult.services import follow as follow_service

    from .pages import CLOSED
    user_id = make_user(email="anna@example.test", language="en")
    other = make_user(email="other@example.test")
    with app.app_context():
        demo_consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        closed = db.session.query(Consultation).filter_by(slug=CLOSED).one()
        follow_service.follow_as_user(demo_consultation, db.session.get(User, user_id), "en")
        follow_service.follow_as_user(closed, db.session.get(User, other), "lv")
        # The same address also follows a consultation by e-mail, confirmed through the link.
        by_email = Follow(consultation_id=closed.id, email="anna@example.test", language="lv", key="k" * 16,
                          confirmed_at=utcnow())
        db.session.add_all([by_email, Follow(consultation_id=demo_consultation.id, email="someone@example.test",
                                             language="lv", key="s" * 16, confirmed_at=utcnow())])
        db.session.commit()
        keys = [f.key for f in db.session.query(Follow)]
    login(client, user_id)
    raw = client.get(url("en", "export/")).get_data(as_text=True)
    follows = json.loads(raw)["follows"]
    assert [(f["consultation"], f["followed_with"], f["language"]) for f in follows] == [
        (DEMO, "account", "en"), (CLOSED, "email", "lv")]
    for follow in follows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", follow["since"])
        assert follow["confirmed_at"].endswith("Z") and follow["last_message_at"] is None
        assert follow["title"]
    assert not any(key in raw for key in keys), "no key (or token made from it) is exported"
    assert "unsubscribe" not in raw and "someone@example.test" not in raw and "other@example.test" not in raw


def test_export_holds_the_users_poll_votes_positions_and_organisations_and_nobody_elses(app, client, demo,
                                                                                     make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, Organisation, Poll, PollOption, Position, PositionSignature, Section
    from consult.services import polls
    user_id = make_user(email="anna@example.test")
    other_id = make_user(email="other@example.test")
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        poll = Poll(consultation_id=consultation.id, question_lv="Vai atbalstāt individuālo budžetu?",
                    question_en="Do you support individual budgets?", multiple=True,
                    options=[PollOption(position=0, label_lv="Jā", label_en="Yes"),
                             PollOption(position=1, label_lv="Daļēji", label_en="In part"),
                             PollOption(position=2, label_lv="Nē", label_en="No")])
        db.session.add(poll)
        db.session.commit()
        yes, partly, no = (option.id for option in poll.options)
        polls.cast_vote(poll, f"user:{user_id}", [partly, yes], user_id)
        polls.cast_vote(poll, f"user:{other_id}", [no], other_id)
        polls.cast_vote(poll, "browser:someone", [no], None)
        mine = Organisation(name="Biedrība “Tilts”", kind="ngo", registration_number="40008000000",
                            verified_at=utcnow(), representatives=[db.session.get(User, user_id)])
        theirs = Organisation(name="Cita biedrība", kind="ngo", representatives=[db.session.get(User, other_id)])
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=6).one()
        db.session.add_all([mine, theirs])
        db.session.flush()
        db.session.add_all([
            Position(consultation_id=consultation.id, organisation_id=mine.id, author_id=user_id,
                     title="Par individuālo budžetu", body="Mūsu viedoklis ar ā un č.", language="lv",
                     whole_draft=False, sections=[section], status="pending", idempotency_key="k1",
                     attachment_name="viedoklis.edoc", attachment_stored="a" * 32, attachment_size=2048,
                     signatures=[PositionSignature(signer_name="ANNA BĒRZIŅA", issuer_name="eParaksts",
                                                   signed_at=utcnow(), status="valid")]),
            Position(consultation_id=consultation.id, organisation_id=theirs.id, author_id=other_id,
                     title="Cits viedoklis", body="Cita teksts.", status="approved", idempotency_key="k2"),
        ])
        db.session.commit()
    login(client, user_id)
    raw = client.get(url("en", "export/")).get_data(as_text=True)
    data = json.loads(raw)
    [vote] = data["poll_votes"]
    assert vote["question"] == "Vai atbalstāt individuālo budžetu?" and vote["consultation"] == DEMO
    assert vote["answers"] == ["Jā", "Daļēji"] and vote["answers_en"] == ["Yes", "In part"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", vote["voted_at"])
    [position] = data["positions"]
    assert (position["title"], position["body"], position["organisation"]) == (
        "Par individuālo budžetu", "Mūsu viedoklis ar ā un č.", "Biedrība “Tilts”")
    assert position["status"] == "pending" and position["sections"] == [6] and position["consultation"] == DEMO
    assert position["attachment"] == {"name": "viedoklis.edoc", "size": 2048}
    assert position["signatures"][0]["signer"] == "ANNA BĒRZIŅA" and position["signatures"][0]["status"] == "valid"
    assert data["organisations"] == [{"name": "Biedrība “Tilts”", "registration_number": "40008000000",
                                      "kind": "ngo", "status": "verified",
                                      "created_at": data["organisations"][0]["created_at"]}]
    assert "Nē" not in raw and "Cits viedoklis" not in raw and "Cita biedrība" not in raw
    assert "a" * 32 not in raw  # where the file is stored is the site's business


def test_an_unconfirmed_account_does_not_export_the_follows_of_its_address(app, client, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, Follow
    user_id = make_user(email="claimed@example.test", confirmed=False)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        db.session.add(Follow(consultation_id=consultation.id, email="claimed@example.test", language="lv",
                              key="k" * 16, confirmed_at=utcnow()))
        db.session.commit()
    login(client, user_id)
    assert json.loads(client.get(url("en", "export/")).get_data(as_text=True))["follows"] == []


def test_deleting_the_account_anonymises_it_and_keeps_the_comments(app, demo, make_user):
    user_id = make_user(email="anna@example.test", display_name="Anna Bērziņa")
    comment_ids = [add_comment(app, user_id, status="approved", show_name=True),
                   add_comment(app, user_id, status="pending", show_name=True)]
    client, elsewhere = app.test_client(), app.test_client()
    sign_in(client, "anna@example.test", PASSWORD)
    sign_in(elsewhere, "anna@example.test", PASSWORD)
    page = client.get(url("en", "delete/"))
    assert page.status_code == 200 and "Delete your account" in page.get_data(as_text=True)

    wrong = form_post(client, url("en", "delete/"), {"password": "not it at all", "confirm": "y"})
    assert "The password is not right." in wrong.get_data(as_text=True)
    unticked = form_post(client, url("en", "delete/"), {"password": PASSWORD})
    assert 'id="confirm-error"' in unticked.get_data(as_text=True)
    assert get_user(app, id=user_id).deleted_at is None

    done = form_post(client, url("en", "delete/"), {"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 303 and done.headers["Location"] == "/en/"
    assert "Your account has been deleted." in client.get("/en/").get_data(as_text=True)
    user = get_user(app, id=user_id)
    assert user.email is None and user.display_name == "" and user.password_hash == ""
    assert user.deleted_at is not None
    assert not signed_in(client) and not signed_in(elsewhere)
    assert sign_in(app.test_client(), "anna@example.test", PASSWORD).status_code == 200
    from consult.extensions import db
    with app.app_context():
        kept = db.session.query(Comment).filter(Comment.id.in_(comment_ids)).all()
        assert len(kept) == 2 and not any(c.show_name for c in kept)
        assert all(c.author_id == user_id for c in kept)
    # The address can be used for a new account.
    assert register(app.test_client(), email="anna@example.test").status_code == 303
    assert get_user(app, email="anna@example.test").id != user_id


# --- Cross-cutting: CSRF, caching --------------------------------------------------------

def test_missing_or_foreign_csrf_token_is_refused_and_nothing_is_stored(app, client, make_user, login):
    missing = client.post(url("en", "register/"), data=registration())
    assert missing.status_code == 400 and "The form has expired" in missing.get_data(as_text=True)
    foreign_token = csrf_token_from(app.test_client().get(url("en", "register/")).get_data(as_text=True))
    client.get(url("en", "register/"))
    foreign = client.post(url("en", "register/"), data={**registration(), "csrf_token": foreign_token})
    assert foreign.status_code == 400
    assert users(app) == [] and outbox_messages(app) == []

    user_id = make_user()
    login(client, user_id)
    assert client.post(url("en", "logout/")).status_code == 400
    assert signed_in(client)
    assert client.post(url("en", "delete/"), data={"password": PASSWORD, "confirm": "y"}).status_code == 400
    assert get_user(app, id=user_id).deleted_at is None


def test_every_account_page_is_not_cached(app, client, make_user, login):
    for path in ("register/", "login/", "reset/", "register/check-your-email/", "confirm/x/", "reset/x/"):
        assert client.get(url("en", path)).headers["Cache-Control"] == "no-store", path
    login(client, make_user())
    for path in ("activity/", "password/", "delete/", "export/"):
        assert client.get(url("lv", path)).headers["Cache-Control"] == "no-store", path


def test_hostile_display_name_is_stored_exactly_and_shown_inert(app, client):
    name = '<script>alert(1)</script> \u202eĀboliņš'
    register(client, display_name=name)
    [user] = users(app)
    assert user.display_name == "<script>alert(1)</script> Āboliņš"
    sign_in(client, "anna@example.test", GOOD_PASSWORD)
    html = client.get(url("en", "activity/")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Āboliņš" in html


def _hostile_inputs() -> list[str]:
    path = pathlib.Path(__file__).resolve().parents[2] / "shared" / "testdata" / "hostile_inputs.json"
    if not path.exists():
        return ["<script>alert(1)</script>", "{{7*7}}", "' OR '1'='1", "ā" * 100_000]
    return [text for group in json.loads(path.read_text("utf-8"))["inputs"].values() for text in group]


def test_hostile_inputs_in_every_account_field_never_break_a_page(app):
    from consult.extensions import limiter
    from consult.forms import normalise_name
    client = app.test_client()
    for number, text in enumerate(_hostile_inputs()):
        with app.app_context():
            limiter.reset()
        email = f"hostile{number}@example.test"
        response = register(client, display_name=text, email=email)
        assert response.status_code in (200, 303), (text[:40], response.status_code)
        stored = get_user(app, email=email)
        if response.status_code == 303:
            assert stored.display_name == normalise_name(text)
        else:
            assert stored is None and 'id="display_name-error"' in response.get_data(as_text=True)
        for path, data in (("register/", registration(email=text)), ("login/", {"email": text, "password": text}),
                           ("reset/", {"email": text})):
            response = form_post(client, url("en", path), data)
            assert response.status_code in (200, 303), (path, text[:40], response.status_code)
            assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_nul_in_a_name_gets_a_message(app, client):
    html = register(client, display_name="An\x00na").get_data(as_text=True)
    assert "NUL" in html and users(app) == []


def test_account_pages_are_valid_html(app, demo, make_user, login, tmp_path):
    user_id = make_user(confirmed=False)
    add_comment(app, user_id, status="rejected", moderation_reason="offensive", moderation_note="Lūdzu, bez "
                "apvainojumiem.")
    add_comment(app, user_id, on_paragraph=False)
    pages = {}
    for lang in ("lv", "en"):
        client = app.test_client()
        for path in ("register/", "register/check-your-email/", "login/", "reset/", "reset/check-your-email/",
                     "confirm/broken/", "reset/broken/"):
            pages[url(lang, path)] = client.get(url(lang, path)).get_data(as_text=True)
        pages[url(lang, "register/") + " (errors)"] = form_post(
            client, url(lang, "register/"), {"email": "x", "website": ""}).get_data(as_text=True)
        pages[url(lang, "login/") + " (errors)"] = sign_in(client, "x@example.test", "wrong",
                                                           lang).get_data(as_text=True)
        login(client, user_id)
        for path in ("activity/", "password/", "delete/"):
            pages[url(lang, path)] = client.get(url(lang, path)).get_data(as_text=True)
        pages[url(lang, "delete/") + " (errors)"] = form_post(client, url(lang, "delete/"), {}).get_data(as_text=True)
    from .test_html_valid import check_html
    assert check_html(pages, tmp_path) == []


# --- Command line --------------------------------------------------------------------------

def test_fresh_database_has_no_account(app):
    assert users(app) == []


def test_cli_creates_a_confirmed_account(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Admin@Example.test", "--role", "admin",
                                 "--password", GOOD_PASSWORD])
    assert result.exit_code == 0, result.output
    user = get_user(app, email="admin@example.test")
    assert user.role == "admin" and user.is_confirmed and user.display_name == "admin"
    assert sign_in(app.test_client(), "admin@example.test", GOOD_PASSWORD).status_code == 303


def test_cli_asks_for_the_password_twice_when_not_given(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "mod@example.test", "--role", "moderator"],
                           input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output  # hidden input
    assert get_user(app, email="mod@example.test").role == "moderator"


@pytest.mark.parametrize("args, message, code", [
    (["--email", "taken@example.test", "--role", "editor", "--password", GOOD_PASSWORD], "already exists", 1),
    (["--email", "x@example.test", "--role", "overlord", "--password", GOOD_PASSWORD], "overlord", 2),
    (["--email", "x@example.test", "--role", "admin", "--password", "password1"], "too common", 1),
    (["--email", "x@example.test", "--role", "admin", "--password", "short"], "Use at least 8 characters", 1),
    (["--email", "not an address", "--role", "admin", "--password", GOOD_PASSWORD], "in the right format", 1),
])
def test_cli_refuses_bad_input(app, runner, make_user, args, message, code):
    make_user(email="taken@example.test")
    result = runner.invoke(args=["users", "create", *args])
    assert result.exit_code == code and message in result.output
    assert len(users(app)) == 1
