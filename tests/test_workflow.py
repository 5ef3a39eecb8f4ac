"""The response workflow: drafts approved by a subgroup lead (or an admin), items assigned to a member,
answering a whole set at once, and the audit log of every step."""
from __future__ import annotations

import random

import pytest

from consult.services.refusals import Refused

from .conftest import csrf_token_from, form_post
from .pages import DEMO
from .test_workgroup import TABLE, add_comment, add_member, add_position, set_status

TABLE_EN = f"/en/workgroup/{DEMO}/"
# The demo's subgroups: 0 covers sections 1, 2, 3, 5, 6, 7; 1 covers 1, 2, 4, 6, 7; 2 covers 1, 2, 4, 5, 6, 7.
ONLY_SUBGROUP_0 = 3
NOT_SUBGROUP_0 = 4


def make_lead(app, member_id, *positions):
    """Marks the member lead of the demo subgroups at these positions (and puts them in them)."""
    from consult.extensions import db
    from consult.models import Consultation, WorkgroupMember
    from consult.services import feedback
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        member = db.session.get(WorkgroupMember, member_id)
        ids = [consultation.subgroups[i].id for i in positions]
        feedback.set_member_subgroups(member, ids, ids)


@pytest.fixture
def people(app, demo, make_user, login):
    """A plain member, a lead of subgroup 0, a lead of subgroup 1 and an admin member, each signed in."""
    result = {}
    for name, role in (("member", "workgroup"), ("lead", "workgroup"), ("other_lead", "workgroup"),
                       ("admin", "admin")):
        user_id = make_user(role=role, display_name=f"Persona {name}")
        member_id = add_member(app, user_id)
        client = login(app.test_client(), user_id)
        client.user_id, client.member_id = user_id, member_id
        result[name] = client
    make_lead(app, result["lead"].member_id, 0)
    make_lead(app, result["other_lead"].member_id, 1)
    return result


def _draft(client, refs, decision="accepted", lv="Ņemts vērā.", then="draft"):
    url = f"{TABLE}responses/new/?" + "&".join(f"items={r}" for r in refs)
    return form_post(client, url, {"items": refs, "decision": decision, "justification_lv": lv, "then": then})


def _responses(app):
    from consult.extensions import db
    from consult.models import Response
    with app.app_context():
        return [(r.id, r.status, r.decision, r.review_note) for r in db.session.query(Response).order_by(Response.id)]


def _events(app, action=None):
    from consult.extensions import db
    from consult.models import ModerationEvent
    with app.app_context():
        query = db.session.query(ModerationEvent).order_by(ModerationEvent.id)
        if action:
            query = query.filter_by(action=action)
        return [(e.action, e.target_type, e.target_id, e.actor_id, e.note) for e in query]


def _consultation(app):
    from consult.extensions import db
    from consult.models import Consultation
    return db.session.query(Consultation).filter_by(slug=DEMO).one()


# The rules -------------------------------------------------------------------------------------

def test_a_lead_may_approve_only_proposals_of_a_subgroup_they_lead_and_an_admin_any(app, people, make_user):
    from consult.extensions import db
    from consult.models import Comment, WorkgroupMember
    from consult.services import workflow
    author = make_user()
    in_zero = add_comment(app, author, section=ONLY_SUBGROUP_0)
    outside = add_comment(app, author, section=NOT_SUBGROUP_0)
    moved = add_comment(app, author, section=ONLY_SUBGROUP_0)
    whole = add_position(app, author)
    with app.app_context():
        consultation = _consultation(app)
        db.session.get(Comment, moved).subgroup_id = consultation.subgroups[1].id   # assigned away from 0
        db.session.commit()
        lead, other, member, admin = (db.session.get(WorkgroupMember, people[n].member_id)
                                      for n in ("lead", "other_lead", "member", "admin"))
        assert workflow.may_approve(consultation, lead, [f"c{in_zero}"])
        assert not workflow.may_approve(consultation, lead, [f"c{outside}"])
        assert not workflow.may_approve(consultation, lead, [f"c{in_zero}", f"c{outside}"]), "all or nothing"
        assert not workflow.may_approve(consultation, lead, [f"c{moved}"])
        assert workflow.may_approve(consultation, other, [f"c{moved}", f"c{outside}"])
        assert workflow.may_approve(consultation, lead, [f"p{whole}"]), "the whole draft is every subgroup's"
        assert not workflow.may_approve(consultation, member, [f"c{in_zero}"])
        assert workflow.may_approve(consultation, admin, [f"c{in_zero}", f"c{outside}", f"p{whole}"])
        assert not workflow.may_approve(consultation, lead, ["c999999"]), "nothing to approve"
        assert workflow.is_approver(lead) and workflow.is_approver(admin) and not workflow.is_approver(member)


