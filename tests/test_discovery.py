"""robots.txt, sitemap.xml, security.txt, the icons and static files under content-hashed names."""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from consult.clock import utcnow
from consult.models import Consultation, ConsultationStatus, NewsItem, Section

from .conftest import form_post
from .pages import CLOSED, DEMO

BASE = "http://127.0.0.1:5000"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _db():
    from consult.extensions import db
    return db


def _sitemap(client) -> dict[str, dict]:
    response = client.get("/sitemap.xml", headers={"Host": "attacker.example"})
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SM}urlset"
    urls = {}
    for url in root.findall(f"{SM}url"):
        loc = url.find(f"{SM}loc").text
        urls[loc] = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
                     if link.get("rel") == "alternate"}
        lastmod = url.find(f"{SM}lastmod")
        if lastmod is not None:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod.text)
    return urls


def test_sitemap_lists_published_pages_in_both_languages_with_alternates(client, demo):
    urls = _sitemap(client)
    for path in ("/", f"/consultations/{DEMO}/", f"/consultations/{DEMO}/sections/1/",
                 f"/consultations/{CLOSED}/", "/news/meeting-with-municipalities-2013/", "/faq/"):
        for lang in ("lv", "en"):
            assert f"{BASE}/{lang}{path}" in urls, path
            assert urls[f"{BASE}/{lang}{path}"] == {"lv": f"{BASE}/lv{path}", "en": f"{BASE}/en{path}",
                                                    "x-default": f"{BASE}/lv{path}"}
    assert all(loc.startswith(BASE + "/") for loc in urls)
    for loc in list(urls)[:40]:
        assert client.get(loc[len(BASE):]).status_code == 200, loc


def test_sitemap_leaves_out_drafts_scheduled_sections_and_unpublished_news(app, client, demo):
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        later = Section(consultation_id=consultation.id, number=99, title_lv="Vēlāk", title_en="Later",
                        published_at=utcnow() + timedelta(days=3))
        news = NewsItem(slug="not-yet", title_lv="Vēl ne", title_en="Not yet", body_lv="x", body_en="x",
                        published_at=utcnow() + timedelta(days=3))
        draft = Consultation(slug="in-draft", title_lv="Melnraksts", status=ConsultationStatus.DRAFT)
        db.session.add_all([later, news, draft])
        db.session.commit()
    text = "\n".join(_sitemap(client))
    assert f"/consultations/{DEMO}/sections/99/" not in text
    assert "/news/not-yet/" not in text
    assert "/account/" not in text and "/admin/" not in text
    assert "/consultations/in-draft/" not in text
    assert f"/consultations/{DEMO}/sections/1/" in text


def test_sitemap_answers_304_to_a_conditional_request(client, demo):
    etag = client.get("/sitemap.xml").headers["ETag"]
    assert client.get("/sitemap.xml", headers={"If-None-Match": etag}).status_code == 304


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt", headers={"Host": "attacker.example"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith("User-agent: *\n")
    for lang in ("lv", "en"):
        for area in ("account", "moderation", "workgroup", "admin"):
            assert f"Disallow: /{lang}/{area}/\n" in text
        assert f"Disallow: /{lang}/search\n" in text
    assert f"Sitemap: {BASE}/sitemap.xml\n" in text
    assert "Disallow: /\n" not in text and "Disallow: /lv/consultations" not in text


def test_security_txt_is_served_from_the_setting(app, client, monkeypatch):
    assert client.get("/.well-known/security.txt").status_code == 404  # no contact set: no file
    monkeypatch.setitem(app.config, "SECURITY_CONTACT", "security@example.lv, https://example.lv/cvd")
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    fields = [line.split(": ", 1) for line in response.get_data(as_text=True).splitlines()]
    assert ["Contact", "mailto:security@example.lv"] in fields and ["Contact", "https://example.lv/cvd"] in fields
    expires = dict(fields)["Expires"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", expires) and expires[:4] > str(utcnow().year - 1)
    assert dict(fields)["Canonical"] == f"{BASE}/.well-known/security.txt"
    assert dict(fields)["Preferred-Languages"] == "lv, en"


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_pages_name_the_icons_and_hashed_static_files(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    head = html.split("</head>")[0]
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(set(names)) == 5   # the style sheet, the script and three icons
    for name in names:
        assert re.fullmatch(r"/static/[\w-]+\.[0-9a-f]{12}\.(css|js|ico|svg|png)", name), name
        with client.get(name) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert 'rel="icon"' in head and 'type="image/svg+xml"' in head and 'rel="apple-touch-icon"' in head


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_pages_load_one_deferred_script_from_the_site_and_no_inline_script(client, lang):
    html = client.get(f"/{lang}/account/login/").get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 1 and re.fullmatch(r'<script src="/static/site\.[0-9a-f]{12}\.js" defer>', scripts[0])
    name = re.search(r'src="([^"]+)"', scripts[0]).group(1)
    with client.get(name, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == "gzip"
    # The policy lets it run (it is the site's own) and nothing written into a page.
    assert "script-src 'self';" in client.get(f"/{lang}/").headers["Content-Security-Policy"]


def test_the_error_summary_can_take_the_focus_and_heads_the_form(app, client, make_user, login, demo):
    login(client, make_user())
    html = form_post(client, f"/en/consultations/{DEMO}/sections/2/comments/", {},
                     page_url=f"/en/consultations/{DEMO}/sections/2/").get_data(as_text=True)
    form = html[html.index('<form method="post" action="/en/consultations/'):]
    summary = re.search(r"<div class=\"error-summary\"[^>]*>", form).group(0)
    assert 'tabindex="-1"' in summary
    assert form.index("error-summary") < form.index("<input") < form.index("<textarea")


def test_a_changed_file_gets_a_new_name_and_an_old_hash_is_not_served(client):
    html = client.get("/en/").get_data(as_text=True)
    current = re.search(r'href="/static/site\.([0-9a-f]{12})\.css"', html).group(1)
    assert client.get("/static/site.000000000000.css").status_code == 404
    with client.get("/static/site.css") as plain:
        assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
        assert hashlib.sha256(plain.data).hexdigest()[:12] == current


@pytest.mark.parametrize("path,mimetype", [("/favicon.ico", "image/vnd.microsoft.icon"),
                                           ("/apple-touch-icon.png", "image/png")])
def test_icons_answer_at_the_root(client, path, mimetype):
    with client.get(path) as response:
        assert response.status_code == 200 and response.mimetype == mimetype and len(response.data) > 100
