"""The heart of the site in a real browser: register, comment on a paragraph, moderate, publish, report."""
from __future__ import annotations

import email
import email.policy
import pathlib
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO

NEW_PASSWORD = "ziemas saule spīd ļoti spoži"


def _outbox(app):
    outbox = pathlib.Path(app.config["OUTBOX_DIR"])
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(outbox.glob("*.eml"))] if outbox.exists() else []


def sign_in(page, live_server, lang, address, password=PASSWORD):
    page.goto(f"{live_server}/{lang}/account/login/")
    page.fill("#email", address)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/account/activity/$"))


def register_and_confirm(page, live_server, app, lang, address):
    page.goto(f"{live_server}/{lang}/account/register/")
    page.fill("#display_name", "Marta Liepiņa")
    page.fill("#email", address)
    page.fill("#password", NEW_PASSWORD)
    page.check("#respondent_type-0")
    page.check("#consent")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/check-your-email/$"))
    link = re.search(r"https?://\S+/account/confirm/\S+/", _outbox(app)[-1].get_content()).group(0)
    page.goto(live_server + urlsplit(link).path)
    sign_in(page, live_server, lang, address, NEW_PASSWORD)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_comment_on_a_paragraph_is_moderated_and_published(browser, live_server, app, demo, make_user,
                                                           check_accessibility, lang):
    citizen = browser.new_context()
    page = citizen.new_page()
    address = f"marta.{lang}@example.test"
    register_and_confirm(page, live_server, app, lang, address)

    section = f"{live_server}/{lang}/consultations/{DEMO}/sections/2/"
    page.goto(section)
    check_accessibility(page)
    # "Comment on this paragraph" is a plain link, reached and used by keyboard.
    link = page.locator('a[href$="?paragraph=2#comment-form"]')
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#paragraph")).to_have_value("2")
    page.check("#stance-2")
    page.fill("#body", "Ierosinu 2.2. punktā minēt arī atbalsta personas pakalpojumu. https://example.lv/info")
    page.locator(".comment-form button[type=submit]").click()
    expect(page.locator("#pending-heading")).to_be_visible()
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page)

    visitor = browser.new_context().new_page()
    visitor.goto(section)
    expect(visitor.get_by_text("Ierosinu 2.2. punktā")).to_have_count(0)

    moderator = browser.new_context().new_page()
    make_user(role="moderator", email=f"mod.{lang}@example.test", language=lang)
    sign_in(moderator, live_server, lang, f"mod.{lang}@example.test")
    moderator.goto(f"{live_server}/{lang}/moderation/")
    expect(moderator.get_by_text("Ierosinu 2.2. punktā")).to_be_visible()
    check_accessibility(moderator)
    moderator.locator(".mod-item form button.button").first.click()
    expect(moderator.locator(".flash-success")).to_be_visible()

    visitor.goto(section)
    expect(visitor.get_by_text("Ierosinu 2.2. punktā")).to_be_visible()
    expect(visitor.locator('.comment-body a[rel="nofollow ugc noopener"]')).to_have_count(1)
    check_accessibility(visitor)
    mail = _outbox(app)[-1]
    assert mail["To"] == address
    assert mail["Subject"] == ("Jūsu komentārs ir publicēts" if lang == "lv" else "Your comment is published")

    # A second comment is rejected: not public, and its author is told why.
    page.goto(section)
    page.check("#stance-1")
    page.fill("#body", "Šis komentārs netiks publicēts.")
    page.locator(".comment-form button[type=submit]").click()
    moderator.goto(f"{live_server}/{lang}/moderation/")
    moderator.locator(".mod-item a.button-warning").first.click()
    expect(moderator.locator("#reason")).to_be_visible()
    check_accessibility(moderator)
    moderator.select_option("#reason", "off_topic")
    moderator.fill("#note", "Lūdzu, rakstiet par sadaļas tēmu.")
    moderator.locator("main form button[type=submit]").click()
    visitor.goto(section)
    expect(visitor.get_by_text("Šis komentārs netiks publicēts.")).to_have_count(0)
    rejection = _outbox(app)[-1]
    assert rejection["To"] == address and "Lūdzu, rakstiet par sadaļas tēmu." in rejection.get_content()

    # Another reader reports the published comment; it reaches the queue.
    reader = browser.new_context().new_page()
    make_user(email=f"reader.{lang}@example.test", language=lang)
    sign_in(reader, live_server, lang, f"reader.{lang}@example.test")
    reader.goto(section)
    reader.locator(".comment-actions a[href*='/report/']").first.click()
    check_accessibility(reader)
    reader.check("#reason-0")
    reader.locator("main form button[type=submit]").click()
    expect(reader.locator(".flash-success")).to_be_visible()
    moderator.goto(f"{live_server}/{lang}/moderation/?show=reported")
    expect(moderator.get_by_text("Ierosinu 2.2. punktā")).to_be_visible()
    moderator.goto(f"{live_server}/{lang}/moderation/log/")
    check_accessibility(moderator)
    for context in browser.contexts:
        context.close()
