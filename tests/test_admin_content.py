"""News, questions and answers, subgroups, and people's roles in the admin area."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.clock import utcnow

from .conftest import csrf_token_from, form_post
from .test_admin import build_site, snapshot


@pytest.fixture
def site(app, make_user):
    return build_site(app, make_user)


@pytest.fixture
def editor(client, make_user, login):
    user_id = make_user(role="editor")
    login(client, user_id)
    return user_id


# ---------------------------------------------------------------------------
# News

def test_editor_publishes_a_news_item_tied_to_a_consultation(app, client, editor, site):
    from consult.extensions import db
    from consult.services import authoring
    with app.app_context():
        authoring.change_status(authoring.consultation(site["consultation"]), "open")
        db.session.remove()
    response = form_post(client, "/en/admin/news/new/", {
        "slug": "draft-is-ready", "title_lv": "Projekts ir gatavs", "title_en": "The draft is ready",
        "body_lv": "Lasiet **šeit**.", "body_en": "", "consultation": str(site["consultation"]),
        "publish_date": "2020-01-02", "publish_time": "10:00", "publish_past": "y"})
    assert response.status_code == 303
    public = app.test_client().get("/en/news/draft-is-ready/")
    assert public.status_code == 200 and "The draft is ready" in public.get_data(as_text=True)
    overview = app.test_client().get("/en/consultations/test-consultation/").get_data(as_text=True)
    assert "The draft is ready" in overview
    assert "The draft is ready" in client.get("/en/admin/news/").get_data(as_text=True)


def test_a_news_item_without_a_time_stays_unpublished(app, client, editor, site):
    form_post(client, f"/en/admin/news/{site['news']}/", {"slug": "test-news", "title_lv": "Ziņa labota",
                                                          "consultation": ""})
    assert app.test_client().get("/en/news/test-news/").status_code == 404
    assert "Ziņa labota" in client.get("/lv/admin/news/").get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("slug", "test-news", "Another news item already uses this web address name."),
    ("slug", "Ā!", "Use only small letters"),
    ("consultation", "999999", "Not a valid choice"),
    ("publish_date", "yesterday", "Enter a real date"),
])
def test_bad_news_input_gets_a_message(app, client, editor, site, field, value, message):
    before = snapshot(app)
    data = {"slug": "fresh", "title_lv": "Virsraksts", "consultation": "", field: value}
    response = form_post(client, "/en/admin/news/new/", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert snapshot(app) == before


def _publish_news(app, site):
    from consult.extensions import db
    from consult.models import NewsItem
    from consult.services import authoring
    with app.app_context():
        authoring.save_news(db.session.get(NewsItem, site["news"]), {
            "slug": "test-news", "title_lv": "Ziņa par flamingo", "title_en": "News about flamingos",
            "body_lv": "Flamingo ir rozā.", "body_en": "Flamingos are pink.", "consultation_id": None,
            "published_at": utcnow() - timedelta(hours=1)})
        db.session.remove()


def test_editor_deletes_a_news_item_after_confirming_and_it_leaves_the_site_and_the_search(app, client, editor,
                                                                                           site):
    from consult.extensions import db
    from consult.models import NewsItem, SearchEntry
    _publish_news(app, site)
    visitor = app.test_client()
    # The visitor's pages are cached before the deletion: the cache must not keep the item alive.
    assert "News about flamingos" in visitor.get("/en/news/").get_data(as_text=True)
    assert visitor.get("/en/news/test-news/").status_code == 200
    assert "/en/news/test-news/" in visitor.get("/en/search?q=flamingo").get_data(as_text=True)
    url = f"/en/admin/news/{site['news']}/delete/"
    assert f'href="{url}"' in client.get(f"/en/admin/news/{site['news']}/").get_data(as_text=True)
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Delete a news item?" in html and "News about flamingos" in html and "button-warning" in html
    with app.app_context():
        assert db.session.get(NewsItem, site["news"]) is not None  # the confirmation page changes nothing
    response = form_post(client, url, {})
    assert response.status_code == 303 and response.headers["Location"].endswith("/en/admin/news/")
    assert "News item “News about flamingos” deleted." in client.get("/en/admin/news/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(NewsItem, site["news"]) is None
        assert db.session.query(SearchEntry).filter_by(kind="news", object_id=site["news"]).count() == 0
    assert "News about flamingos" not in visitor.get("/en/news/").get_data(as_text=True)
    assert visitor.get("/en/news/test-news/").status_code == 404
    assert "test-news" not in visitor.get("/en/search?q=flamingo").get_data(as_text=True)
    assert "test-news" not in visitor.get("/lv/search?q=flamingo").get_data(as_text=True)
    assert "flamingos" not in visitor.get("/en/feeds/news.xml").get_data(as_text=True)


def test_editor_deletes_a_question_and_visitors_no_longer_see_it(app, client, editor, site):
    from consult.extensions import db
    from consult.models import FaqItem, SearchEntry
    visitor = app.test_client()
    assert "Jautājums?" in visitor.get("/lv/faq/").get_data(as_text=True)
    url = f"/en/admin/faq/{site['faq']}/delete/"
    assert f'href="{url}"' in client.get(f"/en/admin/faq/{site['faq']}/").get_data(as_text=True)
    assert "Delete a question?" in client.get(url).get_data(as_text=True)
    response = form_post(client, url, {})
    assert response.status_code == 303 and response.headers["Location"].endswith("/en/admin/faq/")
    assert "Question deleted." in client.get("/en/admin/faq/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(FaqItem, site["faq"]) is None
        assert db.session.query(SearchEntry).filter_by(kind="faq", object_id=site["faq"]).count() == 0
    assert "Jautājums?" not in visitor.get("/lv/faq/").get_data(as_text=True)


def test_editor_deletes_a_subgroup_its_members_stay_and_its_proposals_become_unassigned(app, client, editor,
                                                                                         site, make_user):
    from consult.extensions import db
    from consult.models import Section, Subgroup, WorkgroupMember
    from consult.models.consultation import subgroup_sections
    from consult.models.workgroup import member_subgroups
    member_id = make_user(role="workgroup")
    with app.app_context():
        group = db.session.get(Subgroup, site["subgroup"])
        member = WorkgroupMember(consultation_id=site["consultation"], user_id=member_id, subgroups=[group])
        db.session.add(member)
        db.session.commit()
    base = f"/en/admin/consultations/{site['consultation']}/subgroups/{site['subgroup']}/"
    assert f'href="{base}delete/"' in client.get(base).get_data(as_text=True)
    html = client.get(base + "delete/").get_data(as_text=True)
    assert "Delete a subgroup?" in html and "Subgroup" in html
    assert "Now it has 1 member, 0 assigned comments and 0 assigned positions." in html
    response = form_post(client, base + "delete/", {})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/en/admin/consultations/{site['consultation']}/subgroups/")
    assert "Subgroup “Subgroup” deleted." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Subgroup, site["subgroup"]) is None
        assert db.session.query(WorkgroupMember).filter_by(user_id=member_id).count() == 1
        assert db.session.execute(member_subgroups.select()).fetchall() == []
        assert db.session.execute(subgroup_sections.select()).fetchall() == []
        assert db.session.query(Section).filter_by(consultation_id=site["consultation"]).count() == 2


@pytest.mark.parametrize("url", ["/en/admin/news/99999/delete/", "/en/admin/faq/99999/delete/",
                                 "/en/admin/consultations/{consultation}/subgroups/99999/delete/",
                                 "/en/admin/consultations/99999/subgroups/{subgroup}/delete/"])
def test_deleting_unknown_items_is_404(app, client, editor, site, url):
    url = url.format(**site)
    assert client.get(url).status_code == 404
    token = csrf_token_from(client.get("/en/admin/").get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("path", ["news/{news}/delete/", "faq/{faq}/delete/",
                                  "consultations/{consultation}/subgroups/{subgroup}/delete/"])
def test_deleting_needs_a_post_with_the_csrf_token(app, client, editor, site, path):
    url = "/en/admin/" + path.format(**site)
    before = snapshot(app)
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert snapshot(app) == before


# ---------------------------------------------------------------------------
# Questions and answers

def test_editor_adds_a_site_question_and_visitors_see_it(app, client, editor):
    response = form_post(client, "/en/admin/faq/new/", {
        "consultation": "", "position": "2", "question_lv": "Kā iesniegt viedokli?",
        "question_en": "How do I submit a position?", "answer_lv": "Reģistrējieties.", "answer_en": "Register."})
    assert response.status_code == 303
    assert "How do I submit a position?" in app.test_client().get("/en/faq/").get_data(as_text=True)


def test_the_question_list_names_its_order_column_as_an_order_not_a_position(client, editor, site):
    lv = client.get("/lv/admin/faq/").get_data(as_text=True)
    assert '<th scope="col">Secība</th>' in lv and "Viedoklis" not in lv
    assert '<th scope="col">Order</th>' in client.get("/en/admin/faq/").get_data(as_text=True)


def test_a_question_needs_latvian_text(app, client, editor, site):
    response = form_post(client, f"/en/admin/faq/{site['faq']}/", {"consultation": "", "question_lv": "",
                                                                    "answer_lv": "paliek"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the question in Latvian." in html and "paliek</textarea>" in html


# ---------------------------------------------------------------------------
# Choosing a consultation, and publication times already past

def test_the_consultation_list_of_news_and_questions_is_in_the_page_language(client, editor, site):
    for url in ("/{lang}/admin/news/new/", "/{lang}/admin/faq/new/"):
        english = client.get(url.format(lang="en")).get_data(as_text=True)
        latvian = client.get(url.format(lang="lv")).get_data(as_text=True)
        option = f'<option value="{site["consultation"]}">'
        assert f"{option}Test consultation</option>" in english
        assert f"{option}Testa konsultācija</option>" in latvian


def test_the_sections_a_subgroup_covers_are_named_in_the_page_language(client, editor, site):
    url = f"/{{lang}}/admin/consultations/{site['consultation']}/subgroups/{site['subgroup']}/"
    assert "1. Introduction" in client.get(url.format(lang="en")).get_data(as_text=True)
    assert "1. Ievads" in client.get(url.format(lang="lv")).get_data(as_text=True)


NEWS = {"slug": "backdated", "title_lv": "Atpakaļ datēta", "title_en": "Backdated", "consultation": "",
        "publish_date": "2020-01-02", "publish_time": "10:00"}


def test_a_news_item_dated_in_the_past_waits_for_a_confirmation(app, client, editor, site):
    before = snapshot(app)
    response = form_post(client, "/en/admin/news/new/", NEWS)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This time has already passed, so saving publishes it at once." in html
    field = html.split('id="publish_date-error"', 1)[1].split("</p>", 1)[0]
    assert "This time has already passed" in field
    assert 'name="publish_past" type="checkbox"' in html
    assert "Yes, publish the news item now, dated at the time above" in html
    assert 'value="2020-01-02"' in html and 'value="Atpakaļ datēta"' in html   # what was typed is kept
    assert snapshot(app) == before
    assert app.test_client().get("/en/news/backdated/").status_code == 404
    confirmed = form_post(client, "/en/admin/news/new/", {**NEWS, "publish_past": "y"})
    assert confirmed.status_code == 303
    assert app.test_client().get("/en/news/backdated/").status_code == 200


def test_the_latvian_form_asks_in_latvian(client, editor, site):
    html = form_post(client, "/lv/admin/news/new/", NEWS).get_data(as_text=True)
    assert "Šis laiks jau ir pagājis" in html and "Jā, publicēt ziņu tūlīt" in html


def test_a_future_time_or_no_time_needs_no_confirmation(app, client, editor, site):
    response = form_post(client, "/en/admin/news/new/", {**NEWS, "publish_date": "2099-01-02"})
    assert response.status_code == 303
    response = form_post(client, "/en/admin/news/new/", {**NEWS, "slug": "undated", "publish_date": "",
                                                          "publish_time": ""})
    assert response.status_code == 303
    assert "publish_past" not in client.get("/en/admin/news/new/").get_data(as_text=True)


def test_keeping_the_time_of_a_published_news_item_needs_no_new_confirmation(app, client, editor, site):
    form_post(client, "/en/admin/news/new/", {**NEWS, "publish_past": "y"})
    from consult.extensions import db
    from consult.models import NewsItem
    with app.app_context():
        item_id = db.session.query(NewsItem).filter_by(slug="backdated").one().id
    response = form_post(client, f"/en/admin/news/{item_id}/", {**NEWS, "title_en": "Backdated, corrected"})
    assert response.status_code == 303
    moved = form_post(client, f"/en/admin/news/{item_id}/", {**NEWS, "publish_date": "2019-05-05"})
    assert moved.status_code == 400 and "This time has already passed" in moved.get_data(as_text=True)


def test_a_section_given_a_past_time_is_published_only_after_the_box_is_ticked(app, client, editor, site):
    cid = site["consultation"]
    form_post(client, f"/en/admin/consultations/{cid}/status/open/", {})
    url = f"/en/admin/consultations/{cid}/sections/2/"
    data = {"number": "2", "title_lv": "Mērķi", "title_en": "Goals", "publish_date": "2020-03-01",
            "publish_time": "09:00"}
    before = snapshot(app)
    response = form_post(client, url, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This time has already passed" in html and "Yes, publish the section now" in html
    assert snapshot(app) == before
    public = "/en/consultations/test-consultation/sections/2/"
    assert app.test_client().get(public).status_code == 404
    assert form_post(client, url, {**data, "publish_past": "y"}).status_code == 303
    assert app.test_client().get(public).status_code == 200
    # Saved again with the same time (say, a corrected title), it asks nothing.
    assert form_post(client, url, {**data, "title_en": "Aims"}).status_code == 303


# ---------------------------------------------------------------------------
# Subgroups

def test_editor_sets_which_sections_a_subgroup_covers(app, client, editor, site):
    from consult.extensions import db
    from consult.models import Section, Subgroup
    with app.app_context():
        second = db.session.query(Section).filter_by(consultation_id=site["consultation"], number=2).one().id
    url = f"/en/admin/consultations/{site['consultation']}/subgroups/{site['subgroup']}/"
    page = client.get(url).get_data(as_text=True)
    assert 'type="checkbox"' in page and "Sections it covers" in page
    response = form_post(client, url, {"name_lv": "Jaunā apakšgrupa", "name_en": "", "position": "1",
                                       "sections": [str(second)]})
    assert response.status_code == 303
    with app.app_context():
        group = db.session.get(Subgroup, site["subgroup"])
        assert group.name_lv == "Jaunā apakšgrupa" and [s.number for s in group.sections] == [2]
    bad = form_post(client, url, {"name_lv": "X", "sections": ["999999"]})
    assert bad.status_code == 400


def test_a_subgroup_can_be_added(app, client, editor, site):
    url = f"/en/admin/consultations/{site['consultation']}/subgroups/new/"
    response = form_post(client, url, {"name_lv": "Otrā apakšgrupa", "description_lv": "Apraksts."})
    assert response.status_code == 303
    listing = client.get(f"/en/admin/consultations/{site['consultation']}/subgroups/").get_data(as_text=True)
    assert "Otrā apakšgrupa" in listing


# ---------------------------------------------------------------------------
# People and roles

@pytest.fixture
def admin(client, make_user, login):
    user_id = make_user(role="admin", display_name="Administratore")
    login(client, user_id)
    return user_id


def test_admin_finds_people_by_email_or_name(client, admin, site, make_user):
    make_user(email="janis@example.test", display_name="Jānis Bērziņš")
    html = client.get("/en/admin/users/?q=kalni").get_data(as_text=True)
    assert "Ilze Kalniņa" in html and "Jānis" not in html
    html = client.get("/en/admin/users/?q=janis%40example").get_data(as_text=True)
    assert "Jānis Bērziņš" in html and "Ilze" not in html
    html = client.get("/en/admin/users/?q=%25").get_data(as_text=True)     # a LIKE wildcard is just a character
    assert "0 accounts" in html
    assert client.get("/en/admin/users/?q=" + "x" * 500).status_code == 200
    assert client.get("/en/admin/users/?q=a%00b").status_code == 200
    assert client.get("/en/admin/users/?page=abc").status_code == 200


def test_admin_changes_a_role_and_the_persons_sessions_end(app, client, admin, site, login):
    theirs = app.test_client()
    login(theirs, site["user"])
    assert theirs.get("/en/account/activity/").status_code == 200
    response = form_post(client, f"/en/admin/users/{site['user']}/", {"role": "editor"})
    assert response.status_code == 303
    from consult.extensions import db
    from consult.models import ModerationEvent, User
    with app.app_context():
        assert db.session.get(User, site["user"]).role == "editor"
        event = db.session.query(ModerationEvent).filter_by(action="change_role").one()
        assert (event.actor_id, event.target_id, event.note) == (admin, site["user"], "citizen → editor")
    # The old session is no longer valid: the person must sign in again.
    assert theirs.get("/en/admin/").status_code == 302


def test_admin_cannot_change_their_own_role(app, client, admin):
    before = snapshot(app)
    response = form_post(client, f"/en/admin/users/{admin}/", {"role": "citizen"})
    assert response.status_code == 303
    assert "You cannot change your own role." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert snapshot(app) == before


def test_an_unknown_role_is_refused(app, client, admin, site):
    before = snapshot(app)
    response = form_post(client, f"/en/admin/users/{site['user']}/", {"role": "superuser"})
    assert response.status_code == 400
    assert snapshot(app) == before


def test_editors_cannot_change_roles(app, client, site, make_user, login):
    login(client, make_user(role="editor"))
    token = csrf_token_from(client.get("/en/admin/").get_data(as_text=True))
    before = snapshot(app)
    response = client.post(f"/en/admin/users/{site['user']}/", data={"role": "admin", "csrf_token": token})
    assert response.status_code == 403
    assert client.get("/en/admin/users/").status_code == 403
    assert "Users and roles" not in client.get("/en/admin/").get_data(as_text=True)
    assert snapshot(app) == before
