"""A staff member turns on two-step verification from their account, signs out, and signs in again
with the password and a code from their authentication app."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_staff_member_turns_on_two_step_and_signs_in_with_a_code(page, live_server, app, make_user,
                                                                 check_accessibility, lang):
    email = f"editor.{lang}@example.test"
    make_user(role="editor", email=email, language=lang)
    base = f"{live_server}/{lang}/account"
    submit = page.locator("main form button[type=submit]")

    page.goto(f"{base}/login/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/activity/$"))

    page.locator(f"main a[href='/{lang}/account/two-step/']").click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/two-step/$"))
    check_accessibility(page)
    submit.first.click()  # "Set up two-step verification"

    key = page.locator("#totp-key")
    expect(key).to_be_visible()
    expect(page.locator("main img[src^='data:image/svg+xml']")).to_be_visible()
    check_accessibility(page)
    secret = key.inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    # A wrong code first: the message is beside the field and announced at the top.
    page.fill("#code", "000000" if totp.now() != "000000" else "111111")
    page.locator("form[action$='/two-step/enable/'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)

    page.fill("#code", totp.now())
    page.locator("form[action$='/two-step/enable/'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.locator(f"main a[href='/{lang}/account/two-step/']").click()
    expect(page.locator("form[action$='/two-step/disable/']")).to_be_visible()
    check_accessibility(page)

    page.locator(".account-nav button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/{lang}/$"))

    page.goto(f"{base}/login/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/login/code/$"))
    expect(page.locator("#code")).to_have_attribute("autocomplete", "one-time-code")
    check_accessibility(page)
    # Not signed in yet: the account pages still send this visitor to the log-in page.
    expect(page.locator(".account-nav button[type=submit]")).to_have_count(0)

    # The code that turned it on is spent; the app's next code is accepted.
    page.fill("#code", totp.at(time.time() + 30))
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/activity/$"))
    expect(page.locator(".account-nav")).to_contain_text("Administr")
    check_accessibility(page)
