"""Printing a page: the text without the controls, with the site's name and the page's address."""
from __future__ import annotations

import re
from pathlib import Path

from .pages import DEMO

CSS = Path(__file__).resolve().parent.parent / "consult" / "static" / "site.css"


def _media_block(css: str, query: str) -> str:
    """The body of the first `@media <query> { … }` block, braces matched."""
    start = css.index("@media " + query)
    opening = css.index("{", start)
    depth = 0
    for index in range(opening, len(css)):
        depth += {"{": 1, "}": -1}.get(css[index], 0)
        if depth == 0:
            return css[opening + 1:index]
    raise AssertionError(f"@media {query} is not closed")


def _rules(block: str) -> dict[str, str]:
    """selector → declarations of the plain rules inside a block (nested at-rules left out)."""
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    block = re.sub(r"@[a-z-]+[^{]*\{[^{}]*\}", "", block)
    rules: dict[str, str] = {}
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        for selector in selectors.split(","):
            rules[" ".join(selector.split())] = rules.get(" ".join(selector.split()), "") + declarations
    return rules


def test_print_rules_hide_every_control_and_show_the_address_and_answers():
    rules = _rules(_media_block(CSS.read_text(encoding="utf-8"), "print"))
    for selector in ("form", "button", ".button", ".link-button", ".paragraph-tools a", ".comment-actions",
                     ".comment-form-section", ".site-header", ".main-nav", ".site-footer", ".share"):
        assert re.search(r"display:\s*none", rules.get(selector, "")), selector
    assert re.search(r"display:\s*block", rules[".print-header"])
    assert re.search(r"content-visibility:\s*visible", rules["details::details-content"])


def test_the_print_header_is_hidden_on_screen():
    screen = _rules(CSS.read_text(encoding="utf-8").split("@media print", 1)[0])
    assert re.search(r"display:\s*none", screen[".print-header"])


def test_every_page_carries_the_site_name_and_its_own_address_for_print(client, demo):
    for path in (f"/en/consultations/{DEMO}/sections/1/", "/lv/faq/", f"/lv/consultations/{DEMO}/?x=1"):
        html = client.get(path).get_data(as_text=True)
        header = html.split('<div class="print-header">', 1)[1].split("</div>", 1)[0]
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        assert f'<p class="print-address">{canonical}</p>' in header
        assert ("Public consultations" if path.startswith("/en/") else "Sabiedriskās konsultācijas") in header


def test_the_style_sheet_and_script_have_content_hashed_names(client, demo):
    html = client.get("/en/").get_data(as_text=True)
    assert re.search(r'href="/static/site\.[0-9a-f]{12}\.css"', html)
    script = re.search(r'<script src="(/static/site\.[0-9a-f]{12}\.js)" defer></script>', html)
    assert script and client.get(script.group(1)).status_code == 200
    assert "print.css" not in html
