"""Polls: casting exactly one vote per voter, and counting the results."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..clock import utcnow
from ..extensions import db
from ..models import Consultation, Poll, PollOption, PollResults, Vote
from ..models.poll import vote_choices
from . import ids, publication
from .refusals import Refused


def get_poll(poll_id: int) -> Poll | None:
    if not ids.in_range(poll_id):
        return None
    poll = db.session.scalar(select(Poll).where(Poll.id == poll_id).options(selectinload(Poll.options)))
    if poll is None or (poll.consultation is not None and not poll.consultation.is_public):
        return None
    return poll


def _has_opened():
    now = utcnow()
    return (Poll.opens_at.is_(None)) | (Poll.opens_at <= now)


def opened_poll(poll_id: int) -> Poll | None:
    """A poll that has opened, site-wide or of a public consultation (the open data's poll)."""
    if not ids.in_range(poll_id):
        return None
    return db.session.scalar(
        select(Poll).outerjoin(Consultation, Consultation.id == Poll.consultation_id)
        .where(Poll.id == poll_id, _has_opened(), publication.site_wide_or_public(Poll.consultation_id))
        .options(selectinload(Poll.options), joinedload(Poll.consultation)))


def home_poll() -> Poll | None:
    """The newest poll marked for the home page that has opened."""
    return db.session.scalar(
        select(Poll).where(Poll.on_home.is_(True), _has_opened())
        .options(selectinload(Poll.options)).order_by(Poll.created_at.desc(), Poll.id.desc()).limit(1))


def consultation_polls(consultation) -> list[Poll]:
    """The consultation's polls that have opened, oldest first."""
    return list(db.session.scalars(
        select(Poll).where(Poll.consultation_id == consultation.id, _has_opened())
        .options(selectinload(Poll.options)).order_by(Poll.id)))


def has_voted(poll: Poll, voter_key: str | None) -> bool:
    if not voter_key:
        return False
    return db.session.scalar(select(Vote.id).where(Vote.poll_id == poll.id, Vote.voter_key == voter_key)) is not None


def cast_vote(poll: Poll, voter_key: str, option_ids: list[int], user_id: int | None) -> Vote:
    """Stores one ballot. A second ballot from the same voter fails on the UNIQUE constraint."""
    if not poll.is_open():
        raise Refused("poll.closed")
    valid = {option.id for option in poll.options}
    chosen = list(dict.fromkeys(option_ids))
    if not chosen or any(option_id not in valid for option_id in chosen):
        raise Refused("poll.no_choice")
    if not poll.multiple and len(chosen) != 1:
        raise Refused("poll.one_choice")
    vote = Vote(poll_id=poll.id, voter_key=voter_key, user_id=user_id)
    db.session.add(vote)
    try:
        db.session.flush()
        db.session.execute(vote_choices.insert(), [{"vote_id": vote.id, "option_id": o} for o in chosen])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("poll.already_voted") from None
    return vote


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    share: float  # 0..1 of the voters


@dataclass
class PollResult:
    voters: int
    options: list[OptionResult]


def results(poll: Poll) -> PollResult:
    return results_of([poll])[poll.id]


def results_of(polls: list[Poll]) -> dict[int, PollResult]:
    """Each poll's result by its id: votes per option and voters per poll, in two queries for all of them."""
    poll_ids = [poll.id for poll in polls]
    if not poll_ids:
        return {}
    counts = dict(db.session.execute(
        select(vote_choices.c.option_id, func.count()).join(Vote, Vote.id == vote_choices.c.vote_id)
        .where(Vote.poll_id.in_(poll_ids)).group_by(vote_choices.c.option_id)).all())
    voters = dict(db.session.execute(select(Vote.poll_id, func.count()).where(Vote.poll_id.in_(poll_ids))
                                     .group_by(Vote.poll_id)).all())
    found = {}
    for poll in polls:
        total = voters.get(poll.id, 0)
        found[poll.id] = PollResult(total, [OptionResult(option, counts.get(option.id, 0),
                                                         counts.get(option.id, 0) / total if total else 0.0)
                                            for option in poll.options])
    return found


def results_visible(poll: Poll, voted: bool) -> bool:
    if poll.results_shown == PollResults.ALWAYS:
        return True
    if poll.results_shown == PollResults.AFTER_CLOSE:
        return poll.has_closed()
    return voted or poll.has_closed()