def test_only_approved_responses_count_as_answers(app, people, make_user):
    from consult.extensions import db
    from consult.models import User, WorkgroupMember
    from consult.services import responses, workflow
    comment = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    with app.app_context():
        consultation = _consultation(app)
        writer = db.session.get(User, people["member"].user_id)
        response = responses.save_response(consultation, [f"c{comment}"], "accepted", "Ņemts vērā.", "", None, writer)
        assert response.status == "draft"
        assert responses.answer_counts(consultation).answered == 0
        page = responses.outcome_page(consultation)
        assert [entry.response for entry in page.comments] == [None]
        workflow.approve(consultation, response, db.session.get(WorkgroupMember, people["lead"].member_id))
        assert responses.answer_counts(consultation).answered == 1
        assert responses.outcome_page(consultation).comments[0].response.id == response.id
        # A member's edit of an approved answer is a draft again: no unreviewed text stays public.
        responses.save_response(consultation, [f"c{comment}"], "explained", "Paskaidrots.", "", None, writer, response)
        assert response.status == "draft" and response.approved_by_id is None
        assert responses.answer_counts(consultation).answered == 0


def test_responses_stored_before_the_workflow_stay_approved(app, demo):
    """The migration's server default: a row written without a status (as every earlier one was) is approved."""
    from sqlalchemy import text

    from consult.extensions import db
    with app.app_context():
        consultation_id = _consultation(app).id
        db.session.execute(text("INSERT INTO responses (consultation_id, decision, justification_lv, justification_en,"
                                " created_at, updated_at) VALUES (:c, 'accepted', 'Vecā atbilde', '', :t, :t)"),
                           {"c": consultation_id, "t": "2024-01-01 00:00:00"})
        db.session.commit()
        assert db.session.execute(text("SELECT status, review_note FROM responses")).one() == ("approved", "")


def test_sending_back_needs_a_note_and_makes_a_draft(app, people, make_user):
    from consult.extensions import db
    from consult.models import User, WorkgroupMember
    from consult.services import responses, workflow
    comment = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    with app.app_context():
        consultation = _consultation(app)
        response = responses.save_response(consultation, [f"c{comment}"], "accepted", "Ņemts vērā.", "", None,
                                           db.session.get(User, people["lead"].user_id), approve=True)
        lead = db.session.get(WorkgroupMember, people["lead"].member_id)
        with pytest.raises(Refused) as refused:
            workflow.send_back(consultation, response, lead, "   ")
        assert refused.value.code == "workflow.note_empty" and response.status == "approved"
        workflow.send_back(consultation, response, lead, "Lūdzu norādīt termiņu.")
        assert (response.status, response.review_note) == ("draft", "Lūdzu norādīt termiņu.")


