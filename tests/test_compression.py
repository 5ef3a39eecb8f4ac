"""Brotli and gzip as the client asks, and cached public pages that answer a conditional GET with 304."""
from __future__ import annotations

import gzip
import re

import brotli
import pytest

from .pages import DEMO

SECTION = f"/consultations/{DEMO}/sections/2/"


def _decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None
    return response.data


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_are_compressed_as_the_client_asks(client, demo, lang, encoding):
    plain = client.get(f"/{lang}{SECTION}")
    assert "Content-Encoding" not in plain.headers
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(f"/{lang}{SECTION}", headers={"Accept-Encoding": f"{encoding}, deflate"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding
        assert len(response.data) < len(plain.data) / 3
        assert _decoded(response) == plain.data
        assert "Accept-Encoding" in response.headers["Vary"]


def test_brotli_is_preferred_and_identity_is_respected(client, demo):
    assert client.get("/en/", headers={"Accept-Encoding": "gzip, deflate, br"}).headers["Content-Encoding"] == "br"
    assert client.get("/en/", headers={"Accept-Encoding": "gzip;q=1, br;q=0.5"}).headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get("/en/", headers={"Accept-Encoding": "identity"}).headers


@pytest.mark.parametrize("path,mimetype", [
    ("/api/v1/consultations", "application/json"),
    ("/en/feeds/news.xml", "application/atom+xml"),
    ("/lv/feeds/news.xml", "application/atom+xml"),
    ("/sitemap.xml", "application/xml"),
])
def test_json_feeds_and_sitemap_are_compressed(client, demo, path, mimetype):
    plain = client.get(path)
    response = client.get(path, headers={"Accept-Encoding": "br"})
    assert response.mimetype == mimetype and response.headers["Content-Encoding"] == "br"
    assert _decoded(response) == plain.data
    etag = response.headers["ETag"]
    assert etag.endswith(':br"')
    assert client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": etag}).status_code == 304


def test_stylesheet_is_compressed_and_keeps_its_validators(client):
    html = client.get("/en/").get_data(as_text=True)
    href = re.search(r'href="(/static/site\.[0-9a-f]+\.css)"', html).group(1)
    plain = client.get(href)
    response = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip" and gzip.decompress(response.data) == plain.data
    assert "immutable" in response.headers["Cache-Control"]
    again = client.get(href, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_tiny_answers_are_not_compressed(client):
    assert "Content-Encoding" not in client.get("/robots.txt", headers={"Accept-Encoding": "br"}).headers


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_cached_public_page_answers_a_conditional_get_with_304(client, demo, lang):
    first = client.get(f"/{lang}{SECTION}")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag) and first.headers["Cache-Control"] == "no-cache"
    cached = client.get(f"/{lang}{SECTION}")
    assert cached.headers["ETag"] == etag and cached.headers["Last-Modified"] == modified
    not_modified = client.get(f"/{lang}{SECTION}", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert client.get(f"/{lang}{SECTION}", headers={"If-Modified-Since": modified}).status_code == 304
    compressed = client.get(f"/{lang}{SECTION}", headers={"Accept-Encoding": "br"})
    assert compressed.headers["ETag"] == etag[:-1] + ':br"'
    assert client.get(f"/{lang}{SECTION}", headers={"Accept-Encoding": "br",
                                                    "If-None-Match": compressed.headers["ETag"]}
                      ).status_code == 304


def test_a_change_to_the_page_gives_a_new_etag(app, client, demo):
    first = client.get(f"/en{SECTION}")
    from consult.extensions import db
    from consult.models import Section
    with app.app_context():
        section = db.session.query(Section).filter_by(number=2).first()
        section.title_en = "A new title for the section"
        db.session.commit()
    changed = client.get(f"/en{SECTION}", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "A new title for the section" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_signed_in_pages_are_compressed_but_never_answered_from_a_shared_validator(app, client, demo, make_user, login):
    anonymous_etag = app.test_client().get(f"/en{SECTION}").headers["ETag"]
    login(client, make_user())
    response = client.get(f"/en{SECTION}", headers={"Accept-Encoding": "br", "If-None-Match": anonymous_etag})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert "ETag" not in response.headers
    assert b"Sign out" in _decoded(response)
