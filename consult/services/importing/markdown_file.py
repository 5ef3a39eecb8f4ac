"""A Markdown draft into blocks: `#` (or `##`) headings and the blocks under them."""
from __future__ import annotations

from ..refusals import Refused
from .blocks import ImportedSection, _Heading, _markdown, _normalise, _sections_from_blocks


def empty_heading_line(text: str) -> int | None:
    """The line number (from 1) of the first heading that has no text ("## " alone), else None.

    Such a heading would be silently dropped or shown as an empty heading, so authoring refuses it.
    """
    tokens = _markdown.parse(_normalise(text or ""))
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if inline is None or inline.type != "inline" or not inline.content.strip():
            return token.map[0] + 1
    return None


def parse_markdown(data: bytes | str) -> list[ImportedSection]:
    """Sections and paragraphs of a Markdown file (UTF-8)."""
    if isinstance(data, bytes):
        if not data.strip():
            raise Refused("importing.empty")
        if b"\x00" in data[:8192] or data.startswith(b"PK\x03\x04") or data.startswith(b"%PDF"):
            raise Refused("importing.not_markdown")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused("importing.not_utf8") from None
    else:
        text = data
    text = _normalise(text)
    if "\x00" in text:
        raise Refused("importing.nul")
    if not text.strip():
        raise Refused("importing.empty")
    empty_heading = empty_heading_line(text)
    if empty_heading is not None:
        raise Refused("importing.empty_heading", line=empty_heading)
    lines = text.split("\n")
    blocks: list = []
    tokens = _markdown.parse(text)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.nesting == -1 or token.map is None:
            index += 1
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1] if index + 1 < len(tokens) else None
            blocks.append(_Heading(level=int(token.tag[1:]), text=inline.content if inline else "", is_markdown=True))
        elif token.type != "hr":
            start, end = token.map
            blocks.append("\n".join(lines[start:end]).strip("\n").rstrip())
        index += 1
    return _sections_from_blocks(blocks)
