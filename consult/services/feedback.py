"""The working group's view of the feedback: memberships, the filtered table, tags and subgroups.

The table mixes comments and positions. A page is chosen with one UNION query over
both (kind, id, date), then each kind is loaded by id with what it shows (author,
section, paragraph, tags, response) in a fixed number of queries, so the cost of a
page does not grow with its size.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, delete, exists, func, literal_column, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Channel,
    Comment,
    Consultation,
    Paragraph,
    Position,
    Response,
    ResponseStatus,
    Role,
    Section,
    Status,
    Subgroup,
    Tag,
    User,
    WorkgroupMember,
)
from ..models.consultation import subgroup_sections
from ..models.organisation import position_sections
from ..models.theme import ThemeMember
from ..models.workgroup import comment_tags, member_subgroups, position_tags, response_comments, response_positions
from . import ids
from .refusals import Refused

RIGA = ZoneInfo("Europe/Riga")
PER_PAGE_CHOICES = (25, 50, 100)
TAG_MAX_CHARS = 60
NOT_ANSWERED = "none"
DRAFT = "draft"              # the decision filter's "draft, not approved yet"
UNASSIGNED = "none"          # the assignee filter's "assigned to nobody"
ALL_STATUSES = "all"
_REF = re.compile(r"^([cp])(\d{1,10})$")


# Membership ------------------------------------------------------------------------------------

def consultation_by_slug(slug: str) -> Consultation | None:
    if not slug or len(slug) > 120:
        return None
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def membership(consultation: Consultation, user) -> WorkgroupMember | None:
    """The user's membership of this consultation's working group (admins need one too)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(WorkgroupMember).where(
        WorkgroupMember.consultation_id == consultation.id, WorkgroupMember.user_id == user.id))


def member_consultations(user) -> list[Consultation]:
    return list(db.session.scalars(
        select(Consultation).join(WorkgroupMember, WorkgroupMember.consultation_id == Consultation.id)
        .where(WorkgroupMember.user_id == user.id)
        .order_by(Consultation.opens_at.desc().nulls_last(), Consultation.id.desc())))


def members_of(consultation: Consultation) -> list[WorkgroupMember]:
    return list(db.session.scalars(
        select(WorkgroupMember).where(WorkgroupMember.consultation_id == consultation.id)
        .options(joinedload(WorkgroupMember.user), selectinload(WorkgroupMember.subgroups))
        .join(User, User.id == WorkgroupMember.user_id).order_by(User.display_name, User.id)))


def member_choices(consultation: Consultation) -> list[WorkgroupMember]:
    """The members with their accounts only (for the assignee lists): one query."""
    return list(db.session.scalars(
        select(WorkgroupMember).where(WorkgroupMember.consultation_id == consultation.id)
        .options(joinedload(WorkgroupMember.user))
        .join(User, User.id == WorkgroupMember.user_id).order_by(User.display_name, User.id)))


def member_counts() -> dict[int, int]:
    return dict(db.session.execute(select(WorkgroupMember.consultation_id, func.count())
                                   .group_by(WorkgroupMember.consultation_id)).all())


def add_member(consultation: Consultation, email: str, subgroup_ids: list[int]) -> WorkgroupMember:
    """Adds the person with this e-mail address; they must have the working-group (or admin) role."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or user.deleted_at is not None:
        raise Refused("feedback.no_user", field="email")
    if user.role not in (Role.WORKGROUP, Role.ADMIN):
        raise Refused("feedback.role", field="email")
    if membership(consultation, user) is not None:
        raise Refused("feedback.already_member", field="email")
    member = WorkgroupMember(consultation_id=consultation.id, user_id=user.id,
                             subgroups=_subgroups(consultation, subgroup_ids))
    db.session.add(member)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("feedback.already_member", field="email") from None
    return member


def set_member_subgroups(member: WorkgroupMember, subgroup_ids: list[int], lead_ids: list[int] = ()) -> None:
    """The member's subgroups, and those of them the member leads (a lead of a subgroup not chosen is ignored)."""
    member.subgroups = _subgroups(member.consultation, subgroup_ids)
    db.session.flush()
    chosen = {g.id for g in member.subgroups}
    leads = [i for i in lead_ids if i in chosen]
    db.session.execute(update(member_subgroups).where(member_subgroups.c.member_id == member.id)
                       .values(is_lead=member_subgroups.c.subgroup_id.in_(leads) if leads else False))
    db.session.commit()


