"""Commenting on sections and paragraphs: rules, forms that keep what was typed, and what the public sees."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from consult.models import Comment

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import CLOSED, DEMO

SECTION = f"/lv/consultations/{DEMO}/sections/2/"
POST_URL = f"/lv/consultations/{DEMO}/sections/2/comments/"


def _form(client, path=SECTION):
    html = client.get(path).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]*)"', html)
    return csrf_token_from(html), key.group(1) if key else ""


def post(client, body="Atbalstu šo punktu.", stance="supports", paragraph="", publication="name", path=SECTION,
         url=POST_URL, **extra):
    token, key = _form(client, path)
    data = {"csrf_token": token, "idempotency_key": key, "stance": stance, "body": body,
            "paragraph": paragraph, "publication": publication, "website": "", **extra}
    return client.post(url, data=data)


def comments(app, **filters):
    from consult.extensions import db
    with app.app_context():
        return [(c.id, c.status, c.body, c.paragraph_id, c.parent_id, c.stance, c.show_name)
                for c in db.session.query(Comment).filter_by(**filters).order_by(Comment.id)]


@pytest.fixture
def citizen(client, demo, make_user, login):
    user_id = make_user(display_name="Anna Bērziņa")
    login(client, user_id)
    return user_id


def test_citizen_comments_on_a_paragraph_and_it_waits_for_moderation(app, client, citizen):
    response = post(client, paragraph="2", stance="proposes", body="Ierosinu papildināt 2.2. punktu.")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(SECTION + "#comment-")
    stored = comments(app)
    assert len(stored) == 1 and stored[0][1] == "pending" and stored[0][5] == "proposes"
    page = client.get(SECTION).get_data(as_text=True)
    assert "Ierosinu papildināt" in page  # the author sees it, marked as waiting
    assert 'id="pending-heading"' in page
    anonymous = app.test_client().get(SECTION).get_data(as_text=True)
    assert "Ierosinu papildināt" not in anonymous


def test_post_moderated_consultation_publishes_at_once(app, client, citizen):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        db.session.query(Consultation).filter_by(slug=DEMO).update({"moderation_mode": "post"})
        db.session.commit()
    post(client, body="Uzreiz redzams komentārs.")
    assert comments(app)[0][1] == "approved"
    assert "Uzreiz redzams komentārs." in app.test_client().get(SECTION).get_data(as_text=True)


@pytest.mark.parametrize("field, data, message", [
    ("body", {"body": ""}, "Write your comment."),
    ("body", {"body": "x" * 5001}, "at most 5,000 characters (you used 5,001)"),
    ("stance", {"stance": ""}, "Choose your view."),
    ("stance", {"stance": "loves"}, "Not a valid choice"),
    ("body", {"body": "abc\x00def"}, "NUL"),
])
def test_invalid_comment_gets_a_message_beside_the_field_and_keeps_the_text(app, client, citizen, field, data,
                                                                            message):
    path = SECTION.replace("/lv/", "/en/")
    token, key = _form(client, path)
    form = {"csrf_token": token, "idempotency_key": key, "stance": "objects", "body": "Mans teksts ar ā un ž",
            "paragraph": "1", "publication": "type", **data}
    response = client.post(POST_URL.replace("/lv/", "/en/"), data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert "<title>Error:" in html and 'class="error-summary"' in html
    if field != "body":
        assert "Mans teksts ar ā un ž</textarea>" in html
    assert 'value="type" checked' in html or 'checked id="publication-1"' in html or "checked" in html
    assert comments(app) == []


# --- The language a comment is written in ---------------------------------------------------

def _languages(app):
    from consult.extensions import db
    with app.app_context():
        return [c.language for c in db.session.query(Comment).order_by(Comment.id)]


def _checked_language(html: str) -> str:
    checked = [value for tag, value in re.findall(r'(<input[^>]*name="language"[^>]*value="(\w+)"[^>]*>)', html)
               if "checked" in tag]
    assert len(checked) == 1, checked
    return checked[0]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_comment_form_asks_the_language_and_starts_from_the_pages(client, citizen, lang):
    html = client.get(SECTION.replace("/lv/", f"/{lang}/")).get_data(as_text=True)
    assert _checked_language(html) == lang
    legend = {"lv": "Komentāra valoda", "en": "Language of your comment"}[lang]
    assert re.search(rf"<fieldset[^>]*>\s*<legend>{legend}</legend>", html)


def test_a_comment_written_in_english_on_a_latvian_page_is_marked_english(app, client, citizen):
    assert post(client, body="I support this paragraph.", language="en").status_code == 303
    assert post(client, body="Atbalstu šo punktu arī latviski.").status_code == 303  # no choice sent: the page's
    assert _languages(app) == ["en", "lv"]
    _approve_all(app)
    html = app.test_client().get(SECTION).get_data(as_text=True)
    assert re.search(r'<div class="comment-body" lang="en"><p>I support this paragraph\.', html)
    assert re.search(r'<div class="comment-body" lang="lv"><p>Atbalstu šo punktu arī latviski\.', html)
    english_page = app.test_client().get(SECTION.replace("/lv/", "/en/")).get_data(as_text=True)
    assert re.search(r'<div class="comment-body" lang="lv"><p>Atbalstu šo punktu arī latviski\.', english_page)


def test_a_pending_comment_shows_its_author_its_own_language(app, client, citizen):
    post(client, body="My pending comment.", language="en")
    html = client.get(SECTION).get_data(as_text=True)
    pending = html[html.index('id="pending-heading"'):]
    assert re.search(r'<div class="comment-body" lang="en"><p>My pending comment\.', pending)


@pytest.mark.parametrize("value", ["de", "", "lv-LV"])
def test_an_unknown_comment_language_is_refused_beside_the_field(app, client, citizen, value):
    response = post(client, body="Mans teksts ar ā.", language=value, path=SECTION.replace("/lv/", "/en/"),
                    url=POST_URL.replace("/lv/", "/en/"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="language-error">.*Choose the language your comment is written in\.', html)
    assert "Mans teksts ar ā.</textarea>" in html
    assert comments(app) == []


def test_editing_a_pending_comment_keeps_or_changes_its_language(app, client, citizen):
    post(client, body="Pirmā versija.", language="lv")
    comment_id = comments(app)[0][0]
    edit_url = f"/en/comments/{comment_id}/edit/"
    assert _checked_language(client.get(edit_url).get_data(as_text=True)) == "lv"
    form_post(client, edit_url, {"stance": "objects", "body": "Otrā versija.", "publication": "type"})
    assert _languages(app) == ["lv"]  # not sent: unchanged, whatever the page's language
    form_post(client, edit_url, {"stance": "objects", "body": "Second version.", "publication": "type",
                                 "language": "en"})
    assert _languages(app) == ["en"]


# --- The comment form: its heading, whom a reply answers, the limit ---------------------------

def _form_heading(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<h2 id="form-heading"[^>]*>(.*?)</h2>', html, re.S).group(1)).strip()


@pytest.mark.parametrize("lang, query, heading", [
    ("en", "?paragraph=2", "Comment on paragraph 2.2"),
    ("lv", "?paragraph=2", "Komentēt 2.2. punktu"),
    ("en", "", "Comment on this section"),
    ("lv", "", "Komentēt šo sadaļu"),
    ("en", "?paragraph=99", "Comment on this section"),  # no such paragraph: the section, as the form says
])
def test_the_form_heading_names_the_paragraph_chosen(client, citizen, lang, query, heading):
    html = client.get(SECTION.replace("/lv/", f"/{lang}/") + query).get_data(as_text=True)
    assert _form_heading(html) == heading


def test_the_form_heading_keeps_the_paragraph_after_an_error(client, citizen):
    html = post(client, body="", paragraph="3", path=SECTION.replace("/lv/", "/en/"),
                url=POST_URL.replace("/lv/", "/en/")).get_data(as_text=True)
    assert _form_heading(html) == "Comment on paragraph 2.3"


@pytest.mark.parametrize("show_name, lang, heading", [
    (True, "en", "Reply to a comment by Anna Bērziņa"),
    (True, "lv", "Atbilde uz komentāru, ko rakstīja Anna Bērziņa"),
    (False, "en", "Reply to a comment by Resident"),
])
def test_a_reply_says_whom_it_answers(app, client, citizen, show_name, lang, heading):
    post(client, body="Sākotnējais komentārs.", publication="name" if show_name else "type")
    _approve_all(app)
    parent_id = comments(app)[0][0]
    html = client.get(SECTION.replace("/lv/", f"/{lang}/") + f"?reply_to={parent_id}").get_data(as_text=True)
    assert _form_heading(html) == heading
    assert re.search(r'<blockquote lang="lv"><p>Sākotnējais komentārs\.', html)


@pytest.mark.parametrize("lang, number, more", [("en", "5,000", "5,001"), ("lv", "5\u00a0000", "5\u00a0001")])
def test_the_limit_reads_the_same_in_the_hint_the_count_and_the_error(app, client, citizen, lang, number, more):
    import html as html_module
    page = html_module.unescape(client.get(SECTION.replace("/lv/", f"/{lang}/")).get_data(as_text=True))
    hint = re.search(r'<p class="hint" id="body-hint">(.*?)</p>', page).group(1)
    assert f" {number} " in hint
    field = re.search(r'<div class="field"[^>]*data-character-count="5000"[^>]*>', page).group(0)
    assert f'data-group-symbol="{number[1]}"' in field
    answer = post(client, body="ā" * 5001, path=SECTION.replace("/lv/", f"/{lang}/"),
                  url=POST_URL.replace("/lv/", f"/{lang}/"))
    error = re.search(r'<p class="field-error" id="body-error">(.*?)</p>',
                      html_module.unescape(answer.get_data(as_text=True))).group(1)
    assert f" {number} " in error and f" {more})" in error
    assert comments(app) == []


def test_the_edit_form_says_its_limit_the_same_way(app, client, citizen):
    import html as html_module
    post(client, body="Pirmā versija.")
    page = html_module.unescape(client.get(f"/lv/comments/{comments(app)[0][0]}/edit/").get_data(as_text=True))
    assert "Vienkāršs teksts, līdz 5\u00a0000 rakstzīmēm." in page and 'data-character-count="5000"' in page


def test_length_limit_counts_latvian_letters_as_one_character(app, client, citizen):
    assert post(client, body="ā" * 5000).status_code == 303
    assert len(comments(app)[0][2]) == 5000


def test_a_megabyte_comment_gets_a_message_not_a_500(app, client, citizen):
    response = post(client, body="A" * 1_000_000)
    assert response.status_code in (400, 413)
    assert comments(app) == []


def test_same_text_twice_is_refused_with_a_message(app, client, citizen):
    post(client, body="Šis ir mans viedoklis.")
    response = post(client, body="  šis IR mans   viedoklis!  ")
    assert response.status_code == 400
    assert "already posted this text" in response.get_data(as_text=True) or "jau" in response.get_data(as_text=True)
    assert len(comments(app)) == 1


def test_double_submit_of_the_same_form_stores_one_comment(app, client, citizen):
    token, key = _form(client)
    data = {"csrf_token": token, "idempotency_key": key, "stance": "supports", "body": "Vienreiz!",
            "paragraph": "", "publication": "name", "website": ""}
    first = client.post(POST_URL, data=data)
    second = client.post(POST_URL, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(comments(app)) == 1


def test_honeypot_is_refused(app, client, citizen):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    assert comments(app) == []


def test_missing_or_foreign_csrf_token_is_400_and_stores_nothing(app, client, citizen):
    data = {"stance": "supports", "body": "Bez žetona", "publication": "name"}
    assert client.post(POST_URL, data=data).status_code == 400
    assert client.post(POST_URL, data={**data, "csrf_token": "forged"}).status_code == 400
    assert comments(app) == []


def test_extra_fields_are_ignored(app, client, citizen):
    post(client, body="Mēģinu apiet moderāciju.", status="approved", author_id="999", needs_review="0")
    assert comments(app)[0][1] == "pending"


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_is_stored(app, client, demo):
    html = client.get(SECTION).get_data(as_text=True)
    assert "<textarea" not in html and "/lv/account/login/" in html
    response = client.post(POST_URL, data={"stance": "supports", "body": "x"})
    assert response.status_code in (302, 400)
    assert comments(app) == []


def test_unconfirmed_account_cannot_comment(app, client, demo, make_user, login):
    login(client, make_user(confirmed=False))
    html = client.get(SECTION).get_data(as_text=True)
    assert "<textarea" not in html
    response = client.post(POST_URL, data={"csrf_token": csrf_token_from(html), "stance": "supports", "body": "x",
                                           "publication": "name"})
    assert response.status_code == 403
    assert comments(app) == []


def test_closed_consultation_keeps_comments_readable_and_refuses_new_ones(app, client, citizen):
    from consult.extensions import db
    from consult.models import Consultation, Section, User
    with app.app_context():
        closed = db.session.query(Consultation).filter_by(slug=CLOSED).one()
        section = db.session.query(Section).filter_by(consultation_id=closed.id, number=1).one()
        user = db.session.get(User, citizen)
        db.session.add(Comment(consultation_id=closed.id, section_id=section.id, author_id=user.id,
                               stance="supports", body="Vecs komentārs paliek.", status="approved",
                               fingerprint="f", idempotency_key="k"))
        db.session.commit()
    path = f"/lv/consultations/{CLOSED}/sections/1/"
    html = client.get(path).get_data(as_text=True)
    assert "Vecs komentārs paliek." in html and "<textarea" not in html
    response = client.post(path + "comments/", data={"csrf_token": csrf_token_from(html), "stance": "supports",
                                                     "body": "Jauns", "publication": "name"})
    assert response.status_code == 403
    assert len(comments(app)) == 1


def test_unpublished_section_refuses_comments(app, client, citizen):
    from datetime import timedelta

    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Section
    with app.app_context():
        db.session.query(Section).filter_by(number=2).update({"published_at": utcnow() + timedelta(days=1)})
        db.session.commit()
    token = csrf_token_from(client.get(f"/lv/consultations/{DEMO}/sections/1/").get_data(as_text=True))
    response = client.post(POST_URL, data={"csrf_token": token, "stance": "supports", "body": "x",
                                           "publication": "name"})
    assert response.status_code == 404
    assert comments(app) == []


def _approve_all(app):
    from consult.extensions import db
    with app.app_context():
        db.session.query(Comment).update({"status": "approved", "needs_review": False})
        db.session.commit()


def test_reply_is_one_level_deep(app, client, citizen):
    post(client, body="Sākotnējais komentārs.")
    _approve_all(app)
    parent_id = comments(app)[0][0]
    page = f"{SECTION}?reply_to={parent_id}"
    response = post(client, body="Atbilde uz komentāru.", path=page, parent=str(parent_id))
    assert response.status_code == 303
    _approve_all(app)
    reply_id = comments(app)[1][0]
    assert comments(app)[1][4] == parent_id
    refused = post(client, body="Atbilde uz atbildi.", path=page, parent=str(reply_id))
    assert refused.status_code == 400
    assert len(comments(app)) == 2
    html = app.test_client().get(SECTION).get_data(as_text=True)
    assert html.index("Sākotnējais komentārs.") < html.index("Atbilde uz komentāru.")
    assert 'class="replies"' in html


def test_author_edits_and_withdraws_while_pending(app, client, citizen):
    post(client, body="Pirmā versija.")
    comment_id = comments(app)[0][0]
    edit_url = f"/lv/comments/{comment_id}/edit/"
    response = form_post(client, edit_url, {"stance": "objects", "body": "Otrā versija.", "publication": "type"})
    assert response.status_code == 303
    assert comments(app)[0][2] == "Otrā versija." and comments(app)[0][5] == "objects"
    response = form_post(client, f"/lv/comments/{comment_id}/withdraw/", {}, page_url=edit_url)
    assert response.status_code == 303
    assert comments(app)[0][1] == "withdrawn"
    # Once moderated (or withdrawn) it can no longer be edited.
    assert client.get(edit_url).status_code == 303


def test_nobody_edits_or_withdraws_another_persons_comment(app, client, citizen, make_user, login):
    post(client, body="Mans komentārs.")
    comment_id = comments(app)[0][0]
    other = app.test_client()
    login(other, make_user())
    assert other.get(f"/lv/comments/{comment_id}/edit/").status_code == 404
    token = csrf_token_from(other.get(SECTION).get_data(as_text=True))
    assert other.post(f"/lv/comments/{comment_id}/withdraw/", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/lv/comments/{comment_id}/edit/", data={"csrf_token": token, "stance": "asks",
                                                                "body": "Pārrakstīts", "publication": "name"}
                      ).status_code == 404
    assert comments(app)[0][1] == "pending" and comments(app)[0][2] == "Mans komentārs."


def test_withdrawing_asks_first_on_a_page_that_works_without_javascript(app, client, citizen):
    post(client, body="Gribu to vēl pārdomāt.")
    comment_id = comments(app)[0][0]
    withdraw_url = f"/lv/comments/{comment_id}/withdraw/"
    section_html = client.get(SECTION).get_data(as_text=True)
    # The section page links to the question; no form there withdraws in one click.
    assert f'href="{withdraw_url}"' in section_html
    assert f'action="{withdraw_url}"' not in section_html
    assert f'action="{withdraw_url}"' not in client.get(f"/lv/comments/{comment_id}/edit/").get_data(as_text=True)
    page = client.get(withdraw_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Gribu to vēl pārdomāt." in html
    assert f'<form method="post" action="{withdraw_url}"' in html and f'href="{SECTION}#comment-{comment_id}"' in html
    assert comments(app)[0][1] == "pending"  # looking at the question changes nothing
    assert form_post(client, withdraw_url, {}).status_code == 303
    assert comments(app)[0][1] == "withdrawn"
    # Asking again about a comment that is no longer pending goes back to the section with a message.
    again = client.get(withdraw_url)
    assert again.status_code == 303 and again.headers["Location"].endswith(SECTION)


def test_nobody_sees_the_withdraw_question_for_another_persons_comment(app, client, citizen, make_user, login):
    post(client, body="Mans komentārs.")
    other = app.test_client()
    login(other, make_user())
    assert other.get(f"/lv/comments/{comments(app)[0][0]}/withdraw/").status_code == 404


def test_counts_per_section_and_paragraph_use_latvian_plural_forms(app, client, demo, make_user, login):
    bodies = [f"Komentārs numur {n}" for n in range(21)]
    for index, body in enumerate(bodies):
        user = make_user()
        c = app.test_client()
        login(c, user)
        post(c, body=body, paragraph="1" if index < 2 else "")
    _approve_all(app)
    overview = client.get(f"/lv/consultations/{DEMO}/").get_data(as_text=True)
    assert "21 komentārs" in overview and "0 komentāru" in overview
    section = client.get(SECTION).get_data(as_text=True)
    assert "2 komentāri" in section and "0 komentāru" in section
    english = client.get(SECTION.replace("/lv/", "/en/")).get_data(as_text=True)
    assert "2 comments" in english and "0 comments" in english


def test_paragraph_link_preselects_the_paragraph(client, citizen):
    html = client.get(SECTION + "?paragraph=3").get_data(as_text=True)
    assert '<option selected value="3">' in html or '<option value="3" selected>' in html
    assert 'href="/lv/consultations/' + DEMO + '/sections/2/?paragraph=1#comment-form"' in html


def test_links_in_comments_are_nofollow_and_markup_is_inert(app, client, citizen):
    post(client, body="Skat. https://example.lv/x?a=1&b=2\n\n<b>treknraksts</b>")
    _approve_all(app)
    html = app.test_client().get(SECTION).get_data(as_text=True)
    assert '<a href="https://example.lv/x?a=1&amp;b=2" rel="nofollow ugc noopener">' in html
    assert "&lt;b&gt;treknraksts&lt;/b&gt;" in html


def _hostile_inputs():
    """The shared hostile inputs (a copy is kept in tests/data so the test never runs on less)."""
    return json.loads((Path(__file__).parent / "data" / "hostile_inputs.json").read_text(encoding="utf-8"))["inputs"]


def test_every_hostile_input_is_stored_exactly_and_rendered_inert(app, client, demo, make_user, login):
    import unicodedata
    inputs = _hostile_inputs()
    accepted = []
    for group, values in inputs.items():
        for value in values:
            c = app.test_client()
            login(c, make_user())
            response = post(c, body=value)
            expected = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
            if group == "oversized" or "\x00" in value or not expected:
                assert response.status_code in (400, 413), (group, value[:40])
                continue
            assert response.status_code == 303, (group, value[:60], response.status_code)
            accepted.append(expected)
    _approve_all(app)
    stored = sorted(body for _, _, body, *_ in comments(app))
    assert stored == sorted(accepted)
    pages = [client.get(f"{SECTION}?comments={n}").get_data(as_text=True) for n in (1, 2, 3)]
    html = "".join(pages)
    body_html = "".join(page[page.index('id="comments"'):page.index('id="comment-form"')] for page in pages)
    assert "<script" not in body_html and "<img" not in body_html and "<iframe" not in body_html
    assert "<svg" not in body_html and "<math" not in body_html and "<noscript" not in body_html
    assert "onerror=" not in body_html.replace("onerror=alert", "").lower() or "&lt;" in body_html
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", body_html)
    assert 'href="javascript' not in body_html and 'href="data:' not in body_html
    assert "{{7*7}}" in html and ">49<" not in html
    for value in accepted:
        if all(ch not in value for ch in "<>&\"'"):
            assert value.split("\n")[0] in html


def test_moderator_sees_hostile_input_inert_in_the_queue(app, client, demo, make_user, login):
    login(client, make_user())
    post(client, body='<img src=x onerror=alert(1)>"><script>alert(1)</script>')
    moderator = app.test_client()
    login(moderator, make_user(role="moderator"))
    html = moderator.get("/lv/moderation/").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<script>alert(1)" not in html


def test_comment_rate_limit_answers_429(app, client, citizen):
    statuses = [post(client, body=f"Ātrs komentārs {n}").status_code for n in range(12)]
    assert statuses[:10] == [303] * 10
    assert statuses[10] == 429
    assert len(comments(app)) == 10
    assert outbox_messages(app) == []
