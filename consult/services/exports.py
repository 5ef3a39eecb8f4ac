"""Digest exports of a consultation's feedback: CSV, XLSX, DOCX (the Latvian "izziņa") and JSON.

The web and the CLI share this module. Rows are read with `yield_per` (a server-side
cursor on PostgreSQL) and written as they come, so memory stays flat however many
comments there are: CSV and JSON stream as generators, XLSX goes through openpyxl's
write-only workbook. Spreadsheet cells that a spreadsheet program would run as a
formula (starting with = + - @ TAB or CR) get a leading apostrophe.

Privacy: no e-mail address is ever selected, and addresses typed into a text are
masked; a person's name appears only where they chose to show it, otherwise their
respondent type (a position shows its organisation when it agreed to publication).
"""
from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..clock import utcnow
from ..extensions import db
from ..labels import RESPONDENT_TYPES, STANCES, STATUSES
from ..models import (
    Comment, Consultation, Organisation, Paragraph, Position, Response, Section, Status, Subgroup, Tag, User, Version,
)
from ..models.organisation import position_sections
from ..models.workgroup import comment_tags, position_tags, response_comments, response_positions
from . import feedback, polls

FORMATS = ("csv", "xlsx", "docx", "json")
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
BATCH = 1000
CHUNK = 64 * 1024
RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
Progress = Callable[[int], None] | None


class ExportRefused(Exception):
    """Bad export parameters: `field` names the input, `code` the problem."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


# Scope -----------------------------------------------------------------------------------------

@dataclass
class Scope:
    consultation: Consultation
    section: Section | None = None
    subgroup: Subgroup | None = None
    since: date | None = None
    all_statuses: bool = False

    def filters(self) -> feedback.Filters:
        return feedback.Filters(
            status=feedback.ALL_STATUSES if self.all_statuses else Status.APPROVED,
            section=self.section.number if self.section else None,
            subgroup_id=self.subgroup.id if self.subgroup else None,
            date_from=self.since)

    def slug(self) -> str:
        parts = [self.consultation.slug]
        if self.section:
            parts.append(f"section-{self.section.number}")
        if self.subgroup:
            parts.append(f"subgroup-{self.subgroup.id}")
        if self.since:
            parts.append(f"since-{self.since.isoformat()}")
        return "-".join(parts)


def parse_since(raw) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ExportRefused("since", "format")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ExportRefused("since", "format") from None


def _positive_int(raw, field_name: str) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 9 or int(text) == 0:
        raise ExportRefused(field_name, "unknown")
    return int(text)


def make_scope(consultation: Consultation, section=None, subgroup=None, since=None,
               all_statuses: bool = False) -> Scope:
    """Checks the scope against the consultation; raises ExportRefused naming the bad input."""
    scope = Scope(consultation, all_statuses=bool(all_statuses))
    number = _positive_int(section, "section")
    if number is not None:
        scope.section = db.session.scalar(select(Section).where(Section.consultation_id == consultation.id,
                                                                Section.number == number))
        if scope.section is None:
            raise ExportRefused("section", "unknown")
    subgroup_id = _positive_int(subgroup, "subgroup")
    if subgroup_id is not None:
        scope.subgroup = feedback.subgroup(consultation, subgroup_id)
        if scope.subgroup is None:
            raise ExportRefused("subgroup", "unknown")
    scope.since = parse_since(since)
    return scope


def check_format(fmt: str | None) -> str:
    if fmt not in FORMATS:
        raise ExportRefused("format", "unknown")
    return fmt


# Cell values -----------------------------------------------------------------------------------

def neutralise(value):
    """A text a spreadsheet would treat as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def clean_text(value: str | None, email_mask: str = "[…]") -> str:
    """Characters XML cannot hold are replaced; e-mail addresses are masked."""
    if not value:
        return ""
    value = _ILLEGAL_XML.sub("\ufffd", value)
    return _EMAIL.sub(email_mask, value) if "@" in value else value


