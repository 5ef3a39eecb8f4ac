"""The public outcome report: hidden until the consultation is concluded, then complete in both languages."""
from __future__ import annotations

from consult.services.refusals import Refused

from .conftest import form_post, outbox_messages
from .pages import DEMO, PUBLISH
from .test_workgroup import add_comment, add_member, add_position, approve_all, set_status

OUTCOME = f"/{{lang}}/consultations/{DEMO}/outcome/"


def _setup(app, make_user, login):
    member = make_user(role="workgroup")
    add_member(app, member)
    client = app.test_client()
    login(client, member)
    shown = make_user(display_name="Līga Kalniņa")
    hidden = make_user(display_name="Nerādāms Vārds", respondent_type="municipality")
    answered = add_comment(app, shown, body="Lūdzu precizēt 3.2. punktu.", section=3, paragraph=2, show_name=True)
    other = add_comment(app, hidden, body="Vai finansējums būs pietiekams?", section=1, stance="asks")
    position = add_position(app, make_user(role="organisation"), title="Pašvaldību savienības viedoklis",
                            organisation="Pašvaldību savienība")
    add_comment(app, hidden, body="Noraidīts teksts", status="rejected")
    table = f"/lv/workgroup/{DEMO}/"
    form_post(client, f"{table}responses/new/?items=c{answered}",
              {"items": [f"c{answered}"], "decision": "accepted", "justification_lv": "Punkts precizēts.",
               "justification_en": "The paragraph was clarified."})
    form_post(client, f"{table}responses/new/?items=p{position}",
              {"items": [f"p{position}"], "decision": "explained", "justification_lv": "Skaidrojam finansējumu."})
    approve_all(app)
    return client, answered, other, position


def test_the_outcome_is_404_until_concluded_and_the_overview_links_it_after(app, demo, make_user, login, client):
    member_client, *_ = _setup(app, make_user, login)
    for status in ("open", "closed"):
        set_status(app, status)
        for lang in ("lv", "en"):
            assert client.get(OUTCOME.format(lang=lang)).status_code == 404
        assert "/outcome/" not in client.get(f"/lv/consultations/{DEMO}/").get_data(as_text=True)
    form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    for lang in ("lv", "en"):
        assert client.get(OUTCOME.format(lang=lang)).status_code == 200
    assert f"/lv/consultations/{DEMO}/outcome/" in client.get(f"/lv/consultations/{DEMO}/").get_data(as_text=True)
    assert client.get("/lv/consultations/no-such/outcome/").status_code == 404
    assert client.get(OUTCOME.format(lang="lv") + "?page=99").status_code == 404


def test_the_outcome_lists_every_published_proposal_with_its_response(app, demo, make_user, login, client):
    member_client, answered, other, position = _setup(app, make_user, login)
    set_status(app, "closed")
    form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    lv = client.get(OUTCOME.format(lang="lv")).get_data(as_text=True)
    en = client.get(OUTCOME.format(lang="en")).get_data(as_text=True)
    for html in (lv, en):
        assert f'id="comment-{answered}"' in html and f'id="comment-{other}"' in html
        assert f'id="position-{position}"' in html and "Pašvaldību savienības viedoklis" in html
        assert "Noraidīts teksts" not in html
        assert "Līga Kalniņa" in html and "Nerādāms Vārds" not in html
        assert "Lūdzu precizēt 3.2. punktu." in html
    assert "Punkts precizēts." in lv and "The paragraph was clarified." in en
    assert "Skaidrojam finansējumu." in en, "the Latvian text stands in for a missing English one"
    assert "shown in Latvian" in en
    assert "The working group has not answered this proposal." in en
    assert "@example.test" not in lv + en


