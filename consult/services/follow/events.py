"""Recording what followers hear about: session events add a ConsultationEvent when a consultation opens, closes or
is concluded, or a section or a version is published."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from ...clock import utcnow
from ...models import Consultation, ConsultationEvent, ConsultationStatus, EventKind, Follow, Section, User, Version


def _changed(obj, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted)


def _owner(obj) -> dict:
    """consultation_id, or the (new) consultation object itself when it has no id yet."""
    consultation_id = obj.__dict__.get("consultation_id")
    if consultation_id is not None:
        return {"consultation_id": consultation_id}
    consultation = obj.__dict__.get("consultation")
    return {"consultation": consultation} if consultation is not None else {}


def _add_event(session: Session, kind: str, at: datetime, now: datetime, **refs) -> None:
    if "consultation_id" not in refs and "consultation" not in refs:
        return
    session.add(ConsultationEvent(kind=kind, happens_at=at, due_at=max(at, now), **refs))


def _past_kinds(session: Session, condition) -> set[str]:
    return set(session.connection().scalars(
        select(ConsultationEvent.kind).where(condition)))


def _consultation_changed(session: Session, consultation: Consultation, new: bool, now: datetime) -> None:
    if not new and not any(_changed(consultation, name)
                           for name in ("status", "opens_at", "closes_at", "concluded_at")):
        return
    table = ConsultationEvent.__table__
    past: set[str] = set()
    if consultation.id is not None:
        mine = (table.c.consultation_id == consultation.id) & table.c.kind.in_(EventKind.MILESTONES)
        # Scheduled milestones nobody has heard of yet are recomputed from the new dates.
        session.connection().execute(delete(table).where(mine, table.c.happens_at > now))
        past = _past_kinds(session, mine & (table.c.happens_at <= now))
    status = consultation.status
    wanted = []
    if status in ConsultationStatus.PUBLIC:
        wanted.append((EventKind.OPENED, consultation.opens_at or now))
    if status == ConsultationStatus.OPEN and consultation.closes_at is not None:
        wanted.append((EventKind.CLOSED, consultation.closes_at))  # it closes by itself then
    if status in (ConsultationStatus.CLOSED, ConsultationStatus.CONCLUDED):
        closes = consultation.closes_at
        wanted.append((EventKind.CLOSED, closes if closes is not None and closes <= now else now))
    if status == ConsultationStatus.CONCLUDED:
        wanted.append((EventKind.CONCLUDED, consultation.concluded_at or now))
    refs = {"consultation": consultation} if consultation.id is None else {"consultation_id": consultation.id}
    for kind, at in wanted:
        if kind not in past:
            _add_event(session, kind, at, now, **refs)


def _published_changed(session: Session, obj, kind: str, new: bool, now: datetime) -> None:
    """A section or a version (2 and later) got a publication time: announce it at that time."""
    if not new and not _changed(obj, "published_at"):
        return
    table = ConsultationEvent.__table__
    column = table.c.section_id if kind == EventKind.SECTION_PUBLISHED else table.c.version_id
    refs = {"section" if kind == EventKind.SECTION_PUBLISHED else "version": obj}
    if obj.id is not None:
        mine = (column == obj.id) & (table.c.kind == kind)
        session.connection().execute(delete(table).where(mine, table.c.happens_at > now))
        if _past_kinds(session, mine & (table.c.happens_at <= now)):
            return
    if obj.published_at is not None:
        _add_event(session, kind, obj.published_at, now, **_owner(obj), **refs)


_DELETED_USERS = "consult.follow.deleted_users"


def _record(session: Session, _flush_context, _instances) -> None:
    now = utcnow()
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    added = session.new   # built anew on every access: once, so that a flush of many objects stays linear
    for obj in list(added) + dirty:
        new = obj in added
        if isinstance(obj, Consultation):
            _consultation_changed(session, obj, new, now)
        elif isinstance(obj, Section):
            _published_changed(session, obj, EventKind.SECTION_PUBLISHED, new, now)
        elif isinstance(obj, Version) and (obj.number or 0) > 1:
            _published_changed(session, obj, EventKind.VERSION_PUBLISHED, new, now)
        elif isinstance(obj, User) and not new and obj.deleted_at is not None and _changed(obj, "deleted_at"):
            # A deleted account follows nothing any more.
            session.info.setdefault(_DELETED_USERS, set()).add(obj.id)


def _after(session: Session, _flush_context) -> None:
    users = session.info.pop(_DELETED_USERS, None)
    if users:
        session.connection().execute(delete(Follow.__table__).where(Follow.__table__.c.user_id.in_(users)))


def _forget(session: Session, *_args) -> None:
    session.info.pop(_DELETED_USERS, None)


def install_listeners() -> None:
    """Called once when the follow blueprint is registered."""
    if event.contains(Session, "before_flush", _record):
        return
    event.listen(Session, "before_flush", _record)
    event.listen(Session, "after_flush_postexec", _after)
    event.listen(Session, "after_soft_rollback", _forget)
