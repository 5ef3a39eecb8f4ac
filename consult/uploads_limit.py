"""Uploads over a form's limit come back to the form with the limit beside the field, not a bare 413.

Flask refuses a whole request over MAX_CONTENT_LENGTH before any form is read, so a
file one byte over a field's limit used to lose the form. Here the request limit is
generous and each uploaded file is kept only up to `FILE_CAP` bytes: the rest is read
and dropped. Each form then sees a file longer than its own limit and says so beside
the field, the other fields kept. Only a request over MAX_CONTENT_LENGTH gets the
error page, which names that limit and links back to the form.
"""
from __future__ import annotations

from tempfile import SpooledTemporaryFile
from typing import IO

from flask import Flask
from flask.wrappers import Request
from flask_babel import format_decimal

from .services import importing, positions, submissions, uploads

MEGABYTE = 1024 * 1024
# What each upload field accepts; the forms check their own limit and say it beside the field.
LIMITS = {
    "import": importing.MAX_FILE_BYTES,
    "position_pdf": positions.MAX_ATTACHMENT_BYTES,
    "document": uploads.MAX_UPLOAD_BYTES,
    "submissions": submissions.MAX_FILE_BYTES,
}
FILE_CAP = max(LIMITS.values()) + 1     # one byte more than the largest limit, so every form sees "too large"
_IN_MEMORY = 500 * 1024


def megabytes(size: int) -> str:
    """A size in MB for the page's language: "12", "2.5" in English, "2,5" in Latvian."""
    return format_decimal(round(size / MEGABYTE, 1), format="#,##0.#")


class _CappedFile:
    """A temporary file that keeps the first `cap` bytes written to it and drops the rest."""

    def __init__(self, cap: int):
        self._file: IO[bytes] = SpooledTemporaryFile(max_size=_IN_MEMORY, mode="rb+")
        self._room = cap

    def write(self, data) -> int:
        if self._room > 0:
            kept = bytes(data[:self._room])
            self._file.write(kept)
            self._room -= len(kept)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __iter__(self):
        return iter(self._file)


class UploadRequest(Request):
    """Keeps each uploaded file to `FILE_CAP` bytes instead of refusing the whole request."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return _CappedFile(FILE_CAP)


def init_app(app: Flask) -> None:
    app.request_class = UploadRequest
    app.jinja_env.globals["upload_limit"] = lambda kind: megabytes(LIMITS[kind])
