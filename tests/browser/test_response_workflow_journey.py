"""A member drafts an answer, the subgroup's lead approves it, and only then is it on the public outcome;
the lead also answers a whole filtered set at once after a confirmation that says how many."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workflow import make_lead
from ..test_workgroup import add_comment, add_member, set_status


def _sign_in(page, live_server, email, lang="en"):
    page.context.clear_cookies()
    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-nav")).to_be_visible()


def test_draft_by_a_member_approved_by_the_lead_is_then_public(page, live_server, app, demo, make_user,
                                                               check_accessibility):
    add_member(app, make_user(role="workgroup", email="dalibnieks@example.test", display_name="Dalībnieks"))
    make_lead(app, add_member(app, make_user(role="workgroup", email="vaditaja@example.test",
                                             display_name="Vadītāja")), 0)
    proposal = add_comment(app, make_user(), body="Ierosinām vairāk atbalsta ģimenēm.", section=3, stance="proposes")
    for i in range(3):
        add_comment(app, make_user(), body=f"Kāds būs finansējums? ({i})", section=1, stance="asks")

    # The member writes a draft: there is no approve button for them.
    _sign_in(page, live_server, "dalibnieks@example.test")
    page.goto(f"{live_server}/en/workgroup/{DEMO}/responses/new/?items=c{proposal}")
    expect(page.locator("button[value=approve]")).to_have_count(0)
    check_accessibility(page)
    page.check("#decision-0")
    page.fill("#justification_lv", "Atbalsts ģimenēm papildināts 3. sadaļā.")
    page.locator("button[value=draft]").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft response saved for 1 proposal")
    expect(page.locator(f"#row-c{proposal} .tag-draft")).to_have_text("Draft, not approved yet")
    check_accessibility(page)

    # The lead finds the drafts to approve and approves it, in Latvian.
    _sign_in(page, live_server, "vaditaja@example.test", "lv")
    page.goto(f"{live_server}/lv/workgroup/{DEMO}/")
    page.locator(".assigned-to-me a", has_text="Apstiprināmie melnraksti").click()
    expect(page.locator(".feedback-table tbody tr")).to_have_count(1)
    check_accessibility(page)
    page.locator(f"#row-c{proposal} a", has_text="Rediģēt atbildi").click()
    expect(page.locator(".response-status .tag-draft")).to_be_visible()
    check_accessibility(page)
    page.locator("button", has_text="Apstiprināt atbildi").click()
    expect(page.locator(".flash-success")).to_contain_text("Atbilde ir apstiprināta")
    expect(page.locator(f"#row-c{proposal} .tag-draft")).to_have_count(0)

    # Respond to all three questions at once: the confirmation names the count.
    page.goto(f"{live_server}/lv/workgroup/{DEMO}/?stance=asks")
    page.locator("a", has_text="Atbildēt uz visiem 3 ierakstiem").click()
    check_accessibility(page)
    page.check("#decision-3")
    page.fill("#justification_lv", "Finansējums tiks noteikts valsts budžetā.")
    page.locator("button[value=draft]").click()
    expect(page.locator("h1")).to_have_text("Atbildēt uz visiem 3 ierakstiem?")
    expect(page.locator("main")).to_contain_text("3 ieraksti saņems šo atbildi kā melnrakstus.")
    check_accessibility(page)
    page.locator("button[value=confirm]").click()
    expect(page.locator(".flash-success")).to_contain_text("3 ierakstiem saglabāti atbilžu melnraksti")
    expect(page.locator(".feedback-table .tag-draft")).to_have_count(3)

    # Public: the approved answer is there, the drafts are not.
    set_status(app, "concluded")
    page.goto(f"{live_server}/en/consultations/{DEMO}/outcome/")
    expect(page.locator("main")).to_contain_text("Atbalsts ģimenēm papildināts 3. sadaļā.")
    expect(page.locator("main")).not_to_contain_text("Finansējums tiks noteikts valsts budžetā.")
    check_accessibility(page)
    page.goto(f"{live_server}/lv/consultations/{DEMO}/outcome/")
    expect(page.locator("main")).to_contain_text("Atbalsts ģimenēm papildināts 3. sadaļā.")
    check_accessibility(page)
    expect(page).to_have_title(re.compile("."))