def lead_ids_by_member(consultation: Consultation) -> dict[int, set[int]]:
    """member id → the subgroups that member leads."""
    result: dict[int, set[int]] = {}
    for member_id, subgroup_id in db.session.execute(
            select(member_subgroups.c.member_id, member_subgroups.c.subgroup_id)
            .join(WorkgroupMember, WorkgroupMember.id == member_subgroups.c.member_id)
            .where(WorkgroupMember.consultation_id == consultation.id, member_subgroups.c.is_lead.is_(True))).all():
        result.setdefault(member_id, set()).add(subgroup_id)
    return result


def remove_member(member: WorkgroupMember) -> None:
    db.session.delete(member)
    db.session.commit()


def member(consultation: Consultation, member_id: int) -> WorkgroupMember | None:
    if not ids.in_range(member_id):
        return None
    return db.session.scalar(select(WorkgroupMember).where(WorkgroupMember.id == member_id,
                                                           WorkgroupMember.consultation_id == consultation.id))


def _subgroups(consultation: Consultation, subgroup_ids: list[int]) -> list[Subgroup]:
    wanted = {i for i in subgroup_ids if ids.in_range(i)}
    if not wanted:
        return []
    return list(db.session.scalars(select(Subgroup).where(Subgroup.consultation_id == consultation.id,
                                                          Subgroup.id.in_(wanted)).order_by(Subgroup.position)))


def subgroups(consultation: Consultation) -> list[Subgroup]:
    return list(db.session.scalars(select(Subgroup).where(Subgroup.consultation_id == consultation.id)
                                   .order_by(Subgroup.position, Subgroup.id)))


def subgroup(consultation: Consultation, subgroup_id: int | None) -> Subgroup | None:
    if subgroup_id is None or not ids.in_range(subgroup_id):
        return None
    return db.session.scalar(select(Subgroup).where(Subgroup.id == subgroup_id,
                                                    Subgroup.consultation_id == consultation.id))


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


def tags(consultation: Consultation) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.consultation_id == consultation.id)
                                   .order_by(func.lower(Tag.name), Tag.id)))


# Filters ---------------------------------------------------------------------------------------

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


