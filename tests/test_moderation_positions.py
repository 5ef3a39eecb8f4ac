"""The moderation queue of positions speaks of positions, in both languages, and only moderators decide."""
from __future__ import annotations

import re
import secrets

import pytest

from consult.models import ModerationEvent, Position

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import DEMO


def stored_position(app, status="pending", author_id=None, language="en", title="Par individuālo budžetu"):
    """A position of a verified organisation on the demo consultation; returns (position id, author id)."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Organisation, User
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        if author_id is None:
            author = User(email=f"rep-{secrets.token_hex(4)}@example.test", display_name="Pārstāve",
                          role="organisation", language=language)
        else:
            author = db.session.get(User, author_id)
        organisation = Organisation(name="Biedrība “Tilts”", kind="ngo", verified_at=utcnow(),
                                    representatives=[author])
        position = Position(consultation_id=consultation.id, organisation=organisation, author=author, title=title,
                            body="Atbalstām individuālā budžeta modeli.", status=status,
                            idempotency_key=secrets.token_hex(8), version_id=consultation.versions[-1].id)
        db.session.add(position)
        db.session.commit()
        return position.id, author.id


def position_status(app, position_id):
    from consult.extensions import db
    with app.app_context():
        return db.session.get(Position, position_id).status


def events(app):
    from consult.extensions import db
    with app.app_context():
        return [(e.action, e.target_type, e.target_id) for e in db.session.query(ModerationEvent)]


def flashes(client, path):
    return re.findall(r'class="flash flash-\w+" role="status">([^<]*)<', client.get(path).get_data(as_text=True))


@pytest.fixture
def moderator(app, client, demo, make_user, login):
    login(client, make_user(role="moderator"))
    return client


@pytest.mark.parametrize("lang, names", [
    ("en", ("Approve</button>", "Approve<span class=\"visually-hidden\"> position no. {id}</span>",
            "Reject<span class=\"visually-hidden\"> position no. {id}</span>")),
    ("lv", ("Apstiprināt<span", "Apstiprināt<span class=\"visually-hidden\"> viedokli Nr. {id}</span>",
            "Noraidīt<span class=\"visually-hidden\"> viedokli Nr. {id}</span>")),
])
def test_the_position_queue_names_positions_not_comments(app, moderator, lang, names):
    position_id, _author = stored_position(app)
    html = moderator.get(f"/{lang}/moderation/?type=positions").get_data(as_text=True)
    assert names[1].format(id=position_id) in html and names[2].format(id=position_id) in html
    assert "comment no." not in html and "komentāru Nr." not in html
    comments = moderator.get(f"/{lang}/moderation/?type=comments").get_data(as_text=True)
    assert "position no." not in comments and "viedokli Nr." not in comments


@pytest.mark.parametrize("lang, approved, rejected", [
    ("en", "Position approved and published.", "Position rejected. The author has been told why."),
    ("lv", "Viedoklis apstiprināts un publicēts.", "Viedoklis noraidīts. Autoram ir paziņots iemesls."),
])
def test_decisions_on_positions_are_confirmed_as_positions(app, moderator, lang, approved, rejected):
    first, _ = stored_position(app)
    second, _ = stored_position(app, title="Otrais viedoklis")
    queue = f"/{lang}/moderation/?type=positions"
    response = form_post(moderator, f"/{lang}/moderation/positions/{first}/approve/", {"back": queue}, page_url=queue)
    assert response.status_code == 303 and response.headers["Location"] == queue
    assert flashes(moderator, queue) == [approved]
    assert position_status(app, first) == "approved"

    page = moderator.get(f"/{lang}/moderation/positions/{second}/reject/").get_data(as_text=True)
    assert ("The position will not be published." if lang == "en" else "Viedoklis netiks publicēts.") in page
    assert "The comment will not" not in page and "Komentārs netiks" not in page
    form_post(moderator, f"/{lang}/moderation/positions/{second}/reject/", {"reason": "off_topic", "back": queue})
    assert flashes(moderator, queue) == [rejected]
    assert position_status(app, second) == "rejected"
    assert outbox_messages(app)[-1]["Subject"] == "Your position was not published"


@pytest.mark.parametrize("lang, hidden, again", [
    ("en", "Position hidden: it is no longer public. The author has been told why.", "The position is public again."),
    ("lv", "Viedoklis paslēpts: tas vairs nav publisks. Autoram ir paziņots iemesls.",
     "Viedoklis atkal ir publicēts."),
])
def test_hiding_and_republishing_a_position_say_position(app, moderator, lang, hidden, again):
    position_id, _ = stored_position(app, status="approved")
    queue = f"/{lang}/moderation/?type=positions&show=all"
    page = moderator.get(f"/{lang}/moderation/positions/{position_id}/hide/").get_data(as_text=True)
    assert ("The position is taken off the site." if lang == "en" else "Viedoklis tiks noņemts no vietnes.") in page
    form_post(moderator, f"/{lang}/moderation/positions/{position_id}/hide/", {"reason": "spam", "back": queue})
    assert flashes(moderator, queue) == [hidden]
    assert position_status(app, position_id) == "hidden"
    form_post(moderator, f"/{lang}/moderation/positions/{position_id}/unhide/", {"back": queue}, page_url=queue)
    assert flashes(moderator, queue) == [again]
    assert position_status(app, position_id) == "approved"


def test_a_moderator_is_told_they_cannot_decide_on_their_own_position(app, client, demo, make_user, login):
    moderator_id = make_user(role="moderator")
    login(client, moderator_id)
    position_id, _ = stored_position(app, author_id=moderator_id)
    queue = "/en/moderation/?type=positions"
    html = client.get(queue).get_data(as_text=True)
    assert "This is your own position: another moderator must decide on it." in html
    form_post(client, f"/en/moderation/positions/{position_id}/approve/", {"back": queue}, page_url=queue)
    assert flashes(client, queue) == ["You cannot moderate your own position."]
    assert position_status(app, position_id) == "pending" and events(app) == []


@pytest.mark.parametrize("role", ["citizen", "organisation", "workgroup", "editor"])
def test_wrong_role_gets_403_on_every_position_decision_and_nothing_changes(app, demo, make_user, login, role):
    pending, _ = stored_position(app)
    published, _ = stored_position(app, status="approved")
    other = login(app.test_client(), make_user(role=role))
    token = csrf_token_from(other.get("/en/").get_data(as_text=True))
    assert other.get("/en/moderation/?type=positions").status_code == 403
    for action, target in (("approve", pending), ("reject", pending), ("hide", published), ("unhide", published)):
        assert other.get(f"/en/moderation/positions/{target}/{action}/").status_code in (403, 405)
        response = other.post(f"/en/moderation/positions/{target}/{action}/",
                              data={"csrf_token": token, "reason": "spam"})
        assert response.status_code == 403, action
    assert position_status(app, pending) == "pending" and position_status(app, published) == "approved"
    assert events(app) == [] and outbox_messages(app) == []