def test_a_bulk_answer_is_refused_when_the_set_changed_since_the_confirmation(app, people, make_user):
    from consult.extensions import db
    from consult.models import WorkgroupMember
    from consult.services import feedback, workflow
    for _ in range(3):
        add_comment(app, make_user())
    with app.app_context():
        consultation = _consultation(app)
        member = db.session.get(WorkgroupMember, people["member"].member_id)
        refs = workflow.set_refs(consultation, feedback.Filters())
        with pytest.raises(Refused) as refused:
            workflow.bulk_respond(consultation, refs, "explained", "Paskaidrots.", "", member, False, expected=2)
        assert refused.value.code == "workflow.count_changed"
        with pytest.raises(Refused) as refused:
            workflow.bulk_respond(consultation, refs, "explained", "Paskaidrots.", "", member, True, expected=3)
        assert refused.value.code == "workflow.not_allowed"
    assert _responses(app) == []


# Drafting and approving through the pages ------------------------------------------------------

def test_a_member_saves_a_draft_and_may_not_approve_it(app, people, make_user, client):
    comment = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    member = people["member"]
    page = member.get(f"{TABLE_EN}responses/new/?items=c{comment}").get_data(as_text=True)
    assert "Save as a draft" in page and "Save and approve" not in page
    assert _draft(member, [f"c{comment}"], then="approve").status_code == 403
    assert _responses(app) == [] and _events(app) == []
    assert _draft(member, [f"c{comment}"]).status_code == 303
    [(response_id, status, _decision, _note)] = _responses(app)
    assert status == "draft"
    assert _events(app) == [("response_draft", "response", response_id, member.user_id, "accepted, 1")]
    table = member.get(TABLE_EN).get_data(as_text=True)
    assert "Draft, not approved yet" in table
    token = csrf_token_from(table)
    for url in (f"{TABLE}responses/{response_id}/approve/", f"{TABLE}responses/{response_id}/send-back/"):
        assert member.post(url, data={"csrf_token": token, "note": "Nē"}).status_code == 403
    assert _responses(app)[0][1] == "draft" and len(_events(app)) == 1
    # The outcome shows no answer for a draft.
    set_status(app, "concluded")
    outcome = client.get(f"/en/consultations/{DEMO}/outcome/").get_data(as_text=True)
    assert "Ņemts vērā." not in outcome


def test_a_lead_approves_a_draft_of_their_subgroup_but_not_of_another(app, people, make_user, client):
    mine = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    theirs = add_comment(app, make_user(), section=NOT_SUBGROUP_0)
    _draft(people["member"], [f"c{mine}"], lv="Mans pamatojums.")
    _draft(people["member"], [f"c{theirs}"], lv="Cits pamatojums.")
    (mine_id, *_), (theirs_id, *_) = _responses(app)
    lead = people["lead"]
    page = lead.get(f"{TABLE_EN}responses/{mine_id}/").get_data(as_text=True)
    assert "Approve the response" in page and "Send back as a draft" in page
    assert "Approve the response" not in lead.get(f"{TABLE_EN}responses/{theirs_id}/").get_data(as_text=True)
    token = csrf_token_from(page)
    assert lead.post(f"{TABLE}responses/{theirs_id}/approve/", data={"csrf_token": token}).status_code == 403
    assert lead.post(f"{TABLE}responses/{mine_id}/approve/", data={"csrf_token": "wrong"}).status_code == 400
    assert [r[1] for r in _responses(app)] == ["draft", "draft"]
    response = lead.post(f"{TABLE}responses/{mine_id}/approve/", data={"csrf_token": token})
    assert response.status_code == 303
    assert [r[1] for r in _responses(app)] == ["approved", "draft"]
    assert _events(app, "response_approve") == [("response_approve", "response", mine_id, lead.user_id, "")]
    assert "Approved" in lead.get(f"{TABLE_EN}responses/{mine_id}/").get_data(as_text=True)
    set_status(app, "concluded")
    outcome = client.get(f"/lv/consultations/{DEMO}/outcome/").get_data(as_text=True)
    assert "Mans pamatojums." in outcome and "Cits pamatojums." not in outcome
    # The other subgroup's lead approves theirs; the admin could have approved either.
    other = people["other_lead"]
    assert form_post(other, f"{TABLE}responses/{theirs_id}/approve/", {},
                     page_url=f"{TABLE}responses/{theirs_id}/").status_code == 303
    assert [r[1] for r in _responses(app)] == ["approved", "approved"]


