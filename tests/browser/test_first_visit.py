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
