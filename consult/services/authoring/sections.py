"""Sections and their paragraphs: adding, numbering, publishing and deleting them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Consultation, Paragraph, Section, Version
from .. import ids
from ..refusals import Refused
from .common import _commit


def sections(item: Consultation) -> list[Section]:
    return list(db.session.scalars(select(Section).where(Section.consultation_id == item.id)
                                   .order_by(Section.number)))


def section(item: Consultation, number: int) -> Section | None:
    if not ids.in_range(number):
        return None
    return db.session.scalar(select(Section).where(Section.consultation_id == item.id, Section.number == number))


def section_number_taken(item: Consultation, number: int, exclude_id: int | None = None) -> bool:
    query = select(Section.id).where(Section.consultation_id == item.id, Section.number == number)
    if exclude_id:
        query = query.where(Section.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _text_goes_public_with(item: Consultation, published_at: datetime | None) -> bool:
    """Version 1 becomes public with the first section, if no version has a time of its own yet.

    Returns True when it did so.
    """
    if published_at is None:
        return False
    first = db.session.scalar(select(Version).where(Version.consultation_id == item.id)
                              .order_by(Version.number).limit(1))
    if first is None or first.number != 1:
        return False
    others_live = db.session.scalar(select(Version.id).where(
        Version.consultation_id == item.id, Version.number > 1, Version.published_at.is_not(None)).limit(1))
    if others_live:
        return False
    if first.published_at is None or first.published_at > published_at:
        first.published_at = published_at
        return True
    return False


def add_section(item: Consultation, number: int, title_lv: str, title_en: str,
                published_at: datetime | None) -> tuple[Section, bool]:
    new = Section(consultation_id=item.id, number=number, title_lv=title_lv, title_en=title_en,
                  published_at=published_at)
    db.session.add(new)
    text_published = _text_goes_public_with(item, published_at)
    _commit("section_number")
    return new, text_published


def update_section(item: Section, number: int, title_lv: str, title_en: str,
                   published_at: datetime | None) -> bool:
    item.number, item.title_lv, item.title_en, item.published_at = number, title_lv, title_en, published_at
    text_published = _text_goes_public_with(item.consultation, published_at)
    _commit("section_number")
    return text_published


def publish_section_now(item: Section, now: datetime | None = None) -> bool:
    """Publish at once; returns True when version 1 of the text was published with it."""
    now = (now or utcnow()).replace(microsecond=0)
    if item.is_published(now):
        raise Refused("authoring.already_published")
    item.published_at = now
    text_published = _text_goes_public_with(item.consultation, now)
    db.session.commit()
    return text_published


def delete_section(item: Section) -> None:
    """Only a section without text in any version and without comments can go."""
    if db.session.scalar(select(Paragraph.id).where(Paragraph.section_id == item.id).limit(1)) or \
            db.session.scalar(select(Comment.id).where(Comment.section_id == item.id).limit(1)):
        raise Refused("authoring.section_in_use")
    db.session.delete(item)
    db.session.commit()


def section_paragraph_counts(item: Consultation, version_: Version | None) -> dict[int, int]:
    if version_ is None:
        return {}
    rows = db.session.execute(select(Paragraph.section_id, func.count()).where(Paragraph.version_id == version_.id)
                              .group_by(Paragraph.section_id))
    return {section_id: count for section_id, count in rows}


def paragraphs(item: Section, version_: Version | None) -> list[Paragraph]:
    if version_ is None:
        return []
    return list(db.session.scalars(select(Paragraph).where(Paragraph.section_id == item.id,
                                                           Paragraph.version_id == version_.id)
                                   .order_by(Paragraph.number)))


def paragraph(item: Section, version_: Version, number: int) -> Paragraph | None:
    if not ids.in_range(number):
        return None
    return db.session.scalar(select(Paragraph).where(Paragraph.section_id == item.id,
                                                     Paragraph.version_id == version_.id,
                                                     Paragraph.number == number))


def add_paragraph(item: Section, version_: Version, text_lv: str, text_en: str) -> Paragraph:
    """A new paragraph at the end, so the numbers of the others never move."""
    last = db.session.scalar(select(func.max(Paragraph.number)).where(
        Paragraph.section_id == item.id, Paragraph.version_id == version_.id)) or 0
    new = Paragraph(section_id=item.id, version_id=version_.id, number=last + 1, text_lv=text_lv, text_en=text_en)
    db.session.add(new)
    _commit("paragraph")
    return new


def update_paragraph(item: Paragraph, text_lv: str, text_en: str) -> None:
    item.text_lv, item.text_en = text_lv, text_en
    db.session.commit()


def delete_last_paragraph(item: Paragraph) -> None:
    """Only the last paragraph of a draft can go: the numbers of the others stay stable."""
    last = db.session.scalar(select(func.max(Paragraph.number)).where(
        Paragraph.section_id == item.section_id, Paragraph.version_id == item.version_id))
    if item.number != last or db.session.scalar(select(Comment.id).where(Comment.paragraph_id == item.id)
                                                .limit(1)):
        raise Refused("authoring.paragraph_in_use")
    db.session.delete(item)
    db.session.commit()