def test_a_lead_saves_and_approves_in_one_step(app, people, make_user):
    comment = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    assert _draft(people["lead"], [f"c{comment}"], then="approve").status_code == 303
    [(response_id, status, *_)] = _responses(app)
    assert status == "approved"
    assert [e[0] for e in _events(app)] == ["response_draft", "response_approve"]


def test_sending_back_shows_the_note_to_the_writer(app, people, make_user):
    comment = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    _draft(people["member"], [f"c{comment}"])
    [(response_id, *_)] = _responses(app)
    lead = people["lead"]
    url = f"{TABLE}responses/{response_id}/send-back/"
    page_url = f"{TABLE_EN}responses/{response_id}/"
    empty = form_post(lead, f"/en/workgroup/{DEMO}/responses/{response_id}/send-back/", {"note": "  "},
                      page_url=page_url)
    assert empty.status_code == 400 and "Write what should change, so the writer knows." in empty.get_data(as_text=True)
    assert _events(app, "response_send_back") == []
    assert form_post(lead, url, {"note": "Lūdzu minēt termiņu."}, page_url=page_url).status_code == 303
    assert _responses(app)[0][1:] == ("draft", "accepted", "Lūdzu minēt termiņu.")
    assert _events(app, "response_send_back") == [
        ("response_send_back", "response", response_id, lead.user_id, "Lūdzu minēt termiņu.")]
    page = people["member"].get(page_url).get_data(as_text=True)
    assert "Sent back with this note:" in page and "Lūdzu minēt termiņu." in page


def test_editing_and_deleting_are_in_the_audit_log(app, people, make_user):
    comment = add_comment(app, make_user())
    _draft(people["member"], [f"c{comment}"])
    [(response_id, *_)] = _responses(app)
    url = f"{TABLE}responses/{response_id}/"
    form_post(people["member"], url, {"items": [f"c{comment}"], "decision": "explained", "justification_lv": "Cits.",
                                      "then": "draft"})
    form_post(people["member"], f"{url}delete/", {})
    assert [(e[0], e[2], e[4]) for e in _events(app)] == [
        ("response_draft", response_id, "accepted, 1"), ("response_edit", response_id, "explained, 1"),
        ("response_delete", response_id, "explained, 1")]


# Assignment ------------------------------------------------------------------------------------

def test_items_are_assigned_to_a_member_who_sees_them_as_assigned_to_me(app, people, make_user):
    author = make_user()
    ids = [add_comment(app, author, body=f"Komentārs {i}") for i in range(3)]
    lead, member = people["lead"], people["member"]
    refs = [f"c{ids[0]}", f"c{ids[1]}"]
    response = form_post(lead, TABLE + "bulk/", {"items": refs, "action": "assign_member",
                                                 "assignee": str(member.member_id)}, page_url=TABLE)
    assert response.status_code == 303
    assert sorted(_events(app, "assign")) == sorted(
        ("assign", "comment", i, lead.user_id, "Persona member") for i in ids[:2])
    html = member.get(TABLE_EN).get_data(as_text=True)
    assert "Assigned to me: 2 items" in html and "Assigned to Persona member (me)" in html
    mine = member.get(f"{TABLE_EN}?assignee=me").get_data(as_text=True)
    assert mine.count('class="row-check"') == 2 and f'value="c{ids[2]}"' not in mine
    assert "Assigned to me: 0 items" in lead.get(TABLE_EN).get_data(as_text=True)
    by_name = lead.get(f"{TABLE_EN}?assignee={member.member_id}").get_data(as_text=True)
    assert by_name.count('class="row-check"') == 2
    nobody = lead.get(f"{TABLE_EN}?assignee=none").get_data(as_text=True)
    assert nobody.count('class="row-check"') == 1
    lv = member.get(TABLE).get_data(as_text=True)
    assert "Uzticēts man: 2 ieraksti" in lv
    start = member.get("/en/workgroup/").get_data(as_text=True)
    assert "Assigned to me: 2 items" in start and f"/en/workgroup/{DEMO}/?assignee=me" in start
    assert "Assigned to me" not in lead.get("/en/workgroup/").get_data(as_text=True)
    # Taking it away, and a member of another consultation (or none) is refused beside the field.
    form_post(lead, TABLE + "bulk/", {"items": refs[:1], "action": "assign_member", "assignee": "none"},
              page_url=TABLE)
    assert "Assigned to me: 1 item" in member.get(TABLE_EN).get_data(as_text=True)
    wrong = form_post(lead, f"/en/workgroup/{DEMO}/bulk/", {"items": refs, "action": "assign_member",
                                                          "assignee": "999999"}, page_url=TABLE_EN)
    assert wrong.status_code == 400 and "Choose a member." in wrong.get_data(as_text=True)


