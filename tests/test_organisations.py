"""Organisations: verified or declined with a reason (the representatives are told by e-mail), a status for
each in the administrators' list, the organisation's own page with its positions, and positions in
"My activity"."""
from __future__ import annotations

import re
import secrets

import pytest

from consult.models import ModerationEvent, Organisation, Position, User

from .conftest import csrf_token_from, form_post, outbox_messages
from .pages import DEMO

ADMIN_LIST = "/{lang}/admin/organisations/"


def add_organisation(app, representative_id, name="Biedrība “Tilts”", verified=False, number=None):
    from consult.clock import utcnow
    from consult.extensions import db
    with app.app_context():
        organisation = Organisation(name=name, kind="ngo", registration_number=number, website="https://tilts.example.lv",
                                    verified_at=utcnow() if verified else None,
                                    representatives=[db.session.get(User, representative_id)])
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def add_position(app, organisation_id, author_id, title, status="approved", publish_name=True):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        position = Position(consultation_id=consultation.id, organisation_id=organisation_id, author_id=author_id,
                            title=title, body="Mūsu viedoklis.", status=status, publish_name=publish_name,
                            idempotency_key=secrets.token_hex(8), version_id=consultation.versions[-1].id)
        db.session.add(position)
        db.session.commit()
        return position.id


def organisation_state(app, organisation_id):
    from consult.extensions import db
    with app.app_context():
        o = db.session.get(Organisation, organisation_id)
        return (o.status, o.decline_reason, o.verified_by_id, o.declined_by_id)


def events(app):
    from consult.extensions import db
    with app.app_context():
        return [(e.action, e.target_type, e.target_id, e.note) for e in db.session.query(ModerationEvent)]


def field_error(html, field):
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def waiting(app, demo, make_user):
    """An organisation waiting for verification, with one representative who reads English and one Latvian."""
    english = make_user(email="rep.en@example.test", display_name="Anna Lee", language="en")
    latvian = make_user(email="rep.lv@example.test", display_name="Ilze Kalniņa", language="lv")
    organisation_id = add_organisation(app, english, number="40008000000")
    from consult.extensions import db
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        organisation.representatives.append(db.session.get(User, latvian))
        db.session.commit()
    return {"id": organisation_id, "en": english, "lv": latvian}


@pytest.fixture
def admin(app, client, make_user, login):
    admin_id = make_user(role="admin")
    login(client, admin_id)
    client.admin_id = admin_id
    return client


# --- Verifying and declining ---------------------------------------------------------------------

def test_verifying_tells_every_representative_in_their_language(app, admin, waiting):
    url = f"/en/admin/organisations/{waiting['id']}/verify/"
    response = form_post(admin, url, {}, page_url=ADMIN_LIST.format(lang="en"))
    assert response.status_code == 303
    assert organisation_state(app, waiting["id"])[0] == "verified"
    mail = {m["To"]: m for m in outbox_messages(app)}
    assert set(mail) == {"rep.en@example.test", "rep.lv@example.test"}
    assert mail["rep.en@example.test"]["Subject"] == "Your organisation is verified"
    assert mail["rep.lv@example.test"]["Subject"] == "Jūsu organizācija ir verificēta"
    assert "Biedrība “Tilts”" in mail["rep.en@example.test"].get_content()
    assert f"/lv/organisations/{waiting['id']}/" in mail["rep.lv@example.test"].get_content()
    assert "„Biedrība “Tilts””" in mail["rep.lv@example.test"].get_content()
    from consult.extensions import db
    with app.app_context():
        assert {u.role for u in db.session.get(Organisation, waiting["id"]).representatives} == {"organisation"}
    # Verifying again changes nothing and sends nothing.
    again = form_post(admin, url, {}, page_url=ADMIN_LIST.format(lang="en"))
    assert again.status_code == 303
    assert "Biedrība “Tilts” is already verified." in admin.get(ADMIN_LIST.format(lang="en")).get_data(as_text=True)
    assert len(outbox_messages(app)) == 2 and [e[0] for e in events(app)] == ["verify"]


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_declining_needs_a_reason_beside_the_field_and_keeps_the_organisation_waiting(app, admin, waiting, lang):
    url = f"/{lang}/admin/organisations/{waiting['id']}/decline/"
    page = admin.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'name="reason"' in page.get_data(as_text=True)
    messages = {"en": ("Write why the organisation is declined", "Use at most 1,000 characters",
                       "cannot be stored (NUL)"),
                "lv": ("Uzrakstiet, kāpēc organizācija tiek noraidīta", "Maksimālais rakstzīmju skaits ir 1\u00a0000",
                       "(NUL)")}[lang]
    for reason, message in (("", messages[0]), ("   \n ", messages[0]), ("x" * 1001, messages[1]),
                            ("Nav\x00reģistrā", messages[2])):
        response = form_post(admin, url, {"reason": reason})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, reason
        assert message in field_error(html, "reason"), (reason, field_error(html, "reason"))
        assert 'class="error-summary"' in html
    long_reason = "x" * 1001
    kept = form_post(admin, url, {"reason": long_reason}).get_data(as_text=True)
    assert long_reason in kept  # what the admin typed stays in the form
    assert organisation_state(app, waiting["id"]) == ("waiting", None, None, None)
    assert outbox_messages(app) == [] and events(app) == []


