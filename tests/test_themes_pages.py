"""Stored themes: worked out on the summary page, renamed, merged and moved, and those edits kept."""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from consult.services.synthetic_themes import JUNK, themed_comments

from .conftest import csrf_token_from, form_post
from .pages import DEMO
from .test_html_valid import check_html
from .test_workgroup import add_comment, add_member, add_position

BASE = f"/lv/workgroup/{DEMO}/"
SUMMARY = BASE + "summary/"
STANCES = {"transport": "proposes", "children": "objects", "salaries": "supports"}
HOSTILE = json.loads(Path("/work/shared/testdata/hostile_inputs.json").read_text(encoding="utf-8")) \
    if Path("/work/shared/testdata/hostile_inputs.json").exists() else {"inputs": {"markup": ["<script>x</script>"]}}


def add_subjects(app, make_user, seed=1, section=2, sizes=None, junk=True) -> dict[str, list[int]]:
    """Comments on three subjects (and junk) on a section; returns the comment ids by subject."""
    citizen, academic = make_user(), make_user(respondent_type="academic")
    ids: dict[str, list[int]] = {}
    for index, (subject, text) in enumerate(themed_comments(random.Random(seed), sizes)):
        author = academic if index % 4 == 0 else citizen
        ids.setdefault(subject, []).append(add_comment(app, author, body=text, section=section,
                                                       stance=STANCES[subject]))
    if junk:
        ids["junk"] = [add_comment(app, citizen, body=text or "…", section=section) for text in JUNK]
    return ids


def _consultation():
    from consult.extensions import db
    from consult.models import Consultation
    return db.session.query(Consultation).filter_by(slug=DEMO).one()


def _section(number):
    from consult.extensions import db
    from consult.models import Section
    return db.session.query(Section).filter_by(consultation_id=_consultation().id, number=number).one()


def recompute(app, section=None):
    from consult.services import stored_themes
    with app.app_context():
        return stored_themes.recompute(_consultation(), _section(section) if section else None).themes


def themes_by_subject(app, ids, section=None) -> dict[str, tuple[int, str | None, set]]:
    """subject → (theme id, name, the theme's comment ids) for the theme holding most of that subject."""
    from consult.extensions import db
    from consult.models import Theme, ThemeMember
    from consult.services import stored_themes
    with app.app_context():
        found = stored_themes.theme_set(_consultation(), _section(section) if section else None)
        members: dict[int, set] = {}
        for theme_id, comment_id in db.session.query(ThemeMember.theme_id, ThemeMember.comment_id).filter(
                ThemeMember.theme_set_id == found.id, ThemeMember.comment_id.isnot(None)):
            members.setdefault(theme_id, set()).add(comment_id)
        names = {t.id: t.name for t in db.session.query(Theme).filter_by(theme_set_id=found.id)}
        result = {}
        for subject, subject_ids in ids.items():
            theme_id = Counter(t for t, m in members.items() for i in subject_ids if i in m).most_common(1)[0][0]
            result[subject] = (theme_id, names[theme_id], members[theme_id])
        return result


@pytest.fixture
def member(app, demo, make_user, login):
    user_id = make_user(role="workgroup")
    add_member(app, user_id)
    client = app.test_client()
    login(client, user_id)
    client.user_id = user_id
    return client


# Working the themes out -------------------------------------------------------------------------

