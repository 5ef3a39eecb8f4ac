"""Digest exports of a consultation's feedback: CSV, XLSX, DOCX (the Latvian "izziņa") and JSON.

The web and the CLI share this package: scope (what is exported), cells and rows (what each row
holds), one module per file format, and writing (the entry points). Rows are read with `yield_per`
(a server-side cursor on PostgreSQL) and written as they come, so memory stays flat however many
comments there are: CSV and JSON stream as generators, XLSX goes through openpyxl's
write-only workbook. Spreadsheet cells that a spreadsheet program would run as a
formula (starting with = + - @ TAB or CR) get a leading apostrophe.

Privacy: no e-mail address is ever selected, and addresses typed into a text are
masked; a person's name appears only where they chose to show it, otherwise their
respondent type (a position shows its organisation, and who signed it, when it agreed to publication).
"""
from __future__ import annotations

from .cells import clean_text, date_text, neutralise, riga_moment, riga_time  # noqa: F401
from .columns import COLUMNS, CSV_COLUMNS, Labels, column_headers, make_labels  # noqa: F401
from .rows import Exporter  # noqa: F401
from .scope import (  # noqa: F401
    BATCH,
    DELIMITERS,
    FORMATS,
    MIMETYPES,
    Scope,
    check_delimiter,
    check_format,
    filename,
    make_scope,
    parse_since,
)
from .writing import stream_export, write_export  # noqa: F401
