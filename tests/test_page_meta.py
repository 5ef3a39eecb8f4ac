"""What every public page says about itself: canonical and hreflang links on CONSULT_BASE_URL, a meta
description, Open Graph and Twitter card tags, plain share links and Atom autodiscovery."""
from __future__ import annotations

import html as html_module
import re
import xml.etree.ElementTree as ET

import pytest

from .pages import DEMO, both_languages

BASE = "http://127.0.0.1:5000"  # the test app's CONSULT_BASE_URL (the default)
NEWS = "/news/meeting-with-municipalities-2013/"
A = "{http://www.w3.org/2005/Atom}"


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def _links(head: str, rel: str) -> list[dict]:
    found = []
    for tag in re.findall(r"<link [^>]+>", head):
        attributes = dict(re.findall(r'([\w:-]+)="([^"]*)"', tag))
        if attributes.get("rel") == rel:
            found.append({k: html_module.unescape(v) for k, v in attributes.items()})
    return found


def _meta(head: str, key: str) -> str | None:
    match = re.search(r'<meta (?:name|property)="' + re.escape(key) + r'" content="([^"]*)">', head)
    return html_module.unescape(match.group(1)) if match else None


@pytest.mark.parametrize("path", both_languages())
def test_public_page_has_canonical_absolute_hreflang_and_description(client, demo, path):
    # The Host header is whatever a client sends; the addresses come from the setting alone.
    head = _head(client.get(path, headers={"Host": "attacker.example"}).get_data(as_text=True))
    lang, rest = path[1:3], path[3:]
    canonical = _links(head, "canonical")
    assert [link["href"] for link in canonical] == [f"{BASE}{path}"]
    alternates = {link["hreflang"]: link["href"] for link in _links(head, "alternate") if "hreflang" in link}
    assert alternates == {"lv": f"{BASE}/lv{rest}", "en": f"{BASE}/en{rest}", "x-default": f"{BASE}/lv{rest}"}
    description = _meta(head, "description")
    assert description and 20 <= len(description) <= 200, description
    assert "attacker.example" not in head and lang


def test_description_follows_the_content_and_its_language(client, demo):
    lv = _meta(_head(client.get(f"/lv/consultations/{DEMO}/").get_data(as_text=True)), "description")
    en = _meta(_head(client.get(f"/en/consultations/{DEMO}/").get_data(as_text=True)), "description")
    assert lv != en and "Labklājības ministrija" in lv and "Ministry of Welfare" in en
    assert len(en) <= 160 and "<" not in en and "*" not in en


def test_error_pages_name_no_canonical_address(client, demo):
    head = _head(client.get("/en/consultations/no-such-thing/").get_data(as_text=True))
    assert not _links(head, "canonical")


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("path", [f"/consultations/{DEMO}/", f"/consultations/{DEMO}/sections/1/", NEWS])
def test_consultations_sections_and_news_have_open_graph_and_twitter_tags(client, demo, lang, path):
    head = _head(client.get(f"/{lang}{path}").get_data(as_text=True))
    title = re.search(r"<title>(.*)</title>", head).group(1).rsplit(" – ", 1)[0]
    assert _meta(head, "og:title") == html_module.unescape(title)
    assert _meta(head, "og:url") == f"{BASE}/{lang}{path}"
    assert _meta(head, "og:description") == _meta(head, "description")
    assert _meta(head, "og:locale") == {"lv": "lv_LV", "en": "en_GB"}[lang]
    assert _meta(head, "og:image").startswith(f"{BASE}/static/share.")
    assert _meta(head, "twitter:card") == "summary"
    assert _meta(head, "twitter:title") == _meta(head, "og:title")


def test_other_pages_have_no_open_graph_tags(client, demo):
    assert "og:title" not in client.get("/en/faq/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("path", [f"/consultations/{DEMO}/", NEWS])
def test_news_and_consultations_have_share_links_without_scripts(client, demo, lang, path):
    html = client.get(f"/{lang}{path}").get_data(as_text=True)
    share = re.search(r'<nav class="share".*?</nav>', html, re.S).group(0)
    hrefs = [html_module.unescape(h) for h in re.findall(r'href="([^"]+)"', share)]
    encoded = f"{BASE}/{lang}{path}".replace(":", "%3A").replace("/", "%2F")
    assert hrefs[0].startswith("mailto:?subject=") and hrefs[0].endswith(f"&body={encoded}")
    assert any(h.startswith("https://www.facebook.com/sharer/sharer.php?u=" + encoded) for h in hrefs)
    assert any(h.startswith("https://x.com/intent/post?url=" + encoded) for h in hrefs)
    assert any(h.startswith("https://www.linkedin.com/sharing/share-offsite/?url=" + encoded) for h in hrefs)
    # No sharing script from anyone: the only script is the site's own, served from its own address.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all(re.fullmatch(r'<script src="/static/site\.[0-9a-f]{12}\.js" defer>', tag) for tag in scripts), scripts
    assert "onclick" not in share and "<script" not in share


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("path,feeds", [
    ("/", ["/feeds/news.xml"]),
    ("/news/", ["/feeds/news.xml"]),
    (NEWS, ["/feeds/news.xml"]),
    (f"/consultations/{DEMO}/", [f"/feeds/consultations/{DEMO}.xml", "/feeds/news.xml"]),
    (f"/consultations/{DEMO}/sections/1/", [f"/feeds/consultations/{DEMO}.xml"]),
])
def test_pages_that_list_what_a_feed_carries_announce_it(client, demo, lang, path, feeds):
    head = _head(client.get(f"/{lang}{path}").get_data(as_text=True))
    announced = [link for link in _links(head, "alternate") if link.get("type") == "application/atom+xml"]
    assert [link["href"] for link in announced] == [f"/{lang}{feed}" for feed in feeds]
    assert all(link["title"] for link in announced)
    for link in announced:
        assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("path", ["/lv/feeds/news.xml", "/en/feeds/news.xml",
                                  f"/lv/feeds/consultations/{DEMO}.xml", f"/en/feeds/consultations/{DEMO}.xml"])
def test_atom_ids_and_links_come_from_the_base_url_not_the_host_header(client, demo, path):
    root = ET.fromstring(client.get(path, headers={"Host": "attacker.example"}).data)
    addresses = [root.find(f"{A}id").text] + [link.get("href") for link in root.iter(f"{A}link")] \
        + [entry.find(f"{A}id").text for entry in root.iter(f"{A}entry")]
    assert len(addresses) > 3
    assert all(address.startswith(BASE + "/") for address in addresses), addresses


def test_api_links_come_from_the_base_url(client, demo):
    data = client.get("/api/v1/consultations", headers={"Host": "attacker.example"}).get_json()
    links = data["items"][0]["links"]
    assert links["self"].startswith(f"{BASE}/api/v1/") and links["html"]["en"].startswith(f"{BASE}/en/")