def test_a_declined_organisation_is_told_why_and_can_be_verified_later(app, admin, waiting):
    url = f"/en/admin/organisations/{waiting['id']}/decline/"
    reason = "The registration number belongs to another association.\nPlease check it."
    response = form_post(admin, url, {"reason": "  " + reason + " "})
    assert response.status_code == 303 and response.headers["Location"] == ADMIN_LIST.format(lang="en")
    assert organisation_state(app, waiting["id"]) == ("declined", reason, None, admin.admin_id)
    assert events(app) == [("decline", "organisation", waiting["id"], reason)]
    mail = {m["To"]: m for m in outbox_messages(app)}
    assert mail["rep.en@example.test"]["Subject"] == "Your organisation could not be verified"
    assert mail["rep.lv@example.test"]["Subject"] == "Jūsu organizāciju nevarēja verificēt"
    for message in mail.values():
        assert reason in message.get_content()
    listing = admin.get(ADMIN_LIST.format(lang="en")).get_data(as_text=True)
    assert "Biedrība “Tilts” is declined. Its representatives have been told why." in listing
    assert "Declined" in listing and "The reason: The registration number belongs" in listing

    representative = app.test_client()
    from consult.extensions import db

    from .conftest import PASSWORD  # noqa: F401  (signed in directly below)
    with app.app_context():
        token = db.session.get(User, waiting["lv"]).get_id()
    with representative.session_transaction() as session:
        session["_user_id"] = token
    own = representative.get("/lv/organisations/").get_data(as_text=True)
    assert "Noraidīta" in own and "Iemesls: The registration number belongs" in own

    # An administrator may still verify it; the reason goes and the representatives are told.
    verified = form_post(admin, f"/en/admin/organisations/{waiting['id']}/verify/", {},
                         page_url=ADMIN_LIST.format(lang="en"))
    assert verified.status_code == 303
    assert organisation_state(app, waiting["id"]) == ("verified", None, admin.admin_id, None)
    assert len(outbox_messages(app)) == 4


def test_a_verified_organisation_is_not_declined(app, admin, demo, make_user):
    organisation_id = add_organisation(app, make_user(), verified=True)
    url = f"/en/admin/organisations/{organisation_id}/decline/"
    assert admin.get(url).status_code == 303
    token = csrf_token_from(admin.get(ADMIN_LIST.format(lang="en")).get_data(as_text=True))
    response = admin.post(url, data={"csrf_token": token, "reason": "Par vēlu."})
    assert response.status_code == 303
    assert organisation_state(app, organisation_id)[0] == "verified"
    assert outbox_messages(app) == [] and events(app) == []


