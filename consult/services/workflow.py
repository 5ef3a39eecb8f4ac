"""The working group's response workflow: who may approve a draft, approving and sending back,
assigning items to a member, and answering a whole set of items at once.

A response is written as a draft by any member. It becomes the public answer when a lead
of the subgroup the proposals belong to approves it, or a member who is an editor or an
admin does. A proposal belongs
to the subgroup it was assigned to, or else to every subgroup that covers its section (a
position on the whole draft: to every subgroup), as in the table's subgroup filter. Every
step goes into the audit log (ModerationEvent), so the record shows who wrote, changed,
approved or sent back which answer.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    ConsultationStatus,
    ModerationEvent,
    Position,
    Response,
    ResponseStatus,
    Role,
    Status,
    Subgroup,
    User,
    WorkgroupMember,
)
from ..models.consultation import subgroup_sections
from ..models.organisation import position_sections
from ..models.workgroup import member_subgroups, response_comments, response_positions
from . import feedback, responses
from .refusals import Refused

REVIEW_NOTE_MAX_CHARS = 2000
# The most items one "respond to all" may answer: a campaign of thousands of copies fits; more is
# surely a filter left off by mistake.
BULK_MAX_ITEMS = 20000


# Who may approve -------------------------------------------------------------------------------

def lead_subgroup_ids(member: WorkgroupMember) -> set[int]:
    return set(db.session.scalars(select(member_subgroups.c.subgroup_id).where(
        member_subgroups.c.member_id == member.id, member_subgroups.c.is_lead.is_(True))))


def is_approver(member: WorkgroupMember | None) -> bool:
    """Whether the member may approve anything at all (an editor or admin, or a lead of some subgroup)."""
    if member is None:
        return False
    return member.user.role in Role.APPROVE_ANY or bool(lead_subgroup_ids(member))


def item_subgroups(consultation: Consultation, raw_refs) -> dict[str, set[int]]:
    """The subgroups each proposal belongs to, by ref ("c12": {3}); refs of other consultations are left out."""
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(raw_refs))
    result: dict[str, set[int]] = {}
    covering: dict[int, set[int]] = defaultdict(set)
    for section_id, subgroup_id in db.session.execute(
            select(subgroup_sections.c.section_id, subgroup_sections.c.subgroup_id)
            .join(Subgroup, Subgroup.id == subgroup_sections.c.subgroup_id)
            .where(Subgroup.consultation_id == consultation.id)).all():
        covering[section_id].add(subgroup_id)
    all_subgroups = set(db.session.scalars(select(Subgroup.id).where(Subgroup.consultation_id == consultation.id)))
    if comment_ids:
        for comment_id, section_id, subgroup_id in db.session.execute(
                select(Comment.id, Comment.section_id, Comment.subgroup_id).where(Comment.id.in_(comment_ids))).all():
            result[f"c{comment_id}"] = {subgroup_id} if subgroup_id else set(covering.get(section_id, ()))
    if position_ids:
        sections_of: dict[int, set[int]] = defaultdict(set)
        for position_id, section_id in db.session.execute(
                select(position_sections.c.position_id, position_sections.c.section_id)
                .where(position_sections.c.position_id.in_(position_ids))).all():
            sections_of[position_id].add(section_id)
        for position_id, whole_draft, subgroup_id in db.session.execute(
                select(Position.id, Position.whole_draft, Position.subgroup_id)
                .where(Position.id.in_(position_ids))).all():
            if subgroup_id:
                groups = {subgroup_id}
            elif whole_draft:
                groups = set(all_subgroups)
            else:
                groups = set().union(*(covering.get(s, set()) for s in sections_of[position_id]))
            result[f"p{position_id}"] = groups
    return result


def may_approve(consultation: Consultation, member: WorkgroupMember | None, raw_refs) -> bool:
    """An editor or admin may approve any answer; a lead only one whose every proposal is in a subgroup they lead."""
    if member is None or member.consultation_id != consultation.id:
        return False
    if member.user.role in Role.APPROVE_ANY:
        return True
    leads = lead_subgroup_ids(member)
    if not leads:
        return False
    groups = item_subgroups(consultation, raw_refs)
    return bool(groups) and all(found & leads for found in groups.values())


def may_approve_response(consultation: Consultation, member: WorkgroupMember | None, response: Response) -> bool:
    return may_approve(consultation, member, responses.refs_of(response))


# Approving and sending back --------------------------------------------------------------------

def approve(consultation: Consultation, response: Response, member: WorkgroupMember) -> None:
    """Makes the draft the public answer; refused (nothing changes) for a member who may not approve it."""
    if not may_approve_response(consultation, member, response):
        raise Refused("workflow.not_allowed")
    if response.status == ResponseStatus.APPROVED:
        raise Refused("workflow.already_approved")
    now = utcnow()
    responses.mark_status(response, member.user, True, now)
    db.session.add(ModerationEvent(actor_id=member.user_id, action="response_approve", target_type="response",
                                   target_id=response.id, created_at=now))
    db.session.commit()
    if consultation.status == ConsultationStatus.CONCLUDED:
        responses.notify_authors(consultation)


def send_back(consultation: Consultation, response: Response, member: WorkgroupMember, note: str) -> None:
    """Returns the response to its writers as a draft, with the reason (also in the audit log)."""
    if not may_approve_response(consultation, member, response):
        raise Refused("workflow.not_allowed")
    note = (note or "").strip()
    if not note:
        raise Refused("workflow.note_empty")
    if len(note) > REVIEW_NOTE_MAX_CHARS:
        raise Refused("workflow.note_long")
    now = utcnow()
    responses.mark_status(response, member.user, False, now)
    response.review_note = note
    db.session.add(ModerationEvent(actor_id=member.user_id, action="response_send_back", target_type="response",
                                   target_id=response.id, note=note, created_at=now))
    db.session.commit()


def approve_items(consultation: Consultation, raw_refs, member: WorkgroupMember) -> int:
    """Approves the draft answers of the selected items; all or nothing. Returns how many responses."""
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(raw_refs))
    refs = [f"c{i}" for i in comment_ids] + [f"p{i}" for i in position_ids]
    drafts = [item.response for item in feedback.items_of(consultation, refs)
              if item.response is not None and item.response.status == ResponseStatus.DRAFT]
    unique = list({response.id: response for response in drafts}.values())
    if not unique:
        raise Refused("workflow.no_drafts")
    if not all(may_approve_response(consultation, member, response) for response in unique):
        raise Refused("workflow.not_allowed")
    now = utcnow()
    for response in unique:
        responses.mark_status(response, member.user, True, now)
        db.session.add(ModerationEvent(actor_id=member.user_id, action="response_approve", target_type="response",
                                       target_id=response.id, created_at=now))
    db.session.commit()
    if consultation.status == ConsultationStatus.CONCLUDED:
        responses.notify_authors(consultation)
    return len(unique)


# Assignment ------------------------------------------------------------------------------------

def assign(consultation: Consultation, raw_refs, assignee_id: int | None, actor: User) -> int:
    """Assigns the items to a member of this consultation's working group (None: to nobody)."""
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(raw_refs))
    if not comment_ids and not position_ids:
        raise Refused("workflow.no_items")
    assignee = feedback.member(consultation, assignee_id) if assignee_id is not None else None
    if assignee_id is not None and assignee is None:
        raise Refused("workflow.assignee", field="assignee")
    feedback.set_on_items(comment_ids, position_ids, assignee_id=assignee_id)
    now = utcnow()
    note = assignee.user.display_name if assignee is not None else ""
    action = "assign" if assignee is not None else "unassign"
    db.session.add_all([ModerationEvent(actor_id=actor.id, action=action, target_type=kind, target_id=i, note=note,
                                        created_at=now)
                        for kind, ids in (("comment", comment_ids), ("position", position_ids)) for i in ids])
    db.session.commit()
    return len(comment_ids) + len(position_ids)


