"""The izziņa: the official record of a consultation's proposals and the institution's answers.

A Latvian institution sends it to the government with the draft. The layout is the one
institutions use: A4 landscape; a title block (institution, consultation, period and
the counts); then one table grouped by section and point, with the columns

    No. | the point as it stood in the version commented on | the proposal or objection
    and who made it | the institution's answer with its justification | the final wording

A campaign (the same text from many people, consult.services.campaigns) is one row
with its number of copies, so thirty copies do not repeat one justification thirty
times. Supporting comments without a proposal are one count per point, unless the
caller asks for them as rows. The draft and final wordings are one merged cell per
point, so a point's text is printed once however many proposals it drew.

`build_record` reads the data (no request, no DOCX); `write_izzina` writes the file.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..clock import utcnow
from ..dates import date_text
from ..extensions import db
from ..labels import NAMELESS_ORGANISATIONS, RESPONDENT_TYPES, SIGNATURE_STATUSES, STATUSES
from ..models import (
    Comment,
    Organisation,
    Paragraph,
    Position,
    PositionSignature,
    Response,
    ResponseStatus,
    Section,
    Stance,
    Status,
    User,
    Version,
)
from ..models.organisation import position_sections
from ..models.workgroup import Decision, response_comments, response_positions
from . import feedback, publication
from .exports import BATCH, Scope, clean_text
from .exports import date_text as riga_time_text
from .izzina_text import Block, Span, lead, markdown_blocks, marked_changes, plain_blocks

Progress = Callable[[int], None] | None
NOT_ANSWERED = "none"
# The order of the answers in the title block and in a campaign's cell.
DECISION_ORDER = (Decision.ACCEPTED, Decision.PARTLY_ACCEPTED, Decision.NOT_ACCEPTED, Decision.EXPLAINED)
WHOLE_DRAFT = 0     # the "section number" of the group of positions on the whole draft
LABELS_LISTED = 8   # points named in "copies on …" and "changed points …" before an ellipsis


def decision_words() -> dict[str, str]:
    """The answers in the words of the Latvian izziņa (the site's decisions map onto them one to one)."""
    return {
        # i18n: the answer column of the izziņa: "Ņemts vērā"
        Decision.ACCEPTED: _("Taken into account"),
        # i18n: the answer column of the izziņa: "Daļēji ņemts vērā"
        Decision.PARTLY_ACCEPTED: _("Partly taken into account"),
        # i18n: the answer column of the izziņa: "Nav ņemts vērā"
        Decision.NOT_ACCEPTED: _("Not taken into account"),
        # i18n: the answer column of the izziņa for an explanation or a question: "Pieņemts zināšanai"
        Decision.EXPLAINED: _("Noted"),
    }


# The record ------------------------------------------------------------------------------------

@dataclass
class Answer:
    decision: str               # a Decision, or NOT_ANSWERED
    justification: str = ""
    changed_id: int | None = None   # the paragraph of a newer version the response says changed
    changed_label: str = ""     # its label, "3.2"
    changed_version: int | None = None
    copies: int = 1             # how many of a campaign's copies it answers


@dataclass
class Row:
    """One numbered row: a comment, a position, or a campaign (once, with its copies)."""
    who: str
    text: list[Block]
    answers: list[Answer]
    copies: int = 1             # > 1 for a campaign
    campaign_id: int | None = None
    kind: str = "comment"       # comment, position, campaign

    @property
    def decision(self) -> str:
        """The answer that covers most of the row (a campaign may be answered in parts)."""
        best = max(self.answers, key=lambda a: (a.copies, a.decision != NOT_ANSWERED))
        return best.decision


@dataclass
class Group:
    """The rows on one point (or on a section as a whole, or on the whole draft)."""
    section: int                 # WHOLE_DRAFT for the whole draft
    paragraph: int | None        # None: the section (or the draft) as a whole
    version: int | None          # the version commented on
    draft: list[Block] = field(default_factory=list)
    final: list[Block] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    supports: int = 0            # supporting comments without a proposal, counted not listed

    @property
    def key(self) -> tuple:
        return (self.section, self.paragraph is not None, self.paragraph or 0, self.version or 0)

    @property
    def label(self) -> str:
        """"2.1" for a point, "2" for a section as a whole, "" for the whole draft."""
        if self.section == WHOLE_DRAFT:
            return ""
        return f"{self.section}.{self.paragraph}" if self.paragraph is not None else str(self.section)


@dataclass
class SectionBlock:
    number: int
    title: str
    groups: list[Group] = field(default_factory=list)


@dataclass
class Record:
    lang: str
    title: str
    institution: str
    period: str
    versions: str                # the versions commented on: "1" or "1, 2"
    final_version: str           # "final wording from version 2, published …", or "" when none is newer
    scope: str                   # "" for everything
    generated: str
    sections: list[SectionBlock]
    received: int = 0            # comments and positions in the scope
    proposals: int = 0           # of them, not plain supports
    rows: int = 0
    supports: int = 0
    supports_as_rows: bool = False
    campaigns: int = 0
    campaign_copies: int = 0
    by_decision: dict[str, int] = field(default_factory=dict)


# Reading ---------------------------------------------------------------------------------------

@dataclass
class _Item:
    kind: str                    # comment or position
    item_id: int
    group: tuple                 # (section, paragraph id or None, version number or None)
    stance: str | None
    who: str
    respondent: str              # the kind of respondent, for a campaign's breakdown
    text: list[Block]
    answer: Answer
    response_id: int | None
    location: str                # "2.1" or "2", where a campaign's copy was made


class _Reader:
    """Reads the scope's comments and positions as _Items, and the draft's paragraphs."""

    def __init__(self, scope: Scope, lang: str):
        self.scope = scope
        self.consultation = scope.consultation
        self.lang = lang
        self.filters = scope.filters()
        self.mask = _("[e-mail address removed]")
        self.respondents = {k: str(v) for k, v in RESPONDENT_TYPES.items()}
        self.nameless = {k: str(v) for k, v in NAMELESS_ORGANISATIONS.items()}
        self.statuses = {k: str(v) for k, v in STATUSES.items()}
        self.signature_statuses = {k: str(v) for k, v in SIGNATURE_STATUSES.items()}
        self.paragraphs: dict[int, tuple[int, int, int, str]] = {}   # id → (section, number, version, text)
        self.by_place: dict[tuple[int, int, int], int] = {}          # (version, section, number) → id

    def text(self, value: str | None) -> str:
        return clean_text(value, self.mask)

    def localised(self, obj, name: str) -> str:
        return (getattr(obj, f"{name}_{self.lang}", "") or getattr(obj, f"{name}_lv", "") or "") if obj else ""

    def load_paragraphs(self) -> None:
        """Every paragraph of every version (a draft has hundreds, not millions)."""
        for paragraph_id, section, number, version, text_lv, text_en in db.session.execute(
                select(Paragraph.id, Section.number, Paragraph.number, Version.number, Paragraph.text_lv,
                       Paragraph.text_en)
                .join(Section, Section.id == Paragraph.section_id).join(Version, Version.id == Paragraph.version_id)
                .where(Version.consultation_id == self.consultation.id)).all():
            text = (text_en if self.lang == "en" and text_en else text_lv) or ""
            self.paragraphs[paragraph_id] = (section, number, version, text)
            self.by_place[(version, section, number)] = paragraph_id

    def answer(self, decision, justification_lv, justification_en, changed_id) -> Answer:
        if decision is None:
            return Answer(NOT_ANSWERED)
        justification = justification_en if self.lang == "en" and justification_en else justification_lv
        answer = Answer(decision, self.text(justification))
        if changed_id in self.paragraphs:
            section, number, version, _text = self.paragraphs[changed_id]
            answer.changed_id, answer.changed_label, answer.changed_version = changed_id, f"{section}.{number}", version
        return answer

    def signature_blocks(self, position_ids: list[int], named: set[int]) -> dict[int, list[Block]]:
        """Position id → a line per electronic signature, under the organisation's name: who signed
        (only where the organisation agreed to be named), the certificate authority, when, and what
        the check found."""
        blocks: dict[int, list[Block]] = defaultdict(list)
        for position_id, signer, issuer, signed_at, status in db.session.execute(
                select(PositionSignature.position_id, PositionSignature.signer_name, PositionSignature.issuer_name,
                       PositionSignature.signed_at, PositionSignature.status)
                .where(PositionSignature.position_id.in_(position_ids)).order_by(PositionSignature.id)):
            signer, issuer = self.text(signer), self.text(issuer) or _("unknown")
            line = (_("Signed by %(name)s, certificate issued by %(issuer)s", name=signer, issuer=issuer)
                    if signer and position_id in named
                    else _("Signed electronically, certificate issued by %(issuer)s", issuer=issuer))
            if signed_at is not None:
                line += ", " + riga_time_text(signed_at)
            word = self.signature_statuses.get(status, status)
            blocks[position_id].append([(f"{line} — {word[:1].lower()}{word[1:]}.", "i")])
        return blocks

    def status_note(self, status: str) -> str:
        return "" if status == Status.APPROVED else f" ({self.statuses.get(status, status)})"

    def comments(self, progress: Progress) -> Iterable[_Item]:
        version = aliased(Version)
        statement = (
            select(Comment.id, Comment.body, Comment.stance, Comment.status, Comment.show_name, Section.number,
                   Comment.paragraph_id, version.number, User.display_name, User.respondent_type, User.deleted_at,
                   Response.id, Response.decision, Response.justification_lv, Response.justification_en,
                   Response.changed_paragraph_id)
            .join(Section, Section.id == Comment.section_id)
            .outerjoin(version, version.id == Comment.version_id)
            .join(User, User.id == Comment.author_id)
            .outerjoin(response_comments, response_comments.c.comment_id == Comment.id)
            # A draft response is no answer yet: the file may leave the working group.
            .outerjoin(Response, (Response.id == response_comments.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
            .where(*feedback.comment_conditions(self.consultation, self.filters))
            .order_by(Comment.created_at, Comment.id))
        result = db.session.execute(statement.execution_options(yield_per=BATCH))
        for batch in result.partitions():
            for (comment_id, body, stance, status, show_name, section, paragraph_id, version_number, display_name,
                 respondent, deleted, response_id, decision, justification_lv, justification_en,
                 changed_id) in batch:
                kind = self.respondents.get(respondent, respondent or "")
                if show_name and deleted is None and display_name and "@" not in display_name:
                    who = self.text(display_name)
                else:
                    who = kind
                paragraph = self.paragraphs.get(paragraph_id)
                if paragraph is not None:
                    group = (section, paragraph_id, paragraph[2])
                    location = f"{section}.{paragraph[1]}"
                else:
                    group = (section, None, version_number)
                    location = str(section)
                yield _Item("comment", comment_id, group, stance, who + self.status_note(status), kind,
                            plain_blocks(self.text(body)),
                            self.answer(decision, justification_lv, justification_en, changed_id),
                            response_id, location)
            if progress:
                progress(len(batch))

    def positions(self, progress: Progress) -> Iterable[_Item]:
        conditions = feedback.position_conditions(self.consultation, self.filters)
        if conditions is None:
            return
        statement = (
            select(Position.id, Position.title, Position.body, Position.status, Position.publish_name,
                   Position.whole_draft, Organisation.name, Organisation.kind, Version.number, Response.id,
                   Response.decision, Response.justification_lv, Response.justification_en,
                   Response.changed_paragraph_id)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .outerjoin(Version, Version.id == Position.version_id)
            .outerjoin(response_positions, response_positions.c.position_id == Position.id)
            .outerjoin(Response, (Response.id == response_positions.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
            .where(*conditions).order_by(Position.created_at, Position.id))
        result = db.session.execute(statement.execution_options(yield_per=BATCH))
        for batch in result.partitions():
            numbers: dict[int, list[int]] = defaultdict(list)
            for position_id, number in db.session.execute(
                    select(position_sections.c.position_id, Section.number)
                    .join(Section, Section.id == position_sections.c.section_id)
                    .where(position_sections.c.position_id.in_([row[0] for row in batch]))
                    .order_by(Section.number)).all():
                numbers[position_id].append(number)
            signatures = self.signature_blocks([row[0] for row in batch], {row[0] for row in batch if row[4]})
            for (position_id, title, body, status, publish_name, whole_draft, name, kind, version_number,
                 response_id, decision, justification_lv, justification_en, changed_id) in batch:
                sections = numbers.get(position_id, [])
                kind_label = self.nameless.get(kind, kind)
                who = self.text(name) if publish_name else kind_label
                if len(sections) > 1 and not whole_draft:
                    who += " (" + _("sections %(numbers)s", numbers=", ".join(map(str, sections))) + ")"
                section = WHOLE_DRAFT if whole_draft or not sections else sections[0]
                blocks = plain_blocks(self.text(body))
                if title:
                    blocks = [[(self.text(title), "i")]] + blocks
                # The signature lines come first, so they stand right after the organisation's name.
                blocks = signatures.get(position_id, []) + blocks
                yield _Item("position", position_id, (section, None, version_number), None,
                            who + self.status_note(status), kind_label, blocks,
                            self.answer(decision, justification_lv, justification_en, changed_id),
                            response_id, str(section))
            if progress:
                progress(len(batch))


def _campaigns(scope: Scope) -> tuple[dict[int, int], dict[int, str]]:
    """Comment id → its campaign's id, and campaign id → its model text (the one its copies are
    closest to), among the approved comments, as the feedback table finds them."""
    from .campaigns import campaign_of
    from .summary import analyse_texts
    found = analyse_texts(scope.consultation).campaigns
    return ({item_id: campaign.id for item_id, campaign in campaign_of(found).items()},
            {campaign.id: campaign.text for campaign in found})


def _campaign_row(campaign_id: int, members: list[_Item], model: list[Block] | None) -> Row:
    """A campaign once: its copies, who sent them (by kind of respondent), the places and the answers."""
    kinds = Counter(item.respondent for item in members)
    breakdown = ", ".join(f"{kind} {format_decimal(count)}" for kind, count in kinds.most_common())
    head = ngettext("Campaign: %(num)d copy", "Campaign: %(num)d copies", len(members))
    first = [(head, "b"), (f" ({breakdown})", "")]
    places = list(dict.fromkeys(item.location for item in members))
    blocks = [first] + (model or members[0].text)
    if len(places) > 1:
        listed = ", ".join(places[:LABELS_LISTED]) + (" …" if len(places) > LABELS_LISTED else "")
        blocks.append([(_("Copies on points and sections: %(places)s", places=listed), "i")])
    answers: dict[object, Answer] = {}
    for item in members:
        key = item.response_id if item.response_id is not None else NOT_ANSWERED
        if key in answers:
            answers[key].copies += 1
        else:
            answers[key] = Answer(item.answer.decision, item.answer.justification, item.answer.changed_id,
                                  item.answer.changed_label, item.answer.changed_version)
    ordered = sorted(answers.values(), key=lambda a: (a.decision == NOT_ANSWERED, -a.copies))
    return Row(who="", text=blocks, answers=ordered, copies=len(members), campaign_id=campaign_id, kind="campaign")


def _item_row(item: _Item) -> Row:
    return Row(who=item.who, text=lead(item.text, [(item.who + ": ", "b")]), answers=[item.answer],
               kind=item.kind)


def build_record(scope: Scope, lang: str, supports_as_rows: bool = False, progress: Progress = None) -> Record:
    """Reads the scope into the izziņa's groups and counts, in the words of `lang`."""
    lang = lang if lang in ("lv", "en") else "lv"
    with force_locale(lang):
        return _build(scope, lang, supports_as_rows, progress)


def _build(scope: Scope, lang: str, supports_as_rows: bool, progress: Progress) -> Record:
    reader = _Reader(scope, lang)
    reader.load_paragraphs()
    campaign_of, models = _campaigns(scope)
    newest = publication.current_version(scope.consultation)
    groups: dict[tuple, Group] = {}
    order: dict[tuple, list] = defaultdict(list)     # group → its rows and campaign places, in order
    members: dict[int, list[_Item]] = defaultdict(list)
    received = supports = 0
    versions: set[int] = set()

    def group_of(key: tuple) -> Group:
        if key not in groups:
            section, paragraph_id, version = key
            number = reader.paragraphs[paragraph_id][1] if paragraph_id is not None else None
            groups[key] = Group(section, number, version)
        return groups[key]

    items = list(reader.comments(progress)) + list(reader.positions(progress))
    for item in items:
        received += 1
        if item.group[2] is not None:
            versions.add(item.group[2])
        group = group_of(item.group)
        if item.stance == Stance.SUPPORTS and not supports_as_rows:
            group.supports += 1
            supports += 1
            continue
        campaign = campaign_of.get(item.item_id) if item.kind == "comment" else None
        if campaign is not None:
            members[campaign].append(item)
            order[item.group].append(("campaign", campaign))
        else:
            order[item.group].append(("item", item))
    # A campaign's row goes where most of its copies are (the first such point on a tie).
    home: dict[int, tuple] = {}
    for campaign, copies in members.items():
        places = Counter(item.group for item in copies)
        home[campaign] = max(places, key=lambda key: (places[key], -copies.index(
            next(i for i in copies if i.group == key))))
    campaigns = campaign_copies = 0
    for key, entries in order.items():
        group = groups[key]
        for kind, value in entries:
            if kind == "item":
                group.rows.append(_item_row(value))
            elif home.get(value) == key:
                copies = members[value]
                if len(copies) > 1:
                    model = plain_blocks(reader.text(models[value])) if value in models else None
                    group.rows.append(_campaign_row(value, copies, model))
                    campaigns += 1
                    campaign_copies += len(copies)
                else:
                    group.rows.append(_item_row(copies[0]))
                home[value] = None   # placed: later copies in this group add no row

    wording = _Wording(reader, newest, versions)
    for key, group in groups.items():
        wording.fill(group, key, lang)
    sections = _sections(scope, groups.values(), lang)
    rows = [row for group in groups.values() for row in group.rows]
    by_decision = Counter(row.decision for row in rows)
    with_versions = newest is not None and any(v < newest.number for v in versions)
    return Record(
        lang=lang,
        title=reader.text(reader.localised(scope.consultation, "title")),
        institution=reader.text(reader.localised(scope.consultation, "institution")),
        period=_period(scope.consultation, lang),
        versions=", ".join(str(v) for v in sorted(versions)),
        final_version=(_("final wording from version %(number)s, published %(date)s", number=newest.number,
                         date=date_text(newest.published_at, "long", case="locative", lang=lang))
                       if with_versions else ""),
        scope=_scope_text(scope, lang),
        generated=date_text(utcnow(), "long", lang=lang),
        sections=sections, received=received, proposals=received - supports, rows=len(rows), supports=supports,
        supports_as_rows=supports_as_rows, campaigns=campaigns, campaign_copies=campaign_copies,
        by_decision={code: by_decision.get(code, 0) for code in (*DECISION_ORDER, NOT_ANSWERED)})


def _period(consultation, lang: str) -> str:
    start = date_text(consultation.opens_at, "short", lang=lang)
    end = date_text(consultation.closes_at, "short", lang=lang)
    return f"{start}–{end}" if start and end else start or end


def _scope_text(scope: Scope, lang: str) -> str:
    """"" for the whole consultation, otherwise what the export was limited to."""
    if not (scope.section or scope.subgroup or scope.since or scope.all_statuses):
        return ""
    from .exports import Exporter
    text = Exporter(scope, lang).scope_text()
    if scope.all_statuses:
        text += "; " + _("also items that are not published")
    return text


def _sections(scope: Scope, groups: Iterable[Group], lang: str) -> list[SectionBlock]:
    titles = {number: (title_en if lang == "en" and title_en else title_lv) for number, title_lv, title_en in
              db.session.execute(select(Section.number, Section.title_lv, Section.title_en)
                                 .where(Section.consultation_id == scope.consultation.id)).all()}
    blocks: dict[int, SectionBlock] = {}
    for group in sorted(groups, key=lambda g: g.key):
        if group.section not in blocks:
            title = _("Whole draft") if group.section == WHOLE_DRAFT else clean_text(titles.get(group.section, ""))
            blocks[group.section] = SectionBlock(group.section, title)
        blocks[group.section].groups.append(group)
    return list(blocks.values())


class _Wording:
    """The draft's wording of a point in the version commented on, and its final wording."""

    def __init__(self, reader: _Reader, newest: Version | None, commented: set[int]):
        self.reader = reader
        self.newest = newest.number if newest is not None else None
        # Only when people commented on more than one version does a point say which one.
        self.multiple = len(commented) > 1

    def _version_note(self, version: int | None, before_text: bool = False) -> Span:
        if not (self.multiple and version):
            return ("", "")
        note = "(" + _("version %(number)s", number=version) + ")"
        return (note + " ", "i") if before_text else (" " + note, "i")

    def _section_texts(self, version: int | None, section: int | None) -> dict[tuple[int, int], str]:
        return {(s, n): " ".join(t.split()) for s, n, v, t in self.reader.paragraphs.values()
                if v == version and (section is None or s == section)}

    def fill(self, group: Group, key: tuple, lang: str) -> None:
        paragraph_id = key[1]
        if paragraph_id is not None:
            section, number, version, text = self.reader.paragraphs[paragraph_id]
            label = f"{section}.{number}."
            group.draft = lead(markdown_blocks(self.reader.text(text)),
                                [(label + " ", "b"), self._version_note(version, before_text=True)])
            group.final = self._final_point(group, section, number, version, text)
            return
        if group.section == WHOLE_DRAFT:
            group.draft = [[(_("The draft as a whole"), "i"), self._version_note(group.version)]]
        else:
            group.draft = [[(_("The section as a whole"), "i"), self._version_note(group.version)]]
        group.final = self._final_many(None if group.section == WHOLE_DRAFT else group.section, group.version)

    def _unchanged(self) -> list[Block]:
        return [[(_("Unchanged"), "i")]]

    def _final_point(self, group: Group, section: int, number: int, version: int, text: str) -> list[Block]:
        """The newest published version's wording of the point: the points the answers name as changed,
        otherwise the point with the same number."""
        if self.newest is None or version is None or self.newest <= version:
            return self._unchanged()
        paragraphs = self.reader.paragraphs
        named = [answer.changed_id for row in group.rows for answer in row.answers if answer.changed_id]
        targets = list(dict.fromkeys(pid for pid in named if paragraphs[pid][2] == self.newest))
        if not targets:
            same = self.reader.by_place.get((self.newest, section, number))
            if same is None:
                return [[(_("The point was removed in version %(number)s.", number=self.newest), "i")]]
            if " ".join(paragraphs[same][3].split()) == " ".join(text.split()):
                return self._unchanged()
            targets = [same]
        blocks: list[Block] = []
        for pid in targets:
            s, n, _v, new_text = paragraphs[pid]
            new_blocks = marked_changes(markdown_blocks(self.reader.text(text)),
                                        markdown_blocks(self.reader.text(new_text)))
            blocks += lead(new_blocks, [(f"{s}.{n}. ", "b")])
        return blocks

    def _final_many(self, section: int | None, version: int | None) -> list[Block]:
        """For a section (or the draft) as a whole: unchanged, or which points changed."""
        if self.newest is None or version is None or self.newest <= version:
            return self._unchanged()
        before, after = self._section_texts(version, section), self._section_texts(self.newest, section)
        changed = sorted(place for place in before.keys() | after.keys() if before.get(place) != after.get(place))
        if not changed:
            return self._unchanged()
        labels = [f"{s}.{n}" for s, n in changed]
        listed = ", ".join(labels[:LABELS_LISTED]) + (" …" if len(labels) > LABELS_LISTED else "")
        return [[(_("Changed in version %(number)s: points %(points)s", number=self.newest, points=listed), "i")]]


def write_izzina(scope: Scope, lang: str, target, progress: Progress = None, supports_as_rows: bool = False) -> None:
    """Writes the izziņa of the scope as DOCX to a binary file object."""
    from .izzina_docx import izzina_document
    record = build_record(scope, lang, supports_as_rows, progress)
    with force_locale(record.lang):
        document = izzina_document(record)
    document.save(target)
