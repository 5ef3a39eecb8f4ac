"""The working group of a consultation: its members, their subgroups and what those cover."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Consultation, Role, Subgroup, User, WorkgroupMember
from ...models.consultation import subgroup_sections
from ...models.workgroup import member_subgroups
from .. import ids
from ..refusals import Refused


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
    """Adds the person with this e-mail address; they must have the working-group, editor (or admin) role."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or user.deleted_at is not None:
        raise Refused("feedback.no_user", field="email")
    if not user.has_role(*Role.WORKING_GROUP):
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


def member_section_ids(member: WorkgroupMember) -> list[int] | None:
    """Sections the member's subgroups cover; None when the member is in no subgroup (= everything)."""
    subgroup_ids = [s.id for s in member.subgroups]
    if not subgroup_ids:
        return None
    return list(db.session.scalars(select(subgroup_sections.c.section_id).where(
        subgroup_sections.c.subgroup_id.in_(subgroup_ids)).distinct()))
