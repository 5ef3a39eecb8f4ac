"""Uploaded files: recognised by their content, named safely, stored without half-states.

A file is accepted only when its bytes say what it is (a PDF starts with ``%PDF-``,
a DOCX is a ZIP whose ``[Content_Types].xml`` names a Word document, a DOC is an
OLE2 compound file with a ``WordDocument`` stream …); the name the person gave it
must agree. Stored files get a random name in the upload directory, outside
``static/``, through a temporary file that is fsynced, then the row is committed, then
the file is renamed, so a killed worker leaves at most a ``.tmp`` file: the sweep
(``flask --app consult sweep-uploads``) removes it, or renames it into place when its
row was committed.
"""
from __future__ import annotations

import io
import os
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from .refusals import Refused

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
TEMP_SUFFIX = ".tmp"
# How old an unnamed or temporary file must be before the sweep touches it: an upload still in
# flight (written, its row not yet committed) is never that old.
SWEEP_GRACE_SECONDS = 10 * 60
# The names StagedFile gives: the sweep leaves any other file in the directory alone.
_STORED_NAME = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


KINDS = {
    "pdf": FileKind("pdf", "application/pdf"),
    "docx": FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text"),
    "ods": FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "doc": FileKind("doc", "application/msword"),
    "xls": FileKind("xls", "application/vnd.ms-excel"),
}
ALLOWED_EXTENSIONS = tuple(KINDS)

_OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_STREAMS = {
    "doc": ("WordDocument".encode("utf-16-le"),),
    "xls": ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le")),
}
# Characters that must never reach a displayed file name.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u061c",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"}
MAX_NAME_CHARS = 200



def read_limited(stream, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The whole stream, or Refused("upload.too_large") as soon as it passes `limit` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Refused("upload.too_large", limit=limit)
    return data


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size < 200:
                mimetype = archive.read("mimetype").strip()
                if mimetype == KINDS["odt"].content_type.encode():
                    return "odt"
                if mimetype == KINDS["ods"].content_type.encode():
                    return "ods"
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size < 1_000_000:
                types = archive.read("[Content_Types].xml")
                for kind, marker in _OOXML_MAIN.items():
                    if marker in types:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, NotImplementedError, RuntimeError,
            ValueError, EOFError):
        return None
    return None


