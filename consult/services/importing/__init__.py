"""Importing a draft from Markdown or DOCX: headings become sections, blocks numbered paragraphs.

Sections start at `#` headings, or at `##` headings when the file has one `#`
heading before them (the document's title). In DOCX the same holds for the
"Heading 1" and "Heading 2" styles. Everything under a section heading becomes
its numbered paragraphs, as Markdown: a list or a table is one paragraph, and a
DOCX table becomes a Markdown pipe table, so `render_markdown` shows a <table>.
Deeper headings are kept as `###` and joined to the block that follows them.
A point of an automatically numbered Word list (numbering.xml) is a paragraph of its
own that begins with the number Word shows ("1.2."), so a draft's numbered points
stay one paragraph each, as in the document; bulleted items stay one list.

The Latvian and the English file are parsed separately and must line up section
by section and paragraph by paragraph; `alignment_problems` says where they do not.
Between preview and confirmation the parsed draft travels in a signed, compressed
token (`encode_preview` / `decode_preview`), so nothing is stored before confirm.

A file that cannot be imported is refused as `Refused("importing.<reason>", **details)`; consult/refusals.py
words each reason.

The package: blocks (headings and blocks into numbered sections, the limits),
markdown_file and docx_file (each format into blocks), preview (the file by its name, the two
languages side by side, and the signed preview token).
"""
from __future__ import annotations

from .blocks import (  # noqa: F401
    MAX_FILE_BYTES,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS,
    MAX_SECTIONS,
    MAX_TITLE_CHARS,
    ImportedSection,
)
from .docx_file import (  # noqa: F401
    parse_docx,
)
from .markdown_file import (  # noqa: F401
    empty_heading_line,
    parse_markdown,
)
from .preview import (  # noqa: F401
    MAX_TOKEN_CHARS,
    PREVIEW_MAX_AGE,
    BilingualSection,
    alignment_problems,
    combine,
    decode_preview,
    encode_preview,
    parse_file,
    sections_from_payload,
    sections_to_payload,
)
