"""The working group: membership, the feedback table, tags, subgroups, responses, publishing, digests."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import DEMO, PUBLISH

TABLE = f"/lv/workgroup/{DEMO}/"
TABLE_EN = f"/en/workgroup/{DEMO}/"  # for checking the (English) wording of messages


# Helpers (imported by the other working-group test modules) ------------------------------------

def add_comment(app, author_id, body="Lūdzu papildināt punktu ar termiņiem.", section=1, paragraph=None,
                stance="proposes", status="approved", show_name=False, created_at=None, slug=DEMO, language="lv"):
    """Stores a comment directly; returns its id."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Comment, Consultation, Paragraph, Section
    from consult.services.comments import fingerprint
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        section_row = db.session.query(Section).filter_by(consultation_id=consultation.id, number=section).one()
        version = consultation.versions[-1]
        paragraph_row = None
        if paragraph is not None:
            paragraph_row = db.session.query(Paragraph).filter_by(section_id=section_row.id, version_id=version.id,
                                                                  number=paragraph).one()
        comment = Comment(consultation_id=consultation.id, section_id=section_row.id, version_id=version.id,
                          paragraph_id=paragraph_row.id if paragraph_row else None, author_id=author_id,
                          stance=stance, body=body, language=language, show_name=show_name, status=status,
                          needs_review=False, fingerprint=fingerprint(body), idempotency_key=secrets.token_hex(8),
                          created_at=created_at or utcnow(), moderated_at=created_at or utcnow())
        db.session.add(comment)
        db.session.commit()
        return comment.id


def add_position(app, author_id, title="Biedrības viedoklis", body="Atbalstām, bet lūdzam precizēt finansējumu.",
                 publish_name=True, organisation="Biedrība “Ģimeņu atbalsts”", sections=(), status="approved",
                 slug=DEMO):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Organisation, Position, Section, User
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        author = db.session.get(User, author_id)
        org = Organisation(name=organisation, kind="ngo", verified_at=utcnow(), representatives=[author])
        db.session.add(org)
        section_rows = [db.session.query(Section).filter_by(consultation_id=consultation.id, number=n).one()
                        for n in sections]
        position = Position(consultation_id=consultation.id, organisation=org, author_id=author_id, title=title,
                            body=body, whole_draft=not section_rows, sections=section_rows,
                            publish_name=publish_name, status=status, idempotency_key=secrets.token_hex(8),
                            version_id=consultation.versions[-1].id)
        db.session.add(position)
        db.session.commit()
        return position.id


def add_member(app, user_id, slug=DEMO, subgroups=()):
    """Puts the user in the consultation's working group (and in subgroups by position 0, 1 …)."""
    from consult.extensions import db
    from consult.models import Consultation, WorkgroupMember
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        member = WorkgroupMember(consultation_id=consultation.id, user_id=user_id,
                                 subgroups=[consultation.subgroups[i] for i in subgroups])
        db.session.add(member)
        db.session.commit()
        return member.id


def approve_all(app):
    """Marks every response approved, for tests about what an answer does once it is approved."""
    from consult.extensions import db
    from consult.models import Response
    with app.app_context():
        db.session.query(Response).update({"status": "approved"})
        db.session.commit()


def approve_all_through_the_service(app, make_user, slug=DEMO):
    """An admin of the working group approves every draft, as the approve button does."""
    from consult.extensions import db
    from consult.models import Consultation, Response, WorkgroupMember
    from consult.services import workflow
    admin_member = add_member(app, make_user(role="admin"), slug=slug)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        member = db.session.get(WorkgroupMember, admin_member)
        for response in db.session.query(Response).filter_by(status="draft").all():
            workflow.approve(consultation, response, member)


def set_status(app, status, slug=DEMO):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=slug).one()
        consultation.status = status
        db.session.commit()


@pytest.fixture
def member_client(app, demo, make_user, login):
    """A signed-in working-group member of the demo consultation."""
    user_id = make_user(role="workgroup")
    add_member(app, user_id)
    client = app.test_client()
    login(client, user_id)
    client.user_id = user_id
    return client


# Access ----------------------------------------------------------------------------------------

