"""The weekly e-mail to working-group members: what is new in their subgroups since their last digest.

`flask --app consult send-digests` runs from cron. Each membership remembers when
its last digest was made, so a member who is in two consultations gets one message
for each, and running the command twice in a row sends nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..clock import utcnow
from ..extensions import db
from ..models import Comment, Consultation, Position, Section, Status, User, WorkgroupMember
from ..models.organisation import position_sections
from . import feedback
from .mail import send_email

EXCERPTS = 5


@dataclass
class Digest:
    member: WorkgroupMember
    since: datetime
    comments: int = 0
    positions: int = 0
    per_section: list[tuple[Section, int]] = field(default_factory=list)
    latest: list[Comment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.comments + self.positions


def _new(model, since: datetime):
    """Approved, and approved (or posted, under post-moderation) after `since`."""
    return (model.status == Status.APPROVED, func.coalesce(model.moderated_at, model.created_at) > since)


def build_digest(member: WorkgroupMember, now: datetime | None = None) -> Digest:
    consultation = member.consultation
    since = member.last_digest_at or member.created_at
    digest = Digest(member, since)
    section_ids = feedback.member_section_ids(member)
    subgroup_ids = [s.id for s in member.subgroups]
    comment_scope = [Comment.consultation_id == consultation.id, *_new(Comment, since)]
    position_scope = [Position.consultation_id == consultation.id, *_new(Position, since)]
    if section_ids is not None:
        comment_scope.append(or_(Comment.subgroup_id.in_(subgroup_ids),
                                 Comment.subgroup_id.is_(None) & Comment.section_id.in_(section_ids)))
        covered = select(position_sections.c.position_id).where(position_sections.c.section_id.in_(section_ids))
        position_scope.append(or_(Position.subgroup_id.in_(subgroup_ids),
                                  Position.subgroup_id.is_(None)
                                  & (Position.whole_draft.is_(True) | Position.id.in_(covered))))
    rows = db.session.execute(select(Comment.section_id, func.count()).where(*comment_scope)
                              .group_by(Comment.section_id)).all()
    counts = dict(rows)
    digest.comments = sum(counts.values())
    digest.positions = db.session.scalar(select(func.count(Position.id)).where(*position_scope)) or 0
    if counts:
        sections = db.session.scalars(select(Section).where(Section.id.in_(counts)).order_by(Section.number))
        digest.per_section = [(section, counts[section.id]) for section in sections]
        digest.latest = list(db.session.scalars(
            select(Comment).where(*comment_scope).options(joinedload(Comment.section), joinedload(Comment.paragraph))
            .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(EXCERPTS)))
    return digest


def due_members() -> list[WorkgroupMember]:
    """Memberships of active people in consultations that are open or closed (not draft or concluded)."""
    return list(db.session.scalars(
        select(WorkgroupMember).join(User, User.id == WorkgroupMember.user_id)
        .join(Consultation, Consultation.id == WorkgroupMember.consultation_id)
        .where(Consultation.status.in_(("open", "closed")), User.deleted_at.is_(None), User.suspended_at.is_(None),
               User.email.is_not(None))
        .options(joinedload(WorkgroupMember.user), joinedload(WorkgroupMember.consultation),
                 selectinload(WorkgroupMember.subgroups))
        .order_by(WorkgroupMember.id)))


def send_digests(now: datetime | None = None) -> tuple[int, int]:
    """Sends each due member their digest; returns (messages sent, memberships checked)."""
    now = now or utcnow()
    sent = 0
    members = due_members()
    for member in members:
        digest = build_digest(member, now)
        if digest.total:
            user = member.user
            send_email(user.email, "digest", user.language, name=user.display_name, digest=digest,
                       consultation=member.consultation, subgroups=member.subgroups)
            sent += 1
        member.last_digest_at = now
        db.session.commit()
    return sent, len(members)