def test_the_summary_page_works_the_themes_out_with_a_button(app, member, make_user):
    ids = add_subjects(app, make_user)
    html = member.get(SUMMARY).get_data(as_text=True)
    assert "Tēmas vēl nav noteiktas." in html and "Noteikt tēmas</button>" in html
    response = form_post(member, BASE + "themes/recompute/", {"section": ""}, page_url=SUMMARY)
    assert response.status_code == 303 and response.headers["Location"].endswith("/summary/#themes")
    html = member.get(SUMMARY).get_data(as_text=True)
    assert "Tēmas noteiktas no jauna: 3 tēmas." in html
    assert "Noteikt tēmas no jauna</button>" in html and "Tēmas vēl nav noteiktas." not in html
    found = themes_by_subject(app, ids)
    assert {subject: len(members) for subject, (_id, _name, members) in found.items()} == {
        "transport": 12, "children": 12, "salaries": 12, "junk": len(JUNK)}
    assert len({theme_id for theme_id, _name, _members in found.values()}) == 4
    # Key phrases as people wrote them, splits by stance and respondent type, quotes.
    assert "bērniem ar invaliditāti" in html
    section = html[html.index('id="themes"'):html.index('id="time-heading"')]
    assert section.count('class="theme-card"') == 4 and section.count("<blockquote") >= 6
    assert "Iebilst 12" in section and "Atbalsta 12" in section and "Ierosina izmaiņas 12" in section
    assert "Pētnieks" in section or "akadēm" in section.lower()
    assert "Citi</a>" in section   # the "other" group, last
    assert section.rindex('class="theme-card"') < section.index("Citi</a>")


def test_themes_group_positions_too_and_count_them_apart(app, member, make_user):
    from consult.services import stored_themes
    ids = add_subjects(app, make_user, junk=False)
    position = add_position(app, make_user(role="organisation"), title="Autobusu satiksme laukos",
                            body="Sabiedriskais transports laukos jāuzlabo: autobusi nekursē brīvdienās, un seniori "
                                 "nevar aizbraukt līdz novada centram. Lūdzu atjaunot autobusu reisus.")
    recompute(app)
    with app.app_context():
        overview = stored_themes.overview(_consultation())
        transport = next(v for v in overview.themes if ids["transport"][0] in
                         stored_themes.member_ids(v.theme)[0])
        assert position in stored_themes.member_ids(transport.theme)[1]
        assert transport.positions == 1 and transport.size == 13 and transport.comments == 12
        assert overview.items_now == 37 and not overview.changed_since


def test_a_section_has_its_own_themes(app, member, make_user):
    on_two = add_subjects(app, make_user, section=2, junk=False)
    on_three = add_subjects(app, make_user, seed=2, section=3, sizes={"transport": 10, "salaries": 10}, junk=False)
    response = form_post(member, BASE + "themes/recompute/", {"section": "3"}, page_url=SUMMARY + "?themes=3")
    assert response.status_code == 303 and response.headers["Location"].endswith("/summary/?themes=3#themes")
    found = themes_by_subject(app, on_three, section=3)
    every = set().union(*(members for _id, _name, members in found.values()))
    assert every == set(on_three["transport"]) | set(on_three["salaries"])
    assert not every & set().union(*on_two.values())
    html = member.get(SUMMARY + "?themes=3").get_data(as_text=True)
    assert '<option value="3" selected>' in html and "Noteikt tēmas no jauna" in html
    assert "Tēmas vēl nav noteiktas." in member.get(SUMMARY).get_data(as_text=True)   # the whole consultation's
    # An unknown section: 404 for the button, the whole consultation for the page.
    assert form_post(member, BASE + "themes/recompute/", {"section": "99"}, page_url=SUMMARY).status_code == 404
    assert member.get(SUMMARY + "?themes=99").status_code == 200


def test_the_summary_says_when_comments_arrived_since_the_themes_were_worked_out(app, member, make_user):
    add_subjects(app, make_user, junk=False)
    recompute(app)
    assert "Noteikt tēmas no jauna" in member.get(SUMMARY).get_data(as_text=True)
    add_comment(app, make_user(), body="Autobuss uz pilsētu kursē reti, lūdzu palielināt reisu skaitu.", section=2)
    html = member.get(SUMMARY).get_data(as_text=True)
    assert "Tagad šeit ir 37 publicēti komentāri un viedokļi" in html