def riga_time(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(RIGA).replace(tzinfo=None)


def date_text(moment: datetime | None) -> str:
    """2014-03-21 14:05 in Riga time (a text: spreadsheets show it as it is, and it is quick to write)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(RIGA)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


# Rows ------------------------------------------------------------------------------------------

# Every row is a tuple in this order; each format picks its columns.
COLUMNS = ("no", "type", "id", "date", "section", "paragraph", "version", "stance", "respondent_type", "submitter",
           "language", "status", "tags", "subgroup", "title", "text", "decision", "justification_lv",
           "justification_en", "changed_paragraph", "campaign")
COL = {name: index for index, name in enumerate(COLUMNS)}
# The spreadsheet numbers its rows itself, so the sheets leave out "No." (fewer cells, a faster file).
COMMENT_SHEET = ("id", "date", "section", "paragraph", "version", "stance", "respondent_type", "submitter",
                 "status", "tags", "subgroup", "text", "decision", "justification_lv", "justification_en",
                 "changed_paragraph", "campaign")
POSITION_SHEET = ("id", "date", "section", "version", "respondent_type", "submitter", "status", "tags",
                  "subgroup", "title", "text", "decision", "justification_lv", "justification_en", "changed_paragraph")


def column_headers() -> dict[str, str]:
    """Column headers in the current locale."""
    return {
        "no": _("No."), "type": _("Type"), "id": _("ID"), "date": _("Date"), "section": _("Section"),
        "paragraph": _("Paragraph"), "version": _("Version"), "stance": _("Stance"),
        "respondent_type": _("Respondent type"), "submitter": _("Submitter"), "language": _("Language"),
        "status": _("Moderation status"), "tags": _("Tags"), "subgroup": _("Subgroup"), "title": _("Title"),
        "text": _("Proposal"), "decision": _("Decision"), "justification_lv": _("Justification (Latvian)"),
        "justification_en": _("Justification (English)"), "changed_paragraph": _("Changed paragraph"),
        # i18n: the id of the campaign (the same or nearly the same text from many people) a comment is in
        "campaign": _("Campaign"),
    }


def decision_labels() -> dict[str, str]:
    from .responses import DECISION_LABELS
    return {code: str(label) for code, label in DECISION_LABELS.items()}


@dataclass
class Labels:
    """Every word the rows need, translated once (not per row)."""
    lang: str
    headers: dict[str, str]
    stances: dict[str, str]
    statuses: dict[str, str]
    respondents: dict[str, str]
    decisions: dict[str, str]
    comment: str
    position: str
    whole_draft: str
    email_mask: str
    sheet_title: str = ""
    words: dict[str, str] = field(default_factory=dict)


def make_labels(lang: str) -> Labels:
    with force_locale(lang):
        return Labels(
            lang=lang, headers=column_headers(),
            stances={k: str(v) for k, v in STANCES.items()},
            statuses={k: str(v) for k, v in STATUSES.items()},
            respondents={k: str(v) for k, v in RESPONDENT_TYPES.items()},
            decisions=decision_labels(),
            comment=_("Comment"), position=_("Position"), whole_draft=_("Whole draft"),
            email_mask=_("[e-mail address removed]"),
            sheet_title=_("Response table (izziņa) on the proposals received"),
            words={
                "figure": _("Figure"), "value": _("Value"), "comments": _("Comments"), "positions": _("Positions"),
                "by_stance": _("By stance"), "by_respondent": _("By respondent type"),
                "by_section": _("By section"), "by_status": _("By moderation status"),
                "by_decision": _("By decision"), "not_answered": _("Not answered"), "poll": _("Poll"),
                "answer": _("Answer"), "votes": _("Votes"), "share": _("Share"), "voters": _("Voters"),
                "scope": _("Scope"), "generated": _("Generated"), "consultation": _("Consultation"),
                "all": _("Everything"), "since": _("Since"), "section_and_paragraph": _("Section and paragraph"),
                "section_n": _("Section %(number)s"), "subgroup": _("Subgroup"),
                "justification": _("Justification"),
            })


def _changed_label(section, paragraph, version) -> str:
    if section is None:
        return ""
    return f"{section}.{paragraph} (v{version})" if version else f"{section}.{paragraph}"


class Exporter:
    """Reads the rows of a scope, in the words of one language, as tuples in COLUMNS order.

    Texts people typed (and names, tags, justifications) are cleaned of characters XML
    cannot hold and of e-mail addresses; the spreadsheet writers neutralise formulas.
    """

    def __init__(self, scope: Scope, lang: str):
        self.scope = scope
        self.lang = lang if lang in ("lv", "en") else "lv"
        self.labels = make_labels(self.lang)
        self.filters = scope.filters()
        self.stats: dict[str, Counter] = {"stance": Counter(), "respondent": Counter(), "section": Counter(),
                                          "status": Counter(), "decision": Counter(), "kind": Counter()}

    # counting
    def count(self) -> int:
        comments = db.session.scalar(select(func.count(Comment.id)).where(
            *feedback.comment_conditions(self.scope.consultation, self.filters))) or 0
        return comments + self.count_positions()

    def count_positions(self) -> int:
        conditions = feedback.position_conditions(self.scope.consultation, self.filters)
        if conditions is None:
            return 0
        return db.session.scalar(select(func.count(Position.id)).where(*conditions)) or 0

    def text(self, value: str | None) -> str:
        """A typed text, cleaned."""
        return clean_text(value, self.labels.email_mask)

    def localised(self, obj, name: str) -> str:
        return (getattr(obj, f"{name}_{self.lang}", "") or getattr(obj, f"{name}_lv", "") or "") if obj else ""

    def _subgroup(self, name_lv: str | None, name_en: str | None) -> str:
        return self.text((name_en if self.lang == "en" and name_en else name_lv) or "")

    def _tags(self, table, column, ids) -> dict[int, str]:
        names: dict[int, list[str]] = {}
        for item_id, name in db.session.execute(
                select(table.c[column], Tag.name).join(Tag, Tag.id == table.c.tag_id)
                .where(table.c[column].in_(ids)).order_by(Tag.name)).all():
            names.setdefault(item_id, []).append(name)
        return {item_id: self.text(", ".join(values)) for item_id, values in names.items()}

    @staticmethod
    def _stream(statement):
        """Batches of plain rows from a server-side cursor (Core, not the ORM: no objects per row)."""
        result = db.session.connection().execution_options(stream_results=True, yield_per=BATCH).execute(statement)
        return result.partitions()

    def _count(self, kind: str, status: str, respondent: str, stance: str | None, section, decision) -> None:
        stats = self.stats
        stats["kind"][kind] += 1
        stats["status"][status] += 1
        stats["respondent"][respondent] += 1
        if stance:
            stats["stance"][stance] += 1
        stats["section"][str(section)] += 1
        stats["decision"][decision or "none"] += 1

    def campaigns(self) -> dict[int, int]:
        """Comment id → the id of its campaign (among the approved comments; see services.campaigns)."""
        from . import campaigns as campaign_service
        from .summary import analyse_texts
        found = analyse_texts(self.scope.consultation).campaigns
        return {item_id: campaign.id for item_id, campaign in campaign_service.campaign_of(found).items()}

    # comments
    def comment_rows(self, progress: Progress = None) -> Iterator[tuple]:
        changed_paragraph = aliased(Paragraph)
        changed_section = aliased(Section)
        changed_version = aliased(Version)
        statement = (
            select(Comment.id, Comment.created_at, Comment.body, Comment.stance, Comment.status, Comment.show_name,
                   Comment.language, Section.number, Paragraph.number, Version.number, User.display_name,
                   User.respondent_type, User.deleted_at, Subgroup.name_lv, Subgroup.name_en, Response.decision,
                   Response.justification_lv, Response.justification_en, changed_section.number,
                   changed_paragraph.number, changed_version.number)
            .join(Section, Section.id == Comment.section_id)
            .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
            .outerjoin(Version, Version.id == Comment.version_id)
            .join(User, User.id == Comment.author_id)
            .outerjoin(Subgroup, Subgroup.id == Comment.subgroup_id)
            .outerjoin(response_comments, response_comments.c.comment_id == Comment.id)
            .outerjoin(Response, Response.id == response_comments.c.response_id)
            .outerjoin(changed_paragraph, changed_paragraph.id == Response.changed_paragraph_id)
            .outerjoin(changed_section, changed_section.id == changed_paragraph.section_id)
            .outerjoin(changed_version, changed_version.id == changed_paragraph.version_id)
            .where(*feedback.comment_conditions(self.scope.consultation, self.filters))
            .order_by(Section.number, Paragraph.number.is_not(None), Paragraph.number, Comment.created_at, Comment.id)
            .execution_options(yield_per=BATCH))
        labels = self.labels
        stances, statuses = labels.stances, labels.statuses
        respondents, decisions = labels.respondents, labels.decisions
        kind = labels.comment
        text = self.text
        campaign_of = self.campaigns()
        number = 0
        for batch in self._stream(statement):
            tags = self._tags(comment_tags, "comment_id", [row[0] for row in batch])
            for (comment_id, created, body, stance, status, show_name, language, section, paragraph, version,
                 display_name, respondent, deleted, subgroup_lv, subgroup_en, decision, justification_lv,
                 justification_en, changed_s, changed_p, changed_v) in batch:
                number += 1
                self._count("comment", status, respondent, stance, section, decision)
                respondent_label = respondents.get(respondent, respondent)
                if show_name and deleted is None and display_name and "@" not in display_name:
                    submitter = text(display_name)
                else:
                    submitter = respondent_label
                yield (number, kind, comment_id, date_text(created), section,
                       f"{section}.{paragraph}" if paragraph is not None else "", version,
                       stances.get(stance, stance), respondent_label, submitter, language,
                       statuses.get(status, status), tags.get(comment_id, ""),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", "", text(body),
                       decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v),
                       campaign_of.get(comment_id, ""))
            if progress:
                progress(len(batch))

    # positions
    def position_rows(self, progress: Progress = None) -> Iterator[tuple]:
        conditions = feedback.position_conditions(self.scope.consultation, self.filters)
        if conditions is None:
            return
        changed_paragraph = aliased(Paragraph)
        changed_section = aliased(Section)
        changed_version = aliased(Version)
        statement = (
            select(Position.id, Position.created_at, Position.title, Position.body, Position.status,
                   Position.publish_name, Position.whole_draft, Position.language, Organisation.name, Version.number,
                   User.respondent_type, Subgroup.name_lv, Subgroup.name_en, Response.decision,
                   Response.justification_lv, Response.justification_en, changed_section.number,
                   changed_paragraph.number, changed_version.number)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .outerjoin(Version, Version.id == Position.version_id)
            .join(User, User.id == Position.author_id)
            .outerjoin(Subgroup, Subgroup.id == Position.subgroup_id)
            .outerjoin(response_positions, response_positions.c.position_id == Position.id)
            .outerjoin(Response, Response.id == response_positions.c.response_id)
            .outerjoin(changed_paragraph, changed_paragraph.id == Response.changed_paragraph_id)
            .outerjoin(changed_section, changed_section.id == changed_paragraph.section_id)
            .outerjoin(changed_version, changed_version.id == changed_paragraph.version_id)
            .where(*conditions).order_by(Position.created_at, Position.id).execution_options(yield_per=BATCH))
        labels = self.labels
        text = self.text
        number = 0
        for batch in self._stream(statement):
            ids = [row[0] for row in batch]
            tags = self._tags(position_tags, "position_id", ids)
            section_numbers: dict[int, list[str]] = {}
            for position_id, section_number in db.session.execute(
                    select(position_sections.c.position_id, Section.number)
                    .join(Section, Section.id == position_sections.c.section_id)
                    .where(position_sections.c.position_id.in_(ids)).order_by(Section.number)).all():
                section_numbers.setdefault(position_id, []).append(str(section_number))
            for (position_id, created, title, body, status, publish_name, whole_draft, language, organisation,
                 version, respondent, subgroup_lv, subgroup_en, decision, justification_lv, justification_en,
                 changed_s, changed_p, changed_v) in batch:
                number += 1
                sections = ", ".join(section_numbers.get(position_id, ()))
                section = labels.whole_draft if whole_draft or not sections else sections
                self._count("position", status, respondent, None, section, decision)
                respondent_label = labels.respondents.get(respondent, respondent)
                yield (number, labels.position, position_id, date_text(created), section, "", version, "",
                       respondent_label, text(organisation) if publish_name else respondent_label, language,
                       labels.statuses.get(status, status), tags.get(position_id, ""),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", text(title), text(body),
                       labels.decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v), "")
            if progress:
                progress(len(batch))

    def rows(self, progress: Progress = None) -> Iterator[tuple]:
        yield from self.comment_rows(progress)
        yield from self.position_rows(progress)

    # polls
    def poll_rows(self) -> Iterator[dict]:
        for poll in polls.consultation_polls(self.scope.consultation):
            result = polls.results(poll)
            for option in result.options:
                yield {"poll_id": poll.id, "question": self.text(self.localised(poll, "question")),
                       "option": self.text(self.localised(option.option, "label")), "votes": option.votes,
                       "share": round(option.share, 4), "voters": result.voters}

    # figures of what was exported
    def summary_rows(self) -> list[tuple[str, str, int]]:
        """(group, label, count) for what was exported, in the order shown."""
        labels = self.labels
        words = labels.words
        rows: list[tuple[str, str, int]] = [
            ("", words["comments"], self.stats["kind"]["comment"]),
            ("", words["positions"], self.stats["kind"]["position"]),
        ]
        rows += [(words["by_stance"], labels.stances.get(code, code), count)
                 for code, count in sorted(self.stats["stance"].items())]
        rows += [(words["by_respondent"], labels.respondents.get(code, code), count)
                 for code, count in sorted(self.stats["respondent"].items())]
        rows += [(words["by_section"], code, count)
                 for code, count in sorted(self.stats["section"].items(), key=lambda i: _natural(i[0]))]
        rows += [(words["by_status"], labels.statuses.get(code, code), count)
                 for code, count in sorted(self.stats["status"].items())]
        rows += [(words["by_decision"], labels.decisions.get(code, words["not_answered"]), count)
                 for code, count in sorted(self.stats["decision"].items())]
        return rows

    def scope_text(self) -> str:
        words = self.labels.words
        parts = []
        if self.scope.section:
            parts.append(words["section_n"] % {"number": self.scope.section.number} + " "
                         + self.localised(self.scope.section, "title"))
        if self.scope.subgroup:
            parts.append(f"{words['subgroup']}: {self.localised(self.scope.subgroup, 'name')}")
        if self.scope.since:
            parts.append(f"{words['since']} {self.scope.since.isoformat()}")
        return "; ".join(parts) or words["all"]


def _natural(text: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


# Writers ---------------------------------------------------------------------------------------

def csv_chunks(exporter: Exporter, progress: Progress = None) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads the Latvian letters), one row per item, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(exporter.labels.headers[c]) for c in COLUMNS])
    pending = 0
    starts = FORMULA_STARTS
    for row in exporter.rows(progress):
        writer.writerow([("'" + v) if v.__class__ is str and v.startswith(starts) else v for v in row])
        pending += 1
        if pending >= 1000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate(0)
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def json_chunks(exporter: Exporter, progress: Progress = None) -> Iterator[bytes]:
    """One JSON document, written piece by piece: consultation, scope, comments, positions, polls, summary.

    Texts are as people wrote them: JSON is data, not a spreadsheet, so nothing is prefixed."""
    consultation = exporter.scope.consultation
    head = {
        "consultation": {"slug": consultation.slug, "title": exporter.localised(consultation, "title"),
                         "status": consultation.status},
        "language": exporter.lang,
        "generated_at": utcnow().isoformat(timespec="seconds") + "Z",
        "scope": {"section": exporter.scope.section.number if exporter.scope.section else None,
                  "subgroup": exporter.scope.subgroup.id if exporter.scope.subgroup else None,
                  "since": exporter.scope.since.isoformat() if exporter.scope.since else None,
                  "all_statuses": exporter.scope.all_statuses},
        "columns": {c: exporter.labels.headers[c] for c in COLUMNS if c != "no"},
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "comments": [').encode("utf-8")
    for name, rows in (("comments", exporter.comment_rows(progress)), ("positions", exporter.position_rows(progress))):
        if name == "positions":
            yield b'], "positions": ['
        parts = []
        first = True
        for row in rows:
            parts.append(("" if first else ",") + json.dumps(_json_row(row), ensure_ascii=False))
            first = False
            if len(parts) >= 500:
                yield "".join(parts).encode("utf-8")
                parts = []
        if parts:
            yield "".join(parts).encode("utf-8")
    poll_rows = list(exporter.poll_rows())
    summary = [{"group": g, "label": label, "count": count} for g, label, count in exporter.summary_rows()]
    yield ('], "polls": ' + json.dumps(poll_rows, ensure_ascii=False) + ', "summary": '
           + json.dumps(summary, ensure_ascii=False) + "}").encode("utf-8")


def _json_row(row: tuple) -> dict:
    return dict(zip(COLUMNS[1:], row[1:]))


XLSX_WIDTHS = {"no": 6, "type": 11, "id": 8, "date": 17, "section": 9, "paragraph": 10, "version": 8, "stance": 18,
               "respondent_type": 20, "submitter": 24, "language": 8, "status": 18, "tags": 20, "subgroup": 24,
               "title": 30, "text": 70, "decision": 18, "justification_lv": 50, "justification_en": 50,
               "changed_paragraph": 12, "campaign": 10}


def write_xlsx(exporter: Exporter, target, progress: Progress = None) -> None:
    """Sheets Comments, Positions, Polls, Summary, written row by row (openpyxl write-only)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def rows_sheet(title, columns, rows):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS[column]
        header(sheet, [exporter.labels.headers[c] for c in columns])
        picks = [COL[c] for c in columns]
        append = sheet.append
        starts = FORMULA_STARTS
        for row in rows:
            append([("'" + v) if v.__class__ is str and v.startswith(starts) else v
                    for v in map(row.__getitem__, picks)])

    rows_sheet("Comments", COMMENT_SHEET, exporter.comment_rows(progress))
    rows_sheet("Positions", POSITION_SHEET, exporter.position_rows(progress))
    words = exporter.labels.words
    sheet = workbook.create_sheet("Polls")
    header(sheet, [words["poll"], words["answer"], words["votes"], words["share"], words["voters"]])
    for row in exporter.poll_rows():
        sheet.append([neutralise(row["question"]), neutralise(row["option"]), row["votes"], row["share"],
                      row["voters"]])
    sheet = workbook.create_sheet("Summary")
    header(sheet, [words["figure"], words["value"]])
    consultation = exporter.scope.consultation
    sheet.append([words["consultation"], neutralise(exporter.text(exporter.localised(consultation, "title")))])
    sheet.append([words["scope"], neutralise(exporter.scope_text())])
    sheet.append([words["generated"], date_text(utcnow())])
    group_seen = None
    for group, label, count in exporter.summary_rows():
        if group and group != group_seen:
            cell = WriteOnlyCell(sheet, value=neutralise(group))
            cell.font = bold
            sheet.append([cell])
            group_seen = group
        sheet.append([neutralise(label), count])
    workbook.save(target)


# Entry points ----------------------------------------------------------------------------------

def write_export(scope: Scope, fmt: str, lang: str, target, progress: Progress = None,
                 supports_as_rows: bool = False) -> None:
    """Writes the export to a binary file object (the CLI and the benchmark use this).

    DOCX is the izziņa (services.izzina); supports_as_rows lists supporting comments there as rows."""
    from . import izzina
    check_format(fmt)
    exporter = Exporter(scope, lang)
    with force_locale(exporter.lang):
        if fmt == "csv":
            for chunk in csv_chunks(exporter, progress):
                target.write(chunk)
        elif fmt == "json":
            for chunk in json_chunks(exporter, progress):
                target.write(chunk)
        elif fmt == "xlsx":
            write_xlsx(exporter, target, progress)
        else:
            izzina.write_izzina(scope, exporter.lang, target, progress, supports_as_rows=supports_as_rows)


def stream_export(scope: Scope, fmt: str, lang: str, supports_as_rows: bool = False) -> Iterator[bytes]:
    """The export as chunks for a streamed HTTP response: CSV and JSON row by row; XLSX and DOCX
    are built in a spooled temporary file (memory first, disk when large) and then sent in chunks."""
    check_format(fmt)
    exporter = Exporter(scope, lang)
    if fmt in ("csv", "json"):
        chunks = csv_chunks(exporter) if fmt == "csv" else json_chunks(exporter)
        while True:
            with force_locale(exporter.lang):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk
    from . import izzina
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


def filename(scope: Scope, fmt: str) -> str:
    """An ASCII file name for Content-Disposition: letters, digits, dots and hyphens only."""
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{scope.slug()}-{utcnow().date().isoformat()}")
    return f"{name.strip('-')[:150] or 'export'}.{fmt}"
