"""Reading the record of a scope: its comments and positions in batches, campaigns as one row, the answers, grouped
by section and point."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ...clock import utcnow
from ...dates import date_text
from ...extensions import db
from ...labels import NAMELESS_ORGANISATIONS, RESPONDENT_TYPES, SIGNATURE_STATUSES, STATUSES
from ...models import (
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
from ...models.organisation import position_sections
from ...models.workgroup import response_comments, response_positions
from .. import feedback, publication
from ..exports import BATCH, Scope, clean_text
from ..exports import date_text as riga_time_text
from .record import (
    DECISION_ORDER,
    LABELS_LISTED,
    NOT_ANSWERED,
    WHOLE_DRAFT,
    Answer,
    Group,
    Progress,
    Record,
    Row,
    SectionBlock,
)
from .text import Block, lead, plain_blocks
from .wording import _Wording


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
    from ..campaigns import campaign_of
    from ..summary import analyse_texts
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
    from ..exports import Exporter
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
