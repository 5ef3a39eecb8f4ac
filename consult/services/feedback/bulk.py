"""The table's bulk actions: tags added and removed, items assigned to a subgroup."""
from __future__ import annotations

import unicodedata

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Comment, Consultation, Position, Tag
from ...models.workgroup import comment_tags, position_tags
from ..refusals import Refused
from .filters import split_refs
from .membership import subgroup

TAG_MAX_CHARS = 60


def tags(consultation: Consultation) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.consultation_id == consultation.id)
                                   .order_by(func.lower(Tag.name), Tag.id)))


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


def set_on_items(comment_ids, position_ids, **values) -> None:
    """The same column values on these comments and positions: one UPDATE for each kind."""
    for model, ids in ((Comment, comment_ids), (Position, position_ids)):
        if ids:
            db.session.execute(update(model).where(model.id.in_(ids)).values(**values)
                               .execution_options(synchronize_session=False))


def assign_subgroup(consultation: Consultation, raw_refs, subgroup_id: int | None) -> int:
    """Assigns the items to a subgroup of this consultation (None: takes the assignment away)."""
    comment_ids, position_ids = _own_ids(consultation, *split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("feedback.no_items", field="items")
    if subgroup_id is not None and subgroup(consultation, subgroup_id) is None:
        raise Refused("feedback.subgroup", field="subgroup")
    set_on_items(comment_ids, position_ids, subgroup_id=subgroup_id)
    db.session.commit()
    return len(comment_ids) + len(position_ids)
