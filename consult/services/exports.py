"""Digest exports of a consultation's feedback: CSV, XLSX, DOCX (the Latvian "izziņa") and JSON.

The web and the CLI share this module. Rows are read with `yield_per` (a server-side
cursor on PostgreSQL) and written as they come, so memory stays flat however many
comments there are: CSV and JSON stream as generators, XLSX goes through openpyxl's
write-only workbook. Spreadsheet cells that a spreadsheet program would run as a
formula (starting with = + - @ TAB or CR) get a leading apostrophe.

Privacy: no e-mail address is ever selected, and addresses typed into a text are
masked; a person's name appears only where they chose to show it, otherwise their
respondent type (a position shows its organisation, and who signed it, when it agreed to publication).
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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..clock import utcnow
from ..extensions import db
from ..labels import CHANNELS, RESPONDENT_TYPES, SIGNATURE_STATUSES, STANCES, STATUSES
from ..models import (
    Comment, Consultation, Decision, Organisation, Paragraph, Position, PositionSignature, Response, ResponseStatus,
    Section, Stance, Status, Subgroup, Tag, User, Version,
)
from ..models.organisation import position_sections
from ..models.workgroup import comment_tags, position_tags, response_comments, response_positions
from . import feedback, polls, stored_themes

if TYPE_CHECKING:
    from .campaigns import Campaign

FORMATS = ("csv", "xlsx", "docx", "json")
DELIMITERS = (",", ";")
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
    """What an export holds: the consultation, and the same limits the feedback table offers."""
    consultation: Consultation
    section: Section | None = None
    subgroup: Subgroup | None = None
    since: date | None = None
    all_statuses: bool = False
    stance: str | None = None          # a Stance code
    decision: str | None = None        # a Decision code, or feedback.NOT_ANSWERED
    campaign: Campaign | None = None   # one of the consultation's campaigns (services.campaigns)

    def filters(self) -> feedback.Filters:
        return feedback.Filters(
            status=feedback.ALL_STATUSES if self.all_statuses else Status.APPROVED,
            section=self.section.number if self.section else None,
            subgroup_id=self.subgroup.id if self.subgroup else None,
            date_from=self.since, stance=self.stance, decision=self.decision,
            campaign_ids=list(self.campaign.ids) if self.campaign else None, approved_only=True)

    def slug(self) -> str:
        parts = [self.consultation.slug]
        if self.section:
            parts.append(f"section-{self.section.number}")
        if self.subgroup:
            parts.append(f"subgroup-{self.subgroup.id}")
        if self.since:
            parts.append(f"since-{self.since.isoformat()}")
        if self.stance:
            parts.append(self.stance)
        if self.decision:
            parts.append("not-answered" if self.decision == feedback.NOT_ANSWERED else self.decision)
        if self.campaign:
            parts.append(f"campaign-{self.campaign.id}")
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
               all_statuses: bool = False, stance=None, decision=None, campaign=None) -> Scope:
    """Checks the scope against the consultation; raises ExportRefused naming the bad input.

    Unlike the table's filter form, which quietly ignores a value it does not know, an
    export refuses it: a file that silently holds everything instead of what was asked
    for would be taken for the asked-for subset."""
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
    scope.stance = _one_of(stance, Stance.ALL, "stance")
    scope.decision = _one_of(decision, (*Decision.ALL, feedback.NOT_ANSWERED), "decision")
    campaign_id = _positive_int(campaign, "campaign")
    if campaign_id is not None:
        from .summary import analyse_texts
        scope.campaign = next((c for c in analyse_texts(consultation).campaigns if c.id == campaign_id), None)
        if scope.campaign is None:
            raise ExportRefused("campaign", "unknown")
    return scope


def _one_of(raw, codes, field_name: str) -> str | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if text not in codes:
        raise ExportRefused(field_name, "unknown")
    return text


def check_delimiter(delimiter: str | None) -> str:
    """The CSV column separator: a comma, or a semicolon for spreadsheet programs with Latvian regional
    settings (they take the comma for the decimal separator and expect columns split by semicolons)."""
    if delimiter in (None, ""):
        return ","
    if delimiter not in DELIMITERS:
        raise ExportRefused("delimiter", "unknown")
    return delimiter


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


def riga_moment(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) moment as an aware datetime in Europe/Riga: its offset says +02:00 or +03:00."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(RIGA)


def _local_text(local: datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def date_text(moment: datetime | None) -> str:
    """2014-03-21 14:05 in Riga time (a text: spreadsheets show it as it is, and it is quick to write)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(RIGA)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


