"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page."""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"CONSULT_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Runs axe-core (WCAG 2.1 A and AA) on the page as it is now: no violations allowed."""
    from playwright.sync_api import Error as PlaywrightError

    def check(page):
        page.wait_for_load_state()
        try:
            result = axe.run(page, options=WCAG)
        except PlaywrightError:  # a navigation that the last click began replaced the document mid-run
            page.wait_for_load_state()
            result = axe.run(page, options=WCAG)
        assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"
    return check
