"""Following a consultation: double opt-in, what followers hear about, one message a day, unsubscribing."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from consult.clock import utcnow
from consult.models import Consultation, ConsultationEvent, Follow, User

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import CLOSED, DEMO, conclude

FOLLOW = f"/lv/consultations/{DEMO}/follow/"


def _db():
    from consult.extensions import db
    return db


def follows(app):
    db = _db()
    with app.app_context():
        return [(f.consultation.slug, f.email, f.user_id, f.confirmed_at is not None, f.language)
                for f in db.session.query(Follow).order_by(Follow.id)]


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def path_of(link: str) -> str:
    """The path of an absolute link in a message (the tests' client needs no host)."""
    return urlsplit(link).path


def follow_by_email(app, client, email="lasitaja@example.test", lang="lv", slug=DEMO) -> str:
    """Follows by e-mail and opens the confirmation link; returns the confirmation message."""
    url = f"/{lang}/consultations/{slug}/follow/"
    before = len(outbox_messages(app))
    response = form_post(client, url, {"email": email, "website": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/{lang}/consultations/{slug}/follow/check-your-email/")
    message = outbox_messages(app)[before]
    link = next(link for link in links_in(message) if "/follow/confirm/" in link)
    response = client.get(path_of(link))
    assert response.status_code == 200
    return message


def _now_plus(**delta):
    return utcnow() + timedelta(**delta)


def send(app, now=None) -> int:
    from consult.services.follow import send_follow_mail
    with app.app_context():
        return send_follow_mail(now=now)


def publish_section(app, number: int, title: str, slug=DEMO, when=None):
    from consult.services import authoring
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        authoring.add_section(consultation, number, title, f"{title} (EN)", when or utcnow())


def test_overview_offers_following_and_a_feed(client, demo):
    html = client.get(f"/lv/consultations/{DEMO}/").get_data(as_text=True)
    assert f'href="/lv/consultations/{DEMO}/follow/"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="/lv/feeds/consultations/{DEMO}.xml"' in html


def test_anyone_follows_after_confirming_the_address(app, client, demo):
    response = form_post(client, FOLLOW, {"email": " Lasitaja@Example.TEST ", "website": ""})
    assert response.status_code == 303
    assert follows(app) == [(DEMO, "lasitaja@example.test", None, False, "lv")]
    messages = outbox_messages(app)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "lasitaja@example.test"
    assert message["Content-Language"] == "lv" and "Apstipriniet" in message["Subject"]
    assert "Pamatnostādnes sociālo pakalpojumu" in message.get_content()
    # Nothing is sent to an unconfirmed address.
    publish_section(app, 21, "Jauna sadaļa")
    assert send(app) == 0
    link = next(link for link in links_in(message) if "/follow/confirm/" in link)
    confirmed = client.get(path_of(link))
    assert confirmed.status_code == 200 and "Pamatnostādnes" in confirmed.get_data(as_text=True)
    assert follows(app)[0][3] is True
    # Opening the link again changes nothing and still says yes.
    assert client.get(path_of(link)).status_code == 200


def test_the_same_answer_whether_or_not_an_address_already_follows(app, client, demo):
    follow_by_email(app, client)
    count = len(outbox_messages(app))
    response = form_post(client, FOLLOW, {"email": "lasitaja@example.test", "website": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith("/follow/check-your-email/")
    assert len(outbox_messages(app)) == count  # no second confirmation for a confirmed address
    other = form_post(client, FOLLOW, {"email": "cits@example.test", "website": ""})
    assert other.headers["Location"] == response.headers["Location"]
    form_post(client, FOLLOW, {"email": "cits@example.test", "website": ""})
    assert len(outbox_messages(app)) == count + 1  # a link at most once in ten minutes


@pytest.mark.parametrize("email, message", [
    ("", "Enter your e-mail address."),
    ("not-an-address", "Enter an e-mail address in the right format"),
    ("a\x00b@example.test", "NUL"),
])
def test_a_bad_address_gets_a_message_beside_the_field(app, client, demo, email, message):
    url = FOLLOW.replace("/lv/", "/en/")
    response = form_post(client, url, {"email": email, "website": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and 'id="email-error"' in html and 'class="error-summary"' in html
    assert html.startswith("<!doctype html>") and "<title>Error:" in html
    assert follows(app) == [] and outbox_messages(app) == []


def test_a_filled_honeypot_is_refused(app, client, demo):
    response = form_post(client, FOLLOW, {"email": "bot@example.test", "website": "http://spam.example"})
    assert response.status_code == 200 and follows(app) == []


def test_following_needs_a_csrf_token(app, client, demo):
    response = client.post(FOLLOW, data={"email": "x@example.test"})
    assert response.status_code == 400 and follows(app) == []


def test_a_forged_confirmation_link_does_not_work(client, demo):
    response = client.get("/en/follow/confirm/not-a-token/")
    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)


def test_a_draft_consultation_cannot_be_followed(app, client, demo):
    from consult.services import authoring
    db = _db()
    with app.app_context():
        authoring.change_status(db.session.query(Consultation).filter_by(slug=DEMO).one(), "draft")
    assert client.get(FOLLOW).status_code == 404
    assert client.get(f"/lv/feeds/consultations/{DEMO}.xml").status_code == 404


def test_a_signed_in_person_follows_with_one_click_and_stops(app, client, demo, make_user, login):
    user_id = make_user(email="anna@example.test", language="en")
    login(client, user_id)
    page = client.get(FOLLOW).get_data(as_text=True)
    assert "anna@example.test" in page and 'name="email"' not in page
    response = form_post(client, FOLLOW, {})
    assert response.status_code == 303
    assert follows(app) == [(DEMO, None, user_id, True, "lv")]
    assert outbox_messages(app) == []  # a confirmed account needs no confirmation mail
    page = client.get(FOLLOW).get_data(as_text=True)
    assert f'action="/lv/consultations/{DEMO}/unfollow/"' in page
    response = form_post(client, f"/lv/consultations/{DEMO}/unfollow/", {}, page_url=FOLLOW)
    assert response.status_code == 303 and follows(app) == []
    assert client.get(f"/lv/consultations/{DEMO}/unfollow/").status_code == 405


def test_an_unconfirmed_account_confirms_by_mail(app, client, demo, make_user, login):
    login(client, make_user(email="jauns@example.test", confirmed=False))
    page = client.get(FOLLOW).get_data(as_text=True)
    assert 'value="jauns@example.test"' in page
    follow_by_email(app, client, email="jauns@example.test")
    assert follows(app)[0][3] is True


def test_events_are_recorded_whatever_code_makes_the_change(app, demo):
    from consult.services import authoring
    db = _db()
    publish_section(app, 21, "Jauna sadaļa")
    publish_section(app, 22, "Vēlāka sadaļa", when=_now_plus(days=2))
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        version = authoring.start_version(consultation)
        authoring.update_change_note(version, "Precizēts 2. punkts", "Point 2 clarified")
        authoring.publish_version(version)
        authoring.change_status(consultation, "closed")
        conclude(consultation)
        kinds = [(e.kind, e.section.number if e.section else None, e.version.number if e.version else None,
                  e.happens_at > utcnow())
                 for e in db.session.query(ConsultationEvent).filter_by(consultation_id=consultation.id)
                 .order_by(ConsultationEvent.id) if e.kind != "opened" and not (
                     e.kind == "section_published" and e.section.number < 20)]
    assert kinds == [("section_published", 21, None, False), ("section_published", 22, None, True),
                     ("version_published", None, version.number, False), ("closed", None, None, False),
                     ("concluded", None, None, False)]


def test_followers_get_one_message_a_day_with_everything_new(app, client, demo):
    from consult.services import authoring
    message = follow_by_email(app, client)
    assert "Apstipriniet" in message["Subject"]
    publish_section(app, 21, "Jauna sadaļa")
    assert send(app) == 1
    digest = outbox_messages(app)[-1]
    text = digest.get_content()
    assert digest["To"] == "lasitaja@example.test" and digest["Subject"].startswith("Jaunumi: Pamatnostādnes")
    assert "Publicēta 21. sadaļa „Jauna sadaļa”." in text
    assert f"/lv/consultations/{DEMO}/sections/21/" in text
    assert "/follow/unsubscribe/" in text
    # More happens the same day: it waits for tomorrow, and then comes in one message.
    publish_section(app, 22, "Otra sadaļa")
    db = _db()
    with app.app_context():
        authoring.change_status(db.session.query(Consultation).filter_by(slug=DEMO).one(), "closed")
    assert send(app) == 0
    assert send(app, now=_now_plus(days=1)) == 1
    text = outbox_messages(app)[-1].get_content()
    assert "22. sadaļa" in text and "Konsultācija slēgta komentēšanai." in text and "21. sadaļa" not in text
    assert send(app, now=_now_plus(days=2)) == 0  # nothing new, nothing sent


def test_a_scheduled_section_is_announced_once_it_is_published(app, client, demo):
    follow_by_email(app, client)
    publish_section(app, 23, "Plānotā sadaļa", when=_now_plus(hours=30))
    assert send(app) == 0
    assert send(app, now=_now_plus(hours=31)) == 1
    assert "Plānotā sadaļa" in outbox_messages(app)[-1].get_content()


def test_one_message_covers_every_consultation_an_address_follows(app, client, demo):
    follow_by_email(app, client, slug=DEMO)
    follow_by_email(app, client, slug=CLOSED)
    publish_section(app, 21, "Jauna sadaļa")
    db = _db()
    with app.app_context():
        conclude(db.session.query(Consultation).filter_by(slug=CLOSED).one())
    before = len(outbox_messages(app))
    assert send(app) == 1
    messages = outbox_messages(app)[before:]
    assert len(messages) == 1
    text = messages[0].get_content()
    assert "Jaunumi konsultācijās, kurām sekojat" in messages[0]["Subject"]
    assert "Jauna sadaļa" in text and "Publicēti konsultācijas rezultāti." in text


def test_followers_get_messages_in_their_language(app, client, demo, make_user, login):
    follow_by_email(app, client, email="reader@example.test", lang="en")
    account = app.test_client()
    user_id = make_user(email="user@example.test", language="en")
    login(account, user_id)
    form_post(account, FOLLOW, {})  # followed from a Latvian page, but the account prefers English
    publish_section(app, 21, "Jauna sadaļa")
    assert send(app) == 2
    for message in outbox_messages(app)[-2:]:
        assert message["Content-Language"] == "en"
        assert message["Subject"].startswith("What is new: ")
        assert "Section 21 “Jauna sadaļa (EN)” is published." in message.get_content()


def test_unsubscribing_from_the_link_in_a_message(app, client, demo):
    follow_by_email(app, client)
    publish_section(app, 21, "Jauna sadaļa")
    send(app)
    link = next(link for link in links_in(outbox_messages(app)[-1]) if "/follow/unsubscribe/" in link)
    path = path_of(link)
    page = client.get(path)
    assert page.status_code == 200 and follows(app) != []  # opening the link changes nothing by itself
    response = client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 200
    assert "Pamatnostādnes" in response.get_data(as_text=True) and follows(app) == []
    again = client.get(path)
    assert again.status_code == 200
    english = client.get(path.replace("/lv/", "/en/"))
    assert "You had already stopped these e-mails." in english.get_data(as_text=True)
    assert send(app, now=_now_plus(days=1)) == 0


def test_follow_mail_carries_one_click_unsubscribe_header_fields(app, client, demo, fake_smtp):
    app.config["MAIL_URL"] = None  # the confirmation links go to the .eml outbox, where follow_by_email reads them
    follow_by_email(app, client, email="klikskis@example.test", slug=DEMO)
    follow_by_email(app, client, email="klikskis@example.test", slug=CLOSED)
    app.config["MAIL_URL"] = fake_smtp.url
    publish_section(app, 21, "Jauna sadaļa")
    db = _db()
    with app.app_context():
        conclude(db.session.query(Consultation).filter_by(slug=CLOSED).one())
    assert send(app) == 1
    digest = fake_smtp.messages()[-1]
    assert digest["To"] == "klikskis@example.test"
    header = digest["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">") and "=?" not in header
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The header's address is the body's "stop all these e-mails" link: it stops both follows.
    link = header[1:-1]
    assert f"Atteikties no visām šīm e-pasta vēstulēm: {link}" in digest.get_content()
    assert "/follow/unsubscribe/" in link
    path = path_of(link)
    page = client.get(path)
    assert page.status_code == 200 and "Atteikties no e-pasta vēstulēm" in page.get_data(as_text=True)
    assert len(follows(app)) == 2  # opening the link changes nothing by itself
    # A mail client's one-click POST: no cookies, no CSRF token, just the RFC 8058 body.
    mail_client = app.test_client()
    response = mail_client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert follows(app) == []
    assert mail_client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # again: no harm
    assert send(app, now=_now_plus(days=1)) == 0


def test_only_the_one_click_body_or_the_pages_csrf_token_unsubscribes(app, client, demo):
    follow_by_email(app, client)
    publish_section(app, 21, "Jauna sadaļa")
    send(app)
    link = next(link for link in links_in(outbox_messages(app)[-1]) if "/follow/unsubscribe/" in link)
    path = path_of(link)
    stranger = app.test_client()
    for data in (None, {}, {"List-Unsubscribe": "Yes"}, {"csrf_token": "forged"}):
        response = stranger.post(path, data=data)
        assert response.status_code == 200 and len(follows(app)) == 1  # the page with its button, again
    assert stranger.post("/lv/follow/unsubscribe/forged/", data={"List-Unsubscribe": "One-Click"}).status_code == 400
    assert len(follows(app)) == 1
    # Every other form still needs its CSRF token.
    assert stranger.post(FOLLOW, data={"email": "x@example.test", "website": ""}).status_code == 400


def test_a_forged_unsubscribe_link_changes_nothing(app, client, demo):
    follow_by_email(app, client)
    assert client.get("/lv/follow/unsubscribe/forged/").status_code == 400
    assert client.post("/lv/follow/unsubscribe/forged/", data={"csrf_token": "x"}).status_code == 400
    assert len(follows(app)) == 1


def test_a_deleted_account_follows_nothing(app, client, demo, make_user, login):
    from consult.services import accounts

    from .conftest import PASSWORD
    user_id = make_user(email="prom@example.test")
    login(client, user_id)
    form_post(client, FOLLOW, {})
    assert len(follows(app)) == 1
    db = _db()
    with app.app_context():
        accounts.delete_account(db.session.get(User, user_id), PASSWORD)
    assert follows(app) == []


def test_follow_pages_are_not_cached_and_are_valid_html(app, client, demo, make_user, login, tmp_path):
    from .test_html_valid import check_html
    pages = {}
    for lang in ("lv", "en"):
        url = f"/{lang}/consultations/{DEMO}/follow/"
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
        pages[url] = response.get_data(as_text=True)
        pages[url + " (error)"] = form_post(client, url, {"email": "x", "website": ""}).get_data(as_text=True)
        pages[url + "check-your-email/"] = client.get(url + "check-your-email/").get_data(as_text=True)
        pages[f"/{lang}/follow/confirm/x/"] = client.get(f"/{lang}/follow/confirm/x/").get_data(as_text=True)
    message = follow_by_email(app, client, email="valid@example.test")
    confirm = path_of(next(link for link in links_in(message) if "/follow/confirm/" in link))
    pages["confirmed"] = client.get(confirm).get_data(as_text=True)
    unsubscribe = re.search(r'href="(/lv/follow/unsubscribe/[^"]+)"', pages["confirmed"]).group(1)
    pages["unsubscribe"] = client.get(unsubscribe).get_data(as_text=True)
    pages["unsubscribed"] = client.post(unsubscribe, data={
        "csrf_token": csrf_token_from(pages["unsubscribe"])}).get_data(as_text=True)
    pages["already"] = client.get(unsubscribe).get_data(as_text=True)
    signed_in = app.test_client()
    login(signed_in, make_user())
    pages["signed in"] = signed_in.get(FOLLOW).get_data(as_text=True)
    form_post(signed_in, FOLLOW, {})
    pages["following"] = signed_in.get(FOLLOW).get_data(as_text=True)
    assert check_html(pages, tmp_path) == []


HOSTILE = [value for values in __import__("json").loads(
    (__import__("pathlib").Path(__file__).parent / "data" / "hostile_inputs.json").read_text(encoding="utf-8")
)["inputs"].values() for value in values]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_in_the_email_field_is_refused_harmlessly(app, client, demo, value):
    response = form_post(client, FOLLOW.replace("/lv/", "/en/"), {"email": value, "website": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    if "<" in value:
        assert value not in html
    assert follows(app) == [] and outbox_messages(app) == []
