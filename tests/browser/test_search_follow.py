"""A visitor searches the site and follows a consultation, in both languages, with axe-core on every page."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import outbox_messages
from ..pages import DEMO

WORDS = {
    # Without diacritics, and other forms of the word are marked too (sociālā, sociālo …).
    "lv": {"query": "sociala", "found": "sociāl"},
    "en": {"query": "REHABILITATION", "found": "rehabilitat"},
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_visitor_searches_from_the_menu_and_opens_a_result(page, live_server, demo, check_accessibility, lang):
    words = WORDS[lang]
    page.goto(f"{live_server}/{lang}/")
    page.locator(f".main-nav a[href='/{lang}/search']").click()
    expect(page.locator(".main-nav a[aria-current=page]")).to_have_attribute("href", f"/{lang}/search")
    check_accessibility(page)
    page.get_by_role("search").get_by_role("searchbox").fill(words["query"])
    page.get_by_role("search").get_by_role("button").click()
    expect(page).to_have_url(re.compile(f"/{lang}/search\\?q="))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("mark").first).to_be_visible()
    assert words["found"] in page.locator("mark").first.inner_text().lower()
    check_accessibility(page)
    # Only one kind of result, chosen with the filter (works without JavaScript: a plain GET form).
    page.locator("#type").select_option("section")
    page.locator("main form.search-form button[type=submit]").click()
    expect(page).to_have_url(re.compile("type=section"))
    expect(page.locator("h2[id^=results-]")).to_have_count(1)
    check_accessibility(page)
    page.locator(".search-result h3 a").first.click()
    expect(page).to_have_url(re.compile(f"/{lang}/consultations/.+/sections/\\d+/#p-\\d+\\.\\d+$"))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_search_without_words_explains_what_to_do(page, live_server, demo, check_accessibility, lang):
    page.goto(f"{live_server}/{lang}/search?q=")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#q-error")).to_be_visible()
    check_accessibility(page)
    page.goto(f"{live_server}/{lang}/search?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    expect(page.locator("#q")).to_have_value("<script>alert(1)</script>")
    check_accessibility(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_visitor_follows_a_consultation_by_email(app, page, live_server, demo, check_accessibility, lang):
    page.goto(f"{live_server}/{lang}/consultations/{DEMO}/")
    check_accessibility(page)
    page.locator(f"a[href='/{lang}/consultations/{DEMO}/follow/']").click()
    expect(page).to_have_url(re.compile(f"/{lang}/consultations/{DEMO}/follow/$"))
    check_accessibility(page)
    page.locator("main button[type=submit]").click()  # nothing typed: a message beside the field
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page)
    page.locator("#email").fill(f"lasitaja-{lang}@example.test")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile("/follow/check-your-email/$"))
    check_accessibility(page)
    message = outbox_messages(app)[-1]
    link = next(link for link in re.findall(r"https?://\S+", message.get_content()) if "/follow/confirm/" in link)
    page.goto(live_server + urlsplit(link).path)
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page)
    page.locator("a[href*='/follow/unsubscribe/']").click()
    check_accessibility(page)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main ul li a")).to_have_count(1)
    check_accessibility(page)
    page.reload()
    check_accessibility(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_api_documentation_page_passes_axe(page, live_server, demo, check_accessibility, lang):
    response = page.goto(f"{live_server}/{lang}/api/")
    assert response.status == 200
    check_accessibility(page)
    page.locator("main a[href$='/openapi.json']").click()
    assert '"openapi"' in page.content()
