"""A person creates an account, confirms it from the e-mail, signs in, sees their activity and signs out."""
from __future__ import annotations

import email
import email.policy
import pathlib
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

PASSWORD = "zaļā ābele zied maijā"


def newest_confirmation_link(app) -> str:
    outbox = pathlib.Path(app.config["OUTBOX_DIR"])
    newest = max(outbox.glob("*.eml"), key=lambda path: path.name)
    message = email.message_from_bytes(newest.read_bytes(), policy=email.policy.default)
    match = re.search(r"https?://\S+/account/confirm/\S+/", message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_register_confirm_sign_in_and_out(page, live_server, app, demo, check_accessibility, lang):
    base = f"{live_server}/{lang}/account"
    submit = page.locator("main form button[type=submit]")

    page.goto(f"{base}/register/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_accessibility(page)

    # Sending the empty form shows every problem, announced and linked.
    submit.click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^(Kļūda|Error):"))
    expect(page.locator("#display_name")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)

    page.fill("#display_name", "Līga Ozoliņa")
    page.fill("#email", f"liga.{lang}@example.test")
    page.fill("#password", PASSWORD)
    page.check("#respondent_type-0")
    page.check("#consent")
    submit.click()
    expect(page).to_have_url(re.compile(r"/account/register/check-your-email/$"))
    check_accessibility(page)

    page.goto(live_server + newest_confirmation_link(app))
    expect(page).to_have_url(re.compile(f"/{lang}/account/confirm/"))
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page)

    page.goto(f"{base}/login/")
    check_accessibility(page)
    page.fill("#email", f"LIGA.{lang}@example.test")
    page.fill("#password", PASSWORD)
    submit.click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/activity/$"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Līga Ozoliņa")
    check_accessibility(page)

    page.goto(f"{base}/delete/")
    check_accessibility(page)

    page.locator(".account-nav button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/{lang}/$"))
    expect(page.locator(f".account-nav a[href^='/{lang}/account/login/']")).to_be_visible()

    page.goto(f"{base}/reset/")
    check_accessibility(page)
    page.goto(f"{base}/activity/")
    expect(page).to_have_url(re.compile(f"/{lang}/account/login/"))


def test_sign_in_works_with_the_keyboard_only(page, live_server, app, make_user):
    make_user(email="keyboard@example.test")
    page.goto(f"{live_server}/en/account/login/")
    page.locator("#email").focus()
    page.keyboard.type("keyboard@example.test")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/en/account/activity/$"))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_too_many_wrong_passwords_lead_to_a_page_that_points_to_sign_in_and_a_new_password(
        page, live_server, app, make_user, check_accessibility, lang):
    make_user(email=f"locked.{lang}@example.test")
    page.goto(f"{live_server}/{lang}/account/login/")
    for _attempt in range(6):
        page.fill("#email", f"locked.{lang}@example.test")
        page.fill("#password", "not the password")
        page.locator("main form button[type=submit]").click()
        if page.locator("main a[href$='/account/reset/']").count() and not page.locator("#password").count():
            break
    main = page.locator("main")
    expect(main.locator(f"a[href='/{lang}/account/reset/']")).to_be_visible()
    expect(main.locator(f"a[href='/{lang}/account/login/']")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_accessibility(page)
    main.locator(f"a[href='/{lang}/account/reset/']").click()
    expect(page).to_have_url(re.compile(f"/{lang}/account/reset/$"))
    check_accessibility(page)
