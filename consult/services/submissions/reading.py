"""Reading a CSV or XLSX file into its headings and lines of cells; what cannot be read is refused."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from .. import textlayer
from ..refusals import Refused
from .columns import COLUMN_NAMES, COLUMNS, HEADINGS, MAX_FILE_BYTES, MAX_ROWS, REQUIRED, _problem, _refused

_MAX_XLSX_UNPACKED = 200 * 1024 * 1024   # an XLSX is a ZIP: refuse one that unpacks to more (a "ZIP bomb")


@dataclass
class Table:
    """A file's headings (column key → the heading as written) and its lines (line number, cells)."""
    headings: dict[str, str]
    order: list[str]                                  # the column key of each cell position
    lines: list[tuple[int, list]] = field(default_factory=list)


def _fold_heading(text: str) -> str:
    return " ".join(textlayer.fold(str(text)).replace("_", " ").replace("-", " ").split())


_HEADING_KEYS = {_fold_heading(name): key for key, names in HEADINGS.items() for name in names}


def read_table(data: bytes, filename: str, max_rows: int = MAX_ROWS) -> Table:
    """The file's headings and non-empty lines; refuses what cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.strip():
        raise _problem("submission.empty")
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _csv_rows(data)
    else:
        raise _problem("submission.format")
    return _table(rows, max_rows)


def too_large() -> Refused:
    """The refusal of a file over MAX_FILE_BYTES (the command line checks the size before reading)."""
    return _problem("submission.too_large", limit=_megabytes(MAX_FILE_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _problem("submission.not_utf8", line) from None


def _delimiter(text: str) -> str:
    """Comma or semicolon: whichever splits the heading line into more known column names (then more cells)."""
    first = text.split("\n", 1)[0]

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(_fold_heading(c) in _HEADING_KEYS for c in cells), len(cells)
    return max((",", ";"), key=score)


def _csv_rows(data: bytes):
    """(line number, cells) for each CSV record; a record's number is the line it starts on."""
    text = _decoded(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _problem("submission.bad_csv", previous_end + 1) from None
        yield previous_end + 1, cells
        previous_end = reader.line_num


def _xlsx_rows(data: bytes):
    """(row number, cell values) of the workbook's first sheet; formulas come as their text ("=…")."""
    from openpyxl import load_workbook
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _problem("submission.not_xlsx") from None
    if unpacked > _MAX_XLSX_UNPACKED:
        raise too_large()
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, list(values)
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds for a broken or foreign file; all mean "not a workbook"
        raise _problem("submission.not_xlsx") from None
    finally:
        if workbook is not None:
            workbook.close()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows, max_rows: int) -> Table:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None or first[0] != 1 or all(_is_blank(v) for v in first[1]):
        raise _problem("submission.no_headings", 1)
    cells = list(first[1])
    while cells and _is_blank(cells[-1]):
        cells.pop()
    problems: list[Refused] = []
    headings: dict[str, str] = {}
    order: list[str] = []
    for cell in cells:
        written = "" if cell is None else str(cell).strip()
        key = _HEADING_KEYS.get(_fold_heading(written))
        if key is None:
            problems.append(_problem("submission.unknown_column", 1, value=written or "—",
                                     allowed=[COLUMN_NAMES[c] for c in COLUMNS]))
        elif key in headings:
            problems.append(_problem("submission.twice", 1, value=written))
        else:
            headings[key] = written
        order.append(key or "")
    for key in REQUIRED:
        if key not in headings and not any(p.code == "submission.unknown_column" for p in problems):
            problems.append(_problem("submission.missing_column", 1, value=COLUMN_NAMES[key]))
    if problems:
        raise _refused(problems)
    table = Table(headings, order)
    for line, values in iterator:
        values = list(values)
        if all(_is_blank(v) for v in values):
            continue  # spreadsheets and editors leave empty lines; they are no submission
        if len(table.lines) >= max_rows:
            raise _problem("submission.too_many_rows", limit=max_rows)
        table.lines.append((line, values))
    if not table.lines:
        raise _problem("submission.no_rows")
    return table