# Rows ------------------------------------------------------------------------------------------

# Every row is a tuple in this order; each format picks its columns. The first columns are words
# in the export's language (CSV, the spreadsheet, the DOCX table); the last ones hold the same
# facts as codes and typed values (JSON, and the spreadsheet's date cells).
LABELLED_COLUMNS = ("no", "type", "id", "date", "section", "paragraph", "version", "stance", "respondent_type",
                    "submitter", "language", "status", "tags", "subgroup", "title", "text", "decision",
                    "justification_lv", "justification_en", "changed_paragraph", "campaign", "channel", "theme",
                    # a position's electronic signatures (services.signatures), several joined by "; "
                    "signature_status", "signed_by", "signature_issuer", "signed_at")
TYPED_COLUMNS = ("created_at",       # an aware datetime in Europe/Riga
                 "stance_code", "respondent_code", "status_code", "decision_code",   # codes, or None
                 "tag_list",         # the tag names, a tuple
                 "section_list",     # section numbers, a tuple (a position may name several)
                 "whole_draft",      # a position on the whole draft: True; comments: None
                 "channel_code",     # web, letter, email or meeting
                 "theme_id",         # the item's theme in the whole consultation's set, or None
                 "signature_status_code",   # a position's worst signature status, or None
                 "signature_list")   # a position's signatures: (signer or None, issuer, aware datetime, status)
COLUMNS = LABELLED_COLUMNS + TYPED_COLUMNS
COL = {name: index for index, name in enumerate(COLUMNS)}
CSV_COLUMNS = LABELLED_COLUMNS
# The spreadsheet numbers its rows itself, so the sheets leave out "No."; the text columns come
# early, so a printed page (fitted to one page wide) shows them at a readable size.
COMMENT_SHEET = ("id", "created_at", "section", "paragraph", "stance", "respondent_type", "submitter", "channel", "text",
                 "decision", "justification_lv", "justification_en", "changed_paragraph", "campaign", "theme", "tags",
                 "subgroup", "status", "version")
POSITION_SHEET = ("id", "created_at", "section", "respondent_type", "submitter", "title", "text", "decision",
                  "justification_lv", "justification_en", "changed_paragraph", "theme", "tags", "subgroup", "status",
                  "signature_status", "signed_by", "signature_issuer", "signed_at", "version")


def column_headers() -> dict[str, str]:
    """Column headers in the current locale."""
    headers = {
        "no": _("No."), "type": _("Type"), "id": _("ID"), "date": _("Date (Riga time)"), "section": _("Section"),
        "paragraph": _("Paragraph"), "version": _("Version"), "stance": _("Stance"),
        "respondent_type": _("Respondent type"), "submitter": _("Submitter"), "channel": _("Channel"),
        "language": _("Language"),
        "status": _("Moderation status"), "tags": _("Tags"), "subgroup": _("Subgroup"), "title": _("Title"),
        "text": _("Proposal"), "decision": _("Decision"), "justification_lv": _("Justification (Latvian)"),
        "justification_en": _("Justification (English)"), "changed_paragraph": _("Changed paragraph"),
        # i18n: the id of the campaign (the same or nearly the same text from many people) a comment is in
        "campaign": _("Campaign"),
        "theme": _("Theme"),
        # i18n: what the check of a position's electronic signature found, e.g. "Signature valid"
        "signature_status": _("Electronic signature"),
        "signed_by": _("Signed by"), "signature_issuer": _("Certificate authority"),
        "signed_at": _("Signing time (Riga time)"),
    }
    headers["created_at"] = headers["date"]
    return headers


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
    words: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    signature_statuses: dict[str, str] = field(default_factory=dict)


