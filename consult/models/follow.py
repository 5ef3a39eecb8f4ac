"""Following a consultation by e-mail, and the events its followers hear about."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation, Section, Version
from .user import User


class Follow(db.Model):
    """A person who wants e-mail about one consultation.

    Either an account (`user_id`, mail goes to the account's address) or just an
    address (`email`) that was confirmed through a link (double opt-in). `key` is
    part of every link made for this row, so a link dies with it.
    """
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id"),
        UniqueConstraint("consultation_id", "email"),
        CheckConstraint("language IN ('lv', 'en')", name="language"),
        CheckConstraint("(user_id IS NULL) <> (email IS NULL)", name="user_or_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(2), default="lv")
    key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmation_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    user: Mapped[User | None] = relationship()


class EventKind:
    OPENED = "opened"
    SECTION_PUBLISHED = "section_published"
    VERSION_PUBLISHED = "version_published"
    CLOSED = "closed"
    CONCLUDED = "concluded"
    ALL = (OPENED, SECTION_PUBLISHED, VERSION_PUBLISHED, CLOSED, CONCLUDED)
    MILESTONES = (OPENED, CLOSED, CONCLUDED)


class ConsultationEvent(db.Model):
    """Something followers hear about: recorded when the content changes, mailed later in one message a day.

    `happens_at` is when it happens on the site (it may be scheduled); `due_at` is
    when followers can first be told (never before the row was written).
    """
    __tablename__ = "consultation_events"
    __table_args__ = (
        CheckConstraint("kind IN ('opened', 'section_published', 'version_published', 'closed', 'concluded')",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    happens_at: Mapped[datetime] = mapped_column(index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section | None] = relationship()
    version: Mapped[Version | None] = relationship()
