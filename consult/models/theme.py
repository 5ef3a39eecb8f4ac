"""Themes of a consultation's feedback: as worked out by consult.services.themes, then edited by people.

A ThemeSet holds the themes of one scope: the whole consultation, or one section. Each
comment or position of the scope is a member of exactly one of its themes (the "other"
group included). What the working group changes is kept when the themes are worked out
again: a theme's name, a merge (the merged members stay together, so the new themes that
overlap them are matched to the same theme), and a member a person moved (moved_at set).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation, Section

NAME_MAX_CHARS = 120


class ThemeSet(db.Model):
    __tablename__ = "theme_sets"
    # `scope` is "all" or "section-<id>": a unique key that a NULL section id could not give on every database.
    __table_args__ = (UniqueConstraint("consultation_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(30))
    computed_at: Mapped[datetime | None]
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    items: Mapped[int] = mapped_column(default=0)   # comments and positions read when last worked out

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(back_populates="theme_set", order_by="Theme.id",
                                               cascade="all, delete-orphan", passive_deletes=True)


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_set_id: Mapped[int] = mapped_column(ForeignKey("theme_sets.id", ondelete="CASCADE"), index=True)
    # The working group's name for it; None: the key phrases name it.
    name: Mapped[str | None] = mapped_column(String(NAME_MAX_CHARS))
    # Key phrases, strongest first, one a line, in the forms people wrote.
    phrases: Mapped[str] = mapped_column(Text, default="")
    is_other: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    renamed_at: Mapped[datetime | None]
    renamed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme_set: Mapped[ThemeSet] = relationship(back_populates="themes")

    @property
    def phrase_list(self) -> list[str]:
        return [line for line in (self.phrases or "").split("\n") if line]

    @phrase_list.setter
    def phrase_list(self, values: list[str]) -> None:
        self.phrases = "\n".join(v.replace("\n", " ") for v in values if v)


class ThemeMember(db.Model):
    """A comment or a position in a theme."""
    __tablename__ = "theme_members"
    __table_args__ = (
        UniqueConstraint("theme_set_id", "comment_id"),
        UniqueConstraint("theme_set_id", "position_id"),
        CheckConstraint("(comment_id IS NULL) <> (position_id IS NULL)", name="one_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_set_id: Mapped[int] = mapped_column(ForeignKey("theme_sets.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    fit: Mapped[float | None]          # how well it fits the theme as worked out (0–1); None when moved by hand
    quote: Mapped[bool] = mapped_column(default=False)   # one of the theme's representative quotes
    # When and by whom a person moved it here: such members stay where they are through recomputing.
    moved_at: Mapped[datetime | None]
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