def text_contains(column, text: str):
    """`column` contains `text`, ignoring case (Latvian letters too); % and _ are matched literally."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.consult_fold(column).contains(fold(text), autoescape=True)
    return column.icontains(text, autoescape=True)


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


# The page --------------------------------------------------------------------------------------

@dataclass
class FeedbackItem:
    kind: str                      # "comment" or "position"
    item: Comment | Position
    tags: list[Tag] = field(default_factory=list)
    response: Response | None = None
    sections: list[Section] = field(default_factory=list)   # a position's sections

    @property
    def ref(self) -> str:
        return ("c" if self.kind == "comment" else "p") + str(self.item.id)


# Counting every match of a consultation with a million comments takes longer than the page
# itself; past this many the table says "more than" and pages on without a last page.
COUNT_LIMIT = 10_000


@dataclass
class FeedbackPage:
    items: list[FeedbackItem]
    total: int                 # at most COUNT_LIMIT, see more_than
    page: int
    per_page: int
    more_than: bool = False    # more items match than `total`
    has_next: bool = False

    @property
    def pages(self) -> int:
        """The number of pages, or (with more_than) of the pages counted so far."""
        return max(1, -(-self.total // self.per_page))


def feedback_page(consultation: Consultation, f: Filters, page: int = 1, per_page: int = 25) -> FeedbackPage:
    counted = _refs_query(consultation, f, first=COUNT_LIMIT + 1)
    if counted is None:
        return FeedbackPage([], 0, page, per_page)
    total = db.session.scalar(select(func.count()).select_from(counted)) or 0
    more_than = total > COUNT_LIMIT
    refs = _refs_query(consultation, f, first=page * per_page + 1)
    rows = db.session.execute(select(refs.c.kind, refs.c.id).order_by(
        refs.c.created_at.desc(), refs.c.kind, refs.c.id.desc()).limit(per_page + 1)
        .offset((page - 1) * per_page)).all()
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    comment_ids = [row.id for row in rows if row.kind == "c"]
    position_ids = [row.id for row in rows if row.kind == "p"]
    loaded = load_items(comment_ids, position_ids)
    items = [loaded[("c" if row.kind == "c" else "p") + str(row.id)] for row in rows
             if (("c" if row.kind == "c" else "p") + str(row.id)) in loaded]
    return FeedbackPage(items, min(total, COUNT_LIMIT), page, per_page, more_than, has_next)


def count_items(consultation: Consultation, f: Filters) -> int:
    refs = _refs_query(consultation, f)
    return 0 if refs is None else db.session.scalar(select(func.count()).select_from(refs)) or 0


def all_refs(consultation: Consultation, f: Filters, limit: int) -> list[str]:
    """Refs of every item the filters match (at most `limit`), oldest first."""
    refs = _refs_query(consultation, f)
    if refs is None:
        return []
    rows = db.session.execute(select(refs.c.kind, refs.c.id).order_by(refs.c.created_at, refs.c.kind, refs.c.id)
                              .limit(limit)).all()
    return [f"{row.kind}{row.id}" for row in rows]


def load_items(comment_ids: list[int], position_ids: list[int], approved_only: bool = False) -> dict[str, FeedbackItem]:
    """Comments and positions by id with their tags, responses and sections: seven queries whatever the count.

    approved_only: a draft response is left out, as if there were none (the public pages)."""
    comments = db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids)).options(
        joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.paragraph),
        joinedload(Comment.version), joinedload(Comment.subgroup), joinedload(Comment.entered_by))).unique().all()
    positions = db.session.scalars(select(Position).where(Position.id.in_(position_ids)).options(
        joinedload(Position.author), joinedload(Position.organisation), joinedload(Position.subgroup),
        joinedload(Position.version), selectinload(Position.signatures))).unique().all()
    result: dict[str, FeedbackItem] = {}
    for comment in comments:
        result[f"c{comment.id}"] = FeedbackItem("comment", comment)
    for position in positions:
        result[f"p{position.id}"] = FeedbackItem("position", position)
    for comment_id, tag in db.session.execute(
            select(comment_tags.c.comment_id, Tag).join(Tag, Tag.id == comment_tags.c.tag_id)
            .where(comment_tags.c.comment_id.in_(comment_ids)).order_by(func.lower(Tag.name))).all():
        result[f"c{comment_id}"].tags.append(tag)
    for position_id, tag in db.session.execute(
            select(position_tags.c.position_id, Tag).join(Tag, Tag.id == position_tags.c.tag_id)
            .where(position_tags.c.position_id.in_(position_ids)).order_by(func.lower(Tag.name))).all():
        result[f"p{position_id}"].tags.append(tag)
    response_options = (joinedload(Response.changed_paragraph).joinedload(Paragraph.section),
                        joinedload(Response.changed_paragraph).joinedload(Paragraph.version))
    response_status = (Response.status == ResponseStatus.APPROVED,) if approved_only else ()
    for comment_id, response in db.session.execute(
            select(response_comments.c.comment_id, Response)
            .join(Response, Response.id == response_comments.c.response_id)
            .where(response_comments.c.comment_id.in_(comment_ids), *response_status)
            .options(*response_options)).unique().all():
        result[f"c{comment_id}"].response = response
    for position_id, response in db.session.execute(
            select(response_positions.c.position_id, Response)
            .join(Response, Response.id == response_positions.c.response_id)
            .where(response_positions.c.position_id.in_(position_ids), *response_status)
            .options(*response_options)).unique().all():
        result[f"p{position_id}"].response = response
    for position_id, section in db.session.execute(
            select(position_sections.c.position_id, Section).join(Section, Section.id == position_sections.c.section_id)
            .where(position_sections.c.position_id.in_(position_ids)).order_by(Section.number)).all():
        result[f"p{position_id}"].sections.append(section)
    return result


def items_of(consultation: Consultation, raw_refs) -> list[FeedbackItem]:
    """The consultation's items named by refs ("c12", "p3"), in the given order; others are left out."""
    comment_ids, position_ids = split_refs(raw_refs)
    loaded = load_items(comment_ids, position_ids)
    ordered = []
    for raw in dict.fromkeys(raw_refs or ()):
        item = loaded.get(raw)
        if item is not None and item.item.consultation_id == consultation.id:
            ordered.append(item)
    return ordered


