"""A working-group member watches the themes being worked out in the background: the summary page keeps
the last result, shows a progress bar that moves on by itself (site.js) or with the reload link, and the
new result when the job is done; in Latvian and in English, with axe-core on every state."""
from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect

from consult.services.synthetic_themes import themed_comments

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workgroup import add_comment, add_member

WORDS = {
    "lv": {"again": "Noteikt tēmas no jauna", "running": "Notiek aprēķins…", "percent": "Paveikti {n}%",
           "reload": "Pārlādēt lapu, lai redzētu, cik tālu tas ir ticis"},
    "en": {"again": "Work out the themes again", "running": "Being worked out…", "percent": "{n}% done",
           "reload": "Reload the page to see how far it got"},
}


def _job(app, **values):
    """Plays the worker's part: starts a themes job, or moves the running one on."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Job
    with app.app_context():
        job = db.session.query(Job).filter_by(kind="themes", status="running").one_or_none()
        if job is None:
            consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
            job = Job(kind="themes", consultation_id=consultation.id, scope="all", status="running",
                      started_at=utcnow())
            db.session.add(job)
        for key, value in values.items():
            setattr(job, key, value)
        job.updated_at = utcnow()
        db.session.commit()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_summary_page_shows_the_progress_then_the_result(page, live_server, app, demo, make_user,
                                                            check_accessibility, lang):
    words = WORDS[lang]
    email = f"darbi.{lang}@example.test"
    add_member(app, make_user(role="workgroup", email=email, language=lang))
    author = make_user()
    for _subject, text in themed_comments(random.Random(3)):
        add_comment(app, author, body=text, section=2)

    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    summary = f"{live_server}/{lang}/workgroup/{DEMO}/summary/"
    page.goto(summary)
    themes = page.locator("#themes")
    themes.locator("form.actions button").click()
    cards = page.locator(".theme-card")
    expect(cards.first).to_be_visible()
    shown = cards.count()

    # A new run starts elsewhere: the last result stays, with a progress bar instead of the button.
    _job(app, progress=40)
    page.goto(summary)
    bar = themes.get_by_role("progressbar", name=words["running"])
    expect(bar).to_have_attribute("value", "40")
    expect(themes.locator(".job-percent")).to_have_text(words["percent"].format(n=40))
    expect(themes.get_by_role("button", name=words["again"])).to_have_count(0)
    expect(cards).to_have_count(shown)
    check_accessibility(page)

    # Without waiting for the script, the reload link shows how far it got.
    _job(app, progress=55)
    with page.expect_navigation():
        themes.get_by_role("link", name=words["reload"]).click()
    expect(bar).to_have_attribute("value", "55")

    # site.js moves the bar on by itself …
    _job(app, progress=80)
    expect(bar).to_have_attribute("value", "80", timeout=20_000)
    expect(themes.locator(".job-percent")).to_have_text(words["percent"].format(n=80))

    # … and shows the result when the job is done.
    from consult.clock import utcnow
    _job(app, status="done", progress=100, finished_at=utcnow())
    expect(themes.get_by_role("button", name=words["again"])).to_be_visible(timeout=20_000)
    expect(themes.get_by_role("progressbar")).to_have_count(0)
    expect(cards).to_have_count(shown)
    check_accessibility(page)