def test_bulk_approval_is_for_approvers_and_all_or_nothing(app, people, make_user):
    mine = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    theirs = add_comment(app, make_user(), section=NOT_SUBGROUP_0)
    _draft(people["member"], [f"c{mine}"])
    _draft(people["member"], [f"c{theirs}"])
    both = {"items": [f"c{mine}", f"c{theirs}"], "action": "approve"}
    assert form_post(people["member"], TABLE + "bulk/", both, page_url=TABLE).status_code == 403
    assert form_post(people["lead"], TABLE + "bulk/", both, page_url=TABLE).status_code == 403
    assert [r[1] for r in _responses(app)] == ["draft", "draft"]
    assert form_post(people["lead"], TABLE + "bulk/", {**both, "items": [f"c{mine}"]},
                     page_url=TABLE).status_code == 303
    assert form_post(people["admin"], TABLE + "bulk/", both, page_url=TABLE).status_code == 303
    assert [r[1] for r in _responses(app)] == ["approved", "approved"]
    assert len(_events(app, "response_approve")) == 2


# Responding to a whole set ---------------------------------------------------------------------

BULK = f"{TABLE}responses/bulk/"
BULK_EN = f"{TABLE_EN}responses/bulk/"


def _bulk(client, query, data, lang_base=BULK):
    return form_post(client, f"{lang_base}?{query}" if query else lang_base,
                     {"decision": "explained", "justification_lv": "Paskaidrots vienoti.", **data},
                     page_url=f"{lang_base}?{query}" if query else lang_base)


def test_responding_to_all_filtered_items_confirms_the_count_then_makes_drafts(app, people, make_user):
    author = make_user()
    asked = [add_comment(app, author, body=f"Jautājums {i}", stance="asks") for i in range(3)]
    add_comment(app, author, body="Priekšlikums", stance="proposes")
    member = people["member"]
    table = member.get(f"{TABLE_EN}?stance=asks").get_data(as_text=True)
    assert "Respond to all 3 items" in table and "responses/bulk/?stance=asks" in table
    form = member.get(f"{BULK_EN}?stance=asks").get_data(as_text=True)
    assert "Respond to all 3 items" in form and "Continue: approve them at once" not in form
    empty = _bulk(member, "stance=asks", {"justification_lv": ""}, BULK_EN)
    assert empty.status_code == 400 and "Write the justification in Latvian." in empty.get_data(as_text=True)
    confirm = _bulk(member, "stance=asks", {"then": "draft"}, BULK_EN)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Respond to all 3 items?" in html
    assert "3 items get this response as drafts." in html and "Yes, respond to all 3 items" in html
    assert _responses(app) == []
    lv = _bulk(member, "stance=asks", {"then": "draft"}).get_data(as_text=True)
    assert "Atbildēt uz visiem 3 ierakstiem?" in lv
    done = _bulk(member, "stance=asks", {"then": "draft", "step": "confirm", "confirmed_count": "3"})
    assert done.status_code == 303 and done.headers["Location"].endswith("?stance=asks")
    assert [(r[1], r[2]) for r in _responses(app)] == [("draft", "explained")] * 3
    assert _events(app, "bulk_respond")[0][4] == "explained, 3"
    assert len(_events(app, "response_draft")) == 3
    # Each item got a response of its own.
    from consult.extensions import db
    from consult.models.workgroup import response_comments
    with app.app_context():
        links = dict(db.session.execute(response_comments.select().with_only_columns(
            response_comments.c.comment_id, response_comments.c.response_id)).all())
    assert sorted(links) == sorted(asked) and len(set(links.values())) == 3


