"""The working group: who belongs to which consultation and subgroup, tags, and the responses to proposals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation, Paragraph, Subgroup
from .user import User


class Decision:
    """How the working group answered a proposal (the columns of the Latvian response table, "izziņa")."""
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_ACCEPTED = "not_accepted"
    EXPLAINED = "explained"
    ALL = (ACCEPTED, PARTLY_ACCEPTED, NOT_ACCEPTED, EXPLAINED)


member_subgroups = Table(
    "workgroup_member_subgroups",
    db.metadata,
    Column("member_id", ForeignKey("workgroup_members.id", ondelete="CASCADE"), primary_key=True),
    Column("subgroup_id", ForeignKey("subgroups.id", ondelete="CASCADE"), primary_key=True, index=True),
    # A lead approves the subgroup's draft responses before they count as answers.
    Column("is_lead", Boolean, nullable=False, default=False, server_default=false()),
)


class WorkgroupMember(db.Model):
    """A person in the working group of one consultation, optionally in some of its subgroups."""
    __tablename__ = "workgroup_members"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the weekly digest last covered this membership; None = never sent.
    last_digest_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    user: Mapped[User] = relationship()
    subgroups: Mapped[list[Subgroup]] = relationship(secondary=member_subgroups, order_by="Subgroup.position")


class Tag(db.Model):
    """A working-group label on comments and positions, per consultation ("finances", "to discuss" …)."""
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("consultation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


comment_tags = Table(
    "comment_tags",
    db.metadata,
    Column("comment_id", ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

position_tags = Table(
    "position_tags",
    db.metadata,
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# A proposal has at most one response (the primary key is the proposal); one response
# may answer several identical proposals. notified_at: when its author was e-mailed.
response_comments = Table(
    "response_comments",
    db.metadata,
    Column("comment_id", ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("notified_at", db.DateTime, nullable=True),
)

response_positions = Table(
    "response_positions",
    db.metadata,
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("notified_at", db.DateTime, nullable=True),
)


class ResponseStatus:
    """A response is written as a draft; it becomes the public answer once a lead (or an admin) approves it."""
    DRAFT = "draft"
    APPROVED = "approved"
    ALL = (DRAFT, APPROVED)


class Response(db.Model):
    """The working group's answer to one or more proposals: a decision and its justification."""
    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("decision IN ('accepted', 'partly_accepted', 'not_accepted', 'explained')",
                        name="decision"),
        CheckConstraint("status IN ('draft', 'approved')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    justification_lv: Mapped[str] = mapped_column(Text)
    justification_en: Mapped[str] = mapped_column(Text, default="")
    # The paragraph of a newer version that changed because of this proposal ("we changed 3.2").
    changed_paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraphs.id", ondelete="SET NULL"),
                                                             index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Responses stored before the approval step existed were public answers: they stay approved.
    status: Mapped[str] = mapped_column(String(10), default=ResponseStatus.DRAFT,
                                        server_default=ResponseStatus.APPROVED)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    # Why a lead sent the draft back; cleared when it is approved.
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    consultation: Mapped[Consultation] = relationship()
    changed_paragraph: Mapped[Paragraph | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def is_approved(self) -> bool:
        return self.status == ResponseStatus.APPROVED
