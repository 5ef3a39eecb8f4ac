"""Comments on sections and paragraphs, and reports of abusive ones."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation, Paragraph, Section, Subgroup, Version
from .user import User


class Stance:
    SUPPORTS = "supports"
    OBJECTS = "objects"
    PROPOSES = "proposes"
    ASKS = "asks"
    ALL = (SUPPORTS, OBJECTS, PROPOSES, ASKS)


class Channel:
    """How a comment reached the consultation: typed on this site, or entered by staff from a letter,
    an e-mail or what was said at a meeting (an offline submission)."""
    WEB = "web"
    LETTER = "letter"
    EMAIL = "email"
    MEETING = "meeting"
    ALL = (WEB, LETTER, EMAIL, MEETING)
    OFFLINE = (LETTER, EMAIL, MEETING)


class Status:
    """Moderation status. Nothing is ever deleted: every status stays in the record."""
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    WITHDRAWN = "withdrawn"
    ALL = (PENDING, APPROVED, REJECTED, HIDDEN, WITHDRAWN)


class Reason:
    """Why a moderator rejected or hid an item (a fixed list)."""
    OFF_TOPIC = "off_topic"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    DUPLICATE = "duplicate"
    OTHER = "other"
    ALL = (OFF_TOPIC, OFFENSIVE, PERSONAL_DATA, SPAM, DUPLICATE, OTHER)
    # Set by the site itself when readers' reports hide an item until a moderator looks.
    REPORTED = "reported"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'hidden', 'withdrawn')", name="status"),
        CheckConstraint("stance IN ('supports', 'objects', 'proposes', 'asks')", name="stance"),
        CheckConstraint("channel IN ('web', 'letter', 'email', 'meeting')", name="channel"),
        UniqueConstraint("author_id", "idempotency_key"),
        Index("ix_comments_section_status", "section_id", "status"),
        Index("ix_comments_author_fingerprint", "author_id", "fingerprint"),
        # For a million comments (migration c5d2a8e41f07): each in the order its query reads.
        # On PostgreSQL it also carries the columns the working group's filters read, which are
        # then checked in the index alone.
        Index("ix_comments_consultation_status_created", "consultation_id", "status", "created_at", "id",
              postgresql_include=["stance", "channel", "sender_type", "author_id", "section_id", "paragraph_id",
                                  "subgroup_id", "assignee_id"]),
        Index("ix_comments_consultation_status_id", "consultation_id", "status", "id"),
        Index("ix_comments_section_threads", "section_id", "status", "parent_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"))
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraphs.id", ondelete="SET NULL"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stance: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="lv")
    show_name: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING, index=True)
    # Post-moderated items are public at once; a moderator still reviews them.
    needs_review: Mapped[bool] = mapped_column(default=True, index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderation_reason: Mapped[str | None] = mapped_column(String(30))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    # The working-group subgroup this comment is assigned to (set in the feedback table).
    subgroup_id: Mapped[int | None] = mapped_column(ForeignKey("subgroups.id", ondelete="SET NULL"), index=True)
    # The working-group member who is to answer it ("assigned to me"); None = nobody in particular.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("workgroup_members.id", ondelete="SET NULL"),
                                                    index=True)
    # Offline submissions (consult.services.submissions): the channel it came by, the day it was
    # received, who sent it (respondent type, organisation) and which staff member entered it. Their
    # author is the one placeholder account of offline senders, so these say who the sender was.
    channel: Mapped[str] = mapped_column(String(10), default=Channel.WEB, server_default=Channel.WEB)
    received_on: Mapped[date | None]
    sender_type: Mapped[str | None] = mapped_column(String(20))
    sender_organisation: Mapped[str | None] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section] = relationship()
    subgroup: Mapped[Subgroup | None] = relationship()
    version: Mapped[Version | None] = relationship()
    paragraph: Mapped[Paragraph | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list[Comment]] = relationship(back_populates="parent", order_by="Comment.created_at")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    @property
    def is_offline(self) -> bool:
        return self.channel != Channel.WEB

    @property
    def respondent_kind(self) -> str:
        """The respondent type shown: the sender's for an offline submission, else the author's."""
        return self.sender_type or self.author.respondent_type

    @property
    def public_name(self) -> str | None:
        """The name shown with the comment, or None: then the respondent type stands for it.

        An offline submission shows the organisation that sent it, when it names one; a comment
        from the site shows its author's name only when they chose so and still have an account.
        """
        if self.is_offline:
            return self.sender_organisation or None
        if self.show_name and self.author.deleted_at is None and self.author.display_name:
            return self.author.display_name
        return None

    @property
    def paragraph_label(self) -> str | None:
        return f"{self.section.number}.{self.paragraph.number}" if self.paragraph else None


class Report(db.Model):
    """A signed-in reader flags a comment for moderators; one report per reader and comment."""
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    comment: Mapped[Comment] = relationship()
    reporter: Mapped[User] = relationship()