def test_the_summary_query_count_stays_the_same_with_more_themes_and_comments(app, member, make_user,
                                                                             count_queries):
    add_subjects(app, make_user, sizes={"transport": 8, "children": 8}, junk=False)
    recompute(app)
    member.get(SUMMARY)
    with count_queries as small:
        member.get(SUMMARY)
    add_subjects(app, make_user, seed=3)
    recompute(app)
    member.get(SUMMARY)
    with count_queries as large:
        member.get(SUMMARY)
    assert large.count == small.count


# The working group's edits, and recomputing -------------------------------------------------------

def test_a_name_stays_when_the_themes_are_worked_out_again_with_new_comments(app, member, make_user):
    ids = add_subjects(app, make_user)
    recompute(app)
    children_id = themes_by_subject(app, ids)["children"][0]
    response = form_post(member, f"{BASE}themes/{children_id}/rename/", {"name": "  Bērni ar invaliditāti  "},
                         page_url=f"{BASE}themes/{children_id}/")
    assert response.status_code == 303
    html = member.get(f"{BASE}themes/{children_id}/").get_data(as_text=True)
    assert "<h1>Bērni ar invaliditāti</h1>" in html and "Tēma tagad saucas „Bērni ar invaliditāti”." in html
    more = add_subjects(app, make_user, seed=8, sizes={"children": 12, "transport": 4}, junk=False)
    recompute(app)
    found = themes_by_subject(app, {"children": ids["children"] + more["children"]})
    assert found["children"][0] == children_id and found["children"][1] == "Bērni ar invaliditāti"
    assert found["children"][2] == set(ids["children"] + more["children"])
    from consult.services import stored_themes
    with app.app_context():   # what an export column would show
        labels = stored_themes.labels_by_item(_consultation())
    assert {labels[f"c{i}"] for i in ids["children"]} == {"Bērni ar invaliditāti"}
    assert labels[f"c{ids['transport'][0]}"] not in ("", "Bērni ar invaliditāti")


def test_a_merge_stays_when_the_themes_are_worked_out_again(app, member, make_user):
    ids = add_subjects(app, make_user)
    recompute(app)
    found = themes_by_subject(app, ids)
    transport, salaries = found["transport"][0], found["salaries"][0]
    response = form_post(member, f"{BASE}themes/{transport}/merge/", {"into": str(salaries)},
                         page_url=f"{BASE}themes/{transport}/")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/themes/{salaries}/")
    assert member.get(f"{BASE}themes/{transport}/").status_code == 404
    recompute(app)
    again = themes_by_subject(app, ids)
    assert again["transport"][0] == again["salaries"][0] == salaries
    assert again["salaries"][2] == set(ids["transport"]) | set(ids["salaries"])
    assert again["children"][0] == found["children"][0]


def test_a_moved_comment_stays_where_it_was_moved_and_leaves_when_it_is_no_longer_published(app, member, make_user):
    from consult.extensions import db
    from consult.models import Comment
    ids = add_subjects(app, make_user)
    recompute(app)
    found = themes_by_subject(app, ids)
    transport, children = found["transport"][0], found["children"][0]
    moved, later_hidden = ids["transport"][0], ids["transport"][1]
    page = f"{BASE}themes/{transport}/"
    assert f'value="c{moved}"' in member.get(page).get_data(as_text=True)
    response = form_post(member, page + "move/", {"items": [f"c{moved}", f"c{later_hidden}"], "into": str(children)},
                         page_url=page)
    assert response.status_code == 303
    assert "2 ieraksti pārvietoti uz" in member.get(page).get_data(as_text=True)
    assert f'value="c{moved}"' in member.get(f"{BASE}themes/{children}/").get_data(as_text=True)
    with app.app_context():
        db.session.get(Comment, later_hidden).status = "hidden"
        db.session.commit()
    recompute(app)
    again = themes_by_subject(app, {"children": ids["children"]})
    assert moved in again["children"][2] and later_hidden not in again["children"][2]
    assert f'value="c{later_hidden}"' not in member.get(f"{BASE}themes/{children}/").get_data(as_text=True)


