"""Reported comments in the moderation queue: each report's reason, note and time, how many people reported,
and the most reported first on request."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from consult.models import Report

from .test_accounts import add_comment


def report(app, comment_id, reporter_id, reason="spam", note="", at=None, resolved=False):
    from consult.extensions import db
    with app.app_context():
        db.session.add(Report(comment_id=comment_id, reporter_id=reporter_id, reason=reason, note=note,
                              created_at=at or datetime(2026, 3, 2, 9, 15),
                              resolved_at=datetime(2026, 3, 3) if resolved else None))
        db.session.commit()


@pytest.fixture
def reported(app, demo, make_user):
    """Three published comments: the oldest reported once, the middle one by three people, the newest never."""
    author = make_user(display_name="Jānis Ozols")
    start = datetime(2026, 3, 1, 8, 0)
    once = add_comment(app, author, status="approved", body="Pirmais komentārs.", created_at=start,
                       needs_review=False)
    thrice = add_comment(app, author, status="approved", body="Otrais komentārs.",
                         created_at=start + timedelta(hours=1), needs_review=False)
    never = add_comment(app, author, status="approved", body="Trešais komentārs.",
                        created_at=start + timedelta(hours=2), needs_review=False)
    readers = [make_user() for _ in range(4)]
    report(app, once, readers[0], "offensive", "Aizskar kaimiņus.", at=datetime(2026, 3, 2, 10, 5))
    report(app, thrice, readers[1], "spam", "Reklāma <b>veikalam</b>.", at=datetime(2026, 3, 2, 11, 40))
    report(app, thrice, readers[2], "personal_data", "", at=datetime(2026, 3, 2, 12, 0))
    report(app, thrice, readers[3], "off_topic", "", at=datetime(2026, 3, 2, 13, 30))
    report(app, once, readers[1], "spam", "Jau izskatīts.", resolved=True)  # resolved: not counted or shown
    return {"once": once, "thrice": thrice, "never": never}


def item_ids(html):
    return [int(n) for n in re.findall(r'<article class="mod-item" id="item-(\d+)"', html)]


def item(html, comment_id):
    start = html.index(f'id="item-{comment_id}"')
    return html[start:html.index("</article>", start)]


@pytest.mark.parametrize("lang, words", [
    ("en", {"one": "1 person reported this comment:", "three": "3 people reported this comment:",
            "offensive": "offensive or hateful", "spam": "spam or advertising",
            "personal_data": "contains personal data", "off_topic": "off topic"}),
    ("lv", {"one": "Par šo komentāru ziņoja 1 cilvēks:", "three": "Par šo komentāru ziņoja 3 cilvēki:",
            "offensive": "aizskarošs vai naidīgs", "spam": "surogātpasts vai reklāma",
            "personal_data": "satur personas datus", "off_topic": "neattiecas uz tēmu"}),
])
def test_the_queue_shows_every_open_report_with_reason_note_and_time(app, client, make_user, login, reported, lang,
                                                                      words):
    login(client, make_user(role="moderator"))
    html = client.get(f"/{lang}/moderation/?show=reported").get_data(as_text=True)
    assert item_ids(html) == [reported["once"], reported["thrice"]]
    once, thrice = item(html, reported["once"]), item(html, reported["thrice"])
    assert words["one"] in once and words["offensive"] in once and "<q>Aizskar kaimiņus.</q>" in once
    assert "Jau izskatīts." not in once  # a resolved report is not shown
    assert words["three"] in thrice
    for reason in ("spam", "personal_data", "off_topic"):
        assert words[reason] in thrice
    assert "<q>Reklāma &lt;b&gt;veikalam&lt;/b&gt;.</q>" in thrice  # a reader's note is escaped
    times = re.findall(r'<time datetime="([^"]+)">', thrice.split('class="mod-reports"', 1)[1])
    assert times == ["2026-03-02T11:40:00Z", "2026-03-02T12:00:00Z", "2026-03-02T13:30:00Z"]
    assert "mod-reports" not in client.get(f"/{lang}/moderation/?show=all").get_data(as_text=True).split(
        f'id="item-{reported["never"]}"', 1)[1].split("</article>", 1)[0]


def test_reported_items_can_be_ordered_by_the_number_of_reports(app, client, make_user, login, reported):
    login(client, make_user(role="moderator"))
    by_age = client.get("/en/moderation/?show=all").get_data(as_text=True)
    assert item_ids(by_age) == [reported["once"], reported["thrice"], reported["never"]]
    newest = client.get("/en/moderation/?show=all&order=newest").get_data(as_text=True)
    assert item_ids(newest) == [reported["never"], reported["thrice"], reported["once"]]
    most = client.get("/en/moderation/?show=all&order=reports").get_data(as_text=True)
    assert item_ids(most) == [reported["thrice"], reported["once"], reported["never"]]
    assert '<option value="reports" selected>Most reports first</option>' in most
    reported_only = client.get("/en/moderation/?show=reported&order=reports").get_data(as_text=True)
    assert item_ids(reported_only) == [reported["thrice"], reported["once"]]
    # Anything else in the address is the default order, never an error.
    for value in ("", "x" * 500, "reports'--", "%00"):
        response = client.get("/en/moderation/", query_string={"show": "all", "order": value})
        assert response.status_code == 200
        assert item_ids(response.get_data(as_text=True)) == item_ids(by_age)


def test_the_order_is_kept_on_the_next_page(app, client, demo, make_user, login):
    author = make_user()
    for n in range(26):
        add_comment(app, author, body=f"Komentārs {n}.")
    login(client, make_user(role="moderator"))
    html = client.get("/en/moderation/?show=pending&order=newest").get_data(as_text=True)
    assert 'href="/en/moderation/?type=comments&amp;show=pending&amp;order=newest&amp;page=2"' in html


def test_the_queue_runs_the_same_number_of_queries_however_many_reports(app, client, demo, make_user, login,
                                                                         count_queries):
    author = make_user()
    comments = [add_comment(app, author, status="approved", body=f"Komentārs {n}.") for n in range(3)]
    readers = [make_user() for _ in range(6)]
    report(app, comments[0], readers[0])
    login(client, make_user(role="moderator"))
    client.get("/en/moderation/?show=reported&order=reports")
    with count_queries as few:
        assert client.get("/en/moderation/?show=reported&order=reports").status_code == 200
    for comment_id in comments:
        for reader in readers[1:]:
            report(app, comment_id, reader)
    with count_queries as many:
        html = client.get("/en/moderation/?show=reported&order=reports").get_data(as_text=True)
    assert "6 people reported this comment:" in html
    assert many.count == few.count


@pytest.mark.parametrize("role", ["citizen", "organisation", "workgroup", "editor"])
def test_wrong_role_cannot_see_the_reports(app, make_user, login, reported, role):
    other = login(app.test_client(), make_user(role=role))
    response = other.get("/en/moderation/?show=reported&order=reports")
    assert response.status_code == 403 and "Aizskar kaimiņus." not in response.get_data(as_text=True)
