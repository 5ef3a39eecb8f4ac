"""The one place where stored text becomes HTML.

Editors write Markdown; it is rendered with markdown-it-py (raw HTML switched off)
and then cleaned by bleach on an allow-list, so only these tags can reach a page.
"""
from __future__ import annotations

import re
from functools import lru_cache

import bleach
import bleach.linkifier
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "th": ["scope"], "td": []}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                          strip=True, strip_comments=True)


@lru_cache(maxsize=4096)
def render_markdown(source: str) -> Markup:
    """Editors' Markdown as clean HTML."""
    if not source:
        return Markup("")
    html = _markdown.render(source)
    return Markup(_cleaner.clean(html))  # noqa: S704  (bleach output, allow-listed above)


def _link_attributes(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    attrs.pop((None, "target"), None)
    return attrs


# Linkifying is the slow part; text without anything address-like skips it.
_MAY_HOLD_ADDRESS = re.compile(r"https?:|www\.|\.[a-z]{2,}\b", re.IGNORECASE)
_linker = bleach.linkifier.Linker(
    callbacks=[_link_attributes],
    url_re=bleach.linkifier.build_url_re(protocols=["http", "https"]),
    parse_email=False,
)


@lru_cache(maxsize=20000)
def render_plain_text(text: str) -> Markup:
    """People's plain text as HTML: escaped, paragraphs and line breaks kept, web addresses linked."""
    if not text:
        return Markup("")
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    html = "".join(
        "<p>" + "<br>\n".join(str(Markup.escape(line)) for line in block.strip("\n").split("\n")) + "</p>"
        for block in blocks)
    if not _MAY_HOLD_ADDRESS.search(text):
        return Markup(html)  # noqa: S704  (escaped above)
    return Markup(_linker.linkify(html))  # noqa: S704  (escaped above; bleach only adds <a>)
