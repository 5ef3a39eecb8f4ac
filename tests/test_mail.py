"""Mail is queued with what caused it, delivered after the commit, and survives a mail-server outage."""
from __future__ import annotations

import socket

import pytest

from consult.models import OutboxMessage

from .conftest import csrf_token_from, form_post, outbox_messages


def _queued(app):
    from consult.extensions import db
    with app.app_context():
        return [(m.recipient, m.subject, m.sent_at is not None, m.attempts)
                for m in db.session.query(OutboxMessage).order_by(OutboxMessage.id)]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_settings(app):
    saved = {key: app.config.get(key) for key in ("MAIL_URL", "MAIL_WORKER")}
    yield app.config
    app.config.update(saved)


def _register(client, email, base_url="http://localhost"):
    html = client.get("/en/account/register/", base_url=base_url).get_data(as_text=True)
    return client.post("/en/account/register/", base_url=base_url, data={
        "display_name": "Kārlis", "email": email, "password": "ziemeļu vējš pūš stipri", "respondent_type": "citizen",
        "consent": "y", "website": "", "csrf_token": csrf_token_from(html)})


def test_message_is_queued_and_delivered_after_the_commit(app, client):
    assert _register(client, "new@example.test").status_code == 303
    assert _queued(app) == [("new@example.test", _queued(app)[0][1], True, 1)]
    assert outbox_messages(app)[0]["To"] == "new@example.test"


def test_mail_server_outage_fails_no_registration_and_loses_no_mail(app, client, mail_settings, runner):
    mail_settings["MAIL_URL"] = f"smtp://127.0.0.1:{_closed_port()}"
    assert _register(client, "patient@example.test").status_code == 303
    [(recipient, _subject, sent, attempts)] = _queued(app)
    assert recipient == "patient@example.test" and not sent and attempts == 1
    mail_settings["MAIL_URL"] = None  # the server is back (here: the .eml outbox)
    from consult.extensions import db
    with app.app_context():
        db.session.query(OutboxMessage).update({"next_attempt_at": OutboxMessage.created_at})
        db.session.commit()
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert _queued(app)[0][2] is True
    assert outbox_messages(app)[0]["To"] == "patient@example.test"


def test_with_a_worker_pages_only_queue_and_the_worker_sends_once(app, client, mail_settings, runner):
    mail_settings["MAIL_WORKER"] = True
    _register(client, "queued@example.test")
    assert outbox_messages(app) == [] and _queued(app)[0][2] is False
    assert "sent 1" in runner.invoke(args=["send-mail", "--once"]).output
    assert "sent" not in runner.invoke(args=["send-mail", "--once"]).output
    assert len(outbox_messages(app)) == 1