def test_moving_the_last_items_of_a_theme_away_removes_it(app, member, make_user):
    from consult.services import stored_themes
    ids = add_subjects(app, make_user)
    recompute(app)
    found = themes_by_subject(app, ids)
    transport, salaries = found["transport"], found["salaries"][0]
    response = form_post(member, f"{BASE}themes/{transport[0]}/move/",
                         {"items": [f"c{i}" for i in transport[2]], "into": str(salaries)},
                         page_url=f"{BASE}themes/{transport[0]}/")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/themes/{salaries}/")
    with app.app_context():
        assert stored_themes.theme(_consultation(), transport[0]) is None


# Bad input -------------------------------------------------------------------------------------

def _edit_page(app, member, make_user):
    ids = add_subjects(app, make_user)
    recompute(app)
    return ids, themes_by_subject(app, ids)


def _theme_rows(app):
    from consult.extensions import db
    from consult.models import Theme, ThemeMember
    with app.app_context():
        return (sorted((t.id, t.name, t.phrases) for t in db.session.query(Theme)),
                sorted((m.theme_id, m.comment_id, m.position_id, m.moved_at) for m in db.session.query(ThemeMember)))


@pytest.mark.parametrize("name, message", [
    ("", "Ierakstiet tēmas nosaukumu."), ("   ", "Ierakstiet tēmas nosaukumu."),
    ("Ā" * 121, "Maksimālais rakstzīmju skaits ir 120 (jūs izmantojāt 121)."),
    ("Bērni\x00", "NUL"),
])
def test_a_bad_name_gets_a_message_beside_the_field_and_changes_nothing(app, member, make_user, name, message):
    _ids, found = _edit_page(app, member, make_user)
    theme_id = found["children"][0]
    before = _theme_rows(app)
    response = form_post(member, f"{BASE}themes/{theme_id}/rename/", {"name": name},
                         page_url=f"{BASE}themes/{theme_id}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r"<title>Kļūda:", html) and 'class="error-summary"' in html and 'href="#name"' in html
    assert 'id="name-error"' in html and message in html[html.index('id="name-error"'):]
    if name.strip() and "\x00" not in name:
        assert f'value="{name}"' in html   # what was typed is kept
    assert _theme_rows(app) == before


def test_a_name_with_markup_is_stored_as_typed_and_shown_as_text(app, member, make_user):
    from markupsafe import escape

    from consult.extensions import db
    from consult.models import Theme
    _ids, found = _edit_page(app, member, make_user)
    theme_id = found["children"][0]
    for value in HOSTILE["inputs"]["markup"]:
        value = " ".join(value.split())[:120]
        response = form_post(member, f"{BASE}themes/{theme_id}/rename/", {"name": value},
                             page_url=f"{BASE}themes/{theme_id}/")
        assert response.status_code == 303, value
        with app.app_context():
            assert db.session.get(Theme, theme_id).name == value
        html = member.get(f"{BASE}themes/{theme_id}/").get_data(as_text=True)
        assert f"<h1>{escape(value)}</h1>" in html
        if "<" in value:
            assert value not in html


def test_merging_needs_another_theme_of_the_same_set_and_not_the_other_group(app, member, make_user):
    _ids, found = _edit_page(app, member, make_user)
    children, other = found["children"][0], found["junk"][0]
    before = _theme_rows(app)
    for into in ("", "abc", str(children), "999999"):
        response = form_post(member, f"{BASE}themes/{children}/merge/", {"into": into},
                             page_url=f"{BASE}themes/{children}/")
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="into-error"' in html
        assert "Izvēlieties tēmu, ar kuru apvienot šo." in html
    page = member.get(f"{BASE}themes/{other}/").get_data(as_text=True)
    assert "Grupu „Citi” nevar apvienot ar tēmu." in page and f"themes/{other}/merge/" not in page
    token = csrf_token_from(page)
    response = member.post(f"{BASE}themes/{other}/merge/", data={"csrf_token": token, "into": str(children)})
    assert response.status_code == 400 and "Grupu „Citi” nevar apvienot ar tēmu." in response.get_data(as_text=True)
    assert _theme_rows(app) == before


def test_moving_needs_selected_items_and_a_theme(app, member, make_user):
    ids, found = _edit_page(app, member, make_user)
    transport, children = found["transport"][0], found["children"][0]
    page = f"{BASE}themes/{transport}/"
    before = _theme_rows(app)
    response = form_post(member, page + "move/", {"into": str(children)}, page_url=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="items-error"' in html and 'href="#items"' in html
    assert "Atlasiet vismaz vienu komentāru vai viedokli, ko pārvietot." in html
    response = form_post(member, page + "move/", {"items": [f"c{ids['transport'][0]}"], "into": ""}, page_url=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="move-into-error"' in html
    assert f'value="c{ids["transport"][0]}" id="select-c{ids["transport"][0]}" class="row-check" checked' in html
    # Items that are not in the theme set (another section's, made up): nothing to move.
    outsider = add_comment(app, make_user(), body="Cits teksts", section=4)
    response = form_post(member, page + "move/", {"items": [f"c{outsider}", "c99999999", "x1"],
                                                   "into": str(children)}, page_url=page)
    assert response.status_code == 400 and "Atlasiet vismaz vienu" in response.get_data(as_text=True)
    assert _theme_rows(app) == before


# Access ------------------------------------------------------------------------------------------

def _theme_urls(theme_id):
    return [("GET", f"{BASE}themes/{theme_id}/"), ("POST", f"{BASE}themes/recompute/"),
            ("POST", f"{BASE}themes/{theme_id}/rename/"), ("POST", f"{BASE}themes/{theme_id}/merge/"),
            ("POST", f"{BASE}themes/{theme_id}/move/")]


@pytest.mark.parametrize("role", ["citizen", "organisation", "moderator", "editor", "outsider"])
def test_wrong_roles_and_non_members_get_403_and_change_nothing(app, demo, make_user, login, role):
    ids = add_subjects(app, make_user)
    recompute(app)
    found = themes_by_subject(app, ids)
    theme_id, into = found["children"][0], found["transport"][0]
    client = app.test_client()
    login(client, make_user(role="workgroup" if role == "outsider" else role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    before = _theme_rows(app)
    for method, url in _theme_urls(theme_id):
        data = {"csrf_token": token, "name": "Jauns", "into": str(into), "items": [f"c{ids['children'][0]}"],
                "section": ""} if method == "POST" else None
        assert client.open(url, method=method, data=data).status_code == 403, (role, url)
    assert _theme_rows(app) == before


def test_anonymous_visitors_are_sent_to_sign_in_and_posts_need_a_token(app, member, make_user):
    ids = add_subjects(app, make_user)
    recompute(app)
    theme_id = themes_by_subject(app, ids)["children"][0]
    anonymous = app.test_client()
    for method, url in _theme_urls(theme_id):
        response = anonymous.open(url, method=method)
        assert response.status_code in (302, 400), url
    before = _theme_rows(app)
    for _method, url in _theme_urls(theme_id)[1:]:
        assert member.post(url, data={"name": "Bez žetona", "into": "1"}).status_code == 400, url
        assert member.get(url).status_code == 405, url
    assert _theme_rows(app) == before


def test_a_theme_of_another_consultation_is_not_found(app, member, make_user):
    from consult.services import stored_themes
    other_slug = "riga-region-social-services-programme"
    author = make_user()
    for _subject, text in themed_comments(random.Random(1), {"transport": 6, "children": 6}):
        add_comment(app, author, body=text, section=1, slug=other_slug)
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        other = db.session.query(Consultation).filter_by(slug=other_slug).one()
        theme_id = stored_themes.set_themes(stored_themes.recompute(other).theme_set)[0].id
    assert member.get(f"{BASE}themes/{theme_id}/").status_code == 404
    assert form_post(member, f"{BASE}themes/{theme_id}/rename/", {"name": "Mans"}, page_url=SUMMARY).status_code == 404


# The feedback table, the analysis JSON, valid HTML -----------------------------------------------------

def test_the_feedback_table_filters_by_theme(app, member, make_user):
    ids = add_subjects(app, make_user)
    recompute(app)
    found = themes_by_subject(app, ids)
    html = member.get(f"{BASE}?theme={found['children'][0]}&per_page=100").get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'id="row-c(\d+)"', html)}
    assert shown == set(ids["children"])
    assert f'<option selected value="{found["children"][0]}">' in html
    everything = member.get(f"{BASE}?theme=999999&per_page=100").get_data(as_text=True)
    assert len(re.findall(r'id="row-c(\d+)"', everything)) == sum(len(v) for v in ids.values())
    # With another filter: the theme and the stance together.
    html = member.get(f"{BASE}?theme={found['children'][0]}&stance=supports").get_data(as_text=True)
    assert 'id="row-c' not in html


def test_analyse_writes_the_themes_with_their_names_and_members(app, demo, make_user, runner, tmp_path, member):
    ids = add_subjects(app, make_user)
    recompute(app)
    children_id = themes_by_subject(app, ids)["children"][0]
    form_post(member, f"{BASE}themes/{children_id}/rename/", {"name": "Bērni"}, page_url=f"{BASE}themes/{children_id}/")
    output = tmp_path / "analysis.json"
    result = runner.invoke(args=["analyse", "--consultation", DEMO, "--output", str(output)])
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    themes = data["themes"]
    assert [t["other"] for t in themes] == [False, False, False, True]
    children = next(t for t in themes if t["id"] == children_id)
    assert children["label"] == "Bērni" and sorted(children["member_ids"]) == sorted(ids["children"])
    assert children["size"] == 12 and children["position_ids"] == [] and 3 <= len(children["key_phrases"]) <= 5
    assert sorted(themes[-1]["member_ids"]) == sorted(ids["junk"]) and themes[-1]["label"] == "Other"
    every = sorted(i for t in themes for i in t["member_ids"])
    assert every == sorted(i for v in ids.values() for i in v)
    result = runner.invoke(args=["analyse", "--consultation", DEMO, "--section", "1", "--output", str(output)])
    assert result.exit_code == 0 and json.loads(output.read_text(encoding="utf-8"))["themes"] == []


def test_theme_pages_are_valid_html_in_both_languages(app, member, make_user, tmp_path):
    ids, found = _edit_page(app, member, make_user)
    add_position(app, make_user(role="organisation"))
    pages = {}
    for lang in ("lv", "en"):
        base = f"/{lang}/workgroup/{DEMO}/"
        for theme_id in (found["children"][0], found["junk"][0]):
            pages[f"{base}themes/{theme_id}/"] = member.get(f"{base}themes/{theme_id}/").get_data(as_text=True)
        pages[f"{base}summary/"] = member.get(f"{base}summary/").get_data(as_text=True)
        pages[f"{base}?theme="] = member.get(f"{base}?theme={found['children'][0]}").get_data(as_text=True)
        token = csrf_token_from(pages[f"{base}summary/"])
        theme_id = found["children"][0]
        for action, data in (("rename", {"name": ""}), ("merge", {"into": ""}), ("move", {"into": ""})):
            response = member.post(f"{base}themes/{theme_id}/{action}/", data={"csrf_token": token, **data})
            assert response.status_code == 400
            pages[f"{base}themes/{theme_id}/{action}/ (errors)"] = response.get_data(as_text=True)
    assert all("style=" not in html for html in pages.values())
    assert check_html(pages, tmp_path) == []
