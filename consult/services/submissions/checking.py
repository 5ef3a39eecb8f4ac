"""Checking one submission's values (a file's line or the page's form), and every line of a file."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale

from ...labels import CHANNELS, RESPONDENT_TYPES, STANCES
from ...models import Channel, Consultation, ConsultationStatus, RespondentType, Section, Stance
from .. import publication, textlayer
from ..refusals import Refused
from .columns import (
    _EXTRA_VALUES,
    _RESPONDENT_WORDS,
    _STANCE_WORDS,
    COLUMNS,
    FORMULA_STARTS,
    MAX_ORGANISATION_CHARS,
    MAX_TEXT_CHARS,
    RIGA,
    _problem,
    _refused,
)
from .reading import Table, _is_blank

_DATE_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LABEL = re.compile(r"^(\d{1,4})\.(\d{1,4})$")


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
