"""The text of the content as the index holds it: editors' Markdown and people's text made plain."""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .. import textlayer
from ..textlayer import fold

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


class _TextCollector(HTMLParser):
    BLOCKS = {"p", "li", "br", "h1", "h2", "h3", "h4", "tr", "td", "th", "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


@lru_cache(maxsize=2048)
def markdown_text(source: str) -> str:
    """Editors' Markdown as one line of plain text: what a reader sees, without markup or link targets."""
    if not source:
        return ""
    collector = _TextCollector()
    collector.feed(_markdown.render(source))
    collector.close()
    return " ".join("".join(collector.parts).split())


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _plain(value: str | None) -> str:
    """People's plain text, paragraphs kept apart by a blank line."""
    blocks = re.split(r"\n\s*\n", (value or "").replace("\r\n", "\n"))
    return "\n\n".join(_one_line(block) for block in blocks if block.strip())


def _pick(row, name: str, lang: str) -> str:
    """`name_<lang>`, falling back to Latvian as the pages do."""
    return getattr(row, f"{name}_{lang}", None) or getattr(row, f"{name}_lv", None) or ""


def indexed_text(lang: str, *parts: str) -> str:
    """What the full-text index covers: the folded text, then a line of the keys of its words.

    A query word matches a word of the text it starts (the folded text) or has the same
    key as one of them (any other form of the word); the exact form matches both, so it ranks first.
    """
    parts = [part for part in parts if part]
    keys = textlayer.keys_line(parts, lang)
    return fold("\n".join(parts)) + ("\n\n" + keys if keys else "")
