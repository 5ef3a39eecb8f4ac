"""Blocks into sections, shared by both formats: headings start sections, the blocks under them become numbered
paragraphs; and the limits. A file that cannot be imported is refused as `Refused("importing.<reason>")`."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from ..refusals import Refused

MAX_FILE_BYTES = 12 * 1024 * 1024
MAX_SECTIONS = 300
MAX_PARAGRAPHS = 1000
MAX_TITLE_CHARS = 300
MAX_PARAGRAPH_CHARS = 50_000


_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass
class ImportedSection:
    number: int
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Heading:
    level: int
    text: str
    is_markdown: bool = False


def _clean_title(text: str, number: int) -> str:
    """The heading text without a leading "3." or "3)" when that is the section's own number."""
    text = " ".join(text.split())
    match = re.match(r"^(\d{1,4})[.)]\s+(.+)$", text)
    if match and int(match.group(1)) == number:
        text = match.group(2)
    return text


def _sections_from_blocks(blocks: list) -> list[ImportedSection]:
    headings = [b for b in blocks if isinstance(b, _Heading) and b.level <= 2 and b.text.strip()]
    if not headings:
        raise Refused("importing.no_headings")
    top = [h for h in headings if h.level == 1]
    second = [h for h in headings if h.level == 2]
    title_heading = None
    if len(top) == 1 and second and headings[0] is top[0]:
        level, title_heading = 2, top[0]        # one "#" on top: the document's title
    else:
        level = 1 if top else 2

    sections: list[ImportedSection] = []
    pending_subheading: str | None = None
    before_first: list[str] = []
    for block in blocks:
        if isinstance(block, _Heading):
            if block is title_heading or not block.text.strip():
                continue
            if block.level == level or (block.level < level):
                if pending_subheading and sections:
                    sections[-1].paragraphs.append(pending_subheading)
                pending_subheading = None
                number = len(sections) + 1
                title = _clean_title(block.text, number)
                if len(title) > MAX_TITLE_CHARS:
                    raise Refused("importing.title_long", number=number, limit=MAX_TITLE_CHARS)
                sections.append(ImportedSection(number=number, title=title))
                continue
            marks = "###" if block.level <= level + 1 else "####"
            words = " ".join(block.text.split())
            text = f"{marks} {words if block.is_markdown else _escape_inline(words)}"
            pending_subheading = f"{pending_subheading}\n\n{text}" if pending_subheading else text
            continue
        if not block.strip():
            continue
        if pending_subheading:
            block = f"{pending_subheading}\n\n{block}"
            pending_subheading = None
        if not sections:
            before_first.append(block)
            continue
        sections[-1].paragraphs.append(block)
    if pending_subheading and sections:
        sections[-1].paragraphs.append(pending_subheading)
    if before_first:
        raise Refused("importing.text_before", start=_start_of(before_first[0]))
    if len(sections) > MAX_SECTIONS:
        raise Refused("importing.too_many_sections", limit=MAX_SECTIONS)
    for section in sections:
        if not section.paragraphs:
            raise Refused("importing.empty_section", number=section.number, title=section.title)
        if len(section.paragraphs) > MAX_PARAGRAPHS:
            raise Refused("importing.too_many_paragraphs", number=section.number, limit=MAX_PARAGRAPHS)
        for index, text in enumerate(section.paragraphs, start=1):
            if len(text) > MAX_PARAGRAPH_CHARS:
                raise Refused("importing.paragraph_long", label=f"{section.number}.{index}",
                              limit=MAX_PARAGRAPH_CHARS)
    return sections


def _start_of(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~&!])")


def _escape_inline(text: str) -> str:
    """Text that Markdown shows exactly as written."""
    return _ESCAPE.sub(r"\\\1", text)
