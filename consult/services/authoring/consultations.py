"""Consultations: creating and editing them, their status steps (concluding publishes the outcome), and their
subgroups."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Consultation, ConsultationStatus, Position, Subgroup, User, Version
from ...models.workgroup import member_subgroups
from .. import responses
from ..refusals import Refused
from .common import _commit, _get
from .sections import sections

CONSULTATION_FIELDS = ("slug", "title_lv", "title_en", "summary_lv", "summary_en", "institution_lv",
                       "institution_en", "opens_at", "closes_at", "moderation_mode")


def all_consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.created_at.desc(),
                                                                 Consultation.id.desc())))


def consultation(consultation_id: int) -> Consultation | None:
    return _get(Consultation, consultation_id)


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    query = select(Consultation.id).where(Consultation.slug == slug)
    if exclude_id:
        query = query.where(Consultation.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def create_consultation(values: dict) -> Consultation:
    """A new consultation in draft, with an empty version 1 ready for its text."""
    item = Consultation(status=ConsultationStatus.DRAFT,
                        **{k: values[k] for k in CONSULTATION_FIELDS if k in values})
    item.versions.append(Version(number=1))
    db.session.add(item)
    _commit("slug")
    return item


def update_consultation(item: Consultation, values: dict) -> None:
    for key in CONSULTATION_FIELDS:
        if key in values:
            setattr(item, key, values[key])
    _commit("slug")


# draft → open → closed → concluded, and one step back where a mistake needs undoing.
STATUS_STEPS = {
    ConsultationStatus.DRAFT: (ConsultationStatus.OPEN,),
    ConsultationStatus.OPEN: (ConsultationStatus.CLOSED, ConsultationStatus.DRAFT),
    ConsultationStatus.CLOSED: (ConsultationStatus.CONCLUDED, ConsultationStatus.OPEN),
    ConsultationStatus.CONCLUDED: (ConsultationStatus.CLOSED,),
}


def has_outcome_introduction(item: Consultation) -> bool:
    """Whether the working group has written the outcome's introduction in both languages."""
    return bool((item.outcome_intro_lv or "").strip() and (item.outcome_intro_en or "").strip())


def change_status(item: Consultation, target: str, now: datetime | None = None, actor: User | None = None) -> int:
    """Move to the next (or back to the previous) status; dates follow what really happened.

    Concluding publishes the outcome (responses.publish_outcome): the authors of answered proposals
    are e-mailed. It needs the working group's introduction in both languages ("outcome_intro").
    Returns how many were mailed (0 for every other step).
    """
    if target not in STATUS_STEPS.get(item.status, ()):
        raise Refused("authoring.status")
    now = now or utcnow()
    if target == ConsultationStatus.CONCLUDED:
        # The public outcome opens with the working group's introduction in both languages, and the
        # working group's publish form requires it; concluding here must not publish an outcome without it.
        if not has_outcome_introduction(item):
            raise Refused("authoring.outcome_intro")
        return responses.publish_outcome(item, actor, now)
    if target == ConsultationStatus.OPEN:
        if item.opens_at is None:
            item.opens_at = now.replace(microsecond=0)
        if item.closes_at is not None and item.closes_at <= now:
            raise Refused("authoring.closes_past")
    elif target == ConsultationStatus.CLOSED and item.status == ConsultationStatus.OPEN:
        if item.closes_at is None or item.closes_at > now:
            item.closes_at = now.replace(microsecond=0)
    elif item.status == ConsultationStatus.CONCLUDED:
        item.concluded_at = None
    item.status = target
    db.session.commit()
    return 0


def subgroup(item: Consultation, subgroup_id: int) -> Subgroup | None:
    found = _get(Subgroup, subgroup_id)
    return found if found is not None and found.consultation_id == item.id else None


def save_subgroup(item: Consultation, group: Subgroup | None, values: dict, section_ids: list[int]) -> Subgroup:
    if group is None:
        group = Subgroup(consultation_id=item.id)
        db.session.add(group)
    for key in ("name_lv", "name_en", "description_lv", "description_en", "position"):
        setattr(group, key, values[key])
    group.sections = [s for s in sections(item) if s.id in set(section_ids)]
    db.session.commit()
    return group


@dataclass(frozen=True)
class SubgroupUse:
    """What deleting a subgroup touches: members leave it, assigned proposals become unassigned."""
    members: int
    comments: int
    positions: int


def subgroup_use(group: Subgroup) -> SubgroupUse:
    return SubgroupUse(
        db.session.scalar(select(func.count()).select_from(member_subgroups)
                          .where(member_subgroups.c.subgroup_id == group.id)) or 0,
        db.session.scalar(select(func.count(Comment.id)).where(Comment.subgroup_id == group.id)) or 0,
        db.session.scalar(select(func.count(Position.id)).where(Position.subgroup_id == group.id)) or 0)


def delete_subgroup(group: Subgroup) -> None:
    """The members stay in the working group and the proposals stay; the database unlinks them
    (ON DELETE CASCADE for memberships and sections, SET NULL for assigned comments and positions)."""
    db.session.delete(group)
    db.session.commit()
