"""The CSV export: UTF-8 with a BOM, one row per item, streamed."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .cells import neutralise
from .columns import CSV_COLUMNS
from .rows import Exporter
from .scope import FORMULA_STARTS, Progress, check_delimiter


def csv_chunks(exporter: Exporter, progress: Progress = None, delimiter: str = ",") -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads the Latvian letters), one row per item, formulas neutralised.

    `delimiter` is "," or ";": spreadsheet programs set up for Latvian (decimal comma) split
    a CSV file's columns at semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=check_delimiter(delimiter))
    buffer.write("\ufeff")
    writer.writerow([neutralise(exporter.labels.headers[c]) for c in CSV_COLUMNS])
    pending = 0
    starts = FORMULA_STARTS
    width = len(CSV_COLUMNS)
    for row in exporter.rows(progress):
        writer.writerow([("'" + v) if v.__class__ is str and v.startswith(starts) else v for v in row[:width]])
        pending += 1
        if pending >= 1000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate(0)
            pending = 0
    yield buffer.getvalue().encode("utf-8")
