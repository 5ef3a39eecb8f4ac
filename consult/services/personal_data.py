"""The parts of a person's "download my data" file about polls and organisations: their votes, the
positions they submitted and the organisations they represent (accounts.export_user_data has the rest)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Organisation, Poll, Position, User, Vote
from ..models.organisation import organisation_members


def _iso(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 UTC."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def exported_votes(user: User) -> list[dict]:
    """Every vote cast while signed in, with the question and the answers chosen, oldest first.
    Votes cast without an account are kept against a browser, not a person, so none of them is here."""
    votes = db.session.scalars(
        select(Vote).where(or_(Vote.user_id == user.id, Vote.voter_key == f"user:{user.id}"))
        .options(selectinload(Vote.options), joinedload(Vote.poll).joinedload(Poll.consultation))
        .order_by(Vote.created_at, Vote.id))
    return [
        {
            "poll": vote.poll_id,
            "question": vote.poll.question_lv,
            "question_en": vote.poll.question_en or None,
            "consultation": vote.poll.consultation.slug if vote.poll.consultation else None,
            "answers": [option.label_lv for option in _in_order(vote.options)],
            "answers_en": [option.label_en or None for option in _in_order(vote.options)],
            "voted_at": _iso(vote.created_at),
        }
        for vote in votes
    ]


def _in_order(options: list) -> list:
    """A vote's answers as the poll lists them."""
    return sorted(options, key=lambda option: (option.position, option.id))


def exported_positions(user: User) -> list[dict]:
    """Every position the user submitted, in every status, oldest first; an attachment by its name
    and size (the file itself is on the position's page while it is public)."""
    positions = db.session.scalars(
        select(Position).where(Position.author_id == user.id)
        .options(joinedload(Position.consultation), joinedload(Position.organisation),
                 selectinload(Position.sections), selectinload(Position.signatures))
        .order_by(Position.created_at, Position.id))
    return [
        {
            "id": position.id,
            "consultation": position.consultation.slug,
            "organisation": position.organisation.name,
            "title": position.title,
            "body": position.body,
            "language": position.language,
            "sections": None if position.whole_draft else [section.number for section in position.sections],
            "publish_name": position.publish_name,
            "attachment": {"name": position.attachment_name, "size": position.attachment_size}
            if position.attachment_name else None,
            "signatures": [{"signer": signature.signer_name, "issuer": signature.issuer_name,
                            "signed_at": _iso(signature.signed_at), "status": signature.status}
                           for signature in position.signatures],
            "status": position.status,
            "moderation_reason": position.moderation_reason,
            "created_at": _iso(position.created_at),
        }
        for position in positions
    ]


def exported_organisations(user: User) -> list[dict]:
    """The organisations the user represents, and whether an administrator has verified them."""
    organisations = db.session.scalars(
        select(Organisation).join(organisation_members, organisation_members.c.organisation_id == Organisation.id)
        .where(organisation_members.c.user_id == user.id).order_by(Organisation.name, Organisation.id))
    return [
        {"name": organisation.name, "registration_number": organisation.registration_number,
         "kind": organisation.kind, "status": organisation.status, "created_at": _iso(organisation.created_at)}
        for organisation in organisations
    ]
