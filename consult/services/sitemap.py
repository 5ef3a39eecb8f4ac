"""The pages a search engine may list: everything published, nothing else (sitemaps.org protocol)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import ConsultationStatus, NewsItem, Section
from . import publication

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
# Pages that are always there, in both languages.
FIXED_PAGES = ("site.home", "site.consultations", "site.news", "site.faq", "site.privacy",
               "api_docs.documentation")


@dataclass(frozen=True)
class Page:
    endpoint: str
    values: tuple[tuple[str, object], ...] = ()
    modified: datetime | None = None


def published_pages() -> list[Page]:
    """Every public page once (each is then listed in both languages): consultations that are open, closed
    or concluded, their published sections, the outcome once concluded, and published news."""
    pages = [Page(endpoint) for endpoint in FIXED_PAGES]
    consultations = publication.public_consultations()
    now = utcnow()
    sections: dict[int, list[Section]] = {}
    if consultations:
        for section in db.session.scalars(
                select(Section).where(Section.consultation_id.in_([c.id for c in consultations]),
                                      Section.is_published(now))
                .order_by(Section.consultation_id, Section.number)):
            sections.setdefault(section.consultation_id, []).append(section)
    for consultation in consultations:
        slug = (("slug", consultation.slug),)
        changed = max([d for d in (consultation.opens_at, consultation.closes_at, consultation.concluded_at)
                       if d is not None and d <= now] or [consultation.created_at])
        pages.append(Page("site.overview", slug, changed))
        for endpoint in ("site.positions", "site.documents", "site.working_group", "site.consultation_faq"):
            pages.append(Page(endpoint, slug))
        if consultation.status == ConsultationStatus.CONCLUDED:
            pages.append(Page("site.outcome", slug, consultation.concluded_at))
        for section in sections.get(consultation.id, []):
            pages.append(Page("site.section", (*slug, ("number", section.number)), section.published_at))
    for item in db.session.scalars(publication.visible_news(now).order_by(NewsItem.published_at.desc())):
        pages.append(Page("site.news_item", (("slug", item.slug),), item.published_at))
    return pages


def sitemap_xml(pages: Iterable[Page], address: Callable[..., str]) -> bytes:
    """The sitemap: one <url> per page and language, each naming all its languages (hreflang), with
    `address(endpoint, lang=…, **values)` giving the absolute address."""
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    for page in pages:
        values = dict(page.values)
        addresses = {lang: address(page.endpoint, lang=lang, **values) for lang in LANGUAGES}
        for lang in LANGUAGES:
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = addresses[lang]
            if page.modified is not None:
                ET.SubElement(url, "lastmod").text = page.modified.replace(microsecond=0).isoformat() + "Z"
            for other in LANGUAGES:
                ET.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": other, "href": addresses[other]})
            ET.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": "x-default",
                                              "href": addresses[DEFAULT_LANGUAGE]})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
