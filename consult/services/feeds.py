"""Atom 1.0 feeds (RFC 4287), built with xml.etree so every text is escaped as XML."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class FeedEntry:
    id: str
    title: str
    updated: datetime
    link: str
    summary: str = ""
    content_html: str = ""          # already cleaned HTML (bleach), sent as escaped text (type="html")
    published: datetime | None = None


def _text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def _date(value: datetime) -> str:
    """RFC 3339 in UTC; the database keeps naive UTC times."""
    return value.replace(microsecond=0).isoformat() + "Z" if value.tzinfo is None \
        else value.astimezone().isoformat()


def _add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom_feed(*, feed_id: str, title: str, subtitle: str, self_url: str, alternate_url: str, lang: str,
              author: str, entries: list[FeedEntry], updated: datetime) -> bytes:
    # Plain tag names in the Atom namespace, declared once on the root element.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: lang})
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    _add(feed, "updated", _date(max([updated] + [e.updated for e in entries])))
    author_element = _add(feed, "author")
    _add(author_element, "name", author)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _add(feed, "generator", "consult")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title)
        _add(entry, "updated", _date(item.updated))
        if item.published:
            _add(entry, "published", _date(item.published))
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        if item.summary:
            _add(entry, "summary", item.summary)
        if item.content_html:
            _add(entry, "content", item.content_html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
