"""The table's filters and the item references (c12, p3), as conditions on the comments and positions of a
consultation."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, exists, func, literal_column, or_, select

from ...extensions import db
from ...models import (
    Channel,
    Comment,
    Consultation,
    Paragraph,
    Position,
    Response,
    ResponseStatus,
    Section,
    Status,
    User,
)
from ...models.consultation import subgroup_sections
from ...models.organisation import position_sections
from ...models.theme import ThemeMember
from ...models.workgroup import comment_tags, position_tags, response_comments, response_positions
from .. import ids

RIGA = ZoneInfo("Europe/Riga")
PER_PAGE_CHOICES = (25, 50, 100)


NOT_ANSWERED = "none"
DRAFT = "draft"              # the decision filter's "draft, not approved yet"
UNASSIGNED = "none"          # the assignee filter's "assigned to nobody"
ALL_STATUSES = "all"
_REF = re.compile(r"^([cp])(\d{1,10})$")


def sections(consultation: Consultation) -> list[Section]:
    return list(db.session.scalars(select(Section).where(Section.consultation_id == consultation.id)
                                   .order_by(Section.number)))


def paragraph_labels(consultation: Consultation) -> list[str]:
    """Every paragraph label (3.2) of any version, in document order."""
    rows = db.session.execute(
        select(Section.number, Paragraph.number).join(Paragraph, Paragraph.section_id == Section.id)
        .where(Section.consultation_id == consultation.id).distinct()
        .order_by(Section.number, Paragraph.number)).all()
    return [f"{s}.{p}" for s, p in rows]


@dataclass
class Filters:
    kind: str = "all"                 # all, comments, positions
    section: int | None = None        # section number
    paragraph: tuple[int, int] | None = None   # (section number, paragraph number)
    stance: str | None = None
    respondent_type: str | None = None
    status: str = Status.APPROVED     # a moderation status, or "all"
    tag_id: int | None = None
    subgroup_id: int | None = None
    decision: str | None = None       # a Decision, or "none" for not answered
    date_from: date | None = None     # Riga dates, inclusive
    date_to: date | None = None
    text: str = ""
    campaign_ids: list | None = None  # the members of one campaign (consult.services.campaigns), or None for any
    channel: str | None = None        # a Channel: web, or how an offline submission came
    theme_id: int | None = None       # a theme of this consultation (consult.services.stored_themes)
    assignee_id: int | str | None = None   # a member's id, or UNASSIGNED
    # Public readers (izziņa, exports) count only approved responses as answers; the working
    # group's table counts drafts too, and can ask for them with decision=DRAFT.
    approved_only: bool = False


def riga_start(day: date) -> datetime:
    """The UTC (naive) moment a Riga calendar day starts."""
    return datetime.combine(day, time.min, tzinfo=RIGA).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def parse_ref(raw: str) -> tuple[str, int] | None:
    match = _REF.match(raw or "")
    if not match or not ids.in_range(int(match.group(2))):
        return None
    return match.group(1), int(match.group(2))


def split_refs(raw_refs) -> tuple[list[int], list[int]]:
    """("c12", "p3" …) → (comment ids, position ids); anything malformed is ignored."""
    comments, positions = [], []
    for raw in raw_refs or ():
        parsed = parse_ref(raw)
        if parsed:
            (comments if parsed[0] == "c" else positions).append(parsed[1])
    return sorted(set(comments)), sorted(set(positions))


def fold(text: str) -> str:
    """Lower case for every alphabet (SQLite's lower() folds only A–Z, so Ā would stay Ā)."""
    return unicodedata.normalize("NFC", text or "").casefold()


def register_sqlite_fold(engine) -> None:
    """Gives SQLite connections a consult_fold() SQL function, for case-insensitive Latvian text filters."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _add_fold(dbapi_connection, _record):
        dbapi_connection.create_function("consult_fold", 1, lambda value: fold(value) if value is not None else None,
                                         deterministic=True)


# Stands for a space in the trigram index of comments (migration e3a9c4f7b210): a letter, so
# pg_trgm's trigrams cross the spaces and a phrase finds only comments with its words side by side.
JOINED_SPACE = "ǂ"


def text_contains(column, text: str):
    """`column` contains `text`, ignoring case (Latvian letters too); % and _ are matched literally."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.consult_fold(column).contains(fold(text), autoescape=True)
    # ILIKE, which the trigram indexes serve; lower(column) LIKE … would read every row.
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    if column is Comment.body:
        # Written out as the index's expression (constants, not parameters), so the planner matches it.
        joined = func.replace(column, literal_column("' '"), literal_column(f"'{JOINED_SPACE}'"))
        return joined.ilike(f"%{escaped.replace(' ', JOINED_SPACE)}%", escape="/")
    return column.ilike(f"%{escaped}%", escape="/")


def _covered_by_subgroup(subgroup_id: int):
    return select(subgroup_sections.c.section_id).where(subgroup_sections.c.subgroup_id == subgroup_id)


def _decision_conditions(f: Filters, link_column, model) -> list:
    """The response filter on comments or positions (link_column: the proposal's column of its link table)."""
    if not f.decision:
        return []
    link = link_column.table
    answered = [link_column == model.id]
    if f.approved_only or f.decision == DRAFT:
        answered += [link.c.response_id == Response.id,
                     Response.status == (ResponseStatus.DRAFT if f.decision == DRAFT else ResponseStatus.APPROVED)]
    if f.decision == NOT_ANSWERED:
        return [~exists().where(*answered).correlate(model)]
    if f.decision == DRAFT:
        return [exists().where(*answered).correlate(model)]
    return [exists().where(*answered, link.c.response_id == Response.id,
                           Response.decision == f.decision).correlate(model)]


def _assignee_conditions(f: Filters, model) -> list:
    if f.assignee_id is None:
        return []
    if f.assignee_id == UNASSIGNED:
        return [model.assignee_id.is_(None)]
    return [model.assignee_id == f.assignee_id]


def comment_conditions(consultation: Consultation, f: Filters) -> list:
    conditions = [Comment.consultation_id == consultation.id]
    if f.status != ALL_STATUSES:
        conditions.append(Comment.status == f.status)
    if f.section is not None:
        conditions.append(Comment.section_id.in_(select(Section.id).where(
            Section.consultation_id == consultation.id, Section.number == f.section)))
    if f.paragraph is not None:
        conditions.append(Comment.paragraph_id.in_(
            select(Paragraph.id).join(Section, Section.id == Paragraph.section_id).where(
                Section.consultation_id == consultation.id, Section.number == f.paragraph[0],
                Paragraph.number == f.paragraph[1])))
    if f.stance:
        conditions.append(Comment.stance == f.stance)
    if f.respondent_type:
        # An offline submission's sender has a respondent type of its own; others have their author's.
        conditions.append(or_(Comment.sender_type == f.respondent_type, and_(
            Comment.sender_type.is_(None),
            Comment.author_id.in_(select(User.id).where(User.respondent_type == f.respondent_type)))))
    if f.channel:
        conditions.append(Comment.channel == f.channel)
    if f.tag_id is not None:
        conditions.append(exists().where(comment_tags.c.comment_id == Comment.id, comment_tags.c.tag_id == f.tag_id))
    if f.subgroup_id is not None:
        conditions.append(or_(Comment.subgroup_id == f.subgroup_id,
                              and_(Comment.subgroup_id.is_(None),
                                   Comment.section_id.in_(_covered_by_subgroup(f.subgroup_id)))))
    # The response subqueries correlate with the comment alone: a query that also joins the
    # responses (the exports do) would otherwise leave them with no table of their own.
    conditions.extend(_decision_conditions(f, response_comments.c.comment_id, Comment))
    conditions.extend(_assignee_conditions(f, Comment))
    if f.date_from:
        conditions.append(Comment.created_at >= riga_start(f.date_from))
    if f.date_to:
        conditions.append(Comment.created_at < riga_start(f.date_to + timedelta(days=1)))
    if f.text:
        conditions.append(text_contains(Comment.body, f.text))
    if f.campaign_ids is not None:
        conditions.append(Comment.id.in_(f.campaign_ids))
    if f.theme_id is not None:
        conditions.append(Comment.id.in_(select(ThemeMember.comment_id).where(ThemeMember.theme_id == f.theme_id)))
    return conditions


def position_conditions(consultation: Consultation, f: Filters) -> list | None:
    """None when the filters cannot match a position (positions have no paragraph, stance or campaign,
    and come only through the site)."""
    if f.paragraph is not None or f.stance or f.campaign_ids is not None or f.channel not in (None, Channel.WEB):
        return None
    conditions = [Position.consultation_id == consultation.id]
    if f.status != ALL_STATUSES:
        conditions.append(Position.status == f.status)
    if f.section is not None:
        conditions.append(or_(Position.whole_draft.is_(True), exists().where(
            position_sections.c.position_id == Position.id, position_sections.c.section_id == Section.id,
            Section.consultation_id == consultation.id, Section.number == f.section)))
    if f.respondent_type:
        conditions.append(Position.author_id.in_(select(User.id).where(User.respondent_type == f.respondent_type)))
    if f.tag_id is not None:
        conditions.append(exists().where(position_tags.c.position_id == Position.id,
                                         position_tags.c.tag_id == f.tag_id))
    if f.subgroup_id is not None:
        covered = exists().where(position_sections.c.position_id == Position.id,
                                 position_sections.c.section_id.in_(_covered_by_subgroup(f.subgroup_id)))
        conditions.append(or_(Position.subgroup_id == f.subgroup_id,
                              and_(Position.subgroup_id.is_(None), or_(Position.whole_draft.is_(True), covered))))
    conditions.extend(_decision_conditions(f, response_positions.c.position_id, Position))
    conditions.extend(_assignee_conditions(f, Position))
    if f.date_from:
        conditions.append(Position.created_at >= riga_start(f.date_from))
    if f.date_to:
        conditions.append(Position.created_at < riga_start(f.date_to + timedelta(days=1)))
    if f.text:
        conditions.append(or_(text_contains(Position.body, f.text), text_contains(Position.title, f.text)))
    if f.theme_id is not None:
        conditions.append(Position.id.in_(select(ThemeMember.position_id).where(ThemeMember.theme_id == f.theme_id)))
    return conditions


def _refs_query(consultation: Consultation, f: Filters, first: int | None = None):
    """(kind, id, created_at) of the matching comments and positions; with `first`, only the first
    `first` of each kind in the table's order (newest first), so each reads its index in order and
    stops there instead of sorting every match (a database does not push the order into a UNION)."""
    parts = []
    if f.kind in ("all", "comments"):
        parts.append(select(literal_column("'c'", String).label("kind"), Comment.id.label("id"),
                            Comment.created_at.label("created_at")).where(*comment_conditions(consultation, f)))
    position_where = position_conditions(consultation, f) if f.kind in ("all", "positions") else None
    if position_where is not None:
        parts.append(select(literal_column("'p'", String).label("kind"), Position.id.label("id"),
                            Position.created_at.label("created_at")).where(*position_where))
    if not parts:
        return None
    if first is not None:
        bounded = []
        for part in parts:
            inner = part.order_by(part.selected_columns.created_at.desc(), part.selected_columns.id.desc()) \
                .limit(first).subquery()
            bounded.append(select(inner.c.kind, inner.c.id, inner.c.created_at))
        parts = bounded
    return (parts[0] if len(parts) == 1 else parts[0].union_all(*parts[1:])).subquery()
