"""The site search index: one row per searchable thing and language, derived from the content.

Rows are written only by consult.services.search (when content changes, and by
`flask --app consult search reindex`); nothing else reads or writes them. The
database's own full-text index sits on the `folded` column: an FTS5 table named
`search_fts…` on SQLite, a GIN index on `to_tsvector('simple', folded)` on
PostgreSQL. Both are created by the migration only, outside these models.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SearchKind:
    CONSULTATION = "consultation"
    SECTION = "section"
    NEWS = "news"
    FAQ = "faq"
    POSITION = "position"
    COMMENT = "comment"
    # The order in which the results page groups them.
    ALL = (CONSULTATION, SECTION, NEWS, FAQ, POSITION, COMMENT)
    # Written by people in one language; found from both language versions of the site.
    ONE_LANGUAGE = (POSITION, COMMENT)


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (Index("ix_search_entries_kind_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    # Rows go with their consultation and section (foreign keys cascade).
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    # The language of the page the row is for; for comments and positions, the language they were written in.
    lang: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # Title and text in lower case without Latvian diacritics, then a line of the keys of their
    # words (all forms of a word share one key): what the full-text index covers.
    folded: Mapped[str] = mapped_column(Text, default="")
    # A scheduled section, version or news item is found only from its publication time on,
    # and a section's text of an older version only until the next version is published.
    visible_from: Mapped[datetime | None]
    visible_until: Mapped[datetime | None]
