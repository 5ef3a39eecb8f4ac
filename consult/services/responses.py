"""Responses to proposals, publishing the outcome, and telling the authors.

A response (decision + justification) answers one or more proposals — identical
proposals of a campaign can share one. It is written as a draft and counts as an
answer (outcome page, izziņa, exports, e-mails) only once a subgroup lead or an
admin approves it (consult.services.workflow). Authors hear about it only when the
outcome is published: publishing sets the consultation to "concluded" and e-mails
every author of an approved answer once, in their own language. A response approved
after publication is mailed at once.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    ConsultationStatus,
    Decision,
    ModerationEvent,
    Paragraph,
    Position,
    Response,
    ResponseStatus,
    Section,
    Stance,
    Status,
    User,
    Version,
)
from ..models.workgroup import response_comments, response_positions
from . import feedback, ids
from .mail import send_email
from .refusals import Refused

JUSTIFICATION_MAX_CHARS = 10000
# i18n: the working group's decision on a proposal, as in the Latvian response table (izziņa)
DECISION_LABELS = {
    Decision.ACCEPTED: _l("Accepted"),
    Decision.PARTLY_ACCEPTED: _l("Partly accepted"),
    Decision.NOT_ACCEPTED: _l("Not accepted"),
    Decision.EXPLAINED: _l("Explained"),
}


def get_response(consultation: Consultation, response_id: int) -> Response | None:
    if not ids.in_range(response_id):
        return None
    return db.session.scalar(select(Response).where(Response.id == response_id,
                                                    Response.consultation_id == consultation.id))


def refs_of(response: Response) -> list[str]:
    """The proposals this response answers, as refs ("c12", "p3")."""
    comments = db.session.scalars(select(response_comments.c.comment_id).where(
        response_comments.c.response_id == response.id).order_by(response_comments.c.comment_id))
    positions = db.session.scalars(select(response_positions.c.position_id).where(
        response_positions.c.response_id == response.id).order_by(response_positions.c.position_id))
    return [f"c{i}" for i in comments] + [f"p{i}" for i in positions]


@dataclass
class ParagraphChoice:
    paragraph: Paragraph
    version: Version
    section: Section

    @property
    def label(self) -> str:
        return f"{self.section.number}.{self.paragraph.number}"


def newer_paragraphs(consultation: Consultation, items: list[feedback.FeedbackItem]) -> list[ParagraphChoice]:
    """Paragraphs of versions newer than the oldest version the proposals were made on."""
    numbers = [item.item.version.number for item in items if item.item.version is not None]
    oldest = min(numbers) if numbers else 0
    rows = db.session.execute(
        select(Paragraph, Version, Section).join(Version, Version.id == Paragraph.version_id)
        .join(Section, Section.id == Paragraph.section_id)
        .where(Version.consultation_id == consultation.id, Version.number > oldest)
        .order_by(Version.number, Section.number, Paragraph.number)).all()
    return [ParagraphChoice(p, v, s) for p, v, s in rows]


def save_response(consultation: Consultation, raw_refs, decision: str, justification_lv: str,
                  justification_en: str, changed_paragraph_id: int | None, user: User,
                  response: Response | None = None, approve: bool = False) -> Response:
    """Creates (or updates) a response and makes it the answer of the given proposals.

    It is saved as a draft, or approved when `approve` (the caller has checked that the user
    may approve: consult.services.workflow.may_approve). An approved response edited without
    `approve` becomes a draft again, so no unreviewed text is public. A proposal answered
    before by another response moves to this one; a response left answering nothing is deleted.
    """
    if decision not in Decision.ALL:
        raise Refused("response.decision", field="decision")
    if not (justification_lv or "").strip():
        raise Refused("response.justification", field="justification_lv")
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("response.no_items", field="items")
    if changed_paragraph_id is not None:
        ok = db.session.scalar(select(Paragraph.id).join(Version, Version.id == Paragraph.version_id).where(
            Paragraph.id == changed_paragraph_id, Version.consultation_id == consultation.id))
        if ok is None:
            raise Refused("response.paragraph", field="changed_paragraph")
    now = utcnow()
    action = "response_edit"
    if response is None:
        response = Response(consultation_id=consultation.id, created_by_id=user.id, created_at=now)
        db.session.add(response)
        action = "response_draft"
    response.decision = decision
    response.justification_lv = justification_lv.strip()
    response.justification_en = (justification_en or "").strip()
    response.changed_paragraph_id = changed_paragraph_id
    response.updated_by_id = user.id
    response.updated_at = now
    mark_status(response, user, approve, now)
    db.session.flush()
    _link(response_comments, "comment_id", comment_ids, response.id)
    _link(response_positions, "position_id", position_ids, response.id)
    _delete_orphans(consultation)
    db.session.add(ModerationEvent(actor_id=user.id, action=action, target_type="response", target_id=response.id,
                                   note=audit_note(response, len(comment_ids) + len(position_ids)), created_at=now))
    if approve:
        db.session.add(ModerationEvent(actor_id=user.id, action="response_approve", target_type="response",
                                       target_id=response.id, created_at=now))
    db.session.commit()
    if approve and consultation.status == ConsultationStatus.CONCLUDED:
        notify_authors(consultation)
    return response


def mark_status(response: Response, user: User, approve: bool, now: datetime) -> None:
    if approve:
        response.status = ResponseStatus.APPROVED
        response.approved_by_id = user.id
        response.approved_at = now
        response.review_note = ""
    else:
        response.status = ResponseStatus.DRAFT
        response.approved_by_id = None
        response.approved_at = None


def audit_note(response: Response, count: int) -> str:
    """What the audit log says of a saved response: its decision and how many proposals it answers."""
    return f"{response.decision}, {count}"


def _link(table, column: str, ids: list[int], response_id: int) -> None:
    """Points the proposals at the response; those already linked to it keep their notification state."""
    if not ids:
        return
    already = set(db.session.scalars(select(table.c[column]).where(table.c.response_id == response_id,
                                                                    table.c[column].in_(ids))))
    moving = [i for i in ids if i not in already]
    if moving:
        db.session.execute(delete(table).where(table.c[column].in_(moving)))
        db.session.execute(table.insert(), [{column: i, "response_id": response_id, "notified_at": None}
                                            for i in moving])


def _delete_orphans(consultation: Consultation) -> None:
    linked = select(response_comments.c.response_id).union(select(response_positions.c.response_id))
    db.session.execute(delete(Response).where(Response.consultation_id == consultation.id,
                                              Response.id.not_in(linked))
                       .execution_options(synchronize_session=False))


def detach(consultation: Consultation, raw_refs, user: User | None = None, response: Response | None = None) -> int:
    """Takes the answer away from these proposals (they become "not answered").

    With `response`, the whole response is deleted, and the audit log says so."""
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(raw_refs))
    if response is not None:
        db.session.add(ModerationEvent(actor_id=user.id if user is not None else None, action="response_delete",
                                       target_type="response", target_id=response.id,
                                       note=audit_note(response, len(comment_ids) + len(position_ids))))
    if comment_ids:
        db.session.execute(delete(response_comments).where(response_comments.c.comment_id.in_(comment_ids)))
    if position_ids:
        db.session.execute(delete(response_positions).where(response_positions.c.position_id.in_(position_ids)))
    _delete_orphans(consultation)
    db.session.commit()
    return len(comment_ids) + len(position_ids)


# Figures for the outcome -----------------------------------------------------------------------

@dataclass
class AnswerCounts:
    """Proposals are the positions and the comments that object, propose or ask; comments that only
    support the draft are counted apart, as supports."""
    proposals: int
    answered: int
    by_decision: dict[str, int]
    supports: int = 0

    @property
    def unanswered(self) -> int:
        return self.proposals - self.answered

    @property
    def all_answered(self) -> bool:
        return self.unanswered == 0


def answer_counts(consultation: Consultation) -> AnswerCounts:
    """Approved proposals (positions, and comments other than supports) and how they were answered
    (by proposal, not by response; approved responses only), and the supports apart."""
    by_stance = dict(db.session.execute(select(Comment.stance, func.count()).where(
        Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
        .group_by(Comment.stance)).all())
    supports = by_stance.pop(Stance.SUPPORTS, 0)
    comments = sum(by_stance.values())
    positions = db.session.scalar(select(func.count(Position.id)).where(
        Position.consultation_id == consultation.id, Position.status == Status.APPROVED)) or 0
    by_decision: dict[str, int] = defaultdict(int)
    for decision, count in db.session.execute(
            select(Response.decision, func.count())
            .join(response_comments, response_comments.c.response_id == Response.id)
            .join(Comment, Comment.id == response_comments.c.comment_id)
            .where(Response.consultation_id == consultation.id, Response.status == ResponseStatus.APPROVED,
                   Comment.status == Status.APPROVED, Comment.stance != Stance.SUPPORTS)
            .group_by(Response.decision)).all():
        by_decision[decision] += count
    for decision, count in db.session.execute(
            select(Response.decision, func.count())
            .join(response_positions, response_positions.c.response_id == Response.id)
            .join(Position, Position.id == response_positions.c.position_id)
            .where(Response.consultation_id == consultation.id, Response.status == ResponseStatus.APPROVED,
                   Position.status == Status.APPROVED)
            .group_by(Response.decision)).all():
        by_decision[decision] += count
    return AnswerCounts(comments + positions, sum(by_decision.values()),
                        {d: by_decision.get(d, 0) for d in Decision.ALL}, supports)


# Publishing the outcome ------------------------------------------------------------------------

def can_publish(consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.CLOSED


def save_outcome_introduction(consultation: Consultation, text_lv: str, text_en: str) -> None:
    """The working group's introduction above the public outcome (both languages)."""
    consultation.outcome_intro_lv = text_lv
    consultation.outcome_intro_en = text_en
    db.session.commit()


