"""Scopes, theme sets and themes by id, and a theme's name when nobody has named it."""
from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import Consultation, Section
from ...models.theme import Theme, ThemeSet
from .. import ids

WHOLE = "all"


LABEL_PHRASES = 3      # key phrases that name a theme nobody has named


def scope_of(section: Section | None) -> str:
    return WHOLE if section is None else f"section-{section.id}"


def default_label(theme: Theme) -> str:
    """The theme's name, or its first key phrases; empty for an unnamed "other" group."""
    return theme.name or ", ".join(theme.phrase_list[:LABEL_PHRASES])


def _ref(comment_id, position_id) -> tuple[str, int]:
    return ("c", comment_id) if comment_id is not None else ("p", position_id)


def _columns(ref: tuple[str, int]) -> dict:
    return {"comment_id": ref[1], "position_id": None} if ref[0] == "c" else {"comment_id": None,
                                                                               "position_id": ref[1]}


def theme_set(consultation: Consultation, section: Section | None = None) -> ThemeSet | None:
    return db.session.scalar(select(ThemeSet).where(ThemeSet.consultation_id == consultation.id,
                                                    ThemeSet.scope == scope_of(section)))


def theme(consultation: Consultation, theme_id: int | None) -> Theme | None:
    """A theme of this consultation (any scope) by id, or None."""
    if theme_id is None or not ids.in_range(theme_id):
        return None
    return db.session.scalar(select(Theme).join(ThemeSet, ThemeSet.id == Theme.theme_set_id).where(
        Theme.id == theme_id, ThemeSet.consultation_id == consultation.id))


def consultation_themes(consultation: Consultation) -> list[tuple[Theme, Section | None]]:
    """Every theme of the consultation with the section its set is for (None: the whole consultation),
    the whole consultation's first: for the feedback table's filter."""
    rows = db.session.execute(
        select(Theme, Section).join(ThemeSet, ThemeSet.id == Theme.theme_set_id)
        .outerjoin(Section, Section.id == ThemeSet.section_id)
        .where(ThemeSet.consultation_id == consultation.id)
        .order_by(Section.number.is_not(None), Section.number, Theme.is_other, Theme.id)).all()
    return [(row[0], row[1]) for row in rows]
