"""Short polls beside the consultations; exactly one vote per voter and poll."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation


class PollVoters:
    ACCOUNTS = "accounts"   # signed-in, confirmed accounts (the default)
    ANYONE = "anyone"       # one vote per browser (signed cookie) plus a per-IP limit
    ALL = (ACCOUNTS, ANYONE)


class PollResults:
    AFTER_VOTE = "after_vote"
    AFTER_CLOSE = "after_close"
    ALWAYS = "always"
    ALL = (AFTER_VOTE, AFTER_CLOSE, ALWAYS)


class Poll(db.Model):
    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint("voters IN ('accounts', 'anyone')", name="voters"),
        CheckConstraint("results_shown IN ('after_vote', 'after_close', 'always')", name="results_shown"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"),
                                                        index=True)
    question_lv: Mapped[str] = mapped_column(String(500))
    question_en: Mapped[str] = mapped_column(String(500), default="")
    multiple: Mapped[bool] = mapped_column(default=False)
    voters: Mapped[str] = mapped_column(String(10), default=PollVoters.ACCOUNTS)
    results_shown: Mapped[str] = mapped_column(String(12), default=PollResults.AFTER_VOTE)
    on_home: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation | None] = relationship()
    options: Mapped[list[PollOption]] = relationship(back_populates="poll", order_by="PollOption.position",
                                                     cascade="all, delete-orphan")

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)

    def has_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and (now or utcnow()) >= self.closes_at


class PollOption(db.Model):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label_lv: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")

    poll: Mapped[Poll] = relationship(back_populates="options")


vote_choices = Table(
    "vote_choices",
    db.metadata,
    Column("vote_id", ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True),
    Column("option_id", ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Vote(db.Model):
    """One voter's ballot. The UNIQUE constraint, not Python, guarantees one per voter and poll."""
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    # "user:<id>" for accounts, "browser:<random>" for anonymous voters.
    voter_key: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    poll: Mapped[Poll] = relationship()
    options: Mapped[list[PollOption]] = relationship(secondary=vote_choices)