def make_labels(lang: str) -> Labels:
    with force_locale(lang):
        return Labels(
            lang=lang, headers=column_headers(),
            stances={k: str(v) for k, v in STANCES.items()},
            statuses={k: str(v) for k, v in STATUSES.items()},
            respondents={k: str(v) for k, v in RESPONDENT_TYPES.items()},
            channels={k: str(v) for k, v in CHANNELS.items()},
            signature_statuses={k: str(v) for k, v in SIGNATURE_STATUSES.items()},
            decisions=decision_labels(),
            comment=_("Comment"), position=_("Position"), whole_draft=_("Whole draft"),
            email_mask=_("[e-mail address removed]"),
            words={
                "figure": _("Figure"), "value": _("Value"), "comments": _("Comments"), "positions": _("Positions"),
                "by_stance": _("By stance"), "by_respondent": _("By respondent type"),
                "by_section": _("By section"), "by_status": _("By moderation status"),
                "by_decision": _("By decision"), "not_answered": _("Not answered"), "poll": _("Poll"),
                "answer": _("Answer"), "votes": _("Votes"), "share": _("Share"), "voters": _("Voters"),
                "scope": _("Scope"), "generated": _("Generated"), "consultation": _("Consultation"),
                "all": _("Everything"), "since": _("Since"),
                "section_n": _("Section %(number)s"), "subgroup": _("Subgroup"),
                # i18n: names of the sheets of the XLSX export (at most 31 characters)
                "polls": _("Polls"), "summary": _("Summary"),
                "group": _("Group"), "time_zone": _("Time zone"),
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
        with force_locale(self.lang):
            self.themes = stored_themes.ItemThemes(scope.consultation)
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

    def _tags(self, table, column, ids) -> dict[int, tuple[str, ...]]:
        """Item id → its tag names, cleaned (a name may hold a comma, so the list is kept as a list)."""
        names: dict[int, list[str]] = {}
        for item_id, name in db.session.execute(
                select(table.c[column], Tag.name).join(Tag, Tag.id == table.c.tag_id)
                .where(table.c[column].in_(ids)).order_by(Tag.name)).all():
            names.setdefault(item_id, []).append(self.text(name))
        return {item_id: tuple(values) for item_id, values in names.items()}

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
                   Comment.language, Section.number, Paragraph.number, Version.number,
                   func.coalesce(Comment.sender_organisation, User.display_name),   # offline: the sender's own
                   func.coalesce(Comment.sender_type, User.respondent_type), User.deleted_at, Subgroup.name_lv,
                   Subgroup.name_en, Response.decision, Response.justification_lv, Response.justification_en,
                   changed_section.number, changed_paragraph.number, changed_version.number, Comment.channel)
            .join(Section, Section.id == Comment.section_id)
            .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
            .outerjoin(Version, Version.id == Comment.version_id)
            .join(User, User.id == Comment.author_id)
            .outerjoin(Subgroup, Subgroup.id == Comment.subgroup_id)
            .outerjoin(response_comments, response_comments.c.comment_id == Comment.id)
            # A draft response is no answer yet: the file may leave the working group.
            .outerjoin(Response, (Response.id == response_comments.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
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
            themes = self.themes.of(comment_ids=[row[0] for row in batch])
            for (comment_id, created, body, stance, status, show_name, language, section, paragraph, version,
                 display_name, respondent, deleted, subgroup_lv, subgroup_en, decision, justification_lv,
                 justification_en, changed_s, changed_p, changed_v, channel) in batch:
                number += 1
                self._count("comment", status, respondent, stance, section, decision)
                respondent_label = respondents.get(respondent, respondent)
                if show_name and deleted is None and display_name and "@" not in display_name:
                    submitter = text(display_name)
                else:
                    submitter = respondent_label
                local = created.replace(tzinfo=UTC).astimezone(RIGA)
                tag_list = tags.get(comment_id, ())
                theme = themes.get(f"c{comment_id}")
                yield (number, kind, comment_id, _local_text(local), section,
                       f"{section}.{paragraph}" if paragraph is not None else "", version,
                       stances.get(stance, stance), respondent_label, submitter, language,
                       statuses.get(status, status), ", ".join(tag_list),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", "", text(body),
                       decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v),
                       campaign_of.get(comment_id, ""), labels.channels.get(channel, channel),
                       theme.label if theme else "", "", "", "", "",
                       local, stance, respondent, status, decision, tag_list, (section,), None, channel,
                       theme.id if theme else None, None, ())
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
                   changed_paragraph.number, changed_version.number, Position.signature_status)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .outerjoin(Version, Version.id == Position.version_id)
            .join(User, User.id == Position.author_id)
            .outerjoin(Subgroup, Subgroup.id == Position.subgroup_id)
            .outerjoin(response_positions, response_positions.c.position_id == Position.id)
            .outerjoin(Response, (Response.id == response_positions.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
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
                section_numbers.setdefault(position_id, []).append(section_number)
            themes = self.themes.of(position_ids=ids)
            signatures = self._signatures(ids)
            for (position_id, created, title, body, status, publish_name, whole_draft, language, organisation,
                 version, respondent, subgroup_lv, subgroup_en, decision, justification_lv, justification_en,
                 changed_s, changed_p, changed_v, signature_status) in batch:
                number += 1
                numbers = tuple(section_numbers.get(position_id, ()))
                sections = ", ".join(str(n) for n in numbers)
                section = labels.whole_draft if whole_draft or not sections else sections
                self._count("position", status, respondent, None, section, decision)
                respondent_label = labels.respondents.get(respondent, respondent)
                local = created.replace(tzinfo=UTC).astimezone(RIGA)
                tag_list = tags.get(position_id, ())
                theme = themes.get(f"p{position_id}")
                # The signer is a person: named only where the organisation agreed to be named.
                signed = tuple((signer if publish_name else None, issuer, moment, code)
                               for signer, issuer, moment, code in signatures.get(position_id, ()))
                yield (number, labels.position, position_id, _local_text(local), section, "", version, "",
                       respondent_label, text(organisation) if publish_name else respondent_label, language,
                       labels.statuses.get(status, status), ", ".join(tag_list),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", text(title), text(body),
                       labels.decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v), "",
                       labels.channels["web"], theme.label if theme else "",
                       labels.signature_statuses.get(signature_status, "") if signature_status else "",
                       _joined(signer for signer, _i, _m, _c in signed),
                       _joined(issuer for _s, issuer, _m, _c in signed),
                       _joined(_local_text(moment) if moment else "" for _s, _i, moment, _c in signed),
                       local, None, respondent, status, decision, tag_list, numbers, bool(whole_draft), "web",
                       theme.id if theme else None, signature_status, signed)
            if progress:
                progress(len(batch))

    def _signatures(self, position_ids) -> dict[int, list[tuple[str, str, datetime | None, str]]]:
        """Position id → its signatures as checked at upload: (signer, certificate authority, signing time
        as an aware Riga datetime or None, status), texts cleaned."""
        found: dict[int, list[tuple[str, str, datetime | None, str]]] = {}
        for position_id, signer, issuer, signed_at, status in db.session.execute(
                select(PositionSignature.position_id, PositionSignature.signer_name, PositionSignature.issuer_name,
                       PositionSignature.signed_at, PositionSignature.status)
                .where(PositionSignature.position_id.in_(position_ids)).order_by(PositionSignature.id)):
            found.setdefault(position_id, []).append((self.text(signer), self.text(issuer), riga_moment(signed_at),
                                                      status))
        return found

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
        headers = self.labels.headers
        if self.scope.stance:
            parts.append(f"{headers['stance']}: {self.labels.stances[self.scope.stance]}")
        if self.scope.decision:
            parts.append(f"{headers['decision']}: "
                         f"{self.labels.decisions.get(self.scope.decision, words['not_answered'])}")
        if self.scope.campaign:
            parts.append(f"{headers['campaign']}: {self.scope.campaign.id}")
        return "; ".join(parts) or words["all"]


def _joined(values) -> str:
    """Several signatures' values in one cell, "; " between them; a missing one is "–", so the signers,
    authorities and times still line up; all missing: empty."""
    values = [value or "" for value in values]
    return "; ".join(value or "–" for value in values) if any(values) else ""


def _natural(text: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


# Writers ---------------------------------------------------------------------------------------

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


# The JSON export's fields are listed in README.md ("Export JSON"); raise this when one changes meaning.
JSON_FORMAT_VERSION = 2


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 with the Riga offset, e.g. 2014-03-21T14:05:00+02:00 (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC).astimezone(RIGA)
    return moment.isoformat(timespec="seconds")


def json_chunks(exporter: Exporter, progress: Progress = None) -> Iterator[bytes]:
    """One JSON document, written piece by piece: consultation, scope, comments, positions, polls, summary.

    Stance, status, respondent type and decision are stable codes with the label in the
    export's language beside them; times are ISO 8601 with their offset; a missing value is
    null. Texts are as people wrote them: JSON is data, not a spreadsheet, so nothing is prefixed."""
    consultation = exporter.scope.consultation
    scope = exporter.scope
    head = {
        "format_version": JSON_FORMAT_VERSION,
        "consultation": {"slug": consultation.slug, "title": exporter.localised(consultation, "title"),
                         "status": consultation.status},
        "language": exporter.lang,
        "generated_at": iso_time(utcnow()),
        "time_zone": "Europe/Riga",
        "scope": {"section": scope.section.number if scope.section else None,
                  "subgroup": scope.subgroup.id if scope.subgroup else None,
                  "since": scope.since.isoformat() if scope.since else None,
                  "all_statuses": scope.all_statuses,
                  "stance": scope.stance, "decision": scope.decision,
                  "campaign": scope.campaign.id if scope.campaign else None},
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "comments": [').encode("utf-8")
    for name, rows, item in (("comments", exporter.comment_rows(progress), _json_comment),
                             ("positions", exporter.position_rows(progress),
                              lambda row: _json_position(row, exporter.labels.signature_statuses))):
        if name == "positions":
            yield b'], "positions": ['
        parts = []
        first = True
        for row in rows:
            parts.append(("" if first else ",") + json.dumps(item(row), ensure_ascii=False))
            first = False
            if len(parts) >= 500:
                yield "".join(parts).encode("utf-8")
                parts = []
        if parts:
            yield "".join(parts).encode("utf-8")
    poll_rows = list(exporter.poll_rows())
    summary = [{"group": g or None, "label": label, "count": count} for g, label, count in exporter.summary_rows()]
    yield ('], "polls": ' + json.dumps(poll_rows, ensure_ascii=False) + ', "summary": '
           + json.dumps(summary, ensure_ascii=False) + "}").encode("utf-8")


def _or_none(value):
    """An empty text or a missing number is null in JSON."""
    return None if value is None or value == "" else value


def _json_common(row: tuple) -> dict:
    decision = row[COL["decision_code"]]
    return {
        "id": row[COL["id"]],
        "created_at": iso_time(row[COL["created_at"]]),
        "version": _or_none(row[COL["version"]]),
        "respondent_type": row[COL["respondent_code"]],
        "respondent_type_label": _or_none(row[COL["respondent_type"]]),
        "submitter": _or_none(row[COL["submitter"]]),
        "language": _or_none(row[COL["language"]]),
        "status": row[COL["status_code"]],
        "status_label": _or_none(row[COL["status"]]),
        "tags": list(row[COL["tag_list"]]),
        "subgroup": _or_none(row[COL["subgroup"]]),
        "text": _or_none(row[COL["text"]]),
        "decision": decision,
        "decision_label": _or_none(row[COL["decision"]]) if decision else None,
        "justification_lv": _or_none(row[COL["justification_lv"]]),
        "justification_en": _or_none(row[COL["justification_en"]]),
        "changed_paragraph": _or_none(row[COL["changed_paragraph"]]),
        "channel": row[COL["channel_code"]],
        "channel_label": _or_none(row[COL["channel"]]),
        "theme": row[COL["theme_id"]],
        "theme_label": _or_none(row[COL["theme"]]) if row[COL["theme_id"]] is not None else None,
    }


def _json_comment(row: tuple) -> dict:
    item = _json_common(row)
    item.update({
        "section": row[COL["section"]],
        "paragraph": _or_none(row[COL["paragraph"]]),
        "stance": row[COL["stance_code"]],
        "stance_label": _or_none(row[COL["stance"]]),
        "campaign": _or_none(row[COL["campaign"]]),
    })
    return item


def _json_position(row: tuple, signature_statuses: dict[str, str]) -> dict:
    item = _json_common(row)
    item.update({
        "sections": list(row[COL["section_list"]]),
        "whole_draft": row[COL["whole_draft"]],
        "title": _or_none(row[COL["title"]]),
        "signature_status": row[COL["signature_status_code"]],
        "signature_status_label": _or_none(row[COL["signature_status"]]),
        "signatures": [{"signer": signer, "issuer": _or_none(issuer), "signed_at": iso_time(moment),
                        "status": status, "status_label": signature_statuses.get(status, status)}
                       for signer, issuer, moment, status in row[COL["signature_list"]]],
    })
    return item


# Column widths in characters of the default font: numbers and codes narrow, texts wide. Every
# cell wraps, so a long label takes a second line instead of being cut off.
XLSX_WIDTHS = {"no": 6, "type": 11, "id": 8, "date": 17, "created_at": 17, "section": 9, "paragraph": 9,
               "version": 8, "stance": 13, "respondent_type": 15, "submitter": 18, "language": 8, "status": 13,
               "tags": 14, "subgroup": 16, "title": 28, "text": 60, "decision": 14, "justification_lv": 42,
               "justification_en": 42, "changed_paragraph": 12, "campaign": 11, "channel": 11, "theme": 20,
               "signature_status": 15, "signed_by": 18, "signature_issuer": 18, "signed_at": 17}
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str) -> str:
    """A word usable as a sheet name: none of [ ] : * ? / \\ and at most 31 characters."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


def _print_setup(sheet) -> None:
    """A4 landscape, as wide as one page (as many pages down as it takes), the header row on every
    page, grid lines, and the sheet's name and page number in the footer.

    In a write-only sheet the sheet properties are written with the first row, so this comes first."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = sheet.page_setup
    setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0          # 0: as many pages down as needed
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    sheet.oddFooter.center.text = "&A – &P / &N"


# Row heights. Neither LibreOffice nor Excel fits a row's height to wrapped text when it opens a
# file, so each row gets a height for its longest text: lines × the default font's line height.
# A line is taken to hold a little fewer characters than the column width, so a wider fallback font
# (where Calibri is missing) still fits.
LINE_HEIGHT_PT = 15.0
CHARS_PER_WIDTH = 1.1
MAX_ROW_HEIGHT_PT = 409.0      # the largest height a spreadsheet row may have


def text_lines(text: str, per_line: int) -> int:
    """Lines a wrapped text takes in a column holding `per_line` characters (words may move whole)."""
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(len(part) // per_line + 1 for part in text.split("\n"))


class _Book:
    """A write-only workbook whose sheets are tables: bold wrapped header row, an autofilter over
    the rows written, a frozen header, a print set-up; texts neutralised and wrapped, datetimes as
    date cells. Styles are made once and shared among cells (one per cell would cost a lookup each)."""

    def __init__(self):
        from openpyxl import Workbook
        from openpyxl.cell import Cell
        from openpyxl.styles import Alignment, Font
        from openpyxl.worksheet.dimensions import RowDimension

        self.workbook = Workbook(write_only=True)
        self.Cell = Cell
        self.RowDimension = RowDimension
        probe = self.workbook.create_sheet("styles")   # styles belong to the workbook; a cell makes them
        top = Alignment(vertical="top")

        def style(**attributes):
            cell = Cell(probe, row=1, column=1)
            for name, value in attributes.items():
                setattr(cell, name, value)
            return cell._style

        self.header_style = style(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top"))
        self.text_style = style(alignment=Alignment(wrap_text=True, vertical="top"))
        self.number_style = style(alignment=top)
        self.date_style = style(number_format=XLSX_DATE_FORMAT, alignment=top)
        self.share_style = style(number_format="0.0%", alignment=top)
        self.workbook.remove(probe)
        self.sheet = None
        self.columns = 0
        self.rows = 0
        self.per_line: list[int] = []

    def new_sheet(self, title: str, headers, widths) -> None:
        from openpyxl.utils import get_column_letter
        self.close_sheet()
        sheet = self.sheet = self.workbook.create_sheet(sheet_name(title))
        sheet.freeze_panes = "A2"
        _print_setup(sheet)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.per_line = [max(1, int(width * CHARS_PER_WIDTH)) for width in widths]
        self.columns, self.rows = len(headers), 0
        Cell, array = self.Cell, self.header_style
        self._set_height(max(text_lines(str(v), n) for v, n in zip(headers, self.per_line)), 1)
        sheet.append([Cell(sheet, row=1, column=1, value=neutralise(v), style_array=array) for v in headers])
        sheet.row_dimensions.pop(1, None)

    def append(self, values, share_column: int | None = None) -> None:
        """One row: empty values are left out, datetimes lose their zone (a spreadsheet's dates have
        none; the rows carry Riga time)."""
        Cell, sheet, starts, per_line = self.Cell, self.sheet, FORMULA_STARTS, self.per_line
        text_style, number_style = self.text_style, self.number_style
        row = []
        lines = 1
        for index, value in enumerate(values):
            if value is None or value == "":
                row.append(None)
            elif value.__class__ is str:
                if len(value) > per_line[index] or "\n" in value:
                    lines = max(lines, text_lines(value, per_line[index]))
                row.append(Cell(sheet, row=1, column=1, value=("'" + value) if value.startswith(starts) else value,
                                style_array=text_style))
            elif isinstance(value, datetime):
                row.append(Cell(sheet, row=1, column=1, value=value.replace(tzinfo=None),
                                style_array=self.date_style))
            else:
                row.append(Cell(sheet, row=1, column=1, value=value,
                                style_array=self.share_style if index == share_column else number_style))
        self.rows += 1
        index = self.rows + 1
        tall = self._set_height(lines, index)
        sheet.append(row)
        if tall:
            # The row is written at once; dropping its dimension keeps memory flat however many rows.
            del sheet.row_dimensions[index]

    def _set_height(self, lines: int, index: int) -> bool:
        if lines <= 1:
            return False
        self.sheet.row_dimensions[index] = self.RowDimension(
            self.sheet, index=index, ht=min(MAX_ROW_HEIGHT_PT, lines * LINE_HEIGHT_PT))
        return True

    def close_sheet(self) -> None:
        """The autofilter covers the header and every row written (known only now; it is written at the end)."""
        from openpyxl.utils import get_column_letter
        if self.sheet is not None:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{self.rows + 1}"
        self.sheet = None

    def save(self, target) -> None:
        self.close_sheet()
        self.workbook.save(target)


def write_xlsx(exporter: Exporter, target, progress: Progress = None) -> None:
    """Sheets Comments, Positions, Polls and Summary, named in the export's language, written row by
    row (openpyxl write-only, so memory stays flat); each sheet is a filterable, printable table."""
    book = _Book()
    labels = exporter.labels
    words = labels.words
    for title, columns, rows in ((words["comments"], COMMENT_SHEET, exporter.comment_rows(progress)),
                                 (words["positions"], POSITION_SHEET, exporter.position_rows(progress))):
        book.new_sheet(title, [labels.headers[c] for c in columns], [XLSX_WIDTHS[c] for c in columns])
        picks = [COL[c] for c in columns]
        append = book.append
        for row in rows:
            append([row[i] for i in picks])

    book.new_sheet(words["polls"], [words["poll"], words["answer"], words["votes"], words["share"],
                                    words["voters"]], (60, 40, 10, 10, 10))
    for row in exporter.poll_rows():
        book.append([row["question"], row["option"], row["votes"], row["share"], row["voters"]], share_column=3)

    book.new_sheet(words["summary"], [words["group"], words["figure"], words["value"]], (24, 40, 60))
    consultation = exporter.scope.consultation
    book.append(["", words["consultation"], exporter.text(exporter.localised(consultation, "title"))])
    book.append(["", words["scope"], exporter.scope_text()])
    book.append(["", words["generated"], riga_moment(utcnow())])
    book.append(["", words["time_zone"], "Europe/Riga"])
    for group, label, count in exporter.summary_rows():
        book.append([group, label, count])
    book.save(target)


# Entry points ----------------------------------------------------------------------------------

def write_export(scope: Scope, fmt: str, lang: str, target, progress: Progress = None,
                 delimiter: str = ",", supports_as_rows: bool = False) -> None:
    """Writes the export to a binary file object (the CLI and the benchmark use this).

    `delimiter` is the CSV column separator (see check_delimiter); other formats ignore it. DOCX is the
    izziņa (services.izzina); supports_as_rows lists supporting comments there as rows."""
    from . import izzina
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


def filename(scope: Scope, fmt: str, lang: str) -> str:
    """An ASCII file name for Content-Disposition: letters, digits, dots and hyphens only. It ends in
    the export's language (…-2014-03-21-lv.xlsx), so the Latvian and English files can sit side by side."""
    lang = lang if lang in ("lv", "en") else "lv"
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{scope.slug()}-{utcnow().date().isoformat()}")
    return f"{name.strip('-')[:150] or 'export'}-{lang}.{fmt}"