def test_a_rejected_decision_and_its_mail_are_one_transaction(app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Comment, ModerationEvent

    from .test_comments import post
    author = login(app.test_client(), make_user(email="author@example.test"))
    post(author, body="Teksts moderatoram.")
    moderator = login(app.test_client(), make_user(role="moderator"))
    with app.app_context():
        comment_id = db.session.query(Comment.id).scalar()
    form_post(moderator, f"/lv/moderation/comments/{comment_id}/reject/", {"reason": "spam"})
    with app.app_context():
        assert db.session.query(ModerationEvent).count() == 1
    assert [m[0] for m in _queued(app)] == ["author@example.test"]


# Extra header fields -----------------------------------------------------------------------------

LONG_LINK = "<https://consult.example/lv/follow/unsubscribe/" + "W1sxMiwiYWJjZGVmZ2hpamtsIl1d." * 8 + "sig/>"


def _queue_with_headers(app, headers, to="reader@example.test"):
    from consult.services.mail import send_email
    with app.app_context():
        send_email(to, "password_changed", "lv", headers=headers, name="Anna", reset_link="https://x.test/r")


def test_extra_header_fields_reach_the_mail_server_unfolded(app, fake_smtp, mail_settings, runner):
    from consult.extensions import db
    headers = {"List-Unsubscribe": LONG_LINK, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    _queue_with_headers(app, headers)
    with app.app_context():
        stored = db.session.query(OutboxMessage).one()
        assert stored.sent_at is not None and '"List-Unsubscribe"' in stored.headers
    [message] = fake_smtp.messages()
    assert message["To"] == "reader@example.test" and message["Content-Language"] == "lv"
    assert message["List-Unsubscribe"] == LONG_LINK
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # One line as sent, not =?utf-8?q?…?= encoded words that no mail client reads as a link.
    assert f"\r\nList-Unsubscribe: {LONG_LINK}\r\n".encode() in message.raw
    assert b"=?utf-8?" not in message.raw.split(b"\r\nList-Unsubscribe: ")[1].split(b"\r\n")[0]
    assert "Anna" in message.get_content()
    # A queued message keeps its header fields until a worker delivers it.
    mail_settings["MAIL_WORKER"] = True
    _queue_with_headers(app, headers, to="later@example.test")
    assert len(fake_smtp.messages()) == 1
    assert "sent 1" in runner.invoke(args=["send-mail", "--once"]).output
    assert fake_smtp.messages()[-1]["List-Unsubscribe"] == LONG_LINK


def test_a_message_without_extra_header_fields_is_unchanged(app, fake_smtp):
    from consult.extensions import db
    _queue_with_headers(app, None)
    with app.app_context():
        assert db.session.query(OutboxMessage).one().headers is None
    [message] = fake_smtp.messages()
    assert "List-Unsubscribe" not in message


@pytest.mark.parametrize("headers", [
    {"List-Unsubscribe": "<https://x.test/>\r\nBcc: victim@example.test"},
    {"Bcc": "victim@example.test"},
    {"To": "other@example.test"},
    {"Subject": "Another subject"},
    {"List-Unsubscribe": "<https://x.test/ā>"},
    {"List-Unsubscribe": "<https://x.test/" + "a" * 1000 + ">"},
    {"Bad Name": "x"},
    {"X-Tab": "a\tb"},
])
def test_header_fields_that_cannot_be_sent_as_given_are_refused_and_nothing_is_queued(app, headers):
    with pytest.raises(ValueError):
        _queue_with_headers(app, headers)
    assert _queued(app) == []


def test_a_damaged_stored_header_field_is_left_out_not_sent(app, fake_smtp, mail_settings, runner):
    from consult.extensions import db
    mail_settings["MAIL_WORKER"] = True
    _queue_with_headers(app, {"List-Unsubscribe": "<https://x.test/u/>"})
    with app.app_context():
        db.session.query(OutboxMessage).update(
            {"headers": '[["List-Unsubscribe", "<https://x.test/u/>"], ["Bcc", "victim@example.test"], '
                        '["X-Broken", "a\\nb"], "nonsense"]'})
        db.session.commit()
    assert "sent 1" in runner.invoke(args=["send-mail", "--once"]).output
    [message] = fake_smtp.messages()
    assert message["List-Unsubscribe"] == "<https://x.test/u/>"
    assert "Bcc" not in message and "X-Broken" not in message


def test_the_sender_is_the_mail_from_setting_with_latvian_letters(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FROM", "Labklājības ministrija <noreply@example.gov.lv>")
    assert _register(client, "sender@example.test").status_code == 303
    sent = outbox_messages(app)[-1]
    assert sent["From"].addresses[0].display_name == "Labklājības ministrija"
    assert sent["From"].addresses[0].addr_spec == "noreply@example.gov.lv"


@pytest.mark.parametrize("value", ["no address", "Ministry <@>", "a@b.lv\r\nBcc: x@y.lv"])
def test_a_mail_from_setting_that_is_no_address_stops_the_start(monkeypatch, tmp_path, value):
    from consult.config import load_config
    monkeypatch.setenv("CONSULT_MAIL_FROM", value)
    with pytest.raises(RuntimeError, match="CONSULT_MAIL_FROM"):
        load_config(tmp_path)


def test_without_mail_from_the_default_sender_is_used(monkeypatch, tmp_path):
    from consult.config import load_config
    monkeypatch.delenv("CONSULT_MAIL_FROM", raising=False)
    assert load_config(tmp_path)["MAIL_FROM"] is None


# --- Links in e-mails ---------------------------------------------------------------------------

def _confirmation_link(app) -> str:
    import re
    [message] = outbox_messages(app)
    match = re.search(r"https?://\S+/account/confirm/\S+", message.get_content())
    assert match, message.get_content()
    return match.group(0)


@pytest.fixture
def base_url_setting(app):
    saved = app.config.get("BASE_URL")
    yield app.config
    app.config["BASE_URL"] = saved


def test_without_a_base_url_mail_links_follow_the_address_the_site_is_served_on(app, base_url_setting):
    base_url_setting["BASE_URL"] = None  # development, CONSULT_BASE_URL unset
    # as `PORT=5611 make run` serves
    assert _register(app.test_client(), "port@example.test", "http://127.0.0.1:5611").status_code == 303
    link = _confirmation_link(app)
    assert link.startswith("http://127.0.0.1:5611/en/account/confirm/"), link


def test_a_configured_base_url_wins_over_the_request_address(app, base_url_setting):
    base_url_setting["BASE_URL"] = "https://konsultacijas.example.lv/"
    assert _register(app.test_client(), "configured@example.test", "http://127.0.0.1:5611").status_code == 303
    assert _confirmation_link(app).startswith("https://konsultacijas.example.lv/en/account/confirm/")


def test_outside_a_request_links_use_the_port_make_run_serves_on(app, base_url_setting, monkeypatch):
    from consult.services.mail import site_address
    base_url_setting["BASE_URL"] = None
    monkeypatch.setenv("PORT", "5611")
    with app.app_context():
        assert site_address() == "http://127.0.0.1:5611"
    monkeypatch.delenv("PORT")
    with app.app_context():
        assert site_address() == "http://127.0.0.1:5000"


def test_development_starts_without_a_base_url_and_production_requires_it(monkeypatch, tmp_path):
    from consult.config import load_config
    monkeypatch.delenv("CONSULT_BASE_URL", raising=False)
    monkeypatch.delenv("CONSULT_ENV", raising=False)
    assert load_config(str(tmp_path))["BASE_URL"] is None
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("CONSULT_SECRET_KEY", "s" * 40)
    with pytest.raises(RuntimeError, match="CONSULT_BASE_URL"):
        load_config(str(tmp_path))
    monkeypatch.setenv("CONSULT_BASE_URL", "https://konsultacijas.example.lv")
    assert load_config(str(tmp_path))["BASE_URL"] == "https://konsultacijas.example.lv"
