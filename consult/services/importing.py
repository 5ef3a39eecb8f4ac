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
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadData, URLSafeTimedSerializer
from markdown_it import MarkdownIt

MAX_FILE_BYTES = 12 * 1024 * 1024
MAX_SECTIONS = 300
MAX_PARAGRAPHS = 1000
MAX_TITLE_CHARS = 300
MAX_PARAGRAPH_CHARS = 50_000
MAX_TOKEN_CHARS = 450_000     # Flask keeps a form field under 500,000 bytes
PREVIEW_MAX_AGE = 4 * 60 * 60
_MAX_XML_BYTES = 64 * 1024 * 1024

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


class ImportProblem(Exception):
    """The file cannot be imported; str(problem) is a message for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class ImportedSection:
    number: int
    title: str
    paragraphs: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Blocks → sections (shared by both formats)

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
        raise ImportProblem(_l("The file has no headings, so it cannot be split into sections. "
                               "Start each section with a heading (“# Title” in Markdown, the "
                               "“Heading 1” style in Word)."))
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
                    raise ImportProblem(_l("The heading of section %(number)d is longer than %(limit)d "
                                           "characters.", number=number, limit=MAX_TITLE_CHARS))
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
        raise ImportProblem(_l("There is text before the first section heading (it begins “%(start)s”). "
                               "Every paragraph must be under a section heading.",
                               start=_start_of(before_first[0])))
    if len(sections) > MAX_SECTIONS:
        raise ImportProblem(_l("The file has more than %(limit)d sections.", limit=MAX_SECTIONS))
    for section in sections:
        if not section.paragraphs:
            raise ImportProblem(_l("Section %(number)d (“%(title)s”) has no text under its heading.",
                                   number=section.number, title=section.title))
        if len(section.paragraphs) > MAX_PARAGRAPHS:
            raise ImportProblem(_l("Section %(number)d has more than %(limit)d paragraphs.",
                                   number=section.number, limit=MAX_PARAGRAPHS))
        for index, text in enumerate(section.paragraphs, start=1):
            if len(text) > MAX_PARAGRAPH_CHARS:
                raise ImportProblem(_l("Paragraph %(label)s is longer than %(limit)d characters.",
                                       label=f"{section.number}.{index}", limit=MAX_PARAGRAPH_CHARS))
    return sections


def _start_of(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# ---------------------------------------------------------------------------
# Markdown

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


def _empty_heading_problem(line: int) -> ImportProblem:
    return ImportProblem(_l("Line %(line)d is a heading with no text (only “#” marks). Write the heading "
                            "after the marks, or remove the line.", line=line))


def parse_markdown(data: bytes | str) -> list[ImportedSection]:
    """Sections and paragraphs of a Markdown file (UTF-8)."""
    if isinstance(data, bytes):
        if not data.strip():
            raise ImportProblem(_l("The file is empty."))
        if b"\x00" in data[:8192] or data.startswith(b"PK\x03\x04") or data.startswith(b"%PDF"):
            raise ImportProblem(_l("This is not a Markdown text file. Choose a .md file saved as UTF-8 text, "
                                   "or a Word document (.docx)."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(_l("The file is not UTF-8 text. Save it as UTF-8 and try again.")) from None
    else:
        text = data
    text = _normalise(text)
    if "\x00" in text:
        raise ImportProblem(_l("The file contains a character that cannot be stored (NUL)."))
    if not text.strip():
        raise ImportProblem(_l("The file is empty."))
    empty_heading = empty_heading_line(text)
    if empty_heading is not None:
        raise _empty_heading_problem(empty_heading)
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


# ---------------------------------------------------------------------------
# DOCX

_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~&!])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.M)


def _escape_inline(text: str) -> str:
    """Text that Markdown shows exactly as written."""
    return _ESCAPE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    """Markdown that keeps each line literal: no list, heading or rule made by accident; breaks kept."""
    lines = []
    for line in text.split("\n"):
        line = line.lstrip()
        if line[:1] in ("-", "+", "="):
            line = "\\" + line
        line = _LINE_START.sub(r"\1\2\\\3", line)
        lines.append(line)
    return "\\\n".join(line for line in lines)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    escaped = _escape_inline(text)
    core = escaped.strip()
    if not core or not (bold or italic) or "\n" in core:
        return escaped
    marks = ("**" if bold else "") + ("*" if italic else "")
    lead = escaped[:len(escaped) - len(escaped.lstrip())]
    trail = escaped[len(escaped.rstrip()):]
    return f"{lead}{marks}{core}{marks[::-1]}{trail}"


def _paragraph_markdown(paragraph) -> str:
    from docx.text.hyperlink import Hyperlink
    pieces: list[tuple[str, bool, bool, str | None]] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            pieces.append((item.text, False, False, item.url or None))
        else:
            pieces.append((item.text, bool(item.bold), bool(item.italic), None))
    out: list[str] = []
    buffer, state = "", (False, False)
    for text, bold, italic, url in pieces:
        text = text.replace("\t", " ")
        if url is not None:
            if buffer:
                out.append(_emphasis(buffer, *state))
                buffer = ""
            label = " ".join(_escape_inline(text).split())
            if label and re.match(r"^(https?://|mailto:)[^\s<>()]+$", url):
                out.append(f"[{label}]({url})")
            else:
                out.append(_escape_inline(text))
            continue
        if (bold, italic) != state and buffer:
            out.append(_emphasis(buffer, *state))
            buffer = ""
        state = (bold, italic)
        buffer += text
    if buffer:
        out.append(_emphasis(buffer, *state))
    return _escape_line_starts("".join(out).strip())


def _table_markdown(table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = " ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())
            cells.append(_escape_inline(text))
        rows.append(cells)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _list_kind(paragraph) -> str | None:
    """'-' for a bulleted list paragraph, None for any other (numbered points are `_Numbering`'s)."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    p_pr = paragraph._p.pPr
    numbered = p_pr is not None and p_pr.numPr is not None
    if numbered or name.lower().startswith(("list bullet", "list paragraph", "list number")):
        return "-"
    return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_LIST_LEVELS = 9


def _w(element, name: str):
    return element.find(f"{_W}{name}") if element is not None else None


def _w_val(element, name: str) -> str | None:
    child = _w(element, name)
    return child.get(f"{_W}val") if child is not None else None


def _roman(number: int) -> str:
    parts = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts)