# Bulk actions ----------------------------------------------------------------------------------

def normalise_tag(name: str | None) -> str:
    value = unicodedata.normalize("NFC", name or "")
    return " ".join(value.split())


def _own_ids(consultation: Consultation, comment_ids: list[int], position_ids: list[int]) -> tuple[list, list]:
    """Only ids that belong to this consultation."""
    comments = list(db.session.scalars(select(Comment.id).where(
        Comment.id.in_(comment_ids), Comment.consultation_id == consultation.id))) if comment_ids else []
    positions = list(db.session.scalars(select(Position.id).where(
        Position.id.in_(position_ids), Position.consultation_id == consultation.id))) if position_ids else []
    return comments, positions


def get_or_create_tag(consultation: Consultation, name: str) -> Tag:
    name = normalise_tag(name)
    if not name or len(name) > TAG_MAX_CHARS:
        raise Refused("feedback.tag", field="tag")
    existing = next((t for t in tags(consultation) if t.name.casefold() == name.casefold()), None)
    if existing is not None:
        return existing
    tag = Tag(consultation_id=consultation.id, name=name)
    db.session.add(tag)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Tag).where(Tag.consultation_id == consultation.id, Tag.name == name))
        if existing is None:
            raise
        return existing
    return tag


def tag_items(consultation: Consultation, raw_refs, name: str) -> int:
    """Adds the tag (created when new) to the items; returns how many items were selected."""
    comment_ids, position_ids = _own_ids(consultation, *split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("feedback.no_items", field="items")
    tag = get_or_create_tag(consultation, name)
    for table, column, wanted in ((comment_tags, "comment_id", comment_ids), (position_tags, "position_id",
                                                                              position_ids)):
        if not wanted:
            continue
        present = set(db.session.scalars(select(table.c[column]).where(table.c.tag_id == tag.id,
                                                                        table.c[column].in_(wanted))))
        rows = [{column: i, "tag_id": tag.id} for i in wanted if i not in present]
        if rows:
            db.session.execute(table.insert(), rows)
    db.session.commit()
    return len(comment_ids) + len(position_ids)


def untag_items(consultation: Consultation, raw_refs, name: str) -> int:
    comment_ids, position_ids = _own_ids(consultation, *split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("feedback.no_items", field="items")
    wanted = normalise_tag(name).casefold()
    tag = next((t for t in tags(consultation) if t.name.casefold() == wanted), None)
    if tag is None:
        raise Refused("feedback.unknown_tag", field="tag")
    if comment_ids:
        db.session.execute(delete(comment_tags).where(comment_tags.c.tag_id == tag.id,
                                                      comment_tags.c.comment_id.in_(comment_ids)))
    if position_ids:
        db.session.execute(delete(position_tags).where(position_tags.c.tag_id == tag.id,
                                                       position_tags.c.position_id.in_(position_ids)))
    db.session.commit()
    return len(comment_ids) + len(position_ids)


def assign_subgroup(consultation: Consultation, raw_refs, subgroup_id: int | None) -> int:
    """Assigns the items to a subgroup of this consultation (None: takes the assignment away)."""
    comment_ids, position_ids = _own_ids(consultation, *split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("feedback.no_items", field="items")
    if subgroup_id is not None and subgroup(consultation, subgroup_id) is None:
        raise Refused("feedback.subgroup", field="subgroup")
    if comment_ids:
        db.session.execute(update(Comment).where(Comment.id.in_(comment_ids)).values(subgroup_id=subgroup_id)
                           .execution_options(synchronize_session=False))
    if position_ids:
        db.session.execute(update(Position).where(Position.id.in_(position_ids)).values(subgroup_id=subgroup_id)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(comment_ids) + len(position_ids)


# For the digests and summaries -----------------------------------------------------------------

def member_section_ids(member: WorkgroupMember) -> list[int] | None:
    """Sections the member's subgroups cover; None when the member is in no subgroup (= everything)."""
    subgroup_ids = [s.id for s in member.subgroups]
    if not subgroup_ids:
        return None
    return list(db.session.scalars(select(subgroup_sections.c.section_id).where(
        subgroup_sections.c.subgroup_id.in_(subgroup_ids)).distinct()))
