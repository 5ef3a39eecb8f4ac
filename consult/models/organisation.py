"""Organisations and the formal positions their representatives submit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation, Section, Subgroup, Version
from .user import User


class OrganisationKind:
    NGO = "ngo"
    MUNICIPALITY = "municipality"
    SOCIAL_PARTNER = "social_partner"
    BUSINESS = "business"
    ACADEMIC = "academic"
    OTHER = "other"
    ALL = (NGO, MUNICIPALITY, SOCIAL_PARTNER, BUSINESS, ACADEMIC, OTHER)


organisation_members = Table(
    "organisation_members",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind IN ('ngo', 'municipality', 'social_partner', 'business', 'academic', 'other')",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The Latvian register's 11-digit number, where the organisation has one.
    registration_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    website: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # An administrator may decline an organisation they could not verify, saying why; verifying it
    # later clears this.
    declined_at: Mapped[datetime | None]
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)

    representatives: Mapped[list[User]] = relationship(secondary=organisation_members)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def status(self) -> str:
        """verified, declined or waiting (for an administrator to check it)."""
        if self.verified_at is not None:
            return "verified"
        return "declined" if self.declined_at is not None else "waiting"


# The names an electronically signed ASiC-E container goes by (eParaksts writes .edoc).
SIGNED_CONTAINER_SUFFIXES = (".edoc", ".asice", ".sce")

position_sections = Table(
    "position_sections",
    db.metadata,
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
    Column("section_id", ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Position(db.Model):
    """A formal position of an organisation on the whole draft or some sections; moderated like comments."""
    __tablename__ = "positions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'hidden', 'withdrawn')", name="status"),
        UniqueConstraint("author_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="lv")
    whole_draft: Mapped[bool] = mapped_column(default=True)
    publish_name: Mapped[bool] = mapped_column(default=True)
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_stored: Mapped[str | None] = mapped_column(String(80), unique=True)
    attachment_size: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    needs_review: Mapped[bool] = mapped_column(default=True)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderation_reason: Mapped[str | None] = mapped_column(String(30))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    # The worst status among the attachment's electronic signatures; None when it is not signed.
    signature_status: Mapped[str | None] = mapped_column(String(20))
    # The working-group subgroup this position is assigned to (set in the feedback table).
    subgroup_id: Mapped[int | None] = mapped_column(ForeignKey("subgroups.id", ondelete="SET NULL"), index=True)
    # The working-group member who is to answer it; None = nobody in particular.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("workgroup_members.id", ondelete="SET NULL"),
                                                    index=True)

    consultation: Mapped[Consultation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    subgroup: Mapped[Subgroup | None] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    version: Mapped[Version | None] = relationship()
    sections: Mapped[list[Section]] = relationship(secondary=position_sections, order_by="Section.number")
    @property
    def attachment_is_container(self) -> bool:
        return bool(self.attachment_name) and self.attachment_name.lower().endswith(SIGNED_CONTAINER_SUFFIXES)

    signatures: Mapped[list[PositionSignature]] = relationship(
        order_by="PositionSignature.id", cascade="all, delete-orphan", back_populates="position")


class PositionSignature(db.Model):
    """One electronic signature on a position's attachment, as checked when it was uploaded."""
    __tablename__ = "position_signatures"
    __table_args__ = (
        CheckConstraint("status IN ('valid', 'unverified', 'untrusted', 'expired', 'broken')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    # The certificate's common name: the person (or seal) who signed, and the authority that issued it.
    signer_name: Mapped[str] = mapped_column(String(300))
    issuer_name: Mapped[str] = mapped_column(String(300))
    signed_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))

    position: Mapped[Position] = relationship(back_populates="signatures")