def test_a_bulk_answer_says_what_it_replaces_and_refuses_a_changed_set(app, people, make_user):
    author = make_user()
    first = add_comment(app, author, section=ONLY_SUBGROUP_0)
    add_comment(app, author, section=ONLY_SUBGROUP_0)
    _draft(people["member"], [f"c{first}"])
    lead = people["lead"]
    query = f"section={ONLY_SUBGROUP_0}"
    html = _bulk(lead, query, {"then": "approve"}, BULK_EN).get_data(as_text=True)
    assert "2 items get this response, approved at once." in html
    assert "1 of them already has a response; this one replaces it." in html
    add_comment(app, author, section=ONLY_SUBGROUP_0)
    changed = _bulk(lead, query, {"then": "approve", "step": "confirm", "confirmed_count": "2"}, BULK_EN)
    assert changed.status_code == 409
    assert "the filters now match 3 items. Nothing has been saved yet." in changed.get_data(as_text=True)
    assert len(_responses(app)) == 1
    done = _bulk(lead, query, {"then": "approve", "step": "confirm", "confirmed_count": "3"}, BULK_EN)
    assert done.status_code == 303
    assert [r[1] for r in _responses(app)] == ["approved"] * 3, "the earlier draft was replaced"


def test_only_an_approver_of_every_item_may_bulk_approve(app, people, make_user):
    author = make_user()
    add_comment(app, author, section=ONLY_SUBGROUP_0)
    add_comment(app, author, section=NOT_SUBGROUP_0)
    for name in ("member", "lead"):
        response = _bulk(people[name], "", {"then": "approve", "step": "confirm", "confirmed_count": "2"})
        assert response.status_code == 403, name
    assert _responses(app) == [] and _events(app) == []
    assert "Continue: approve them at once" in people["admin"].get(BULK_EN).get_data(as_text=True)


def test_a_campaign_and_a_theme_are_answered_at_once(app, people, make_user):
    from consult.services.synthetic import edited_copies
    author = make_user()
    copies = [add_comment(app, author, body=text, section=2) for text in edited_copies(random.Random(4), 6)]
    add_comment(app, author, body="Pavisam cits komentārs par transportu laukos", section=2)
    member = people["member"]
    campaign = copies[0]   # a campaign is known by its first member's id
    member.get(f"{TABLE_EN}summary/")   # the summary page works the campaigns out (at once, in the tests)
    html = member.get(f"{TABLE_EN}campaigns/{campaign}/").get_data(as_text=True)
    assert f"responses/bulk/?campaign={campaign}" in html
    assert "Respond to all 6 items" in member.get(f"{BULK_EN}?campaign={campaign}").get_data(as_text=True)
    done = _bulk(member, f"campaign={campaign}", {"then": "draft", "step": "confirm", "confirmed_count": "6"})
    assert done.status_code == 303 and len(_responses(app)) == 6
    # A theme: the same page with the theme's filter.
    from consult.services import stored_themes
    with app.app_context():
        stored_themes.recompute(_consultation(app), None, member.user_id)
        theme = next(t for t, _section in stored_themes.consultation_themes(_consultation(app)))
        theme_id = theme.id
    assert f"responses/bulk/?theme={theme_id}" in member.get(f"{TABLE_EN}themes/{theme_id}/").get_data(as_text=True)
    assert member.get(f"{BULK_EN}?theme={theme_id}").status_code == 200


