"""Moderators decide; authors are told in their language; every decision is in the audit log."""
from __future__ import annotations

import pytest

from consult.models import Comment, ModerationEvent, User

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import DEMO
from .test_comments import POST_URL, SECTION, comments, post


@pytest.fixture
def setup(app, client, demo, make_user, login):
    author = make_user(display_name="Jānis Ozols", language="en", email="author@example.test")
    author_client = app.test_client()
    login(author_client, author)
    post(author_client, body="Lūdzu, precizējiet finansējumu.", paragraph="1")
    moderator = make_user(role="moderator", display_name="Moderatore")
    login(client, moderator)
    return {"author": author, "author_client": author_client, "moderator": moderator,
            "comment": comments(app)[0][0]}


def _events(app):
    from consult.extensions import db
    with app.app_context():
        return [(e.action, e.target_type, e.target_id, e.reason, e.actor_id)
                for e in db.session.query(ModerationEvent).order_by(ModerationEvent.id)]


def test_queue_shows_pending_comments(client, setup):
    html = client.get("/lv/moderation/").get_data(as_text=True)
    assert "Lūdzu, precizējiet finansējumu." in html
    assert client.get("/lv/moderation/").headers["Cache-Control"] == "no-store"


def test_approve_publishes_and_tells_the_author_in_their_language(app, client, setup):
    response = form_post(client, f"/lv/moderation/comments/{setup['comment']}/approve/", {}, page_url="/lv/moderation/")
    assert response.status_code == 303
    assert comments(app)[0][1] == "approved"
    assert "Lūdzu, precizējiet finansējumu." in app.test_client().get(SECTION).get_data(as_text=True)
    mail = outbox_messages(app)
    assert len(mail) == 1 and mail[0]["To"] == "author@example.test"
    assert mail[0]["Subject"] == "Your comment is published"
    assert _events(app) == [("approve", "comment", setup["comment"], None, setup["moderator"])]


def test_reject_needs_a_reason_and_tells_the_author_why(app, client, setup):
    url = f"/lv/moderation/comments/{setup['comment']}/reject/"
    missing = form_post(client, url, {"reason": "", "note": "Piezīme paliek"})
    assert missing.status_code == 400 and "Piezīme paliek" in missing.get_data(as_text=True)
    assert comments(app)[0][1] == "pending"
    response = form_post(client, url, {"reason": "off_topic", "note": "Par citu tēmu."})
    assert response.status_code == 303
    assert comments(app)[0][1] == "rejected"
    assert "Lūdzu, precizējiet" not in app.test_client().get(SECTION).get_data(as_text=True)
    mail = outbox_messages(app)[-1]
    assert mail["Subject"] == "Your comment was not published"
    assert "off topic" in mail.get_content() and "Par citu tēmu." in mail.get_content()
    assert _events(app)[-1][:4] == ("reject", "comment", setup["comment"], "off_topic")


def test_hide_leaves_a_placeholder_with_the_reason_and_can_be_undone(app, client, setup):
    form_post(client, f"/lv/moderation/comments/{setup['comment']}/approve/", {}, page_url="/lv/moderation/")
    response = form_post(client, f"/lv/moderation/comments/{setup['comment']}/hide/", {"reason": "personal_data"})
    assert response.status_code == 303
    public = app.test_client().get(SECTION.replace("/lv/", "/en/")).get_data(as_text=True)
    assert "Lūdzu, precizējiet" not in public
    assert "Hidden by a moderator: contains personal data" in public
    assert outbox_messages(app)[-1]["Subject"] == "Your comment has been hidden"
    form_post(client, f"/lv/moderation/comments/{setup['comment']}/unhide/", {}, page_url="/lv/moderation/")
    assert "Lūdzu, precizējiet" in app.test_client().get(SECTION).get_data(as_text=True)
    assert [e[0] for e in _events(app)] == ["approve", "hide", "unhide"]


def test_moderator_cannot_moderate_own_comment(app, client, setup, login):
    moderator_id = setup["moderator"]
    post(client, body="Moderatora paša komentārs.")
    own = [c for c in comments(app) if c[2] == "Moderatora paša komentārs."][0][0]
    form_post(client, f"/lv/moderation/comments/{own}/approve/", {}, page_url="/lv/moderation/")
    assert [c for c in comments(app) if c[0] == own][0][1] == "pending"
    assert all(e[2] != own for e in _events(app))
    assert moderator_id


def test_report_reaches_the_queue(app, client, setup, make_user, login):
    form_post(client, f"/lv/moderation/comments/{setup['comment']}/approve/", {}, page_url="/lv/moderation/")
    reader = app.test_client()
    login(reader, make_user())
    url = f"/lv/comments/{setup['comment']}/report/"
    response = form_post(reader, url, {"reason": "offensive", "note": "Aizskaroši."})
    assert response.status_code == 303
    html = client.get("/lv/moderation/?show=reported").get_data(as_text=True)
    assert f'id="item-{setup["comment"]}"' in html


