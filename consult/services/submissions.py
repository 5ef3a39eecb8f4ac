"""Offline submissions: proposals that came by letter, by e-mail or at a meeting, entered by staff.

Staff add one on the working group's page, or many from a CSV or XLSX file (the same
page, or `flask --app consult import-submissions`). Each becomes a comment with its
channel, the day it was received and its sender's respondent type and organisation,
and from then on goes the way of every comment: moderation, the feedback table,
campaigns, exports and the summary, which counts the channels apart.

A file is read and checked whole before anything is stored: the import is all or
nothing, in one transaction, and every refused line is named with its number and
the reason. What is refused:

* a file over MAX_FILE_BYTES, a CSV that is not UTF-8, an XLSX that does not open;
* a column heading this module does not know, one given twice, a required one missing;
* per line: an unknown section or paragraph, stance, respondent type or channel, a
  date that is not one or lies in the future, an empty or too long text, and any
  cell that starts with = + - @ (or a tab or carriage return before them), which a
  spreadsheet program would run as a formula when the data travels on.

The same checks serve the page's form for one submission, so it shows the same
messages beside its fields. Each problem is a Refused("submission.<reason>") naming its
field (the column), its line and what the message needs; several come together in one
Refused("submission.problems", problems=[…]). consult/refusals.py words them: the page
in its language, the command line in the language it is given.

Offline senders have no account. Every offline submission has as its author one
placeholder account (`offline_sender`), which nobody can sign in to and which is
never shown: the comment's own sender_type and sender_organisation say who sent it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..labels import CHANNELS, RESPONDENT_TYPES, STANCES
from ..models import (
    Channel,
    Comment,
    Consultation,
    ConsultationStatus,
    ModerationEvent,
    RespondentType,
    Role,
    Section,
    Setting,
    Stance,
    Status,
    User,
)
from . import publication, textlayer
from .comments import fingerprint
from .refusals import Refused

RIGA = ZoneInfo("Europe/Riga")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000            # per file on the command line
PAGE_MAX_ROWS = 5_000        # per file uploaded on the page: stored well inside a web request's time
MAX_TEXT_CHARS = 50_000      # a letter may be several pages; the site's own comments stop at 5,000
MAX_ORGANISATION_CHARS = 200
_MAX_XLSX_UNPACKED = 200 * 1024 * 1024   # an XLSX is a ZIP: refuse one that unpacks to more (a "ZIP bomb")
# Characters that make a spreadsheet cell a formula (OWASP "CSV injection"); the exports neutralise them too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DATE_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LABEL = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
SENDER_SETTING = "offline_sender"
SENDER_NAME = "Offline senders"

# The columns, in the order of the README and of the template file. Headings may be written in
# English or Latvian, in any case, with or without diacritics, "_" or "-" for spaces.
COLUMNS = ("section", "paragraph", "stance", "text", "respondent_type", "organisation", "received_date", "channel",
           "language")
REQUIRED = ("section", "text", "received_date", "channel")
HEADINGS = {
    "section": ("section", "sadaļa"),
    "paragraph": ("paragraph", "punkts"),
    "stance": ("stance", "nostāja"),
    "text": ("text", "teksts", "proposal", "priekšlikums"),
    "respondent_type": ("respondent type", "respondenta veids"),
    "organisation": ("organisation", "organization", "organizācija"),
    "received_date": ("received date", "date received", "received", "saņemšanas datums", "saņemts"),
    "channel": ("channel", "kanāls", "saņemšanas veids"),
    "language": ("language", "valoda"),
}
# i18n: the names of the import file's columns, as the README and the messages give them
COLUMN_NAMES = {
    "section": _l("section"), "paragraph": _l("paragraph"), "stance": _l("stance"), "text": _l("text"),
    "respondent_type": _l("respondent type"), "organisation": _l("organisation"),
    "received_date": _l("received date"), "channel": _l("channel"), "language": _l("language"),
}
# Words for the values besides the codes and the labels the site shows in either language.
_EXTRA_VALUES = {
    "channel": {"e-mail": Channel.EMAIL, "epasts": Channel.EMAIL, "e-pasts": Channel.EMAIL,
                "vēstule": Channel.LETTER, "sanāksme": Channel.MEETING, "tikšanās": Channel.MEETING},
    "language": {"latvian": "lv", "latviešu": "lv", "latviski": "lv", "english": "en", "angļu": "en",
                 "angliski": "en"},
}

# i18n: the values a stance cell may hold (the codes; either language's labels work too)
_STANCE_WORDS = _l("supports, objects, proposes, asks")
# i18n: the values a respondent type cell may hold (the codes; either language's labels work too)
_RESPONDENT_WORDS = _l("citizen, organisation, municipality, business, academic, other")


# ---------------------------------------------------------------------------
# Problems

def _problem(code: str, line: int | None = None, column: str | None = None, heading: str | None = None,
             **params) -> Refused:
    """One reason a file or a submission is refused: `line` is the file's line (1 holds the headings; a
    spreadsheet's row number), None for the file as a whole or for the page's form; `column` a COLUMNS key
    (the form's field of the same name), or None for the whole line; `heading` the column's heading as the
    file writes it."""
    return Refused(code, field=column, line=line, heading=heading, **params)


def _refused(problems: list[Refused]) -> Refused:
    """The problems of one file or one form, refused together."""
    return Refused("submission.problems", problems=problems)


# ---------------------------------------------------------------------------
# Reading a file into lines of cells

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


# ---------------------------------------------------------------------------
# Checking one submission

@dataclass
class Submission:
    """A checked submission, ready to be stored as a comment."""
    line: int | None
    section_id: int
    version_id: int | None
    paragraph_id: int | None
    stance: str
    body: str
    language: str
    sender_type: str
    sender_organisation: str | None
    received_on: date
    channel: str


class _Context:
    """What the checks look up once per import: the published sections, their paragraphs, the word lists."""

    def __init__(self, consultation: Consultation):
        self.consultation = consultation
        self.sections = {s.number: s for s in publication.published_sections(consultation)}
        self._targets: dict[int, publication.CommentTarget] = {}
        self.today = datetime.now(RIGA).date()
        self.values = {"stance": _words(STANCES, Stance.ALL), "respondent_type": _words(RESPONDENT_TYPES,
                                                                                       RespondentType.ALL),
                       "channel": _words(CHANNELS, Channel.OFFLINE), "language": {"lv": "lv", "en": "en"}}
        for column, extra in _EXTRA_VALUES.items():
            self.values[column].update({textlayer.fold(word): code for word, code in extra.items()})

    def target(self, section: Section) -> publication.CommentTarget:
        if section.id not in self._targets:
            self._targets[section.id] = publication.comment_target(self.consultation, section)
        return self._targets[section.id]


def _words(labels: dict, codes) -> dict[str, str]:
    """Folded word → code: each code, and its label as the site shows it in Latvian and in English."""
    words = {textlayer.fold(code): code for code in codes}
    for lang in ("en", "lv"):
        with force_locale(lang):
            words.update({textlayer.fold(str(labels[code])): code for code in codes})
    return words


def _cell_text(value) -> str:
    """A cell as text: numbers without a needless ".0", dates as year-month-day."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: str) -> str:
    """NFC, Windows and old Mac line endings made plain, surrounding space trimmed (as the site's forms do)."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _parse_date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _cell_text(raw).strip()
    for pattern, order in ((_DATE_ISO, (0, 1, 2)), (_DATE_DOTS, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


def check_values(context: _Context, values: dict, line: int | None = None,
                 headings: dict[str, str] | None = None, formulas: bool = True) -> tuple[Submission | None,
                                                                                         list[Refused]]:
    """One submission's values (column key → cell) checked: the Submission, or None and the problems.

    `formulas` checks for cells a spreadsheet would run: on for files, off for the page's form,
    whose fields are typed text and never a spreadsheet's cells.
    """
    headings = headings or {}
    problems: list[Refused] = []

    formula_columns: set[str] = set()

    def refuse(column: str, code: str, **params) -> None:
        if column in formula_columns:
            return  # its formula is the one problem named for this cell
        problems.append(_problem(code, line, column, headings.get(column), **params))

    raw = {key: values.get(key) for key in COLUMNS}
    if formulas:
        for key in COLUMNS:
            cell = raw[key]
            if isinstance(cell, str) and cell.lstrip(" ").startswith(FORMULA_STARTS):
                first = cell.lstrip(" ")[0]
                refuse(key, "submission.formula", value={"\t": "TAB", "\r": "CR"}.get(first, first))
                formula_columns.add(key)
    text = {key: _cell_text(raw[key]).strip() for key in COLUMNS}

    section = None
    if not text["section"]:
        refuse("section", "submission.section_missing")
    elif not text["section"].isdigit():
        refuse("section", "submission.section_number", value=text["section"])
    else:
        section = context.sections.get(int(text["section"])) if len(text["section"]) < 6 else None
        if section is None:
            refuse("section", "submission.section_unknown", value=text["section"])

    paragraph_id = None
    version_id = context.target(section).version_id if section is not None else None
    wanted = text["paragraph"]
    if wanted:
        number = None
        label = _LABEL.match(wanted)
        if isinstance(raw["paragraph"], float) and not raw["paragraph"].is_integer():
            refuse("paragraph", "submission.paragraph_number", value=wanted)   # 2.10 in a number cell reads 2.1
        elif label:
            if section is not None and int(label.group(1)) != section.number:
                refuse("paragraph", "submission.paragraph_other_section", value=wanted, section=section.number)
            else:
                number = int(label.group(2))
        elif wanted.isdigit() and len(wanted) < 6:
            number = int(wanted)
        else:
            refuse("paragraph", "submission.paragraph_number", value=wanted)
        if number is not None and section is not None:
            paragraph_id = context.target(section).paragraph_ids.get(number)
            if paragraph_id is None:
                refuse("paragraph", "submission.paragraph_unknown", value=wanted, section=section.number)

    stance = Stance.PROPOSES
    if text["stance"]:
        stance = context.values["stance"].get(textlayer.fold(text["stance"]))
        if stance is None:
            refuse("stance", "submission.stance_unknown", value=text["stance"], allowed=_STANCE_WORDS)

    body = _text(_cell_text(raw["text"]))
    if not body:
        refuse("text", "submission.text_missing")
    elif "\x00" in body:
        refuse("text", "submission.nul")
    elif len(body) > MAX_TEXT_CHARS:
        refuse("text", "submission.text_long", used=len(body), limit=MAX_TEXT_CHARS)

    organisation = " ".join(_text(text["organisation"]).split()) or None
    if organisation and len(organisation) > MAX_ORGANISATION_CHARS:
        refuse("organisation", "submission.organisation_long", used=len(organisation), limit=MAX_ORGANISATION_CHARS)
    elif organisation and "\x00" in organisation:
        refuse("organisation", "submission.nul")

    # An organisation's letter is from an organisation unless the line says otherwise.
    sender_type = RespondentType.ORGANISATION if organisation else RespondentType.CITIZEN
    if text["respondent_type"]:
        sender_type = context.values["respondent_type"].get(textlayer.fold(text["respondent_type"]))
        if sender_type is None:
            refuse("respondent_type", "submission.respondent_unknown", value=text["respondent_type"],
                   allowed=_RESPONDENT_WORDS)

    received = None
    if not text["received_date"]:
        refuse("received_date", "submission.date_missing")
    else:
        received = _parse_date(raw["received_date"])
        if received is None:
            refuse("received_date", "submission.date_format", value=text["received_date"])
        elif received > context.today:
            refuse("received_date", "submission.date_future", value=received.isoformat())

    channel = None
    if not text["channel"]:
        refuse("channel", "submission.channel_missing")
    else:
        channel = context.values["channel"].get(textlayer.fold(text["channel"]))
        if channel is None:
            refuse("channel", "submission.channel_unknown", value=text["channel"])

    language = "lv"
    if text["language"]:
        language = context.values["language"].get(textlayer.fold(text["language"]))
        if language is None:
            refuse("language", "submission.language_unknown", value=text["language"])

    if problems:
        return None, problems
    return Submission(line, section.id, version_id, paragraph_id, stance, body, language, sender_type,
                      organisation, received, channel), []


def check_table(consultation: Consultation, table: Table) -> list[Submission]:
    """Every line checked; refuses naming each refused line when any is."""
    context = _checked_context(consultation)
    submissions: list[Submission] = []
    problems: list[Refused] = []
    for line, cells in table.lines:
        if len(cells) > len(table.order) and any(not _is_blank(c) for c in cells[len(table.order):]):
            problems.append(_problem("submission.extra_cells", line))
            continue
        values = {key: cells[i] for i, key in enumerate(table.order) if i < len(cells)}
        submission, found = check_values(context, values, line, table.headings)
        problems.extend(found)
        if submission is not None:
            submissions.append(submission)
    if problems:
        raise _refused(problems)
    return submissions


def _checked_context(consultation: Consultation) -> _Context:
    if consultation.status == ConsultationStatus.DRAFT:
        raise _problem("submission.draft")
    return _Context(consultation)


# ---------------------------------------------------------------------------
# Storing

def offline_sender() -> User:
    """The placeholder account every offline submission has as its author, made on first use.

    It has no e-mail address and no password, so nobody signs in to it and no mail goes to it;
    a site setting remembers which account it is.
    """
    row = db.session.scalar(select(Setting).where(Setting.name == SENDER_SETTING))
    if row is not None and row.value.isdigit():
        user = db.session.get(User, int(row.value))
        if user is not None:
            return user
    user = User(email=None, display_name=SENDER_NAME, password_hash="", role=Role.CITIZEN,
                respondent_type=RespondentType.OTHER)
    db.session.add(user)
    db.session.flush()
    if row is None:
        db.session.add(Setting(name=SENDER_SETTING, value=str(user.id)))
    else:
        row.value = str(user.id)
    try:
        db.session.commit()
    except IntegrityError:  # another import made it a moment ago: use theirs
        db.session.rollback()
        row = db.session.scalar(select(Setting).where(Setting.name == SENDER_SETTING))
        return db.session.get(User, int(row.value))
    return user


def is_offline_sender(user: User | None) -> bool:
    if user is None:
        return False
    row = db.session.scalar(select(Setting.value).where(Setting.name == SENDER_SETTING))
    return row == str(user.id)


def _store(consultation: Consultation, submissions: list[Submission], keys: list[str], entered_by: User | None,
           note: str, publish: bool = False) -> list[Comment]:
    """Adds the comments and their audit rows in one transaction: all of them, or (on an error) none.

    They wait for moderation like any comment (or are public at once under post-moderation), unless
    `publish`: then `entered_by`, a moderator, approves each as it is stored, and the log says so.
    """
    sender = offline_sender()
    post_moderated = consultation.moderation_mode == "post"
    now = utcnow()
    entered_by_id = entered_by.id if entered_by is not None else None
    comments = []
    for submission, key in zip(submissions, keys):
        comments.append(Comment(
            consultation_id=consultation.id, section_id=submission.section_id, version_id=submission.version_id,
            paragraph_id=submission.paragraph_id, author_id=sender.id, stance=submission.stance,
            body=submission.body, language=submission.language, show_name=bool(submission.sender_organisation),
            status=Status.APPROVED if post_moderated or publish else Status.PENDING, needs_review=not publish,
            moderated_at=now if publish else None, moderated_by_id=entered_by_id if publish else None,
            fingerprint=fingerprint(submission.body), idempotency_key=key, created_at=now,
            channel=submission.channel, received_on=submission.received_on, sender_type=submission.sender_type,
            sender_organisation=submission.sender_organisation, entered_by_id=entered_by_id))
    db.session.add_all(comments)
    db.session.add(ModerationEvent(actor_id=entered_by_id, action="enter_submissions", target_type="consultation",
                                   target_id=consultation.id, note=note))
    try:
        if publish:
            db.session.flush()   # the ids, for one audit row per approved comment
            db.session.add_all([ModerationEvent(actor_id=entered_by_id, action="approve", target_type="comment",
                                                target_id=comment.id, created_at=now) for comment in comments])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return comments


def _file_keys(consultation: Consultation, data: bytes, submissions: list[Submission]) -> list[str]:
    """One idempotency key per line from the file's digest: importing the same file twice is noticed."""
    digest = hashlib.sha256(f"{consultation.id}:".encode() + data).hexdigest()[:40]
    return [f"file-{digest}-{submission.line}" for submission in submissions]


def import_file(consultation: Consultation, data: bytes, filename: str, entered_by: User | None = None,
                publish: bool = False, max_rows: int = MAX_ROWS) -> int:
    """Imports every line of a CSV or XLSX file, or none; returns how many were stored.

    `publish` (for the command line, when the letters were vetted before) approves them at once in
    the name of `entered_by`, who must be a moderator. Refuses with every problem found (each
    naming its line), and then stores nothing.
    """
    if publish and (entered_by is None or not entered_by.has_role(Role.MODERATOR)):
        raise ValueError("publishing at once needs a moderator or an administrator as entered_by")
    table = read_table(data, filename, max_rows)
    submissions = check_table(consultation, table)
    keys = _file_keys(consultation, data, submissions)
    sender = offline_sender()
    if db.session.scalar(select(Comment.id).where(Comment.author_id == sender.id,
                                                  Comment.idempotency_key == keys[0]).limit(1)) is not None:
        raise _problem("submission.imported")
    name = (filename or "").replace("\n", " ").replace("\r", " ")[-120:]
    try:
        comments = _store(consultation, submissions, keys, entered_by, f"{len(submissions)} · {name}".strip(" ·"),
                          publish=publish)
    except IntegrityError:
        raise _problem("submission.imported") from None   # the same file, imported in parallel
    return len(comments)


def add_submission(consultation: Consultation, values: dict, entered_by: User, idempotency_key: str) -> Comment:
    """Stores one submission typed into the page's form (column key → text).

    The same form sent twice (the same key) stores one comment and returns it both times.
    Refuses with the problems, each naming its column (the form's field).
    """
    context = _checked_context(consultation)
    submission, problems = check_values(context, values, formulas=False)
    if problems:
        raise _refused(problems)
    sender = offline_sender()
    key = "form-" + (idempotency_key or "")[:58]
    earlier = db.session.scalar(select(Comment).where(Comment.author_id == sender.id,
                                                      Comment.idempotency_key == key))
    if earlier is not None and idempotency_key:
        return earlier
    if not idempotency_key:
        key = "form-" + secrets.token_hex(24)
    try:
        (comment,) = _store(consultation, [submission], [key], entered_by, "1")
    except IntegrityError:
        stored = db.session.scalar(select(Comment).where(Comment.author_id == sender.id,
                                                         Comment.idempotency_key == key))
        if stored is None:
            raise
        return stored
    return comment
