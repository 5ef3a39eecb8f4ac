"""The one place where stored text becomes HTML.

Editors write Markdown; it is rendered with markdown-it-py (raw HTML switched off)
and then cleaned by bleach on an allow-list, so only these tags can reach a page.
"""
from __future__ import annotations

from functools import lru_cache

import bleach
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