def test_three_reports_hide_a_post_moderated_item_until_a_moderator_looks(app, client, setup, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        db.session.query(Consultation).filter_by(slug=DEMO).update({"moderation_mode": "post"})
        db.session.query(Comment).update({"status": "approved", "needs_review": False})
        db.session.commit()
    url = f"/lv/comments/{setup['comment']}/report/"
    reader = app.test_client()
    login(reader, make_user())
    form_post(reader, url, {"reason": "spam"})
    form_post(reader, url, {"reason": "spam"})  # the same reader twice counts once
    assert comments(app)[0][1] == "approved"
    for _ in range(2):
        other = app.test_client()
        login(other, make_user())
        form_post(other, url, {"reason": "spam"})
    assert comments(app)[0][1] == "hidden"
    assert "Lūdzu, precizējiet" not in app.test_client().get(SECTION).get_data(as_text=True)
    form_post(client, f"/lv/moderation/comments/{setup['comment']}/unhide/", {}, page_url="/lv/moderation/")
    assert comments(app)[0][1] == "approved"


def test_suspended_user_is_signed_out_and_cannot_post(app, client, setup):
    response = form_post(client, f"/lv/moderation/users/{setup['author']}/suspend/", {}, page_url="/lv/moderation/")
    assert response.status_code == 303
    author_client = setup["author_client"]
    html = author_client.get(SECTION).get_data(as_text=True)
    assert "<textarea" not in html  # the old session no longer works
    form_post(client, f"/lv/moderation/users/{setup['author']}/reinstate/", {}, page_url="/lv/moderation/")
    assert [e[0] for e in _events(app)] == ["suspend", "reinstate"]


def test_audit_log_lists_decisions(app, client, setup):
    form_post(client, f"/lv/moderation/comments/{setup['comment']}/reject/", {"reason": "spam"})
    html = client.get("/en/moderation/log/").get_data(as_text=True)
    assert "Moderatore" in html and "rejected" in html and "spam or advertising" in html


@pytest.mark.parametrize("role", ["citizen", "organisation", "workgroup", "editor"])
def test_wrong_role_gets_403_and_nothing_changes(app, setup, make_user, login, role):
    other = app.test_client()
    login(other, make_user(role=role))
    assert other.get("/lv/moderation/").status_code == 403
    assert other.get("/lv/moderation/log/").status_code == 403
    token = csrf_token_from(other.get(SECTION).get_data(as_text=True))
    for action in ("approve", "unhide"):
        assert other.post(f"/lv/moderation/comments/{setup['comment']}/{action}/",
                          data={"csrf_token": token}).status_code == 403
    for action in ("reject", "hide"):
        assert other.post(f"/lv/moderation/comments/{setup['comment']}/{action}/",
                          data={"csrf_token": token, "reason": "spam"}).status_code == 403
    assert other.post(f"/lv/moderation/users/{setup['author']}/suspend/", data={"csrf_token": token}).status_code == 403
    assert comments(app)[0][1] == "pending"
    assert _events(app) == []
    from consult.extensions import db
    with app.app_context():
        assert db.session.get(User, setup["author"]).suspended_at is None


def test_anonymous_visitor_is_sent_to_log_in(app, setup):
    anonymous = app.test_client()
    response = anonymous.get("/lv/moderation/")
    assert response.status_code == 302 and "/lv/account/login/" in response.headers["Location"]


def test_admin_may_moderate(app, setup, make_user, login):
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    assert admin.get("/lv/moderation/").status_code == 200


def test_moderation_post_routes_refuse_get(client, setup):
    assert client.get(f"/lv/moderation/comments/{setup['comment']}/approve/").status_code == 405


def test_suspending_an_author_asks_first_and_cancel_changes_nothing(app, client, setup):
    suspend_url = f"/lv/moderation/users/{setup['author']}/suspend/"
    queue = client.get("/lv/moderation/?show=pending").get_data(as_text=True)
    # Beside Approve there is only a link to the question, not a one-click form.
    assert f'action="{suspend_url}"' not in queue
    assert f'href="{suspend_url}?back=' in queue
    page = client.get(suspend_url + "?back=/lv/moderation/?show%3Dpending")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Jānis Ozols" in html
    assert f'<form method="post" action="{suspend_url}"' in html
    assert 'href="/lv/moderation/?show=pending"' in html  # Cancel goes back to the same queue
    from consult.extensions import db
    with app.app_context():
        assert db.session.get(User, setup["author"]).suspended_at is None
    assert _events(app) == []
    token = csrf_token_from(html)
    done = client.post(suspend_url, data={"csrf_token": token, "back": "/lv/moderation/?show=pending"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/lv/moderation/?show=pending")
    with app.app_context():
        assert db.session.get(User, setup["author"]).suspended_at is not None


def test_the_suspend_question_is_for_moderators_only(app, setup, make_user, login):
    other = app.test_client()
    login(other, make_user(role="workgroup"))
    assert other.get(f"/lv/moderation/users/{setup['author']}/suspend/").status_code == 403


def test_the_suspend_question_keeps_cancel_inside_the_queue(client, setup):
    html = client.get(f"/lv/moderation/users/{setup['author']}/suspend/?back=https://evil.example/").get_data(
        as_text=True)
    main = html[html.index("<main"):]
    assert "evil.example" not in main
    assert 'name="back" value="/lv/moderation/"' in main and 'href="/lv/moderation/">' in main
    assert POST_URL
