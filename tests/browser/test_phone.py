"""On a phone (390 px): a short header with a menu button, with and without JavaScript; the footer at the
bottom of a short page; poll chart labels at the page's text size."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..pages import DEMO

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """phone(js=True) → a page at 390 px, with JavaScript on or off."""
    contexts = []

    def make(js: bool = True, viewport=PHONE):
        context = browser.new_context(viewport=viewport, java_script_enabled=js)
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


def _content_top(page) -> float:
    return page.evaluate("document.querySelector('main').getBoundingClientRect().top")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_with_javascript_the_menu_button_opens_and_closes_the_menu(phone, live_server, demo, check_accessibility,
                                                                     lang):
    page = phone(js=True)
    page.goto(live_server + f"/{lang}/consultations/{DEMO}/")
    button = page.locator("button.menu-button")
    menu = page.locator(".main-nav")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "site-menu-body")
    expect(page.locator("summary.menu-toggle")).to_be_hidden()
    expect(menu).to_be_hidden()
    expect(page.locator(".language-switch")).to_be_visible()
    assert _content_top(page) < 100, "the header should leave the screen to the content"
    check_accessibility(page)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(page.locator(".account-nav")).to_be_visible()
    check_accessibility(page)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.click()
    page.locator(".main-nav a").first.focus()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_without_javascript_the_menu_opens_and_closes_too(phone, live_server, demo, lang):
    page = phone(js=False)
    page.goto(live_server + f"/{lang}/news/")
    toggle = page.locator("summary.menu-toggle")
    menu = page.locator(".main-nav")
    expect(toggle).to_be_visible()
    expect(page.locator(".menu-button")).to_have_count(0)
    expect(menu).to_be_hidden()
    assert _content_top(page) < 100, "the header should leave the screen to the content"
    toggle.click()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Questions and answers" if lang == "en" else "Jautājumi un atbildes").click()
    expect(page).to_have_url(f"{live_server}/{lang}/faq/")
    toggle = page.locator("summary.menu-toggle")
    toggle.press("Enter")
    expect(page.locator(".main-nav")).to_be_visible()
    toggle.press("Enter")
    expect(page.locator(".main-nav")).to_be_hidden()


def test_the_menu_without_its_script_passes_axe_closed_and_open(phone, live_server, demo, check_accessibility):
    """axe needs JavaScript to run, so here only the site's own script is kept from loading."""
    page = phone(js=True)
    page.route("**/static/site.*.js", lambda route: route.abort())
    page.goto(live_server + "/en/news/")
    expect(page.locator("summary.menu-toggle")).to_be_visible()
    check_accessibility(page)
    page.locator("summary.menu-toggle").click()
    expect(page.locator(".main-nav")).to_be_visible()
    check_accessibility(page)


@pytest.mark.parametrize("js", [True, False])
def test_on_a_wide_screen_the_menu_is_always_shown(phone, live_server, demo, js):
    page = phone(js=js, viewport={"width": 1280, "height": 800})
    page.goto(live_server + "/en/")
    expect(page.locator(".main-nav")).to_be_visible()
    expect(page.locator(".text-size")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator(".menu-button")).to_have_count(1 if js else 0)
    if js:
        expect(page.locator(".menu-button")).to_be_hidden()


@pytest.mark.parametrize("js", [True, False])
def test_the_footer_sits_at_the_bottom_of_a_short_page(phone, live_server, demo, js):
    page = phone(js=js)
    response = page.goto(live_server + "/en/no-such-page/")
    assert response.status == 404
    bottom = page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom")
    assert abs(bottom - PHONE["height"]) < 1, bottom


def test_poll_chart_labels_keep_the_text_size_and_fit_on_a_phone(app, phone, live_server, demo):
    from consult.extensions import db
    from consult.models import Poll, PollOption
    with app.app_context():
        poll = db.session.query(Poll).filter_by(results_shown="always").first()
        poll.options.append(PollOption(position=9, label_lv="Ļoti garš atbildes variants, kas uz tālruņa ekrāna "
                                                            "neietilpst vienā rindā un jāpārnes"))
        db.session.commit()
        poll_id = poll.id
    page = phone(js=True)
    page.goto(live_server + f"/lv/polls/{poll_id}/")
    chart = page.locator("svg.poll-chart")
    expect(chart).to_be_visible()
    sizes = page.evaluate("""() => {
        const svg = document.querySelector('svg.poll-chart');
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('.chart-label')].map(label => {
            const r = label.getBoundingClientRect();
            // A glyph such as "j" may reach a pixel left of its origin: that is still inside.
            return {text: label.textContent, px: parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a,
                    fits: r.left >= box.left - 2 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5};
        });
    }""")
    assert sizes, "the chart has labels"
    assert all(size["px"] >= 15 for size in sizes), sizes
    assert all(size["fits"] for size in sizes), [size for size in sizes if not size["fits"]]