def _workgroup_urls(app, response_id=1, slug=DEMO):
    return [
        ("GET", f"/lv/workgroup/{slug}/"), ("POST", f"/lv/workgroup/{slug}/bulk/"),
        ("GET", f"/lv/workgroup/{slug}/summary/"), ("GET", f"/lv/workgroup/{slug}/export/"),
        ("GET", f"/lv/workgroup/{slug}/export/?format=csv"),
        ("GET", f"/lv/workgroup/{slug}/responses/new/?items=c1"),
        ("POST", f"/lv/workgroup/{slug}/responses/new/?items=c1"),
        ("GET", f"/lv/workgroup/{slug}/responses/{response_id}/"),
        ("POST", f"/lv/workgroup/{slug}/responses/{response_id}/"),
        ("GET", f"/lv/workgroup/{slug}/responses/{response_id}/delete/"),
        ("POST", f"/lv/workgroup/{slug}/responses/{response_id}/delete/"),
        ("GET", f"/lv/workgroup/{slug}/publish/"), ("POST", f"/lv/workgroup/{slug}/publish/"),
        ("GET", f"/lv/workgroup/{slug}/campaigns/1/"),
        ("GET", f"/lv/workgroup/{slug}/submissions/"), ("POST", f"/lv/workgroup/{slug}/submissions/"),
        ("POST", f"/lv/workgroup/{slug}/submissions/import/"),
        ("POST", f"/lv/workgroup/{slug}/responses/{response_id}/approve/"),
        ("POST", f"/lv/workgroup/{slug}/responses/{response_id}/send-back/"),
        ("GET", f"/lv/workgroup/{slug}/responses/bulk/"), ("POST", f"/lv/workgroup/{slug}/responses/bulk/"),
    ]


def _snapshot(app):
    from consult.extensions import db
    with app.app_context():
        return {table.name: sorted(map(tuple, db.session.execute(table.select()).fetchall()), key=repr)
                for table in db.metadata.sorted_tables if table.name != "moderation_events"}


@pytest.mark.parametrize("role", ["workgroup", "editor", "admin"])
def test_non_members_get_403_on_every_workgroup_route_and_nothing_changes(app, demo, make_user, login, role):
    author = make_user()
    comment_id = add_comment(app, author)
    set_status(app, "closed")
    outsider = make_user(role=role)
    client = app.test_client()
    login(client, outsider)
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    before = _snapshot(app)
    for method, url in _workgroup_urls(app):
        data = {"csrf_token": token, "items": f"c{comment_id}", "action": "tag", "tag": "x", "decision": "accepted",
                "justification_lv": "Pamatojums"} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (method, url, response.status_code)
    assert _snapshot(app) == before
    assert outbox_messages(app) == []