def test_nothing_to_answer_goes_back_to_the_table(app, people):
    response = people["member"].get(f"{BULK_EN}?q=nekas-tāds-nav")
    assert response.status_code == 303 and "/workgroup/" in response.headers["Location"]


# Leads in the admin area -----------------------------------------------------------------------

def test_an_admin_marks_a_subgroup_lead_and_others_may_not(app, demo, make_user, login):
    from consult.services import feedback
    user_id = make_user(role="workgroup", display_name="Vadītāja")
    member_id = add_member(app, user_id)
    with app.app_context():
        consultation = _consultation(app)
        first, second = consultation.subgroups[0].id, consultation.subgroups[1].id
        consultation_id = consultation.id
    page = f"/en/admin/workgroups/{consultation_id}/"
    url = f"/en/admin/workgroups/{consultation_id}/members/{member_id}/"
    workgroup_client = login(app.test_client(), user_id)
    token = csrf_token_from(workgroup_client.get(f"{TABLE_EN}").get_data(as_text=True))
    assert workgroup_client.post(url, data={"csrf_token": token, f"m{member_id}-subgroups": [str(first)],
                                            f"m{member_id}-leads": [str(first)]}).status_code == 403
    admin = login(app.test_client(), make_user(role="admin"))
    # A lead of a subgroup the member is not in is ignored.
    response = form_post(admin, url, {f"m{member_id}-subgroups": [str(first)],
                                      f"m{member_id}-leads": [str(first), str(second)]}, page_url=page)
    assert response.status_code == 303
    with app.app_context():
        assert feedback.lead_ids_by_member(_consultation(app)) == {member_id: {first}}
    assert "lead of Institutional care" in admin.get(page).get_data(as_text=True)


def test_an_editor_in_the_working_group_approves_any_response_and_one_outside_it_is_refused(
        app, people, make_user, login):
    from consult.extensions import db
    from consult.models import Consultation, WorkgroupMember
    mine = add_comment(app, make_user(), section=ONLY_SUBGROUP_0)
    theirs = add_comment(app, make_user(), section=NOT_SUBGROUP_0)
    _draft(people["member"], [f"c{mine}"])
    _draft(people["member"], [f"c{theirs}"])
    (mine_id, *_), (theirs_id, *_) = _responses(app)
    outsider = login(app.test_client(), make_user(role="editor"))
    assert outsider.get(TABLE_EN).status_code == 403
    assert outsider.post(f"{TABLE}responses/{mine_id}/approve/", data={"csrf_token": "x"}).status_code in (400, 403)
    # An admin puts an editor in the group through the admin page; no subgroup, no lead mark needed.
    admin = people["admin"]
    with app.app_context():
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    editor_id = make_user(role="editor", email="redaktore@example.test", display_name="Redaktore Ilze")
    assert form_post(admin, f"/en/admin/workgroups/{cid}/", {"email": "redaktore@example.test"}).status_code == 303
    assert "approves every response" in admin.get(f"/en/admin/workgroups/{cid}/").get_data(as_text=True)
    editor = login(app.test_client(), editor_id)
    assert 'href="/en/workgroup/"' in editor.get("/en/").get_data(as_text=True)
    page = editor.get(f"{TABLE_EN}responses/{theirs_id}/").get_data(as_text=True)
    assert "Approve the response" in page
    for response_id in (mine_id, theirs_id):
        assert form_post(editor, f"{TABLE}responses/{response_id}/approve/", {},
                         page_url=f"{TABLE}responses/{response_id}/").status_code == 303
    assert [r[1] for r in _responses(app)] == ["approved", "approved"]
    with app.app_context():
        member_id = db.session.query(WorkgroupMember).filter_by(user_id=editor_id).one().id
        actors = {e[3] for e in _events(app, "response_approve")}
        assert actors == {editor_id} and member_id
    assert _events(app, "response_approve")[0][:3] == ("response_approve", "response", mine_id)
