"""Consultations, their draft versions, sections, numbered paragraphs and subgroups."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .publishing import Published


class ConsultationStatus:
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CONCLUDED = "concluded"
    ALL = (DRAFT, OPEN, CLOSED, CONCLUDED)
    PUBLIC = (OPEN, CLOSED, CONCLUDED)


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed', 'concluded')", name="status"),
        CheckConstraint("moderation_mode IN ('pre', 'post')", name="moderation_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_lv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    summary_lv: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    institution_lv: Mapped[str] = mapped_column(String(200), default="")
    institution_en: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ConsultationStatus.DRAFT, index=True)
    moderation_mode: Mapped[str] = mapped_column(String(10), default="pre")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    concluded_at: Mapped[datetime | None]
    # The working group's own words above the public outcome, written before it is published.
    outcome_intro_lv: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_intro_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[Version]] = relationship(
        back_populates="consultation", order_by="Version.number", cascade="all, delete-orphan")
    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", order_by="Section.number", cascade="all, delete-orphan")
    subgroups: Mapped[list[Subgroup]] = relationship(
        back_populates="consultation", order_by="Subgroup.position", cascade="all, delete-orphan")

    @property
    def is_public(self) -> bool:
        return self.status in ConsultationStatus.PUBLIC

    @property
    def is_open(self) -> bool:
        """Open for comments: status open and inside the scheduled window."""
        if self.status != ConsultationStatus.OPEN:
            return False
        now = utcnow()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Version(Published, db.Model):
    """A version of the draft document: v1 for consultation, v2 revised …"""
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    change_note_lv: Mapped[str] = mapped_column(Text, default="")
    change_note_en: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="versions")


subgroup_sections = Table(
    "subgroup_sections",
    db.metadata,
    Column("subgroup_id", ForeignKey("subgroups.id", ondelete="CASCADE"), primary_key=True),
    Column("section_id", ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True),
)


class Section(Published, db.Model):
    """A numbered section of the draft; its text lives in paragraphs, per version."""
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title_lv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    # Each section has its own publication time; None means not yet scheduled.
    published_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="section", order_by="Paragraph.number", cascade="all, delete-orphan")
    subgroups: Mapped[list[Subgroup]] = relationship(
        secondary=subgroup_sections, back_populates="sections", order_by="Subgroup.position")


class Paragraph(db.Model):
    """A numbered paragraph (3.2) of a section in one version of the draft.

    The text is the editors' Markdown, rendered and cleaned when shown.
    """
    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("section_id", "version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text_lv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[Section] = relationship(back_populates="paragraphs")
    version: Mapped[Version] = relationship()

    @property
    def label(self) -> str:
        return f"{self.section.number}.{self.number}"


class Subgroup(db.Model):
    """A subgroup of the working group; it covers some sections."""
    __tablename__ = "subgroups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_lv: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    description_lv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="subgroups")
    sections: Mapped[list[Section]] = relationship(
        secondary=subgroup_sections, back_populates="subgroups", order_by="Section.number")
