"""A working-group member works out the themes, renames one, moves a comment, merges two and works them out
again, in Latvian and in English, with axe-core on every page."""
from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from consult.services.synthetic_themes import JUNK, themed_comments

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workgroup import add_comment, add_member

WORDS = {
    "lv": {"none_yet": "Tēmas vēl nav noteiktas.", "work_out": "Noteikt tēmas", "again": "Noteikt tēmas no jauna",
           "error": "Kļūda:", "name": "Bērni ar invaliditāti", "other": "Citi"},
    "en": {"none_yet": "The themes have not been worked out yet.", "work_out": "Work out the themes",
           "again": "Work out the themes again", "error": "Error:", "name": "Children with disabilities",
           "other": "Other"},
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_member_works_out_renames_moves_and_merges_themes(page, live_server, app, demo, make_user,
                                                          check_accessibility, lang):
    words = WORDS[lang]
    email = f"temas.{lang}@example.test"
    add_member(app, make_user(role="workgroup", email=email, language=lang))
    author = make_user()
    for subject, text in themed_comments(random.Random(2)):
        add_comment(app, author, body=text, section=2, stance="objects" if subject == "children" else "proposes")
    for text in JUNK:
        add_comment(app, author, body=text or "…", section=2)

    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/summary/")
    themes = page.locator("#themes")
    expect(themes.get_by_text(words["none_yet"])).to_be_visible()
    check_accessibility(page)

    # Work them out: three themes and the "other" group, each with key phrases and quotes.
    themes.get_by_role("button", name=words["work_out"], exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/summary/#themes$"))
    cards = page.locator(".theme-card")
    expect(cards).to_have_count(4)
    expect(cards.last.locator("h3")).to_have_text(words["other"])
    expect(cards.first.locator(".theme-phrases")).to_be_visible()
    expect(cards.first.locator("blockquote").first).to_be_visible()
    check_accessibility(page)

    # Open the theme about children and rename it: first with an empty name, then properly.
    children = cards.filter(has_text="invaliditāti").first
    children.locator("h3 a").click()
    expect(page.locator("h1")).to_contain_text("invaliditāt")
    check_accessibility(page)
    page.fill("#name", "   ")
    page.locator("form[action$='/rename/'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#name-error")).to_be_visible()
    expect(page).to_have_title(re.compile(f"^{words['error']}"))
    check_accessibility(page)
    page.fill("#name", words["name"])
    page.locator("form[action$='/rename/'] button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(words["name"])
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page)
    children_url = page.url

    # Move one of its comments to another theme, with a message first when nothing is checked.
    page.locator("#move-into").select_option(index=1)
    page.locator("form[action$='/move/'] button[type=submit]").click()
    expect(page.locator("#items-error")).to_be_visible()
    check_accessibility(page)
    first = page.locator(".theme-members input[type=checkbox]").first
    moved = first.get_attribute("value")
    first.check()
    page.locator("#move-into").select_option(index=1)
    page.locator("form[action$='/move/'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(f".theme-members input[value='{moved}']")).to_have_count(0)
    check_accessibility(page)

    # Merge another theme into this one, from that theme's page.
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/summary/#themes")
    other_theme = page.locator(".theme-card").filter(has_not_text=words["name"]).first
    other_theme.locator("h3 a").click()
    page.locator("#into").select_option(label=words["name"])
    page.locator("form[action$='/merge/'] button[type=submit]").click()
    expect(page).to_have_url(children_url)
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page)

    # Work the themes out again: the name and the merge stay.
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/summary/")
    page.locator("#themes").get_by_role("button", name=words["again"], exact=True).click()
    cards = page.locator(".theme-card")
    expect(cards).to_have_count(3)
    expect(cards.locator("h3").filter(has_text=words["name"])).to_have_count(1)
    check_accessibility(page)

    # The theme as a filter in the feedback table, and the narrow screen.
    cards.filter(has_text=words["name"]).locator(".theme-links a").first.click()
    expect(page.locator(".feedback-table tbody tr").first).to_be_visible()
    expect(page.locator("#theme option:checked")).to_have_text(words["name"])
    check_accessibility(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/{lang}/workgroup/{DEMO}/summary/#themes")
    check_accessibility(page)
    page.goto(children_url)
    check_accessibility(page)