def test_unknown_organisations_are_404(admin, demo):
    token = csrf_token_from(admin.get(ADMIN_LIST.format(lang="en")).get_data(as_text=True))
    for organisation_id in (999, 0, 10 ** 12):
        assert admin.get(f"/en/admin/organisations/{organisation_id}/decline/").status_code == 404
        assert admin.post(f"/en/admin/organisations/{organisation_id}/decline/",
                          data={"csrf_token": token, "reason": "x"}).status_code == 404
        assert admin.post(f"/en/admin/organisations/{organisation_id}/verify/",
                          data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("lang, labels", [("en", ("Waiting for verification", "Verified", "Declined")),
                                          ("lv", ("Gaida verificēšanu", "Verificēta", "Noraidīta"))])
def test_the_admin_list_shows_a_status_for_every_organisation(app, admin, demo, make_user, lang, labels):
    from consult.clock import utcnow
    from consult.extensions import db
    waiting_id = add_organisation(app, make_user(), name="Gaidošā biedrība")
    verified_id = add_organisation(app, make_user(), name="Pārbaudītā biedrība", verified=True)
    declined_id = add_organisation(app, make_user(), name="Noraidītā biedrība")
    with app.app_context():
        declined = db.session.get(Organisation, declined_id)
        declined.declined_at, declined.decline_reason = utcnow(), "Nav atrasta reģistrā."
        db.session.commit()
    html = admin.get(ADMIN_LIST.format(lang=lang)).get_data(as_text=True)
    rows = {name: row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
            for name in ("Gaidošā biedrība", "Pārbaudītā biedrība", "Noraidītā biedrība") if name in row}
    assert labels[0] in rows["Gaidošā biedrība"] and f"/{waiting_id}/decline/" in rows["Gaidošā biedrība"]
    assert f"/{waiting_id}/verify/" in rows["Gaidošā biedrība"]
    assert labels[1] in rows["Pārbaudītā biedrība"] and "/verify/" not in rows["Pārbaudītā biedrība"]
    assert labels[2] in rows["Noraidītā biedrība"] and "Nav atrasta reģistrā." in rows["Noraidītā biedrība"]
    assert f"/{declined_id}/verify/" in rows["Noraidītā biedrība"]
    assert f"/{verified_id}/" in rows["Pārbaudītā biedrība"]  # the name links to the organisation's page
    # Those waiting come first.
    assert html.index("Gaidošā biedrība") < html.index("Noraidītā biedrība") < html.index("Pārbaudītā biedrība")


@pytest.mark.parametrize("role", [None, "citizen", "organisation", "moderator", "workgroup", "editor"])
def test_only_admins_verify_or_decline_and_nothing_changes_otherwise(app, demo, make_user, login, waiting, role):
    other = app.test_client()
    token = None
    if role:
        login(other, make_user(role=role))
        token = csrf_token_from(other.get("/en/").get_data(as_text=True))
    expected = 403 if role else 302
    decline = f"/en/admin/organisations/{waiting['id']}/decline/"
    assert other.get(ADMIN_LIST.format(lang="en")).status_code == expected
    assert other.get(decline).status_code == expected
    assert other.post(decline, data={"csrf_token": token, "reason": "Nepareizi dati."}).status_code in (expected, 400)
    assert other.post(f"/en/admin/organisations/{waiting['id']}/verify/",
                      data={"csrf_token": token}).status_code in (expected, 400)
    assert organisation_state(app, waiting["id"]) == ("waiting", None, None, None)
    assert outbox_messages(app) == [] and events(app) == []


# --- The organisation's page ---------------------------------------------------------------------

@pytest.fixture
def with_positions(app, demo, make_user):
    member = make_user(role="organisation", display_name="Pārstāvis")
    organisation_id = add_organisation(app, member, verified=True, number="40008000001")
    ids = {
        "published": add_position(app, organisation_id, member, "Publicētais viedoklis"),
        "pending": add_position(app, organisation_id, member, "Gaidošais viedoklis", status="pending"),
        "rejected": add_position(app, organisation_id, member, "Noraidītais viedoklis", status="rejected"),
        "nameless": add_position(app, organisation_id, member, "Bezvārda viedoklis", publish_name=False),
    }
    return {"member": member, "id": organisation_id, **ids}


def test_the_public_sees_the_published_positions_on_the_organisations_page(app, client, with_positions):
    for lang in ("lv", "en"):
        response = client.get(f"/{lang}/organisations/{with_positions['id']}/")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<h1>Biedrība “Tilts”</h1>" in html and "40008000001" in html
        assert "Publicētais viedoklis" in html
        assert f'/{lang}/consultations/{DEMO}/positions/#position-{with_positions["published"]}' in html
        for hidden in ("Gaidošais viedoklis", "Noraidītais viedoklis", "Bezvārda viedoklis"):
            assert hidden not in html, hidden
    # The published position's card links to the organisation's page.
    positions_page = client.get(f"/en/consultations/{DEMO}/positions/").get_data(as_text=True)
    assert f'href="/en/organisations/{with_positions["id"]}/">Biedrība “Tilts”</a>' in positions_page


def test_its_own_representatives_also_see_the_pending_positions(app, client, login, with_positions):
    login(client, with_positions["member"])
    response = client.get(f"/en/organisations/{with_positions['id']}/")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Publicētais viedoklis" in html and "Gaidošais viedoklis" in html and "Bezvārda viedoklis" in html
    assert "Waiting for moderation" in html and "Noraidītais viedoklis" not in html


def test_someone_else_signed_in_sees_only_the_published_positions(app, client, make_user, login, with_positions):
    login(client, make_user(role="organisation"))
    html = client.get(f"/en/organisations/{with_positions['id']}/").get_data(as_text=True)
    assert "Publicētais viedoklis" in html and "Gaidošais viedoklis" not in html


def test_an_unverified_organisations_page_is_only_for_its_representatives_and_admins(app, make_user, login,
                                                                                      waiting):
    url = f"/en/organisations/{waiting['id']}/"
    assert app.test_client().get(url).status_code == 404
    assert login(app.test_client(), make_user()).get(url).status_code == 404
    assert login(app.test_client(), make_user(role="moderator")).get(url).status_code == 404
    member = login(app.test_client(), waiting["en"]).get(url)
    assert member.status_code == 200 and "has not been verified yet" in member.get_data(as_text=True)
    assert login(app.test_client(), make_user(role="admin")).get(url).status_code == 200
    for bad in ("/en/organisations/999/", "/en/organisations/0/", f"/en/organisations/{10 ** 15}/",
                "/en/organisations/abc/"):
        assert app.test_client().get(bad).status_code == 404


# --- My activity and the account menu -------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("en", ("Your positions", "Published", "Waiting for moderation",
                                                 "Rejected", "Moderator's reason: off topic")),
                                         ("lv", ("Jūsu viedokļi", "Publicēts", "Gaida moderāciju", "Noraidīts",
                                                 "Moderatora norādītais iemesls: neattiecas uz tēmu"))])