def publish_outcome(consultation: Consultation, user: User | None, now: datetime | None = None) -> int:
    """Concludes the consultation and e-mails the authors of answered proposals; returns how many were mailed.

    The only way a consultation becomes concluded: the working group's "publish the outcome" and an
    editor's "mark as concluded" both come here. Every proposal is mailed once (notify_authors marks
    it), so concluding again after a step back to "closed" mails only answers nobody has had yet.
    """
    if not can_publish(consultation):
        raise Refused("response.status")
    # Claimed in the database first: of two people concluding at the same moment (the working group's
    # button and the admin's), only one goes on. A Core statement, so the session's search and cache
    # listeners see the change once, through the flush below.
    table = Consultation.__table__
    claimed = db.session.connection().execute(
        update(table).where(table.c.id == consultation.id, table.c.status == ConsultationStatus.CLOSED)
        .values(status=ConsultationStatus.CONCLUDED)).rowcount
    if not claimed:
        db.session.rollback()
        raise Refused("response.status")
    consultation.status = ConsultationStatus.CONCLUDED
    consultation.concluded_at = (now or utcnow()).replace(microsecond=0)
    db.session.add(ModerationEvent(actor_id=user.id if user is not None else None, action="publish_outcome",
                                   target_type="consultation", target_id=consultation.id))
    db.session.commit()
    return notify_authors(consultation)


