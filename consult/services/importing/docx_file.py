"""A Word document into blocks: heading styles, paragraphs with their emphasis, tables as pipe tables, and the
numbers Word shows for its numbered lists."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ..refusals import Refused
from .blocks import ImportedSection, _escape_inline, _Heading, _normalise, _sections_from_blocks

_MAX_XML_BYTES = 64 * 1024 * 1024


_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.M)


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
    not_docx = Refused("importing.not_docx")
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
        raise Refused("importing.docx_too_large")


def parse_docx(data: bytes) -> list[ImportedSection]:
    """Sections and paragraphs of a Word document: Heading 1/Heading 2 start sections."""
    if not data:
        raise Refused("importing.empty")
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
    except Refused:
        raise
    except Exception:  # a damaged or hostile file: python-docx and lxml raise many kinds
        raise Refused("importing.unreadable_docx") from None
    if "\x00" in "".join(b if isinstance(b, str) else b.text for b in blocks):
        raise Refused("importing.nul")
    return _sections_from_blocks(blocks)
