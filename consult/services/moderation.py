"""Moderation: decisions on comments and users, each one written to the audit log."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..clock import utcnow
from ..extensions import db
from ..models import Comment, Consultation, ModerationEvent, Position, Reason, Report, Status, User
from . import ids
from .mail import send_email
from .refusals import Refused

REPORTS_TO_HIDE = 3  # in post-moderation, this many different readers hide an item until a moderator looks



def public_comment(comment_id: int) -> Comment | None:
    if not ids.in_range(comment_id):
        return None
    return db.session.scalar(select(Comment).where(Comment.id == comment_id, Comment.status == Status.APPROVED))


def _log(actor: User | None, action: str, target_type: str, target_id: int, reason: str | None = None,
         note: str = "") -> None:
    db.session.add(ModerationEvent(actor_id=actor.id if actor else None, action=action, target_type=target_type,
                                   target_id=target_id, reason=reason, note=note or ""))


def _kind(item) -> str:
    return "comment" if isinstance(item, Comment) else "position"


def _resolve_reports(item) -> None:
    if not isinstance(item, Comment):
        return
    now = utcnow()
    for report in db.session.scalars(select(Report).where(Report.comment_id == item.id,
                                                          Report.resolved_at.is_(None))):
        report.resolved_at = now


def _tell_author(item, decision: str) -> None:
    """E-mails the author the decision, in their own language."""
    author = item.author
    if author.email and author.deleted_at is None:
        send_email(author.email, f"{_kind(item)}_{decision}", author.language, commit=False, comment=item, item=item,
                   name=author.display_name, section=getattr(item, "section", None),
                   consultation=item.consultation)


def _check_actor(item, moderator: User) -> None:
    if item.author_id == moderator.id:
        raise Refused("moderation.own")


def approve(item, moderator: User) -> None:
    _check_actor(item, moderator)
    if item.status not in (Status.PENDING, Status.APPROVED, Status.HIDDEN):
        raise Refused("moderation.state")
    was_public = item.status == Status.APPROVED
    item.status = Status.APPROVED
    item.needs_review = False
    item.moderated_at, item.moderated_by_id = utcnow(), moderator.id
    item.moderation_reason = item.moderation_note = None
    _resolve_reports(item)
    _log(moderator, "approve", _kind(item), item.id)
    if not was_public:
        _tell_author(item, "approved")
    db.session.commit()


def reject(item, moderator: User, reason: str, note: str = "") -> None:
    _check_actor(item, moderator)
    if item.status != Status.PENDING:
        raise Refused("moderation.state")
    item.status = Status.REJECTED
    item.needs_review = False
    item.moderated_at, item.moderated_by_id = utcnow(), moderator.id
    item.moderation_reason, item.moderation_note = reason, note or None
    _resolve_reports(item)
    _log(moderator, "reject", _kind(item), item.id, reason, note)
    _tell_author(item, "rejected")
    db.session.commit()


def hide(item, moderator: User, reason: str, note: str = "") -> None:
    """Takes a published item down; its place shows who hid it and why."""
    _check_actor(item, moderator)
    if item.status not in (Status.APPROVED, Status.HIDDEN):
        raise Refused("moderation.state")
    item.status = Status.HIDDEN
    item.needs_review = False
    item.moderated_at, item.moderated_by_id = utcnow(), moderator.id
    item.moderation_reason, item.moderation_note = reason, note or None
    _resolve_reports(item)
    _log(moderator, "hide", _kind(item), item.id, reason, note)
    _tell_author(item, "hidden")
    db.session.commit()


def unhide(item, moderator: User) -> None:
    if item.status != Status.HIDDEN:
        raise Refused("moderation.state")
    _check_actor(item, moderator)
    item.status = Status.APPROVED
    item.needs_review = False
    item.moderated_at, item.moderated_by_id = utcnow(), moderator.id
    item.moderation_reason = item.moderation_note = None
    _resolve_reports(item)
    _log(moderator, "unhide", _kind(item), item.id)
    _tell_author(item, "approved")
    db.session.commit()


def report_comment(comment: Comment, reporter: User, reason: str, note: str = "") -> bool:
    """Files a report (once per reader); returns False when this reader had already reported it."""
    db.session.add(Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, note=note))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    comment.needs_review = True
    open_reports = db.session.scalar(select(func.count(func.distinct(Report.reporter_id))).where(
        Report.comment_id == comment.id, Report.resolved_at.is_(None))) or 0
    if (comment.consultation.moderation_mode == "post" and open_reports >= REPORTS_TO_HIDE
            and comment.status == Status.APPROVED):
        comment.status = Status.HIDDEN
        comment.moderation_reason = Reason.REPORTED
        _log(None, "auto_hide", "comment", comment.id, Reason.REPORTED)
    db.session.commit()
    return True


def suspend(user: User, moderator: User, note: str = "") -> None:
    from .submissions import is_offline_sender
    if user.id == moderator.id:
        raise Refused("moderation.own")
    if is_offline_sender(user):
        raise Refused("moderation.offline_sender")   # the placeholder author of offline submissions
    if user.is_staff and not moderator.has_role("admin"):
        raise Refused("moderation.staff")
    user.suspended_at = utcnow()
    user.end_other_sessions()
    _log(moderator, "suspend", "user", user.id, None, note)
    db.session.commit()


def reinstate(user: User, moderator: User) -> None:
    user.suspended_at = None
    _log(moderator, "reinstate", "user", user.id)
    db.session.commit()


QUEUE_FILTERS = ("todo", "pending", "reported", "review", "hidden", "rejected", "all")


# How the queue is ordered: by age, or the most reported items first.
QUEUE_ORDERS = ("oldest", "newest", "reports")


@dataclass
class QueuePage:
    items: list[Comment]
    report_counts: dict[int, int]
    total: int
    # The open reports on each item of the page, oldest first (comments only: positions cannot be reported).
    reports: dict[int, list[Report]] = field(default_factory=dict)


def _age_order(model, order: str) -> tuple:
    if order == "newest":
        return model.created_at.desc(), model.id.desc()
    return model.created_at, model.id


def position_queue(filter_: str, consultation: Consultation | None, page: int, per_page: int = 25,
                   order: str = "oldest") -> QueuePage:
    """Positions for moderators, filtered like comments (positions cannot be reported)."""
    conditions = {
        "todo": Position.status == Status.PENDING,
        "pending": Position.status == Status.PENDING,
        "reported": Position.id.is_(None),
        "review": Position.needs_review.is_(True) & (Position.status == Status.APPROVED),
        "hidden": Position.status == Status.HIDDEN,
        "rejected": Position.status == Status.REJECTED,
        "all": None,
    }
    condition = conditions.get(filter_, conditions["todo"])
    if filter_ == "todo":
        condition = (Position.status == Status.PENDING) | (
            Position.needs_review.is_(True) & (Position.status == Status.APPROVED))
    query = select(Position)
    if condition is not None:
        query = query.where(condition)
    if consultation is not None:
        query = query.where(Position.consultation_id == consultation.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(db.session.scalars(
        query.options(joinedload(Position.author), joinedload(Position.organisation),
                      joinedload(Position.consultation), selectinload(Position.sections),
                      selectinload(Position.signatures))
        .order_by(*_age_order(Position, order)).limit(per_page).offset((page - 1) * per_page)))
    return QueuePage(items, {}, total)


def queue(filter_: str, consultation: Consultation | None, page: int, per_page: int = 25,
          order: str = "oldest") -> QueuePage:
    """Items for moderators: by default what awaits a decision (pending, reported, unreviewed).

    `order` "reports" puts the items most people have reported (and not yet resolved) first.
    """
    open_report = exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
    conditions = {
        "todo": or_(Comment.status == Status.PENDING,
                    Comment.needs_review.is_(True) & (Comment.status != Status.WITHDRAWN),
                    open_report),
        "pending": Comment.status == Status.PENDING,
        "reported": open_report,
        "review": Comment.needs_review.is_(True) & (Comment.status == Status.APPROVED),
        "hidden": Comment.status == Status.HIDDEN,
        "rejected": Comment.status == Status.REJECTED,
        "all": None,
    }
    condition = conditions.get(filter_, conditions["todo"])
    query = select(Comment)
    if condition is not None:
        query = query.where(condition)
    if consultation is not None:
        query = query.where(Comment.consultation_id == consultation.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if order == "reports":
        open_reports = (select(func.count(Report.id)).where(Report.comment_id == Comment.id,
                                                            Report.resolved_at.is_(None))
                        .correlate(Comment).scalar_subquery())
        ordering = (open_reports.desc(), *_age_order(Comment, "oldest"))
    else:
        ordering = _age_order(Comment, order)
    items = list(db.session.scalars(
        query.options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.paragraph),
                      joinedload(Comment.consultation), joinedload(Comment.entered_by))
        .order_by(*ordering).limit(per_page).offset((page - 1) * per_page)))
    reports: dict[int, list[Report]] = {}
    if items:
        for report in db.session.scalars(
                select(Report).where(Report.comment_id.in_([c.id for c in items]), Report.resolved_at.is_(None))
                .order_by(Report.created_at, Report.id)):
            reports.setdefault(report.comment_id, []).append(report)
    # One report per reader and comment (a unique constraint), so the count is the number of people.
    return QueuePage(items, {key: len(value) for key, value in reports.items()}, total, reports)


def audit_log(page: int, per_page: int = 50) -> tuple[list[ModerationEvent], int]:
    total = db.session.scalar(select(func.count(ModerationEvent.id))) or 0
    events = list(db.session.scalars(select(ModerationEvent).options(joinedload(ModerationEvent.actor))
                                     .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
                                     .limit(per_page).offset((page - 1) * per_page)))
    return events, total