def test_the_outcome_shows_the_changed_paragraph_link(app, demo, make_user, login, client):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Paragraph, Response, Version
    member_client, answered, *_ = _setup(app, make_user, login)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        old = consultation.versions[-1]
        new = Version(consultation_id=consultation.id, number=old.number + 1, published_at=utcnow())
        db.session.add(new)
        db.session.flush()
        for p in db.session.query(Paragraph).filter_by(version_id=old.id).all():
            db.session.add(Paragraph(section_id=p.section_id, version_id=new.id, number=p.number,
                                     text_lv=p.text_lv + " Precizēts.", text_en=p.text_en))
        db.session.flush()
        section3 = next(s for s in consultation.sections if s.number == 3)
        changed = db.session.query(Paragraph).filter_by(section_id=section3.id, version_id=new.id, number=2).one()
        response = db.session.query(Response).filter_by(decision="accepted").one()
        response.changed_paragraph_id = changed.id
        consultation.status = "closed"
        db.session.commit()
        spec = f"{old.number}..{new.number}"
    form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    html = client.get(OUTCOME.format(lang="en")).get_data(as_text=True)
    assert f"/en/consultations/{DEMO}/versions/{spec}/#d-3.2" in html
    assert "We changed paragraph 3.2 in version 2 of the draft" in html
    lv = client.get(OUTCOME.format(lang="lv")).get_data(as_text=True)
    assert '<ins><span class="visually-hidden">pievienots: </span> Precizēts.</ins>' in lv \
        or '<ins><span class="visually-hidden">pievienots: </span>Precizēts.</ins>' in lv


def _concluded(app):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        return consultation.status, consultation.outcome_intro_lv


