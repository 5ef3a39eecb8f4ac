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


@pytest.fixture(autouse=True)
def _changes_of_this_test_only(monkeypatch):
    """Only this test's own changes (made in its thread, as the test client's requests are) move the
    content generation: a commit from another thread of the test process meanwhile would otherwise
    empty the cache at a random moment of these tests."""
    import threading

    from consult import pagecache
    bump, own = pagecache.bump, threading.get_ident()
    monkeypatch.setattr(pagecache, "bump", lambda app: bump(app) if threading.get_ident() == own else None)


def test_second_anonymous_visit_is_served_from_the_cache(cached_app, demo):
    from sqlalchemy import event

    from consult.extensions import db
    statements = []
    client = cached_app.test_client()
    first = client.get(SECTION)
    with cached_app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    # A change elsewhere in the process (it bumps the content generation) rightly renders the page
    # again; the visit after that one is then served from the cache.
    for _attempt in range(3):
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            second = client.get(SECTION)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        if not statements:
            break
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


# --- The shared part of the section page for signed-in readers ----------------------------------

def _approve_all(app):
    from consult.extensions import db
    from consult.models import Comment
    with app.app_context():
        db.session.query(Comment).update({"status": "approved"})
        db.session.commit()


def _report_links(html: str) -> int:
    return html.count("/report/")


def test_readers_share_the_section_body_but_an_author_never_gets_a_report_link_on_their_own(
        cached_app, demo, make_user, login):
    from sqlalchemy import event

    from consult.extensions import db
    author_id = make_user(display_name="Anna Bērziņa")
    author = login(cached_app.test_client(), author_id)
    post(author, body="Mans komentārs par sadaļu.")
    _approve_all(cached_app)
    reader = login(cached_app.test_client(), make_user())
    other = login(cached_app.test_client(), make_user())
    first = reader.get(SECTION).get_data(as_text=True)
    assert "Mans komentārs" in first and _report_links(first) == 1
    # A second reader gets the same body from the cache: no query for comments, paragraphs or positions.
    statements = []
    with cached_app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        second = other.get(SECTION).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert "Mans komentārs" in second and _report_links(second) == 1
    assert not [s for s in statements if "FROM comments" in s and "comments.parent_id IS NULL" in s]
    assert not [s for s in statements if "FROM paragraphs" in s or "FROM positions" in s]
    # The author, after readers warmed the cache, sees their comment without a report link,
    # from the same cached body.
    statements.clear()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        own = author.get(SECTION).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert "Mans komentārs" in own and _report_links(own) == 0
    assert not [s for s in statements if "FROM comments" in s and "comments.parent_id IS NULL" in s]
    # And readers still get theirs afterwards.
    assert _report_links(reader.get(SECTION).get_data(as_text=True)) == 1


def test_an_author_can_report_the_comments_of_others_beside_their_own(cached_app, demo, make_user, login):
    author = login(cached_app.test_client(), make_user())
    neighbour = login(cached_app.test_client(), make_user())
    post(author, body="Pirmais mans komentārs.")
    post(neighbour, body="Kaimiņa komentārs ar <!--/report--> tekstā.")
    post(author, body="Otrais mans komentārs.")
    _approve_all(cached_app)
    for client, expected in ((author, 1), (neighbour, 2), (author, 1)):
        html = client.get(SECTION).get_data(as_text=True)
        assert "Otrais mans komentārs" in html and "Kaimiņa komentārs ar &lt;!--/report--&gt;" in html
        assert _report_links(html) == expected
    from consult.extensions import db
    from consult.models import Comment
    with cached_app.app_context():
        neighbours = db.session.query(Comment).filter(Comment.body.like("Kaimiņa%")).one().id
    assert f"/comments/{neighbours}/report/" in author.get(SECTION).get_data(as_text=True)


