"""The working group publishes the outcome: the introduction in both languages, a knowing "yes" for
the proposal without an answer, and the public page saying exactly that, in Latvian and English."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workflow import make_lead
from ..test_workgroup import add_comment, add_member, set_status


def test_member_publishes_an_honest_outcome(page, live_server, app, demo, make_user, check_accessibility):
    member = make_user(role="workgroup", email="rezultats@example.test")
    make_lead(app, add_member(app, member), 0)   # a lead, who saves and approves in one step
    answered = add_comment(app, make_user(), body="Ierosinām pagarināt termiņu.", section=1, stance="proposes")
    add_comment(app, make_user(), body="Kāpēc tieši šāds termiņš?", section=2, stance="asks")
    add_comment(app, make_user(), body="Atbalstu.", section=2, stance="supports")

    page.goto(f"{live_server}/en/account/login/")
    page.fill("#email", "rezultats@example.test")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server}/en/workgroup/{DEMO}/responses/new/?items=c{answered}")
    page.check("#decision-0")
    page.fill("#justification_lv", "Termiņš pagarināts līdz 2016. gadam.")
    page.locator("main form button[value=approve]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    set_status(app, "closed")

    page.goto(f"{live_server}/en/workgroup/{DEMO}/publish/")
    check_accessibility(page)
    page.fill("#intro_lv", "Paldies visiem, kas komentēja.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("Write the introduction in English.")
    expect(page.locator(".error-summary")).to_contain_text("1 proposal has no answer")
    expect(page.locator("#intro_lv")).to_have_value("Paldies visiem, kas komentēja.")
    check_accessibility(page)
    page.fill("#intro_en", "Thank you to everyone who commented.")
    page.check("#confirm_unanswered")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/en/consultations/{DEMO}/outcome/$"))
    expect(page.locator(".outcome-intro")).to_have_text("Thank you to everyone who commented.")
    expect(page.locator("main")).to_contain_text("answered 1 of the 2 proposals it received; 1 have no answer")
    check_accessibility(page)
    page.locator(".language-switch").click()
    expect(page.locator(".outcome-intro")).to_have_text("Paldies visiem, kas komentēja.")
    expect(page.locator("main")).to_contain_text("Darba grupa atbildēja uz 1 no 2 saņemtajiem priekšlikumiem")
    check_accessibility(page)