def test_my_activity_lists_my_positions_with_their_status(app, client, login, with_positions, lang, words):
    from consult.extensions import db
    with app.app_context():
        rejected = db.session.get(Position, with_positions["rejected"])
        rejected.moderation_reason = "off_topic"
        db.session.commit()
    login(client, with_positions["member"])
    html = client.get(f"/{lang}/account/activity/").get_data(as_text=True)
    section = html[html.index('id="positions-heading"'):]
    for word in words:
        assert word in section, word
    for title in ("Publicētais viedoklis", "Gaidošais viedoklis", "Noraidītais viedoklis", "Bezvārda viedoklis"):
        assert title in section
    assert f'href="/{lang}/organisations/{with_positions["id"]}/"' in section


def test_no_positions_section_for_someone_without_positions(app, client, demo, make_user, login):
    login(client, make_user())
    assert 'id="positions-heading"' not in client.get("/en/account/activity/").get_data(as_text=True)


def test_the_account_menu_links_to_my_organisations(app, client, demo, make_user, login):
    assert 'href="/en/organisations/"' not in client.get("/en/").get_data(as_text=True)
    login(client, make_user())
    for lang, label in (("en", "My organisations"), ("lv", "Manas organizācijas")):
        html = client.get(f"/{lang}/").get_data(as_text=True)
        nav = html[html.index('class="account-nav"'):html.index("</nav>", html.index('class="account-nav"'))]
        assert f'<a href="/{lang}/organisations/">{label}</a>' in nav
