"""The entry points: write an export to a file (CLI) or stream it (web), in the format asked for."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator

from flask_babel import force_locale

from .csv_file import csv_chunks
from .json_file import json_chunks
from .rows import Exporter
from .scope import CHUNK, Progress, Scope, check_delimiter, check_format
from .xlsx_file import write_xlsx

# Entry points ----------------------------------------------------------------------------------

def write_export(scope: Scope, fmt: str, lang: str, target, progress: Progress = None,
                 delimiter: str = ",", supports_as_rows: bool = False) -> None:
    """Writes the export to a binary file object (the CLI and the benchmark use this).

    `delimiter` is the CSV column separator (see check_delimiter); other formats ignore it. DOCX is the
    izziņa (services.izzina); supports_as_rows lists supporting comments there as rows."""
    from .. import izzina
    check_format(fmt)
    delimiter = check_delimiter(delimiter)
    exporter = Exporter(scope, lang)
    with force_locale(exporter.lang):
        if fmt == "csv":
            for chunk in csv_chunks(exporter, progress, delimiter):
                target.write(chunk)
        elif fmt == "json":
            for chunk in json_chunks(exporter, progress):
                target.write(chunk)
        elif fmt == "xlsx":
            write_xlsx(exporter, target, progress)
        else:
            izzina.write_izzina(scope, exporter.lang, target, progress, supports_as_rows=supports_as_rows)


def stream_export(scope: Scope, fmt: str, lang: str, delimiter: str = ",",
                  supports_as_rows: bool = False) -> Iterator[bytes]:
    """The export as chunks for a streamed HTTP response: CSV and JSON row by row; XLSX and DOCX
    are built in a spooled temporary file (memory first, disk when large) and then sent in chunks."""
    check_format(fmt)
    delimiter = check_delimiter(delimiter)
    exporter = Exporter(scope, lang)
    if fmt in ("csv", "json"):
        chunks = csv_chunks(exporter, delimiter=delimiter) if fmt == "csv" else json_chunks(exporter)
        while True:
            with force_locale(exporter.lang):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk
    from .. import izzina
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        with force_locale(exporter.lang):
            if fmt == "xlsx":
                write_xlsx(exporter, spool)
            else:
                izzina.write_izzina(scope, exporter.lang, spool, supports_as_rows=supports_as_rows)
        spool.seek(0)
        while True:
            chunk = spool.read(CHUNK)
            if not chunk:
                return
            yield chunk
