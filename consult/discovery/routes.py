from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, make_response, request

from ..clock import utcnow
from ..i18n import LANGUAGES
from ..services import sitemap
from ..urls import public_url
from . import bp

# Areas for people with an account, and search results (endless combinations of a query): not for crawlers.
PRIVATE_AREAS = ("account", "moderation", "workgroup", "admin", "organisations")


def _text(body: str, max_age: int):
    response = make_response(body)
    response.mimetype = "text/plain"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{lang}/{area}/" for lang in LANGUAGES for area in PRIVATE_AREAS]
    lines += [f"Disallow: /{lang}/search" for lang in LANGUAGES]
    lines += ["", f"Sitemap: {public_url('discovery.sitemap_xml')}", ""]
    return _text("\n".join(lines), 24 * 60 * 60)


@bp.get("/sitemap.xml")
def sitemap_xml():
    response = make_response(sitemap.sitemap_xml(sitemap.published_pages(), public_url))
    response.mimetype = "application/xml"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/.well-known/security.txt")
def security_txt():
    """RFC 9116, from CONSULT_SECURITY_CONTACT; no contact set, no file."""
    contacts = [c.strip() for c in (current_app.config.get("SECURITY_CONTACT") or "").split(",") if c.strip()]
    if not contacts:
        abort(404)
    expires = (utcnow() + timedelta(days=365)).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [f"Contact: {contact if ':' in contact else 'mailto:' + contact}" for contact in contacts]
    lines += [f"Expires: {expires.isoformat()}Z", "Preferred-Languages: lv, en",
              f"Canonical: {public_url('discovery.security_txt')}", ""]
    return _text("\n".join(lines), 24 * 60 * 60)
