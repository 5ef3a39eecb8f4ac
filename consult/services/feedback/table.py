"""A page of the feedback table: one UNION query picks the page, then each kind is loaded by id."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Comment, Consultation, Paragraph, Position, Response, ResponseStatus, Section, Tag
from ...models.organisation import position_sections
from ...models.workgroup import comment_tags, position_tags, response_comments, response_positions
from .filters import Filters, _refs_query, split_refs


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
