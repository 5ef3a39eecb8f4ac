"""A working-group member enters a letter through the offline-submissions page, in Latvian and in English:
first with a mistake (messages beside the fields, what was typed kept), then right; then a file with bad
lines is refused line by line. axe-core finds nothing on any page on the way."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workgroup import add_member

WORDS = {
    "lv": {"nav": "Iesniegumi ārpus vietnes", "letter": "Vēstule",
           "line": "3. rinda, kolonna „section”"},
    "en": {"nav": "Offline submissions", "letter": "Letter",
           "line": "Line 3, column “section”"},
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_member_enters_a_letter_and_a_bad_file_is_refused(page, live_server, app, demo, make_user,
                                                          check_accessibility, tmp_path, lang):
    words = WORDS[lang]
    member = make_user(role="workgroup", email=f"vestules.{lang}@example.test", display_name="Ilze")
    add_member(app, member)
    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", f"vestules.{lang}@example.test")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/")
    page.locator(".sub-nav a", has_text=words["nav"]).click()
    expect(page.locator("h1")).to_have_text(words["nav"])
    check_accessibility(page)

    # A mistake first: no section, no date. The text typed stays, the messages sit beside the fields.
    text = "Lūdzam pagarināt termiņu līdz „2026. gada 1. jūnijam”. <b>Paldies!</b>"
    page.check("#channel-0")
    page.fill("#text", text)
    page.fill("#organisation", "Biedrība „Ābele”")
    page.locator("#one-heading ~ form button[type=submit]").click()
    expect(page.locator(".error-summary").first).to_be_visible()
    expect(page.locator("#section-error")).to_be_visible()
    expect(page.locator("#received_date-error")).to_be_visible()
    expect(page.locator("#text")).to_have_value(text)
    expect(page.locator("#organisation")).to_have_value("Biedrība „Ābele”")
    assert page.title().startswith("Kļūda:" if lang == "lv" else "Error:")
    check_accessibility(page)

    # Put right, by keyboard where a person would.
    page.select_option("#section", "2")
    page.fill("#paragraph", "1")
    page.fill("#received_date", "2026-03-02")
    page.check("#respondent_type-1")
    page.locator("#one-heading ~ form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{words['letter']}: 1")
    check_accessibility(page)

    # It is in the feedback table, marked as a letter (waiting for moderation).
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/?status=all&channel=letter")
    expect(page.locator(".feedback-table tbody tr")).to_have_count(1)
    expect(page.locator(".feedback-table .tag-channel")).to_have_text(words["letter"])
    check_accessibility(page)

    # A file with a bad line: nothing imported, every bad line named beside the field.
    bad = tmp_path / "vestules.csv"
    bad.write_text("section;text;received date;channel\n1;Atbalstām.;2026-03-02;letter\n"
                   "70;Cits teksts.;2026-03-02;letter\n", encoding="utf-8")
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/submissions/")
    page.set_input_files("#file", str(bad))
    page.locator("#file-heading ~ form button[type=submit]").click()
    expect(page.locator("#file-error")).to_contain_text(words["line"])
    expect(page.locator(".error-summary a[href='#file']")).to_be_visible()
    check_accessibility(page)
    page.locator(".error-summary a[href='#file']").click()
    expect(page.locator("#file")).to_be_focused()   # the summary's link takes the focus to the field