@dataclass
class AnsweredProposal:
    kind: str
    item: Comment | Position
    response: Response


def notify_authors(consultation: Consultation) -> int:
    """One e-mail per author with every proposal answered (approved) and not yet mailed; marks them as mailed."""
    pending: dict[int, list[AnsweredProposal]] = defaultdict(list)
    authors: dict[int, User] = {}
    comment_rows = db.session.execute(
        select(Comment, Response).join(response_comments, response_comments.c.comment_id == Comment.id)
        .join(Response, Response.id == response_comments.c.response_id)
        .where(Comment.consultation_id == consultation.id, response_comments.c.notified_at.is_(None),
               Comment.status == Status.APPROVED, Response.status == ResponseStatus.APPROVED)
        .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.paragraph),
                 joinedload(Response.changed_paragraph).joinedload(Paragraph.section))
        .order_by(Comment.created_at, Comment.id)).unique().all()
    position_rows = db.session.execute(
        select(Position, Response).join(response_positions, response_positions.c.position_id == Position.id)
        .join(Response, Response.id == response_positions.c.response_id)
        .where(Position.consultation_id == consultation.id, response_positions.c.notified_at.is_(None),
               Position.status == Status.APPROVED, Response.status == ResponseStatus.APPROVED)
        .options(joinedload(Position.author), joinedload(Position.organisation),
                 joinedload(Response.changed_paragraph).joinedload(Paragraph.section))
        .order_by(Position.created_at, Position.id)).unique().all()
    for comment, response in comment_rows:
        pending[comment.author_id].append(AnsweredProposal("comment", comment, response))
        authors[comment.author_id] = comment.author
    for position, response in position_rows:
        pending[position.author_id].append(AnsweredProposal("position", position, response))
        authors[position.author_id] = position.author
    if not pending:
        return 0
    now = utcnow()
    comment_ids = [comment.id for comment, _ in comment_rows]
    position_ids = [position.id for position, _ in position_rows]
    # Marked first and committed, so a second run (or a parallel one) never mails twice.
    if comment_ids:
        db.session.execute(update(response_comments).where(response_comments.c.comment_id.in_(comment_ids))
                           .values(notified_at=now))
    if position_ids:
        db.session.execute(update(response_positions).where(response_positions.c.position_id.in_(position_ids))
                           .values(notified_at=now))
    db.session.commit()
    sent = 0
    for author_id, answered in pending.items():
        author = authors[author_id]
        if not author.email or author.deleted_at is not None:
            continue
        send_email(author.email, "response_answered", author.language, name=author.display_name,
                   consultation=consultation, answered=answered)
        sent += 1
    return sent


# The public outcome report ---------------------------------------------------------------------

OUTCOME_PER_PAGE = 100


@dataclass
class OutcomePage:
    comments: list[feedback.FeedbackItem]
    positions: list[feedback.FeedbackItem]
    total_comments: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_comments // self.per_page))


def outcome_page(consultation: Consultation, page: int = 1, per_page: int = OUTCOME_PER_PAGE) -> OutcomePage:
    """Published comments (in document order) with their approved responses; the positions come on the first page."""
    condition = (Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
    total = db.session.scalar(select(func.count(Comment.id)).where(*condition)) or 0
    comment_ids = list(db.session.scalars(
        select(Comment.id).join(Section, Section.id == Comment.section_id)
        .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id).where(*condition)
        .order_by(Section.number, Paragraph.number.is_not(None), Paragraph.number, Comment.created_at, Comment.id)
        .limit(per_page).offset((page - 1) * per_page)))
    position_ids = list(db.session.scalars(
        select(Position.id).where(Position.consultation_id == consultation.id, Position.status == Status.APPROVED)
        .order_by(Position.created_at, Position.id))) if page == 1 else []
    loaded = feedback.load_items(comment_ids, position_ids, approved_only=True)
    return OutcomePage([loaded[f"c{i}"] for i in comment_ids if f"c{i}" in loaded],
                       [loaded[f"p{i}"] for i in position_ids if f"p{i}" in loaded], total, page, per_page)
