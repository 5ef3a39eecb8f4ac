"""Anonymous visitors get cached pages that never outlive a moderation decision or a publication."""
from __future__ import annotations

import pytest

from .pages import DEMO
from .test_comments import comments, post

SECTION = f"/lv/consultations/{DEMO}/sections/2/"


@pytest.fixture
def cached_app(app):
    """The app, whose page cache is on in tests as in production (in-process without Redis)."""
    return app


def test_second_anonymous_visit_is_served_from_the_cache(cached_app, demo):
    from sqlalchemy import event

    from consult.extensions import db
    statements = []
    client = cached_app.test_client()
    first = client.get(SECTION)
    with cached_app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        second = client.get(SECTION)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert second.status_code == 200 and second.data == first.data
    assert statements == []
    assert second.headers["Content-Security-Policy"] and second.headers["X-Content-Type-Options"] == "nosniff"


def test_approval_and_hiding_show_at_once(cached_app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Comment
    visitor = cached_app.test_client()
    author = login(cached_app.test_client(), make_user())
    post(author, body="Kešatmiņa nedrīkst to aizkavēt.")
    assert "Kešatmiņa nedrīkst" not in visitor.get(SECTION).get_data(as_text=True)
    with cached_app.app_context():
        db.session.query(Comment).update({"status": "approved"})
        db.session.commit()
    assert "Kešatmiņa nedrīkst" in visitor.get(SECTION).get_data(as_text=True)
    with cached_app.app_context():
        db.session.query(Comment).update({"status": "hidden", "moderation_reason": "spam"})
        db.session.commit()
    assert "Kešatmiņa nedrīkst" not in visitor.get(SECTION).get_data(as_text=True)
    assert comments(cached_app)[0][1] == "hidden"


def test_signed_in_people_and_other_languages_are_not_mixed_up(cached_app, demo, make_user, login):
    anonymous = cached_app.test_client()
    lv = anonymous.get(SECTION).get_data(as_text=True)
    en = anonymous.get(SECTION.replace("/lv/", "/en/")).get_data(as_text=True)
    assert '<html lang="lv"' in lv and '<html lang="en"' in en
    member = login(cached_app.test_client(), make_user())
    signed_in = member.get(SECTION).get_data(as_text=True)
    assert "<textarea" in signed_in and "<textarea" not in anonymous.get(SECTION).get_data(as_text=True)
    large = cached_app.test_client()
    large.get("/text-size/larger?next=/")
    assert 'class="text-larger"' in large.get(SECTION).get_data(as_text=True)
    assert 'class="text-normal"' in anonymous.get(SECTION).get_data(as_text=True)
