"""Polls and organisations' positions in a real browser, in both languages."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from consult.demo import minimal_pdf

from ..pages import DEMO
from .test_participation_journey import sign_in


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_vote_see_results_switch_language_and_be_refused_again(browser, live_server, app, demo, make_user,
                                                               check_accessibility, lang):
    page = browser.new_context().new_page()
    make_user(email=f"voter.{lang}@example.test", language=lang)
    sign_in(page, live_server, lang, f"voter.{lang}@example.test")
    page.goto(f"{live_server}/{lang}/consultations/{DEMO}/")
    page.locator(".poll-teaser a.button").first.click()
    expect(page).to_have_url(re.compile(r"/polls/\d+/$"))
    check_accessibility(page)
    page.check("#answer-1")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("svg.poll-chart")).to_be_visible()
    expect(page.locator(".poll-table tbody tr")).to_have_count(3)
    check_accessibility(page)
    poll_url = page.url.split("#")[0]
    page.locator(".language-switch").click()
    other = "en" if lang == "lv" else "lv"
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("#results")).to_be_visible()
    # Voting again (a stale form from another tab) is refused with a message; the first vote stays.
    token = page.evaluate("fetch(location.href).then(r => r.text())")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', token)
    assert csrf
    response = page.request.post(poll_url, form={"csrf_token": csrf.group(1) or csrf.group(2), "answer": "1"})
    assert response.status in (400, 409)
    page.context.close()


def test_organisation_position_with_pdf_from_registration_to_download(browser, live_server, app, demo, make_user,
                                                                     check_accessibility, tmp_path):
    lang = "lv"
    rep = browser.new_context(accept_downloads=True).new_page()
    make_user(email="rep@example.test", display_name="Ieva Bērziņa")
    sign_in(rep, live_server, lang, "rep@example.test")
    rep.goto(f"{live_server}/{lang}/organisations/")
    check_accessibility(rep)
    rep.fill("#name", "Biedrība “Kopā”")
    rep.fill("#registration_number", "40008123456")
    rep.check("#kind-0")
    rep.locator("main form button[type=submit]").click()
    expect(rep.locator(".flash-success")).to_be_visible()

    admin = browser.new_context().new_page()
    make_user(role="admin", email="admin@example.test")
    sign_in(admin, live_server, lang, "admin@example.test")
    admin.goto(f"{live_server}/{lang}/admin/organisations/")
    check_accessibility(admin)
    admin.locator("main form button[type=submit]").first.click()
    expect(admin.locator(".flash-success")).to_be_visible()

    pdf_path = tmp_path / "Kopā viedoklis.pdf"
    pdf_path.write_bytes(minimal_pdf(["Position of the association Kopa"]))
    rep.goto(f"{live_server}/{lang}/consultations/{DEMO}/positions/new/")
    check_accessibility(rep)
    rep.fill("#title", "Biedrības “Kopā” viedoklis")
    rep.fill("#body", "Atbalstām individuālā budžeta modeli.")
    rep.check("#sections-5")
    rep.set_input_files("#attachment", str(pdf_path))
    rep.check("#publish_name")
    rep.locator("main form button[type=submit]").click()
    expect(rep).to_have_url(re.compile(f"/{lang}/consultations/{DEMO}/positions/$"))

    moderator = browser.new_context().new_page()
    make_user(role="moderator", email="mod@example.test")
    sign_in(moderator, live_server, lang, "mod@example.test")
    moderator.goto(f"{live_server}/{lang}/moderation/?type=positions")
    check_accessibility(moderator)
    moderator.locator(".mod-item form button.button").first.click()

    visitor = browser.new_context(accept_downloads=True).new_page()
    visitor.goto(f"{live_server}/{lang}/consultations/{DEMO}/positions/")
    expect(visitor.get_by_role("heading", name="Biedrības “Kopā” viedoklis")).to_be_visible()
    expect(visitor.locator(".tag-verified").first).to_be_visible()
    check_accessibility(visitor)
    with visitor.expect_download() as download_info:
        visitor.locator('a[href$="/attachment/"]').first.click()
    download = download_info.value
    assert download.suggested_filename == "Kopā viedoklis.pdf"
    assert pathlib_bytes(download.path()).startswith(b"%PDF-")
    for context in browser.contexts:
        context.close()


def pathlib_bytes(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
