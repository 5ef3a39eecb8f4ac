"""A reader prints a page: no buttons, forms or comment links on paper; the answers and the address are."""
from __future__ import annotations

from playwright.sync_api import expect

from ..pages import DEMO


def test_a_printed_section_has_no_controls_and_names_the_site_and_address(page, live_server, demo):
    page.goto(live_server + f"/en/consultations/{DEMO}/sections/1/")
    comment_link = page.get_by_role("link", name="Comment on this paragraph").first
    sign_in = page.locator(".comment-form-section .button")
    address = page.locator(".print-address")
    expect(comment_link).to_be_visible()
    expect(sign_in).to_be_visible()
    expect(address).to_be_hidden()
    page.emulate_media(media="print")
    expect(comment_link).to_be_hidden()
    expect(sign_in).to_be_hidden()
    expect(page.locator(".text-size")).to_be_hidden()
    expect(page.locator(".paragraph-text").first).to_be_visible()
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    expect(address).to_be_visible()
    expect(address).to_have_text(canonical)
    expect(page.locator(".print-site")).to_have_text("Public consultations")


def test_a_printed_overview_shows_the_answers_and_no_buttons(page, live_server, demo):
    page.goto(live_server + f"/lv/consultations/{DEMO}/")
    answer = page.locator("details.faq > div").first
    buttons = page.locator("main .button, main button")
    expect(answer).to_be_hidden()
    assert buttons.count() > 0
    page.emulate_media(media="print")
    expect(answer).to_be_visible()
    for index in range(buttons.count()):
        expect(buttons.nth(index)).to_be_hidden()
    expect(page.locator(".print-site")).to_have_text("Sabiedriskās konsultācijas")