@pytest.mark.parametrize("role", ["citizen", "organisation", "moderator"])
def test_other_roles_get_403_and_anonymous_visitors_the_login_page(app, demo, make_user, login, role):
    client = app.test_client()
    for method, url in _workgroup_urls(app) + [("GET", "/lv/workgroup/"), ("GET", "/lv/admin/workgroups/")]:
        response = client.open(url, method=method)
        assert response.status_code in (302, 400), (url, response.status_code)
        if response.status_code == 302:
            assert "/account/login/" in response.headers["Location"]
    login(client, make_user(role=role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    for method, url in _workgroup_urls(app) + [("GET", "/lv/workgroup/"), ("GET", "/lv/admin/workgroups/")]:
        data = {"csrf_token": token} if method == "POST" else None
        assert client.open(url, method=method, data=data).status_code == 403, url


@pytest.mark.parametrize("role", [None, "citizen", "organisation", "moderator", "workgroup", "editor"])
def test_only_admins_manage_working_groups(app, demo, make_user, login, role):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    member_id = add_member(app, make_user(role="workgroup"))
    client = app.test_client()
    if role:
        login(client, make_user(role=role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True)) if role else None
    before = _snapshot(app)
    for method, url in (("GET", "/lv/admin/workgroups/"), ("GET", f"/lv/admin/workgroups/{cid}/"),
                        ("POST", f"/lv/admin/workgroups/{cid}/"),
                        ("POST", f"/lv/admin/workgroups/{cid}/members/{member_id}/"),
                        ("GET", f"/lv/admin/workgroups/{cid}/members/{member_id}/remove/"),
                        ("POST", f"/lv/admin/workgroups/{cid}/members/{member_id}/remove/")):
        data = {"csrf_token": token, "email": "x@example.test"} if method == "POST" and token else None
        response = client.open(url, method=method, data=data)
        if role is None:
            assert response.status_code in (302, 400)
            assert "/account/login/" in response.headers.get("Location", "/account/login/")
        else:
            assert response.status_code == 403, (role, url)
    assert _snapshot(app) == before


def test_a_member_sees_only_their_consultations(app, demo, make_user, login, member_client):
    html = member_client.get("/lv/workgroup/").get_data(as_text=True)
    assert f"/lv/workgroup/{DEMO}/" in html
    assert "riga-region-social-services-programme" not in html
    assert member_client.get("/lv/workgroup/riga-region-social-services-programme/").status_code == 403
    assert member_client.get("/lv/workgroup/no-such-consultation/").status_code == 404


def test_every_workgroup_response_is_not_cached(member_client):
    for path in (TABLE, f"{TABLE}summary/", f"{TABLE}export/", f"{TABLE}export/?format=csv", "/lv/workgroup/",
                 f"{TABLE}publish/"):
        response = member_client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path


# Admin: memberships ----------------------------------------------------------------------------

def test_an_admin_adds_a_member_with_subgroups_and_removes_them(app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, WorkgroupMember
    admin = make_user(role="admin")
    person = make_user(role="workgroup", email="darba.grupa@example.test", display_name="Anna Bērziņa")
    client = app.test_client()
    login(client, admin)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        cid, sub_ids = consultation.id, [g.id for g in consultation.subgroups]
    assert client.get("/lv/admin/workgroups/").status_code == 200
    url = f"/lv/admin/workgroups/{cid}/"
    response = form_post(client, url, {"email": "DARBA.GRUPA@example.test", "subgroups": [str(sub_ids[1])]})
    assert response.status_code == 303
    with app.app_context():
        member = db.session.query(WorkgroupMember).filter_by(user_id=person).one()
        assert [g.id for g in member.subgroups] == [sub_ids[1]]
        member_id = member.id
    html = client.get(url).get_data(as_text=True)
    assert "Anna Bērziņa" in html
    response = form_post(client, f"{url}members/{member_id}/", {f"m{member_id}-subgroups": [str(sub_ids[0]),
                                                                                             str(sub_ids[2])]},
                         page_url=url)
    assert response.status_code == 303
    with app.app_context():
        assert sorted(g.id for g in db.session.get(WorkgroupMember, member_id).subgroups) == [sub_ids[0], sub_ids[2]]
    remove = f"{url}members/{member_id}/remove/"
    assert f'action="{remove}"' not in html and f'href="{remove}"' in html  # asks first, no one-click form
    question = client.get(remove).get_data(as_text=True)
    assert "Anna Bērziņa" in question and f'<form method="post" action="{remove}"' in question
    assert f'href="{url}"' in question  # Cancel
    with app.app_context():
        assert db.session.get(WorkgroupMember, member_id) is not None
    response = form_post(client, remove, {})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(WorkgroupMember, member_id) is None


def test_adding_a_member_refuses_unknown_people_and_the_wrong_role_with_a_message(app, demo, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, WorkgroupMember
    client = app.test_client()
    login(client, make_user(role="admin"))
    make_user(role="citizen", email="pilsonis@example.test")
    with app.app_context():
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    url = f"/en/admin/workgroups/{cid}/"
    for email, message in (("nav.tada@example.test", "There is no account"),
                           ("pilsonis@example.test", "neither the working-group nor the editor role"),
                           ("", "Enter the member")):
        response = form_post(client, url, {"email": email})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html and 'class="error-summary"' in html
        assert f'value="{email}"' in html or not email
    with app.app_context():
        assert db.session.query(WorkgroupMember).count() == 0


# The table -------------------------------------------------------------------------------------

def test_the_table_shows_approved_items_by_default_and_other_statuses_by_filter(app, member_client, make_user):
    author = make_user(respondent_type="municipality")
    approved = add_comment(app, author, body="Apstiprināts komentārs par ģimenēm")
    pending = add_comment(app, author, body="Gaidošs komentārs par senioriem", status="pending")
    rejected = add_comment(app, author, body="Noraidīts komentārs", status="rejected")
    position = add_position(app, make_user(role="organisation"))
    html = member_client.get(TABLE).get_data(as_text=True)
    assert f"row-c{approved}" in html and f"row-p{position}" in html
    assert f"row-c{pending}" not in html and f"row-c{rejected}" not in html
    html = member_client.get(TABLE + "?status=pending").get_data(as_text=True)
    assert f"row-c{pending}" in html and f"row-c{approved}" not in html
    html = member_client.get(TABLE + "?status=all").get_data(as_text=True)
    assert all(f"row-c{i}" in html for i in (approved, pending, rejected))


def test_the_filters_narrow_the_table(app, member_client, make_user):
    from consult.clock import utcnow
    citizen = make_user(respondent_type="citizen")
    academic = make_user(respondent_type="academic")
    old = add_comment(app, citizen, body="Vecs komentārs par transportu", section=1, paragraph=1, stance="objects",
                      created_at=utcnow() - timedelta(days=10))
    new = add_comment(app, academic, body="Jauns priekšlikums par ĀRSTU piesaisti", section=2, stance="proposes")
    position = add_position(app, make_user(role="organisation"), sections=(2,))
    cases = {
        "?section=1": {old}, "?section=2": {new, f"p{position}"}, "?paragraph=1.1": {old},
        "?stance=objects": {old}, "?respondent=academic": {new}, "?q=ārstu": {new}, "?q=100%25_": set(),
        "?kind=positions": {f"p{position}"}, "?decision=none": {old, new, f"p{position}"},
        "?decision=accepted": set(),
        f"?date_from={(utcnow() - timedelta(days=2)).date().isoformat()}": {new, f"p{position}"},
        f"?date_to={(utcnow() - timedelta(days=5)).date().isoformat()}": {old},
    }
    for query, expected in cases.items():
        html = member_client.get(TABLE + query).get_data(as_text=True)
        shown = {int(m) if m.isdigit() else m for m in re.findall(r'id="row-c(\d+)"', html)}
        shown |= {f"p{m}" for m in re.findall(r'id="row-p(\d+)"', html)}
        assert shown == expected, (query, shown)


def test_the_text_filter_takes_wildcards_and_its_escape_character_literally(app, member_client, make_user):
    author = make_user()
    bodies = {"slash": "Likmes a/b sadalījums", "percent": "Likmes a%b sadalījums",
              "underscore": "Likmes a_b sadalījums", "plain": "Likmes axb sadalījums",
              "double": "Likmes a//b sadalījums"}
    ids = {name: add_comment(app, author, body=body) for name, body in bodies.items()}
    cases = {"a/b": {"slash"}, "a%25b": {"percent"}, "a_b": {"underscore"}, "a//b": {"double"},
             "/": {"slash", "double"}, "a/%25b": set(), "LIKMES A": set(bodies), "%25": {"percent"},
             "_": {"underscore"}}
    for query, expected in cases.items():
        html = member_client.get(TABLE + f"?q={query}").get_data(as_text=True)
        shown = {int(m) for m in re.findall(r'id="row-c(\d+)"', html)}
        assert shown == {ids[name] for name in expected}, query


def test_the_campaign_filter_shows_the_members_of_one_campaign(app, member_client, make_user):
    import random

    from consult.services.synthetic import edited_copies
    author = make_user()
    copies = [add_comment(app, author, body=text, section=2) for text in edited_copies(random.Random(4), 8)]
    alone = add_comment(app, author, body="Pavisam cits komentārs par transportu laukos", section=2)
    html = member_client.get(TABLE).get_data(as_text=True)
    assert f'<option value="{copies[0]}">8 kopijas: Labdien!' in html
    html = member_client.get(TABLE + f"?campaign={copies[0]}&per_page=100").get_data(as_text=True)
    shown = {int(m) for m in re.findall(r'id="row-c(\d+)"', html)}
    assert shown == set(copies) and alone not in shown and "row-p" not in html
    html = member_client.get(TABLE + "?campaign=999999&per_page=100").get_data(as_text=True)
    assert f"row-c{alone}" in html, "an unknown campaign counts as any"


def test_a_campaign_page_shows_the_model_text_its_size_and_each_copys_differences(app, member_client, make_user):
    import random

    from consult.services.synthetic import edited_copy
    author = make_user()
    rng = random.Random(2)
    original = edited_copy(rng, ())
    ids = [add_comment(app, author, body=original, section=2) for _ in range(3)]
    typo = edited_copy(rng, ("typo",))
    ids.append(add_comment(app, author, body=typo, section=2))
    summary = member_client.get(f"/lv/workgroup/{DEMO}/summary/").get_data(as_text=True)
    url = f"/lv/workgroup/{DEMO}/campaigns/{ids[0]}/"
    assert url in summary
    response = member_client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "4 komentāri" in html and "Labdien!" in html and f"?campaign={ids[0]}" in html
    copy = html[html.index(f'id="copy-{ids[3]}"'):]
    copy = copy[:copy.index("</li>")]
    assert copy.count("<ins>") == 1 and copy.count("<del>") == 1
    same = html[html.index(f'id="copy-{ids[1]}"'):]
    assert "<ins>" not in same[:same.index("</li>")]
    assert member_client.get(f"/lv/workgroup/{DEMO}/campaigns/{ids[1]}/").status_code == 404
    assert member_client.get(f"/en/workgroup/{DEMO}/campaigns/{ids[0]}/").status_code == 200


@pytest.mark.parametrize("query", ["?campaign=abc", "?date_from=21.03.2014", "?date_to=2014-13-45",
                                   "?section=abc&paragraph=x.y",
                                   "?tag=99999999999&subgroup=-1&per_page=5000&page=0", "?q=%00", "?status=bogus",
                                   "?decision=<script>", "?slug=x&lang=en"])
def test_odd_filter_values_never_cause_a_500(member_client, query):
    response = member_client.get(TABLE_EN + query)
    assert response.status_code in (200, 400)
    if "date" in query:
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "year-month-day" in html and "field-error" in html


def test_bulk_tagging_and_assigning_to_a_subgroup(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Comment, Consultation, Position, Tag
    from consult.models.workgroup import comment_tags, position_tags
    author = make_user()
    first = add_comment(app, author, body="Pirmais")
    second = add_comment(app, author, body="Otrais")
    position = add_position(app, make_user(role="organisation"))
    with app.app_context():
        subgroup_id = db.session.query(Consultation).filter_by(slug=DEMO).one().subgroups[1].id
    items = [f"c{first}", f"c{second}", f"p{position}"]
    response = form_post(member_client, TABLE + "bulk/?section=1", {"items": items, "action": "tag",
                                                                     "tag": "  Finansējums  "}, page_url=TABLE)
    assert response.status_code == 303 and response.headers["Location"].endswith("/?section=1&page=1")
    response = form_post(member_client, TABLE + "bulk/", {"items": items[:1], "action": "tag", "tag": "finansējums"},
                         page_url=TABLE)
    assert response.status_code == 303
    response = form_post(member_client, TABLE + "bulk/", {"items": items, "action": "assign",
                                                          "subgroup": str(subgroup_id)}, page_url=TABLE)
    assert response.status_code == 303
    with app.app_context():
        tags = db.session.query(Tag).all()
        assert [t.name for t in tags] == ["Finansējums"]
        assert db.session.execute(comment_tags.select()).rowcount != 0
        assert len(db.session.execute(comment_tags.select()).fetchall()) == 2
        assert len(db.session.execute(position_tags.select()).fetchall()) == 1
        assert {c.subgroup_id for c in db.session.query(Comment).all()} == {subgroup_id}
        assert db.session.get(Position, position).subgroup_id == subgroup_id
        tag_id = tags[0].id
    html = member_client.get(TABLE + f"?tag={tag_id}&subgroup={subgroup_id}").get_data(as_text=True)
    assert all(f"row-{ref}" in html for ref in items)
    assert "Finansējums" in html
    response = form_post(member_client, TABLE + "bulk/", {"items": [f"c{second}"], "action": "untag",
                                                          "tag": "FINANSĒJUMS"}, page_url=TABLE)
    assert response.status_code == 303
    response = form_post(member_client, TABLE + "bulk/", {"items": [f"c{second}"], "action": "assign",
                                                          "subgroup": "none"}, page_url=TABLE)
    with app.app_context():
        assert len(db.session.execute(comment_tags.select()).fetchall()) == 1
        assert db.session.get(Comment, second).subgroup_id is None


def test_bulk_actions_without_items_or_tag_show_messages_and_keep_what_was_typed(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Tag
    comment = add_comment(app, make_user())
    response = form_post(member_client, TABLE_EN + "bulk/", {"action": "tag", "tag": "Ātri"}, page_url=TABLE_EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Select at least one item" in html and 'value="Ātri"' in html
    assert html.count('class="error-summary"') == 1
    assert re.search(r"<title>(Kļūda|Error):", html)
    response = form_post(member_client, TABLE_EN + "bulk/", {"items": [f"c{comment}"], "action": "tag", "tag": " "},
                         page_url=TABLE_EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter a tag name" in html and "checked" in html
    response = form_post(member_client, TABLE_EN + "bulk/", {"items": [f"c{comment}"], "action": "tag",
                                                          "tag": "x" * 61}, page_url=TABLE_EN)
    assert response.status_code == 400
    response = form_post(member_client, TABLE_EN + "bulk/", {"items": [f"c{comment}"], "action": "assign",
                                                          "subgroup": "99999"}, page_url=TABLE_EN)
    assert response.status_code == 400 and "Choose a subgroup" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Tag).count() == 0


def test_bulk_actions_ignore_items_of_other_consultations(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Comment
    set_status(app, "closed", slug="riga-region-social-services-programme")
    foreign = add_comment(app, make_user(), slug="riga-region-social-services-programme")
    response = form_post(member_client, TABLE + "bulk/", {"items": [f"c{foreign}"], "action": "assign",
                                                          "subgroup": "none", "tag": ""}, page_url=TABLE)
    assert response.status_code == 400
    response = form_post(member_client, TABLE + "bulk/", {"items": [f"c{foreign}"], "action": "tag", "tag": "x"},
                         page_url=TABLE)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, foreign).subgroup_id is None


def test_table_query_count_does_not_grow_with_page_size(app, member_client, make_user, count_queries):
    from consult.extensions import db
    from consult.models import Consultation
    authors = [make_user(respondent_type=t) for t in ("citizen", "academic", "business")]
    ids = [add_comment(app, authors[i % 3], body=f"Komentārs numur {i}", section=1 + i % 3,
                       paragraph=1 if i % 2 else None) for i in range(60)]
    for i in range(5):
        add_position(app, authors[0], title=f"Viedoklis {i}", organisation=f"Biedrība {i}", sections=(1,))
    with app.app_context():
        subgroup_id = db.session.query(Consultation).filter_by(slug=DEMO).one().subgroups[0].id
    form_post(member_client, TABLE + "bulk/", {"items": [f"c{i}" for i in ids[:30]], "action": "tag", "tag": "a"},
              page_url=TABLE)
    form_post(member_client, TABLE + "bulk/", {"items": [f"c{i}" for i in ids[:30]], "action": "assign",
                                               "subgroup": str(subgroup_id)}, page_url=TABLE)
    counts, statements = {}, {}
    from consult.services import jobs
    for per_page in (25, 100):
        member_client.get(TABLE + f"?per_page={per_page}")
        jobs.wait_idle(app)   # a background analysis still running reads its state once more
        member_client.get(TABLE + f"?per_page={per_page}")
        with count_queries as counter:
            html = member_client.get(TABLE + f"?per_page={per_page}").get_data(as_text=True)
        counts[per_page], statements[per_page] = counter.count, [s.split("WHERE")[0] for s in counter.statements]
        assert html.count('class="row-check"') == min(per_page, 65)
    assert counts[25] == counts[100], (counts, set(statements[100]) ^ set(statements[25]) or statements[100])
    # The filters' choices, the assignees, the member's lead subgroups and the "assigned to me" count.
    assert counts[100] <= 23


# Responses -------------------------------------------------------------------------------------

def _answer(client, refs, decision="partly_accepted", lv="Ņemts vērā daļēji: termiņš ir 2016. gads.", en="", extra=None,
            base=TABLE):
    url = f"{base}responses/new/?" + "&".join(f"items={r}" for r in refs)
    data = {"items": refs, "decision": decision, "justification_lv": lv, "justification_en": en, **(extra or {})}
    return form_post(client, url, data)


def test_one_response_answers_several_identical_proposals(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Response
    from consult.models.workgroup import response_comments
    a, b = make_user(), make_user()
    first = add_comment(app, a, body="Prasām vairāk dienas centru!")
    second = add_comment(app, b, body="prasām vairāk dienas centru")
    other = add_comment(app, b, body="Pavisam cits teksts par mājokļiem un pabalstiem.")
    html = member_client.get(f"{TABLE}responses/new/?items=c{first}").get_data(as_text=True)
    assert f'value="c{second}"' in html, "the campaign sibling is offered"
    assert f'value="c{other}"' not in html
    response = _answer(member_client, [f"c{first}", f"c{second}"])
    assert response.status_code == 303
    with app.app_context():
        responses = db.session.query(Response).all()
        assert len(responses) == 1 and responses[0].decision == "partly_accepted"
        assert responses[0].justification_lv == "Ņemts vērā daļēji: termiņš ir 2016. gads."
        links = db.session.execute(response_comments.select()).fetchall()
        assert sorted(row.comment_id for row in links) == [first, second]
        response_id = responses[0].id
    html = member_client.get(TABLE + "?decision=partly_accepted").get_data(as_text=True)
    assert f"row-c{first}" in html and f"row-c{second}" in html and f"row-c{other}" not in html
    html = member_client.get(TABLE + "?decision=none").get_data(as_text=True)
    assert f"row-c{other}" in html and f"row-c{first}" not in html
    # Editing: drop one proposal and change the decision.
    url = f"{TABLE}responses/{response_id}/"
    response = form_post(member_client, url, {"items": [f"c{first}"], "decision": "accepted",
                                              "justification_lv": "Ņemts vērā.", "justification_en": "Accepted."})
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.get(Response, response_id)
        assert saved.decision == "accepted" and saved.justification_en == "Accepted."
        assert [row.comment_id for row in db.session.execute(response_comments.select()).fetchall()] == [first]
    # The answered item's "Answer" link leads to editing its response.
    response = member_client.get(f"{TABLE}responses/new/?items=c{first}")
    assert response.status_code == 303 and f"/responses/{response_id}/" in response.headers["Location"]


def test_a_response_needs_a_decision_and_a_latvian_justification(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Response
    comment = add_comment(app, make_user())
    response = _answer(member_client, base=TABLE_EN, refs=[f"c{comment}"], decision="", lv="   ", en="Only English")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a decision" in html and "Write the justification in Latvian" in html
    assert "Only English" in html and 'class="error-summary"' in html
    response = _answer(member_client, base=TABLE_EN, refs=[f"c{comment}"], decision="maybe")
    assert response.status_code == 400
    response = _answer(member_client, base=TABLE_EN, refs=[f"c{comment}"], extra={"changed_paragraph": "999999"})
    assert response.status_code == 400
    response = _answer(member_client, base=TABLE_EN, refs=[f"c{comment}"], lv="x" * 10001)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Response).count() == 0


def test_a_response_can_point_to_the_changed_paragraph_of_a_newer_version(app, member_client, make_user):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Paragraph, Response, Version
    comment = add_comment(app, make_user(), section=3, paragraph=2)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        old = consultation.versions[-1]
        new = Version(consultation_id=consultation.id, number=old.number + 1, published_at=utcnow(),
                      change_note_lv="Precizēts 3.2. punkts")
        db.session.add(new)
        db.session.flush()
        for p in db.session.query(Paragraph).filter_by(version_id=old.id).all():
            db.session.add(Paragraph(section_id=p.section_id, version_id=new.id, number=p.number,
                                     text_lv=p.text_lv + " (precizēts)", text_en=p.text_en))
        db.session.commit()
        section3 = next(s for s in consultation.sections if s.number == 3)
        changed = db.session.query(Paragraph).filter_by(section_id=section3.id, version_id=new.id, number=2).one()
        changed_id, new_number = changed.id, new.number
    html = member_client.get(f"{TABLE}responses/new/?items=c{comment}").get_data(as_text=True)
    assert f'value="{changed_id}"' in html
    response = _answer(member_client, [f"c{comment}"], decision="accepted",
                       extra={"changed_paragraph": str(changed_id)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(Response).one().changed_paragraph_id == changed_id
    assert new_number == 2


def test_deleting_a_response_leaves_its_proposals_unanswered(app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Response
    comment = add_comment(app, make_user())
    _answer(member_client, [f"c{comment}"])
    with app.app_context():
        response_id = db.session.query(Response).one().id
    url = f"{TABLE}responses/{response_id}/"
    edit = member_client.get(url).get_data(as_text=True)
    assert f'action="{url}delete/"' not in edit and f'href="{url}delete/?back=' in edit  # asks first
    question = member_client.get(url + "delete/").get_data(as_text=True)
    assert "1 priekšlikumam vairs nebūs atbildes" in question
    assert f'<form method="post" action="{url}delete/"' in question
    with app.app_context():
        assert db.session.query(Response).count() == 1  # looking at the question changes nothing
    response = form_post(member_client, url + "delete/", {})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(Response).count() == 0


# Publishing the outcome ------------------------------------------------------------------------

def test_publishing_the_outcome_concludes_and_mails_each_answered_author_once_in_their_language(
        app, member_client, make_user):
    from consult.extensions import db
    from consult.models import Consultation
    lv_author = make_user(language="lv", email="autors@example.test")
    en_author = make_user(language="en", email="author@example.test")
    silent = make_user(email="bez.atbildes@example.test")
    ids = [add_comment(app, lv_author, body="Pirmais priekšlikums"), add_comment(app, lv_author, body="Otrais"),
           add_comment(app, en_author, body="Third proposal")]
    add_comment(app, silent, body="Neatbildēts")
    _answer(member_client, [f"c{ids[0]}", f"c{ids[1]}"], decision="accepted", lv="Ņemts vērā.")
    _answer(member_client, [f"c{ids[2]}"], decision="explained", lv="Skaidrojums.", en="An explanation.")
    approve_all(app)
    assert outbox_messages(app) == [], "nothing is sent before the outcome is published"
    page = member_client.get(f"{TABLE_EN}publish/").get_data(as_text=True)
    assert "only when the consultation is closed" in page
    assert member_client.get(f"/lv/consultations/{DEMO}/outcome/").status_code == 404
    set_status(app, "closed")
    page = member_client.get(f"{TABLE_EN}publish/").get_data(as_text=True)
    assert "1 proposal has no answer yet" in page
    response = form_post(member_client, f"{TABLE}publish/", PUBLISH)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/consultations/{DEMO}/outcome/")
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        assert consultation.status == "concluded" and consultation.concluded_at is not None
    messages = outbox_messages(app)
    assert sorted(m["To"] for m in messages) == ["author@example.test", "autors@example.test"]
    lv_mail = next(m for m in messages if m["To"] == "autors@example.test")
    en_mail = next(m for m in messages if m["To"] == "author@example.test")
    assert lv_mail["Content-Language"] == "lv" and "Pirmais priekšlikums" in lv_mail.get_content()
    assert "Otrais" in lv_mail.get_content() and "ņemts vērā" in lv_mail.get_content()
    assert en_mail["Content-Language"] == "en" and "An explanation." in en_mail.get_content()
    assert f"/en/consultations/{DEMO}/outcome/" in en_mail.get_content()
    # Publishing again is refused; a later answer is mailed once approved, and only that one.
    assert form_post(member_client, f"{TABLE}publish/", PUBLISH).status_code == 303
    assert len(outbox_messages(app)) == 2
    later = add_comment(app, silent, body="Vēlāk atbildēts")
    _answer(member_client, [f"c{later}"], decision="not_accepted", lv="Nav ņemts vērā.")
    assert len(outbox_messages(app)) == 2, "a draft is no answer yet: nothing is mailed"
    approve_all_through_the_service(app, make_user)
    messages = outbox_messages(app)
    assert len(messages) == 3 and messages[-1]["To"] == "bez.atbildes@example.test"


def test_publishing_needs_the_csrf_token(app, member_client):
    set_status(app, "closed")
    assert member_client.post(f"{TABLE}publish/").status_code == 400
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        assert db.session.query(Consultation).filter_by(slug=DEMO).one().status == "closed"


# Digests ---------------------------------------------------------------------------------------

def test_send_digests_mails_what_is_new_in_the_members_subgroups_once(app, demo, make_user, runner):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        first_group_sections = {s.number for s in consultation.subgroups[0].sections}
        other_section = next(s.number for s in consultation.sections if s.number not in first_group_sections)
    everyone = make_user(role="workgroup", email="visi@example.test", language="en")
    grouped = make_user(role="workgroup", email="grupa@example.test")
    add_member(app, everyone)
    add_member(app, grouped, subgroups=(0,))
    author = make_user()
    add_comment(app, author, body="Jauns komentārs manā sadaļā", section=min(first_group_sections))
    add_comment(app, author, body="Komentārs citā sadaļā", section=other_section)
    add_comment(app, author, body="Vēl negaidīts", status="pending", section=min(first_group_sections))
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    messages = {m["To"]: m for m in outbox_messages(app)}
    assert "Komentārs citā sadaļā" in messages["visi@example.test"].get_content()
    assert "Comments: 2" in messages["visi@example.test"].get_content()
    grouped_text = messages["grupa@example.test"].get_content()
    assert "Jauns komentārs manā sadaļā" in grouped_text and "Komentārs citā sadaļā" not in grouped_text
    assert "Vēl negaidīts" not in grouped_text
    again = runner.invoke(args=["send-digests"])
    assert "0 sent" in again.output and len(outbox_messages(app)) == 2


def test_on_postgresql_the_text_filter_is_read_from_the_trigram_index_of_joined_spaces(app):
    """The condition must be written exactly as the index's expression (migration e3a9c4f7b210), or the
    planner reads every comment of the consultation instead."""
    from sqlalchemy import select, text

    from consult.extensions import db
    from consult.models import Comment
    from consult.services.feedback.filters import text_contains
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the trigram index is PostgreSQL's")
        compiled = select(Comment.id).where(text_contains(Comment.body, "Ludzas novada")).compile(db.engine)
        with db.engine.connect() as connection:
            connection.execute(text("SET enable_seqscan = off"))   # the table is empty: any index beats none
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))
        assert "ix_comments_joined_body_trgm" in plan, plan
