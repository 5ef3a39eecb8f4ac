"""What a newcomer meets first, in Chromium in both languages: the error summary takes the focus after
a failed submit, the comment box counts characters as one types, and the language switch keeps the
paragraph one was reading."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO

SUMMARY_TITLE = {"en": "There is a problem", "lv": "Radās problēma"}


def sign_in(page, live_server, lang, address):
    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", address)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/account/activity/$"))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_failed_comment_moves_the_focus_to_the_error_summary(page, live_server, demo, make_user,
                                                               check_accessibility, lang):
    make_user(email=f"anna.{lang}@example.test", language=lang)
    sign_in(page, live_server, lang, f"anna.{lang}@example.test")
    page.goto(f"{live_server}/{lang}/consultations/{DEMO}/sections/2/")
    page.locator(".comment-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text(SUMMARY_TITLE[lang])
    expect(page).to_have_title(re.compile(r"^(Error|Kļūda):"))
    check_accessibility(page)
    # Its links take the focus to the field they name.
    summary.locator('a[href="#body"]').click()
    expect(page.locator("#body")).to_be_focused()
    summary.locator('a[href="#stance-0"]').click()
    expect(page.locator("#stance-0")).to_be_focused()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_failed_sign_in_moves_the_focus_to_the_error_summary(page, live_server, check_accessibility, lang):
    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", "nobody@example.test")
    page.fill("#password", "not the password at all")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#email")).to_have_value("nobody@example.test")
    check_accessibility(page)


COUNT = {"en": ("Characters left: {}", "Too many characters: {}"),
         "lv": ("Atlikušās rakstzīmes: {}", "Par daudz rakstzīmju: {}")}
HEADING = {"en": ("Comment on paragraph {}", "Comment on this section"),
           "lv": ("Komentēt {}. punktu", "Komentēt šo sadaļu")}


def _number(value: int, lang: str) -> str:
    from babel.numbers import format_decimal
    return format_decimal(value, locale=lang)


def _text(locator) -> str:
    """The text exactly as written, no-break spaces included (expect() would make them plain spaces)."""
    return locator.evaluate("element => element.textContent")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_comment_box_counts_the_characters_left_as_one_types(page, live_server, demo, make_user,
                                                                  check_accessibility, lang):
    left, over = COUNT[lang]
    make_user(email=f"anna.{lang}@example.test", language=lang)
    sign_in(page, live_server, lang, f"anna.{lang}@example.test")
    page.goto(f"{live_server}/{lang}/consultations/{DEMO}/sections/2/?paragraph=2")
    shown, spoken = page.locator("#body-count"), page.locator("#body-count-spoken")
    assert _text(shown) == left.format(_number(5000, lang))
    expect(shown).to_have_attribute("aria-hidden", "true")
    expect(spoken).to_have_attribute("aria-live", "polite")
    assert _text(spoken) == ""  # nothing is read out before one types
    page.fill("#body", "ā" * 10)
    expect(spoken).to_have_text(re.compile("4.990$"))
    assert _text(shown) == _text(spoken) == left.format(_number(4990, lang))
    page.fill("#body", "ž" * 5012)
    expect(spoken).to_have_text(re.compile(r"\b12$"))
    assert _text(shown) == over.format("12")
    expect(shown).to_have_class(re.compile("character-count-over"))
    check_accessibility(page)
    # The heading follows the paragraph chosen.
    heading = page.locator("#form-heading")
    expect(heading).to_have_text(HEADING[lang][0].format("2.2"))
    page.select_option("#paragraph", "3")
    expect(heading).to_have_text(HEADING[lang][0].format("2.3"))
    page.select_option("#paragraph", "")
    expect(heading).to_have_text(HEADING[lang][1])


def test_without_javascript_the_hint_says_the_limit_and_there_is_no_count(browser, live_server, demo, make_user):
    make_user(email="anna@example.test", language="en")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "en", "anna@example.test")
    page.goto(f"{live_server}/en/consultations/{DEMO}/sections/2/")
    expect(page.locator("#body-hint")).to_contain_text("up to 5,000 characters")
    expect(page.locator("#body-count")).to_have_count(0)
    context.close()