def test_a_signed_in_reader_sees_a_moderation_decision_at_once(cached_app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Comment
    reader = login(cached_app.test_client(), make_user())
    author = login(cached_app.test_client(), make_user())
    post(author, body="Šim jāparādās uzreiz pēc apstiprināšanas.")
    assert "jāparādās uzreiz" not in reader.get(SECTION).get_data(as_text=True)
    _approve_all(cached_app)
    assert "jāparādās uzreiz" in reader.get(SECTION).get_data(as_text=True)
    with cached_app.app_context():
        db.session.query(Comment).update({"status": "hidden", "moderation_reason": "spam"})
        db.session.commit()
    assert "jāparādās uzreiz" not in reader.get(SECTION).get_data(as_text=True)


def test_the_section_body_keeps_the_language_and_the_missing_translation_notice(cached_app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, Paragraph, Section
    with cached_app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=2).one()
        for paragraph in db.session.query(Paragraph).filter_by(section_id=section.id):
            paragraph.text_en = ""
        db.session.commit()
    reader = login(cached_app.test_client(), make_user())
    english = SECTION.replace("/lv/", "/en/")
    first = reader.get(english).get_data(as_text=True)
    second = reader.get(english).get_data(as_text=True)  # from the fragment cache
    assert "not yet available in English" in first and "not yet available in English" in second
    latvian = reader.get(SECTION).get_data(as_text=True)
    assert '<html lang="lv"' in latvian and "not yet available in English" not in latvian


def test_a_comment_refers_to_the_version_published_a_moment_before(cached_app, demo, make_user, login):
    """The comment form's version and paragraphs are cached, but a new version counts at once."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Comment, Consultation, Paragraph, Section, Version
    author = login(cached_app.test_client(), make_user())
    assert post(author, paragraph="2", body="Par pirmo versiju.").status_code == 303
    with cached_app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=2).one()
        old = max(consultation.versions, key=lambda version: version.number)
        new = Version(consultation=consultation, number=old.number + 1, published_at=utcnow())
        db.session.add(new)
        for paragraph in db.session.query(Paragraph).filter_by(section_id=section.id, version_id=old.id):
            db.session.add(Paragraph(section_id=section.id, version=new, number=paragraph.number,
                                     text_lv=paragraph.text_lv + " (labots)"))
        db.session.add(Paragraph(section_id=section.id, version=new, number=99, text_lv="Jauns punkts."))
        db.session.commit()
        old_id, new_id = old.id, new.id
    assert post(author, paragraph="2", body="Par otro versiju.").status_code == 303
    assert post(author, paragraph="99", body="Par jauno punktu.").status_code == 303
    with cached_app.app_context():
        stored = {c.body: (c.version_id, c.paragraph.version_id, c.paragraph.number)
                  for c in db.session.query(Comment).all()}
    assert stored == {"Par pirmo versiju.": (old_id, old_id, 2), "Par otro versiju.": (new_id, new_id, 2),
                      "Par jauno punktu.": (new_id, new_id, 99)}


def test_a_kept_section_is_still_checked_against_the_clock(cached_app, demo, monkeypatch):
    """The consultation and section rows are kept while published; a request before the section's
    publication time (a clock set back) still finds no section."""
    import consult.models.publishing as publishing_rule
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Section
    client = cached_app.test_client()
    assert client.get(SECTION).status_code == 200
    with cached_app.app_context():
        published_at = db.session.query(Section).join(Consultation).filter(
            Consultation.slug == DEMO, Section.number == 2).one().published_at
    earlier = published_at.replace(year=published_at.year - 1)
    assert earlier < utcnow()
    monkeypatch.setattr(publishing_rule, "utcnow", lambda: earlier)
    # Another query string, so the anonymous page cache holds no copy of this page.
    assert client.get(SECTION + "?comments=1").status_code == 404


# --- Signed-in readers share one rendering of the section page, with their own parts filled in --------

def _approved_comment(app, author_id, body):
    from consult.extensions import db
    from consult.models import Comment, Consultation, Section
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=2).one()
        comment = Comment(consultation_id=consultation.id, section_id=section.id, author_id=author_id,
                          stance="supports", body=body, status="approved", needs_review=False,
                          fingerprint=body, idempotency_key=body, show_name=True, language="lv")
        db.session.add(comment)
        db.session.commit()
        return comment.id


def _hidden(html, name):
    import re
    return re.findall(rf'name="{name}"[^>]*value="([^"]+)"', html)


def test_each_signed_in_reader_gets_their_own_token_and_key_in_the_shared_page(cached_app, demo, make_user, login):
    from flask import template_rendered

    from consult import pagecache
    first, second = (login(cached_app.test_client(), make_user()) for _ in range(2))
    # One rendering serves both readers while the content stays the same; a change made meanwhile by
    # anything else in the process (it bumps the generation) rightly renders again, so try once more then.
    rendered = []
    record = lambda _app, template, context, **extra: rendered.append(template.name)  # noqa: E731
    for _attempt in range(3):
        rendered.clear()
        before = pagecache.generation(cached_app)
        pages = [first.get(SECTION).get_data(as_text=True)]
        template_rendered.connect(record, cached_app)
        try:
            pages += [client.get(SECTION).get_data(as_text=True) for client in (second, first)]
        finally:
            template_rendered.disconnect(record, cached_app)
        if pagecache.generation(cached_app) == before:
            break
    assert rendered == []                                      # one rendering served both readers
    with cached_app.test_request_context():
        placeholders = [pagecache.placeholder(name) for name in ("csrf", "idempotency")]
    for page in pages:
        assert not any(placeholder in page for placeholder in placeholders)
    tokens = [set(_hidden(page, "csrf_token")) for page in pages]
    assert all(len(found) == 1 for found in tokens)          # the menu's sign-out form and the comment form agree
    assert tokens[0] != tokens[1] and tokens[0] == tokens[2]  # a person's token stays theirs
    keys = [_hidden(page, "idempotency_key")[0] for page in pages]
    assert len(set(keys)) == 3                                 # every rendering a fresh form

    # The token works: the second reader's comment is stored.
    response = post(second, body="Mans komentārs no kopīgās lapas.", path=SECTION,
                    url=f"/lv/consultations/{DEMO}/sections/2/comments/")
    assert response.status_code in (302, 303)
    assert [c[2] for c in comments(cached_app)] == ["Mans komentārs no kopīgās lapas."]


def test_a_reader_sees_no_report_link_on_their_own_comment_and_the_menu_of_their_role(cached_app, demo, make_user,
                                                                                        login):
    author, other = make_user(), make_user()
    moderator = make_user(role="moderator")
    own = _approved_comment(cached_app, author, "Autora komentārs")
    theirs = _approved_comment(cached_app, other, "Cita komentārs")
    report = "/comments/{}/report/"
    pages = {who: login(cached_app.test_client(), who).get(SECTION).get_data(as_text=True)
             for who in (other, author, moderator)}
    assert report.format(own) in pages[other] and report.format(theirs) not in pages[other]
    assert report.format(own) not in pages[author] and report.format(theirs) in pages[author]
    assert "/moderation/" in pages[moderator] and "/moderation/" not in pages[author]


def test_the_shared_page_shows_an_approved_comment_at_once(cached_app, demo, make_user, login):
    reader = login(cached_app.test_client(), make_user())
    assert "Jauns apstiprināts komentārs" not in reader.get(SECTION).get_data(as_text=True)
    _approved_comment(cached_app, make_user(), "Jauns apstiprināts komentārs")
    assert "Jauns apstiprināts komentārs" in reader.get(SECTION).get_data(as_text=True)


def test_a_reader_with_a_comment_waiting_sees_it_on_the_page(cached_app, demo, make_user, login):
    reader = login(cached_app.test_client(), make_user())
    reader.get(SECTION)   # the shared rendering is now cached
    response = post(reader, body="Gaidošs komentārs.", path=SECTION,
                    url=f"/lv/consultations/{DEMO}/sections/2/comments/")
    assert response.status_code in (302, 303)
    page = reader.get(SECTION).get_data(as_text=True)
    assert "Gaidošs komentārs." in page and 'id="pending-heading"' in page
    other = login(cached_app.test_client(), make_user()).get(SECTION).get_data(as_text=True)
    assert "Gaidošs komentārs." not in other


def _renders_nothing(app, request):
    """request() under a watch on template rendering: the templates it rendered. A change made meanwhile
    by anything else in the process bumps the content generation and rightly renders again: then the
    (repeatable) request is tried once more."""
    from flask import template_rendered

    from consult import pagecache
    rendered = []
    record = lambda _app, template, context, **extra: rendered.append(template.name)  # noqa: E731
    for _attempt in range(3):
        rendered.clear()
        before = pagecache.generation(app)
        template_rendered.connect(record, app)
        try:
            result = request()
        finally:
            template_rendered.disconnect(record, app)
        if not rendered or pagecache.generation(app) == before:
            break
    return result, rendered


def test_readers_who_have_not_voted_share_the_poll_page_and_each_vote_counts(cached_app, demo, make_user, login):
    from .test_polls import _poll, _votes
    poll_id, options = _poll(cached_app)
    url = f"/en/polls/{poll_id}/"
    first, second = (login(cached_app.test_client(), make_user()) for _ in range(2))
    first_page = first.get(url).get_data(as_text=True)
    second_page, rendered = _renders_nothing(cached_app, lambda: second.get(url).get_data(as_text=True))
    assert rendered == []
    tokens = [_hidden(page, "csrf_token")[0] for page in (first_page, second_page)]
    assert tokens[0] != tokens[1]
    for client, token in zip((first, second), tokens):
        assert client.post(url, data={"csrf_token": token, "answer": str(options[0])}).status_code == 303
    assert _votes(cached_app, poll_id) == 2


def test_the_position_form_is_shared_by_people_of_the_same_organisations(cached_app, demo, make_user, login):
    from .conftest import form_post
    from .test_positions import NEW, _verify
    representative = login(cached_app.test_client(), make_user())
    response = form_post(representative, "/en/organisations/", {"name": "Biedrība “Tilts”", "kind": "ngo",
                                                                 "registration_number": "4000 800 0001",
                                                                 "website": ""})
    assert response.status_code == 303
    _verify(cached_app, make_user, login)
    representative.get(NEW)   # shows (and so ends) the message about the registration
    first = representative.get(NEW).get_data(as_text=True)
    again, rendered = _renders_nothing(cached_app, lambda: representative.get(NEW).get_data(as_text=True))
    assert rendered == [] and "Biedrība “Tilts”" in again
    assert _hidden(first, "idempotency_key") != _hidden(again, "idempotency_key")
    assert _hidden(first, "csrf_token") == _hidden(again, "csrf_token")
    stranger = login(cached_app.test_client(), make_user()).get(NEW).get_data(as_text=True)
    assert "Biedrība “Tilts”" not in stranger


def test_the_content_generation_follows_the_configured_redis_and_leaves_it_when_the_setting_goes(app, monkeypatch):
    """The generation is read where the setting says now: an app that was once given a Redis server (as the
    job runners' tests do) and then none keeps no client to it, so it never shares another site's counter."""
    import uuid

    from consult import pagecache
    saved = app.config.get("REDIS_URL")
    key = f"consult-test:generation:{uuid.uuid4().hex}"   # our own key in the shared Redis
    monkeypatch.setattr(pagecache, "GENERATION_KEY", key)
    try:
        app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        client = pagecache._redis(app)
        try:
            client.set(key, "from-redis-" + uuid.uuid4().hex)
            assert pagecache.generation(app).startswith("from-redis-")
            app.config["REDIS_URL"] = None
            with app.app_context():
                pagecache.bump(app)
            from_file = pagecache.generation(app)
            assert not from_file.startswith("from-redis-") and from_file not in ("", "0")
            assert client.get(key).decode().startswith("from-redis-"), "the bump went to the file, not to Redis"
        finally:
            client.delete(key)
    finally:
        app.config["REDIS_URL"] = saved