def detect_kind(data: bytes) -> str | None:
    """pdf, docx, xlsx, odt, ods, doc or xls from the file's bytes; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf" if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE2_MAGIC):
        for kind, markers in _OLE2_STREAMS.items():
            if any(marker in data for marker in markers):
                return kind
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_display_name(raw: str | None, fallback: str = "document") -> str:
    """The name people see: last path part only, NFC, no control, bidi or zero-width characters.

    Latvian letters stay as they are (this is not `secure_filename`).
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in name
                   if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = fallback
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[:MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name


@dataclass(frozen=True)
class CheckedFile:
    display_name: str
    kind: FileKind
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def check_document(data: bytes, filename: str | None) -> CheckedFile:
    """Accepts a PDF or office file whose content matches its name; raises Refused otherwise."""
    if not data:
        raise Refused("upload.empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused("upload.too_large", limit=MAX_UPLOAD_BYTES)
    kind = detect_kind(data)
    if kind is None:
        raise Refused("upload.type")
    display_name = clean_display_name(filename, fallback="document." + kind)
    claimed = extension_of(display_name)
    if claimed in KINDS and claimed != kind:
        raise Refused("upload.mismatch", claimed=claimed.upper(), actual=kind.upper())
    if claimed != kind:
        display_name = clean_display_name(f"{display_name}.{kind}")
    return CheckedFile(display_name=display_name, kind=KINDS[kind], data=data)


class StagedFile:
    """A file written and fsynced under a temporary name; `commit()` renames it into place.

    Call `commit()` after the database row naming it is committed, `discard()` if that fails.
    """

    def __init__(self, directory: str, data: bytes):
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.stored_name = secrets.token_hex(16)
        self.path = os.path.join(directory, self.stored_name)
        self.temp_path = self.path + TEMP_SUFFIX
        with open(self.temp_path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def commit(self) -> str:
        try:
            os.replace(self.temp_path, self.path)
        except FileNotFoundError:
            # The sweep already moved a committed file into place (see sweep_orphans).
            if not os.path.isfile(self.path):
                raise
        _fsync_directory(self.directory)
        return self.stored_name

    def discard(self) -> None:
        try:
            os.unlink(self.temp_path)
        except FileNotFoundError:
            pass


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def store_file(directory: str, data: bytes) -> str:
    """Write, fsync and rename in one go; returns the random stored name."""
    return StagedFile(directory, data).commit()


def remove_stored(directory: str, stored_name: str) -> None:
    """Delete a stored file; a name that is not a plain stored name is ignored."""
    if not stored_name or os.path.basename(stored_name) != stored_name or stored_name.startswith("."):
        return
    try:
        os.unlink(os.path.join(directory, stored_name))
    except FileNotFoundError:
        pass


def sweep_orphans(directory: str, known: set[str] | Callable[[], set[str]], older_than_seconds: float = 3600,
                  restored: list[str] | None = None) -> list[str]:
    """Clean up after killed or failed writers; returns the names of the files removed.

    Only files named as StagedFile names them, and only once they are older than
    `older_than_seconds` (by their write time), so an upload in flight is never touched:

    - a stored file that no row names is removed;
    - a temporary file is removed, unless a row names it: then the writer was stopped
      between committing the row and renaming the (already fsynced) file, and the sweep
      finishes the rename instead (the name is appended to `restored`).

    `known` is the set of names the database refers to, or a function returning it; a function is
    called after the directory is listed, so a file renamed into place before the listing has
    its row committed before the names are read and is never taken for an orphan.
    """
    removed: list[str] = []
    if not os.path.isdir(directory):
        return removed
    cutoff = time.time() - older_than_seconds
    candidates = []
    for entry in os.scandir(directory):
        name = entry.name
        base = name[:-len(TEMP_SUFFIX)] if name.endswith(TEMP_SUFFIX) else name
        if not _STORED_NAME.fullmatch(base):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        candidates.append((name, base))
    names = known() if callable(known) else known
    for name, base in candidates:
        path = os.path.join(directory, name)
        try:
            if name == base:
                if base not in names:
                    os.unlink(path)
                    removed.append(name)
            elif base in names and not os.path.exists(os.path.join(directory, base)):
                os.replace(path, os.path.join(directory, base))
                _fsync_directory(directory)
                if restored is not None:
                    restored.append(base)
            else:
                os.unlink(path)
                removed.append(name)
        except FileNotFoundError:
            continue  # its writer or another sweep got there first
    return removed


def stored_name_columns() -> tuple:
    """Every column that names a file in the upload directory.

    A new kind of upload adds its column here, or the sweep would take its files for orphans
    (tests/test_uploads_sweep.py checks that every model column about stored files is listed).
    """
    from ..models import Document, Position
    return (Document.stored_name, Position.attachment_stored)


def referenced_names() -> set[str]:
    """The stored names the database refers to (needs an app context)."""
    from sqlalchemy import select

    from ..extensions import db
    names: set[str] = set()
    # A connection of its own: a fresh view of what is committed, whatever the session holds.
    with db.engine.connect() as connection:
        for column in stored_name_columns():
            names.update(connection.scalars(select(column).where(column.is_not(None))))
    return names


@dataclass(frozen=True)
class SweepResult:
    removed: list[str]
    restored: list[str]


def sweep_upload_dir(older_than_seconds: float = SWEEP_GRACE_SECONDS, directory: str | None = None) -> SweepResult:
    """sweep_orphans on the app's upload directory, against every row that names a stored file."""
    from flask import current_app

    directory = directory or current_app.config["UPLOAD_DIR"]
    restored: list[str] = []
    removed = sweep_orphans(directory, referenced_names, older_than_seconds, restored=restored)
    return SweepResult(removed=removed, restored=restored)