def _letters(number: int) -> str:
    """Word's letter numbering: a … z, then aa … zz."""
    if number < 1:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format_number(number: int, kind: str) -> str:
    if kind == "lowerLetter":
        return _letters(number)
    if kind == "upperLetter":
        return _letters(number).upper()
    if kind == "lowerRoman" and number > 0:
        return _roman(number)
    if kind == "upperRoman" and number > 0:
        return _roman(number).upper()
    if kind == "decimalZero":
        return f"{number:02d}"
    return str(number)


@dataclass
class _Level:
    start: int
    kind: str
    text: str
    legal: bool = False      # w:isLgl: the levels above show as plain numbers ("1.1." under "I.")


class _Numbering:
    """Word's automatic numbering (numbering.xml): the number each numbered point shows, "2.1." and so on.

    Counters run per list (numId) and level; a point resets the deeper levels of its list, as Word does.
    Bullets and lists without a visible number give None, so they stay Markdown lists.
    """

    def __init__(self, document):
        self._lists: dict[str, tuple[dict[int, _Level], dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        abstract: dict[str, dict[int, _Level]] = {}
        if root is not None:
            for definition in root.findall(f"{_W}abstractNum"):
                abstract[definition.get(f"{_W}abstractNumId")] = self._levels(definition)
            for num in root.findall(f"{_W}num"):
                levels = abstract.get(_w_val(num, "abstractNumId"), {})
                overrides = {}
                for override in num.findall(f"{_W}lvlOverride"):
                    start = _w_val(override, "startOverride")
                    if start is not None and start.lstrip("-").isdigit():
                        overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start)
                self._lists[num.get(f"{_W}numId")] = (levels, overrides)

    @staticmethod
    def _levels(definition) -> dict[int, _Level]:
        levels = {}
        for level in definition.findall(f"{_W}lvl"):
            index = level.get(f"{_W}ilvl", "0")
            if not index.isdigit() or int(index) >= _MAX_LIST_LEVELS:
                continue
            start = _w_val(level, "start") or "1"
            levels[int(index)] = _Level(start=int(start) if start.isdigit() else 1,
                                        kind=_w_val(level, "numFmt") or "decimal",
                                        text=_w_val(level, "lvlText") or "",
                                        legal=_w(level, "isLgl") is not None)
        return levels

    @staticmethod
    def _num_pr(paragraph):
        """The paragraph's (numId, level): its own numPr, else its style's (or a style it is based on)."""
        own = _w(paragraph._p.pPr, "numPr")
        num_id, level = _w_val(own, "numId"), _w_val(own, "ilvl")
        style = paragraph.style
        for _depth in range(10):
            if num_id is not None or style is None:
                break
            inherited = _w(_w(style.element, "pPr"), "numPr")
            num_id = _w_val(inherited, "numId")
            level = level if level is not None else _w_val(inherited, "ilvl")
            style = style.base_style
        return num_id, int(level) if level and level.isdigit() else 0

    def label(self, paragraph) -> str | None:
        """The number Word shows before this paragraph ("1.2."), or None when it shows none."""
        num_id, level = self._num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self._lists or level >= _MAX_LIST_LEVELS:
            return None
        levels, overrides = self._lists[num_id]
        definition = levels.get(level)
        if definition is None or definition.kind in ("bullet", "none") or "%" not in definition.text:
            return None
        counters = self._counters.setdefault(num_id, {})
        start = overrides.get(level, definition.start)
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        legal = definition.legal

        def number(match):
            index = int(match.group(1)) - 1
            shown = levels.get(index)
            value = counters.get(index, overrides.get(index, shown.start if shown else 1))
            return _format_number(value, "decimal" if legal or shown is None else shown.kind)

        text = re.sub(r"%([1-9])", number, definition.text).strip()
        return " ".join(text.split()) or None


def _heading_level(paragraph) -> int | None:
    name = ((paragraph.style.name if paragraph.style is not None else "") or "").lower()
    if name == "title":
        return 0
    match = re.match(r"^heading (\d)$", name)
    return int(match.group(1)) if match else None


def _check_docx_container(data: bytes) -> None:
    not_docx = ImportProblem(_l("This is not a Word document (.docx). Save the file in Word as "
                                "“Word Document (.docx)” and try again."))
    if not data.startswith(b"PK\x03\x04"):
        raise not_docx
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
        xml_size = sum(info.file_size for info in archive.infolist() if info.filename.endswith(".xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, NotImplementedError, RuntimeError,
            ValueError, EOFError):
        raise not_docx from None
    if b"wordprocessingml.document.main+xml" not in types:
        raise not_docx
    if xml_size > _MAX_XML_BYTES:
        raise ImportProblem(_l("The document is too large to import."))


def parse_docx(data: bytes) -> list[ImportedSection]:
    """Sections and paragraphs of a Word document: Heading 1/Heading 2 start sections."""
    if not data:
        raise ImportProblem(_l("The file is empty."))
    _check_docx_container(data)
    try:
        import docx
        from docx.table import Table
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        blocks: list = []
        list_items: list[str] = []

        def flush_list():
            if list_items:
                blocks.append("\n".join(list_items))
                list_items.clear()

        for item in document.iter_inner_content():
            if isinstance(item, Table):
                flush_list()
                blocks.append(_table_markdown(item))
                continue
            level = _heading_level(item)
            if level is not None:
                flush_list()
                numbering.label(item)  # a numbered heading counts in its list ("1." above "1.1.")
                if level > 0:
                    blocks.append(_Heading(level=level, text=_normalise(item.text)))
                continue
            text = _normalise(_paragraph_markdown(item))
            point = numbering.label(item)
            if point is not None:
                flush_list()           # a numbered point is a paragraph of its own, its number kept
                if text:
                    blocks.append(f"{_escape_line_starts(_escape_inline(point))} {text}")
                continue
            if not text:
                continue
            marker = _list_kind(item)
            if marker:
                list_items.append(f"{marker} {text}")
                continue
            flush_list()
            blocks.append(text)
        flush_list()
    except ImportProblem:
        raise
    except Exception:  # a damaged or hostile file: python-docx and lxml raise many kinds
        raise ImportProblem(_l("This Word document could not be read. Open it in Word, save it again as "
                               ".docx and try again.")) from None
    if "\x00" in "".join(b if isinstance(b, str) else b.text for b in blocks):
        raise ImportProblem(_l("The file contains a character that cannot be stored (NUL)."))
    return _sections_from_blocks(blocks)


def parse_file(data: bytes, filename: str) -> list[ImportedSection]:
    """Markdown (.md, .markdown, .txt) or DOCX, by the file's name; the content must agree."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if len(data) > MAX_FILE_BYTES:
        from ..uploads_limit import megabytes
        raise ImportProblem(_l("The file is larger than %(size)s MB.", size=megabytes(MAX_FILE_BYTES)))
    if extension == "docx":
        return parse_docx(data)
    if extension in ("md", "markdown", "txt"):
        return parse_markdown(data)
    raise ImportProblem(_l("Choose a Markdown file (.md) or a Word document (.docx)."))


# ---------------------------------------------------------------------------
# Latvian and English side by side

def alignment_problems(lv: list[ImportedSection], en: list[ImportedSection]) -> list[str]:
    """Where the two languages do not line up; an empty list when they do."""
    problems = []
    if len(lv) != len(en):
        problems.append(ngettext(
            "The Latvian text has %(num)d section and the English text has %(en)d.",
            "The Latvian text has %(num)d sections and the English text has %(en)d.",
            len(lv), en=len(en)))
    for lv_section, en_section in zip(lv, en):
        if len(lv_section.paragraphs) != len(en_section.paragraphs):
            problems.append(ngettext(
                "Section %(section)d has %(num)d paragraph in Latvian and %(en)d in English.",
                "Section %(section)d has %(num)d paragraphs in Latvian and %(en)d in English.",
                len(lv_section.paragraphs), section=lv_section.number, en=len(en_section.paragraphs)))
    return problems


@dataclass
class BilingualSection:
    number: int
    title_lv: str
    title_en: str
    paragraphs: list[tuple[str, str]]


def combine(lv: list[ImportedSection], en: list[ImportedSection] | None) -> list[BilingualSection]:
    """Latvian and (aligned) English into one list; English is optional."""
    result = []
    for index, section in enumerate(lv):
        other = en[index] if en else None
        english = other.paragraphs if other else [""] * len(section.paragraphs)
        result.append(BilingualSection(number=section.number, title_lv=section.title,
                                       title_en=other.title if other else "",
                                       paragraphs=list(zip(section.paragraphs, english))))
    return result


# ---------------------------------------------------------------------------
# The preview token

_SALT = "consult.import-preview"


def encode_preview(secret: str, payload: dict) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps(payload)


def decode_preview(secret: str, token: str, max_age: int = PREVIEW_MAX_AGE) -> dict | None:
    """The payload, or None when the token is forged, damaged or older than `max_age` seconds."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        payload = URLSafeTimedSerializer(secret, salt=_SALT).loads(token, max_age=max_age)
    except (BadData, ValueError, TypeError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def sections_to_payload(sections: list[BilingualSection]) -> list:
    return [[s.number, s.title_lv, s.title_en, [list(p) for p in s.paragraphs]] for s in sections]


def sections_from_payload(raw) -> list[BilingualSection]:
    return [BilingualSection(number=int(n), title_lv=str(tl), title_en=str(te),
                             paragraphs=[(str(a), str(b)) for a, b in paragraphs])
            for n, tl, te, paragraphs in raw]
