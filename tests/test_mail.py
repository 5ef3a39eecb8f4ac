"""Mail is queued with what caused it, delivered after the commit, and survives a mail-server outage."""
from __future__ import annotations

import socket

import pytest

from consult.models import OutboxMessage

from .conftest import form_post, outbox_messages


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


def _register(client, email):
    return form_post(client, "/en/account/register/", {
        "display_name": "Kārlis", "email": email, "password": "ziemeļu vējš pūš stipri", "respondent_type": "citizen",
        "consent": "y", "website": ""})


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