def test_publishing_needs_the_introduction_in_both_languages(app, demo, make_user, login):
    member_client, *_ = _setup(app, make_user, login)
    set_status(app, "closed")
    typed = "Mūsu ievads <b>&amp;</b>"
    response = form_post(member_client, f"/en/workgroup/{DEMO}/publish/",
                         {"intro_lv": typed, "intro_en": "  ", "confirm_unanswered": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write the introduction in English." in html and "Mūsu ievads &lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    assert _concluded(app) == ("closed", "")


def test_publishing_with_unanswered_proposals_needs_a_yes_that_names_the_count(app, demo, make_user, login):
    member_client, *_ = _setup(app, make_user, login)
    set_status(app, "closed")
    page = member_client.get(f"/lv/workgroup/{DEMO}/publish/").get_data(as_text=True)
    assert "Publicēt, lai gan 1 priekšlikumam nav atbildes" in page
    response = form_post(member_client, f"/en/workgroup/{DEMO}/publish/", {**PUBLISH, "confirm_unanswered": ""})
    assert response.status_code == 400
    assert "1 proposal has no answer. Answer it first, or tick the box" in response.get_data(as_text=True)
    assert _concluded(app) == ("closed", "")
    assert form_post(member_client, f"/en/workgroup/{DEMO}/publish/", PUBLISH).status_code == 303
    assert _concluded(app) == ("concluded", PUBLISH["intro_lv"])


def test_the_outcome_says_only_what_is_true_and_counts_supports_apart(app, demo, make_user, login, client):
    member_client, answered, other, position = _setup(app, make_user, login)
    add_comment(app, make_user(), body="Pilnībā atbalstu.", stance="supports")
    set_status(app, "closed")
    form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    en = client.get(OUTCOME.format(lang="en")).get_data(as_text=True)
    lv = client.get(OUTCOME.format(lang="lv")).get_data(as_text=True)
    assert PUBLISH["intro_en"] in en and PUBLISH["intro_lv"] in lv
    assert "answered 2 of the 3 proposals it received; 1 have no answer" in en
    assert "every" not in en.split('id="figures-heading"')[0].split("<main", 1)[1]
    figures = en.split('id="figures-heading"')[1].split("</dl>")[0]
    assert "<dt>Proposals</dt><dd>3</dd>" in figures and "<dt>Supporting comments</dt><dd>1</dd>" in figures
    assert "<dt>Not answered</dt><dd>1</dd>" in figures


def test_when_every_proposal_is_answered_the_outcome_says_so(app, demo, make_user, login, client):
    member_client, answered, other, position = _setup(app, make_user, login)
    form_post(member_client, f"/lv/workgroup/{DEMO}/responses/new/?items=c{other}",
              {"items": [f"c{other}"], "decision": "explained", "justification_lv": "Skaidrojam."})
    approve_all(app)
    set_status(app, "closed")
    page = member_client.get(f"/en/workgroup/{DEMO}/publish/").get_data(as_text=True)
    assert "Publish although" not in page
    assert form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", {**PUBLISH, "confirm_unanswered": ""}) \
        .status_code == 303
    en = client.get(OUTCOME.format(lang="en")).get_data(as_text=True)
    assert "The working group answered every one of the 3 proposals it received." in en


# Marking as concluded in the admin area is publishing the outcome --------------------------------

def _status_of(app):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        return db.session.query(Consultation).filter_by(slug=DEMO).one().status


def _outcome_events(app):
    from consult.extensions import db
    from consult.models import ModerationEvent
    with app.app_context():
        return [e.actor_id for e in db.session.query(ModerationEvent).filter_by(action="publish_outcome")]


def _consultation_id(app):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        return db.session.query(Consultation).filter_by(slug=DEMO).one().id


def _conclude_in_admin(app, editor_client, lang="en"):
    return form_post(editor_client, f"/{lang}/admin/consultations/{_consultation_id(app)}/status/concluded/", {})


def _write_introduction(app, text_lv=PUBLISH["intro_lv"], text_en=PUBLISH["intro_en"]):
    """What the working group saves on its publish page before an editor concludes."""
    from consult.extensions import db
    from consult.models import Consultation
    from consult.services import responses
    with app.app_context():
        responses.save_outcome_introduction(db.session.query(Consultation).filter_by(slug=DEMO).one(),
                                            text_lv, text_en)


def test_marking_as_concluded_in_the_admin_area_mails_the_authors_like_publishing(app, demo, make_user, login):
    _setup(app, make_user, login)
    set_status(app, "closed")
    _write_introduction(app)
    editor_id = make_user(role="editor")
    editor = login(app.test_client(), editor_id)
    confirm = editor.get(f"/en/admin/consultations/{_consultation_id(app)}/status/concluded/").get_data(as_text=True)
    assert "Mark as concluded?" in confirm and "e-mailed the working group" in confirm
    assert outbox_messages(app) == []
    response = _conclude_in_admin(app, editor)
    assert response.status_code == 303
    assert "The outcome is published. 2 authors have been e-mailed." in \
        editor.get(response.headers["Location"]).get_data(as_text=True)
    assert _status_of(app) == "concluded"
    assert _outcome_events(app) == [editor_id]
    messages = outbox_messages(app)
    assert len(messages) == 2
    texts = "".join(m.get_content() for m in messages)
    assert "Punkts precizēts." in texts and "Skaidrojam finansējumu." in texts
    assert app.test_client().get(OUTCOME.format(lang="lv")).status_code == 200


def test_concluding_twice_by_either_way_never_mails_an_answer_twice(app, demo, make_user, login):
    member_client, *_ = _setup(app, make_user, login)
    set_status(app, "closed")
    _write_introduction(app)
    editor = login(app.test_client(), make_user(role="editor"))
    assert _conclude_in_admin(app, editor).status_code == 303
    assert len(outbox_messages(app)) == 2
    # The working group's button is refused now: the consultation is no longer closed.
    form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    assert len(outbox_messages(app)) == 2
    # Back to closed and concluded again, by the working group this time: nobody hears twice.
    cid = _consultation_id(app)
    form_post(editor, f"/en/admin/consultations/{cid}/status/closed/", {})
    assert _status_of(app) == "closed"
    assert form_post(member_client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH).status_code == 303
    assert _status_of(app) == "concluded"
    form_post(editor, f"/en/admin/consultations/{cid}/status/closed/", {})
    assert _conclude_in_admin(app, editor).status_code == 303
    assert len(outbox_messages(app)) == 2
    assert len(_outcome_events(app)) == 3


INTRO_MISSING_EN = "introduction in both languages, so the outcome cannot be published"
INTRO_MISSING_LV = "rezultātu ievadu abās valodās, tāpēc rezultātus nevar publicēt"


def test_the_admin_area_cannot_conclude_without_the_working_groups_introduction(app, demo, make_user, login):
    """The public outcome opens with the working group's introduction; the publish form requires it, and
    so does an editor's "mark as concluded": without it nothing is published and nobody is e-mailed."""
    _setup(app, make_user, login)
    set_status(app, "closed")
    cid = _consultation_id(app)
    for role in ("editor", "admin"):
        staff = login(app.test_client(), make_user(role=role))
        for lang, message in (("en", INTRO_MISSING_EN), ("lv", INTRO_MISSING_LV)):
            confirm = staff.get(f"/{lang}/admin/consultations/{cid}/status/concluded/")
            html = confirm.get_data(as_text=True)
            assert confirm.status_code == 200 and message in html
            assert "<button" not in html.split("<main", 1)[1], "no button to a step that is refused"
            response = _conclude_in_admin(app, staff, lang)
            assert response.status_code == 303
            assert message in staff.get(response.headers["Location"]).get_data(as_text=True)
    _write_introduction(app, text_lv="Ievads latviski.", text_en="   ")   # only one language: still refused
    editor = login(app.test_client(), make_user(role="editor"))
    _conclude_in_admin(app, editor)
    assert _status_of(app) == "closed" and _outcome_events(app) == [] and outbox_messages(app) == []
    assert app.test_client().get(OUTCOME.format(lang="en")).status_code == 404
    # Other roles are refused as before, whatever the introduction.
    _write_introduction(app)
    for role in ("workgroup", "moderator", "citizen", "organisation"):
        other = login(app.test_client(), make_user(role=role))
        assert _conclude_in_admin(app, other).status_code == 403
        assert other.get(f"/en/admin/consultations/{cid}/status/concluded/").status_code == 403
    assert _status_of(app) == "closed" and outbox_messages(app) == []
    # With the introduction in both languages the editor's step publishes.
    assert "<button" in editor.get(f"/en/admin/consultations/{cid}/status/concluded/").get_data(as_text=True)
    assert _conclude_in_admin(app, editor).status_code == 303
    assert _status_of(app) == "concluded" and len(outbox_messages(app)) == 2
    assert PUBLISH["intro_en"] in app.test_client().get(OUTCOME.format(lang="en")).get_data(as_text=True)


def test_the_admin_step_is_refused_in_the_service_too(app, demo):
    from consult.extensions import db
    from consult.models import Consultation
    from consult.services import authoring
    from consult.services.refusals import Refused
    set_status(app, "closed")
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        try:
            authoring.change_status(consultation, "concluded")
        except Refused as refused:
            assert refused.code == "authoring.outcome_intro"
        else:
            raise AssertionError("concluded without the introduction")
    assert _status_of(app) == "closed"


def test_of_two_people_concluding_at_the_same_moment_only_one_publishes(app, demo, make_user, login):
    """The second one read the consultation as closed before the first one's commit."""
    from consult.extensions import db
    from consult.models import Consultation
    from consult.services import responses
    _setup(app, make_user, login)
    set_status(app, "closed")
    with app.app_context():
        stale = db.session.query(Consultation).filter_by(slug=DEMO).one()
        assert stale.status == "closed"
        with app.app_context():  # the other person, in their own session
            assert responses.publish_outcome(db.session.query(Consultation).filter_by(slug=DEMO).one(), None) == 2
        try:
            responses.publish_outcome(stale, None)
        except Refused as refused:
            assert refused.code == "response.status"
        else:
            raise AssertionError("the second conclusion went ahead")
    assert len(outbox_messages(app)) == 2
    assert len(_outcome_events(app)) == 1
    assert _status_of(app) == "concluded"
