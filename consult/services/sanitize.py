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


# Private-use characters mark where a change starts and ends while the Markdown is rendered; no
# editor's text holds them (they are removed from it first), and each becomes a tag afterwards.
_INS, _INS_END, _DEL, _DEL_END = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = re.compile("[\ue000-\ue003]")
_LINE_START = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+|#{1,6}[ \t]+|>[ \t]?)*")
_PIECES = re.compile(r"(\n|\|)")
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]!<>#~|])")


def _self_contained(piece: str) -> bool:
    """Whether a changed piece's inline Markup opens and closes within it ("**ļoti svarīgs**"), so it can
    render as such inside its marks; a lone "**" or "[" would pair with text outside them."""
    if not re.search(r"\w", piece) or "<" in piece or ">" in piece:
        return False
    return all(piece.count(mark) % 2 == 0 for mark in ("*", "_", "`", "~")) and piece.count("[") == piece.count("]")


def _marked(text: str, start: str, end: str, at_line_start: bool) -> str:
    """A changed piece of Markdown between its marks, each line and table cell apart so a mark never
    spans two blocks; block syntax at a line's start (list item, heading, quote) stays outside, and
    inline syntax inside is shown as the characters themselves."""
    out = []
    for piece in _PIECES.split(text):
        if piece in ("\n", "|") or not piece:
            out.append(piece)
            at_line_start = piece == "\n" or (at_line_start and not piece)
            continue
        prefix = _LINE_START.match(piece).group(0) if at_line_start else ""
        body = piece[len(prefix):]
        stripped = body.strip()
        if stripped:
            lead = body[:len(body) - len(body.lstrip())]
            trail = body[len(body.rstrip()):]
            body = lead + start + (stripped if _self_contained(stripped) else _INLINE_MARKUP.sub(r"\\\1", stripped)) \
                + end + trail
        out.append(prefix + body)
        at_line_start = False
    return "".join(out)


def render_markdown_diff(segments, added: str, removed: str) -> Markup:
    """A word-level change of editors' Markdown (diffing.Segment list) rendered as Markdown, with the
    added and removed words marked inside lists, tables and emphasis as <ins> and <del>, each
    with a hidden word for screen readers (`added`, `removed`: already translated)."""
    source = []
    for segment in segments:
        text = _MARKS.sub("", segment.text)
        at_line_start = not source or "".join(source).endswith("\n")
        if segment.kind == "insert":
            source.append(_marked(text, _INS, _INS_END, at_line_start))
        elif segment.kind == "delete":
            source.append(_marked(text, _DEL, _DEL_END, at_line_start))
        else:
            source.append(text)
    html = str(render_markdown("".join(source)))
    hidden = '<span class="visually-hidden">{} </span>'
    html = (html.replace(_INS, "<ins>" + hidden.format(Markup.escape(added)))
            .replace(_DEL, "<del>" + hidden.format(Markup.escape(removed)))
            .replace(_INS_END, "</ins>").replace(_DEL_END, "</del>"))
    return Markup(html)  # noqa: S704  (bleach output with our own tags put in place of our marks)


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