def assigned_count(consultation: Consultation, member: WorkgroupMember) -> int:
    """How many of the consultation's published items wait for this member ("assigned to me")."""
    return feedback.count_items(consultation, feedback.Filters(assignee_id=member.id))


# Answering a whole set -------------------------------------------------------------------------

def set_refs(consultation: Consultation, filters: feedback.Filters) -> list[str]:
    """Every item the filters match (the table's, a theme's or a campaign's), oldest first."""
    return feedback.all_refs(consultation, filters, BULK_MAX_ITEMS + 1)


@dataclass
class BulkResult:
    created: int
    approved: bool


def bulk_respond(consultation: Consultation, refs: list[str], decision: str, justification_lv: str,
                 justification_en: str, member: WorkgroupMember, approve: bool, expected: int) -> BulkResult:
    """One response for each item (each can then be changed apart), as drafts, or approved when the member may
    approve them all. `expected` is the count the member confirmed: when the set has changed meanwhile, nothing
    is done, so nobody answers more (or fewer) items than they were told."""
    if len(refs) != expected:
        raise Refused("workflow.count_changed")
    if not refs:
        raise Refused("workflow.no_items")
    if len(refs) > BULK_MAX_ITEMS:
        raise Refused("workflow.too_many")
    if approve and not may_approve(consultation, member, refs):
        raise Refused("workflow.not_allowed")
    if decision not in responses.DECISION_LABELS:
        raise Refused("workflow.decision")
    if not (justification_lv or "").strip():
        raise Refused("workflow.justification")
    comment_ids, position_ids = feedback._own_ids(consultation, *feedback.split_refs(refs))
    now = utcnow()
    user = member.user
    pairs: list[tuple[str, int, Response]] = []
    for kind, ids in (("comment_id", comment_ids), ("position_id", position_ids)):
        for i in ids:
            response = Response(consultation_id=consultation.id, decision=decision,
                                justification_lv=justification_lv.strip(),
                                justification_en=(justification_en or "").strip(), created_by_id=user.id,
                                updated_by_id=user.id, created_at=now, updated_at=now)
            responses.mark_status(response, user, approve, now)
            pairs.append((kind, i, response))
    db.session.add_all([response for _kind, _i, response in pairs])
    db.session.flush()
    if comment_ids:
        db.session.execute(delete(response_comments).where(response_comments.c.comment_id.in_(comment_ids)))
    if position_ids:
        db.session.execute(delete(response_positions).where(response_positions.c.position_id.in_(position_ids)))
    comment_rows = [{"comment_id": i, "response_id": r.id, "notified_at": None}
                    for kind, i, r in pairs if kind == "comment_id"]
    position_rows = [{"position_id": i, "response_id": r.id, "notified_at": None}
                     for kind, i, r in pairs if kind == "position_id"]
    if comment_rows:
        db.session.execute(response_comments.insert(), comment_rows)
    if position_rows:
        db.session.execute(response_positions.insert(), position_rows)
    responses._delete_orphans(consultation)
    action = "response_approve" if approve else "response_draft"
    db.session.add(ModerationEvent(actor_id=user.id, action="bulk_respond", target_type="consultation",
                                   target_id=consultation.id, note=f"{decision}, {len(pairs)}", created_at=now))
    db.session.add_all([ModerationEvent(actor_id=user.id, action=action, target_type="response", target_id=r.id,
                                        note=responses.audit_note(r, 1), created_at=now) for _k, _i, r in pairs])
    db.session.commit()
    if approve and consultation.status == ConsultationStatus.CONCLUDED:
        responses.notify_authors(consultation)
    return BulkResult(len(pairs), approve)


def answered_count(consultation: Consultation, comment_ids: list[int], position_ids: list[int]) -> int:
    """How many of these items have a response already (draft or approved)."""
    total = 0
    if comment_ids:
        total += db.session.scalar(select(func.count()).select_from(response_comments).where(
            response_comments.c.comment_id.in_(comment_ids))) or 0
    if position_ids:
        total += db.session.scalar(select(func.count()).select_from(response_positions).where(
            response_positions.c.position_id.in_(position_ids))) or 0
    return total


def assigned_counts(user: User) -> dict[int, int]:
    """consultation id → how many published items wait for this user there (the working group's start page)."""
    counts: dict[int, int] = defaultdict(int)
    for model in (Comment, Position):
        for consultation_id, count in db.session.execute(
                select(model.consultation_id, func.count()).join(WorkgroupMember,
                                                                 WorkgroupMember.id == model.assignee_id)
                .where(WorkgroupMember.user_id == user.id, model.status == Status.APPROVED)
                .group_by(model.consultation_id)).all():
            counts[consultation_id] += count
    return dict(counts)
