"""Keeping the index current: the session events that rewrite the rows of whatever a flush publishes, approves,
hides, edits or deletes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, event, inspect, select, true
from sqlalchemy.orm import Session

from ...models import (
    Comment,
    Consultation,
    FaqItem,
    NewsItem,
    Paragraph,
    Position,
    SearchEntry,
    SearchKind,
    Section,
    Status,
    Version,
)
from .indexing import _chunks, _ids, consultation_targets, reindex_objects

_PENDING = "consult.search.pending"
# The models whose changes reach the index; paragraphs and versions through their sections.
_KINDS = {Comment: SearchKind.COMMENT, Position: SearchKind.POSITION, NewsItem: SearchKind.NEWS,
          FaqItem: SearchKind.FAQ, Section: SearchKind.SECTION, Consultation: SearchKind.CONSULTATION,
          Paragraph: "paragraph", Version: "version"}


@dataclass
class _Pending:
    objects: list = field(default_factory=list)          # (kind, object) to index after the flush
    whole: list = field(default_factory=list)            # consultations whose status changed
    deleted: dict = field(default_factory=lambda: defaultdict(set))


def _history_changed(obj, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted)


def _collect(session: Session, _flush_context, _instances) -> None:
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    added = session.new   # built anew on every access: once, so that a flush of many objects stays linear
    for obj in list(added) + [o for o in session.dirty if session.is_modified(o, include_collections=False)]:
        new = obj in added
        if new and isinstance(obj, (Comment, Position)) and obj.status != Status.APPROVED:
            continue  # a new pending item has no index row yet and gets none
        if isinstance(obj, Comment):
            pending.objects.append((SearchKind.COMMENT, obj))
        elif isinstance(obj, Position):
            pending.objects.append((SearchKind.POSITION, obj))
        elif isinstance(obj, NewsItem):
            pending.objects.append((SearchKind.NEWS, obj))
        elif isinstance(obj, FaqItem):
            pending.objects.append((SearchKind.FAQ, obj))
        elif isinstance(obj, Section):
            pending.objects.append((SearchKind.SECTION, obj))
            if not new and _history_changed(obj, "published_at"):
                pending.objects.append(("section_comments", obj))
        elif isinstance(obj, Paragraph):
            pending.objects.append(("paragraph", obj))
        elif isinstance(obj, Version):
            pending.objects.append(("version", obj))
        elif isinstance(obj, Consultation):
            pending.objects.append((SearchKind.CONSULTATION, obj))
            if not new and _history_changed(obj, "status"):
                pending.whole.append(obj)
    for obj in session.deleted:
        kind = _KINDS.get(type(obj))
        if kind in SearchKind.ALL and obj.id is not None:
            pending.deleted[kind].add(obj.id)
        elif isinstance(obj, Paragraph) and obj.section_id is not None:
            pending.objects.append(("paragraph", obj))
        elif isinstance(obj, Version) and obj.consultation_id is not None:
            pending.objects.append(("version", obj))


def _value(obj, name: str):
    """An attribute as the flush left it, without loading anything."""
    return obj.__dict__.get(name)


def _apply(session: Session, _flush_context) -> None:
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None or not (pending.objects or pending.whole or pending.deleted):
        return
    connection = session.connection()
    targets: dict[str, set[int]] = defaultdict(set)
    section_comments: set[int] = set()
    versions_of: set[int] = set()
    for kind, obj in pending.objects:
        if kind == "paragraph":
            if _value(obj, "section_id"):
                targets[SearchKind.SECTION].add(_value(obj, "section_id"))
        elif kind == "version":
            if _value(obj, "consultation_id"):
                versions_of.add(_value(obj, "consultation_id"))
        elif kind == "section_comments":
            section_comments.add(_value(obj, "id"))
        elif _value(obj, "id") is not None:
            targets[kind].add(_value(obj, "id"))
    if versions_of:
        targets[SearchKind.SECTION] |= _ids(connection, Section.id, Section.consultation_id.in_(versions_of))
    if section_comments:
        targets[SearchKind.COMMENT] |= _ids(connection, Comment.id, Comment.section_id.in_(section_comments))
    whole = {_value(obj, "id") for obj in pending.whole if _value(obj, "id")}
    if whole:
        for kind, ids in consultation_targets(connection, whole).items():
            targets[kind] |= ids
    table = SearchEntry.__table__
    for kind, ids in pending.deleted.items():
        for chunk in _chunks(ids):
            connection.execute(delete(table).where(table.c.kind == kind, table.c.object_id.in_(chunk)))
            if kind == SearchKind.CONSULTATION:
                connection.execute(delete(table).where(table.c.consultation_id.in_(chunk)))
            elif kind == SearchKind.SECTION:
                connection.execute(delete(table).where(table.c.section_id.in_(chunk)))
        targets[kind] -= ids
    reindex_objects(connection, {kind: ids for kind, ids in targets.items() if ids})


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)


def _bulk_statement(state):
    """`session.execute(update(Comment)…)` and `query.update()` bypass the flush: re-index their rows too."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    kind = _KINDS.get(model)
    if kind is None:
        return None
    statement = state.statement
    session = state.session
    connection = session.connection()
    where = statement.whereclause
    if kind == "paragraph":
        ids = set(connection.scalars(select(Paragraph.section_id).where(where if where is not None else true())))
        kind, model = SearchKind.SECTION, Section
    elif kind == "version":
        ids = set(connection.scalars(select(Section.id).where(Section.consultation_id.in_(
            select(Version.consultation_id).where(where if where is not None else true())))))
        kind, model = SearchKind.SECTION, Section
    else:
        ids = set(connection.scalars(select(model.id).where(where if where is not None else true())))
    result = state.invoke_statement()
    if ids:
        targets = {kind: ids}
        if kind == SearchKind.CONSULTATION:
            targets = consultation_targets(connection, ids)
        elif kind == SearchKind.SECTION and model is Section:
            targets[SearchKind.COMMENT] = _ids(connection, Comment.id, Comment.section_id.in_(ids))
        reindex_objects(connection, targets)
    return result


def install_listeners() -> None:
    """Called once when the search blueprint is registered."""
    if event.contains(Session, "before_flush", _collect):
        return
    event.listen(Session, "before_flush", _collect)
    event.listen(Session, "after_flush_postexec", _apply)
    event.listen(Session, "after_soft_rollback", _forget)
    event.listen(Session, "do_orm_execute", _bulk_statement)
