"""A staff member turns on two-step verification, keeps the recovery codes shown once, and later signs in
with one of them instead of a code from the app; the same code does not work twice."""
from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_staff_member_signs_in_with_a_recovery_code(page, live_server, app, make_user, check_accessibility, lang):
    email = f"moderator.{lang}@example.test"
    make_user(role="moderator", email=email, language=lang)
    base = f"{live_server}/{lang}/account"
    submit = page.locator("main form button[type=submit]")

    def sign_in_with_password():
        page.goto(f"{base}/login/")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        submit.click()

    sign_in_with_password()
    page.goto(f"{base}/two-step/")
    submit.first.click()  # "Set up two-step verification"
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("form[action$='/two-step/enable/'] button[type=submit]").click()

    codes = page.locator(".recovery-codes li code")
    expect(codes).to_have_count(10)
    check_accessibility(page)
    shown = codes.all_inner_texts()
    assert len(set(shown)) == 10 and all(re.fullmatch(r"\d{4}( \d{4}){4}", code) for code in shown)
    page.locator(f"main a[href='/{lang}/account/two-step/']").click()
    expect(page.locator("form[action$='/two-step/recovery-codes/']")).to_be_visible()
    expect(page.locator(".recovery-codes")).to_have_count(0)  # shown once: not on the page again
    check_accessibility(page)

    page.locator(".account-nav button[type=submit]").click()
    sign_in_with_password()
    expect(page).to_have_url(re.compile(f"/{lang}/account/login/code/$"))
    page.fill("#code", shown[3])
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/activity/$"))
    expect(page.locator(".flash-success").nth(1)).to_contain_text("9")
    check_accessibility(page)

    # The same code a second time is refused, with the message beside the field.
    page.locator(".account-nav button[type=submit]").click()
    sign_in_with_password()
    page.fill("#code", shown[3].replace(" ", ""))
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/login/code/$"))
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)
    page.fill("#code", shown[4])
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/activity/$"))

    # New codes need the password; the old ones then stop working.
    page.goto(f"{base}/two-step/")
    page.fill("#recovery-password", PASSWORD)
    page.locator("form[action$='/two-step/recovery-codes/'] button[type=submit]").click()
    expect(codes).to_have_count(10)
    assert not set(codes.all_inner_texts()) & set(shown)
    check_accessibility(page)
