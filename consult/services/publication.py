"""What the public may see: published consultations, sections, news and documents.

Every query here has a fixed count whatever the amount of content, so the pages
that use them cost the same with ten comments or ten thousand.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Consultation, ConsultationStatus, Document, FaqItem, NewsItem, Paragraph, Section, Subgroup, Version,
)

MAX_ID = 2**31 - 1  # the largest id any of our integer columns can hold


def public_consultations(status: str | None = None) -> list[Consultation]:
    statuses = (status,) if status in ConsultationStatus.PUBLIC else ConsultationStatus.PUBLIC
    query = (select(Consultation).where(Consultation.status.in_(statuses))
             .order_by(Consultation.opens_at.desc().nulls_last(), Consultation.id.desc()))
    return list(db.session.scalars(query))


def public_consultation(slug: str) -> Consultation | None:
    if len(slug) > 120:
        return None
    return db.session.scalar(select(Consultation).where(
        Consultation.slug == slug, Consultation.status.in_(ConsultationStatus.PUBLIC)))


def current_version(consultation: Consultation) -> Version | None:
    """The newest published version of the draft."""
    return db.session.scalar(
        select(Version).where(Version.consultation_id == consultation.id, Version.published_at.is_not(None),
                              Version.published_at <= utcnow())
        .order_by(Version.number.desc()).limit(1))


def all_sections(consultation: Consultation) -> list[Section]:
    """Published and scheduled sections; the page marks those still to come."""
    return list(db.session.scalars(
        select(Section).where(Section.consultation_id == consultation.id).order_by(Section.number)))


def public_section(slug: str, number: int) -> tuple[Consultation | None, Section | None]:
    """A public consultation's published section, with the consultation, in one query."""
    if len(slug) > 120 or not 0 < number <= MAX_ID:
        return None, None
    row = db.session.execute(select(Consultation, Section).join(Section, Section.consultation_id == Consultation.id)
                             .where(Consultation.slug == slug, Consultation.status.in_(ConsultationStatus.PUBLIC),
                                    Section.number == number, Section.published_at.is_not(None),
                                    Section.published_at <= utcnow())).first()
    return (row[0], row[1]) if row else (None, None)


def published_section(consultation: Consultation, number: int) -> Section | None:
    if not 0 < number <= MAX_ID:
        return None
    return db.session.scalar(select(Section).where(
        Section.consultation_id == consultation.id, Section.number == number,
        Section.published_at.is_not(None), Section.published_at <= utcnow()))


def neighbour_sections(section: Section) -> tuple[Section | None, Section | None]:
    now = utcnow()
    visible = (Section.consultation_id == section.consultation_id, Section.published_at.is_not(None),
               Section.published_at <= now)
    before = select(func.max(Section.number)).where(*visible, Section.number < section.number).scalar_subquery()
    after = select(func.min(Section.number)).where(*visible, Section.number > section.number).scalar_subquery()
    previous = following = None
    neighbours = select(Section).where(Section.consultation_id == section.consultation_id,
                                       or_(Section.number == before, Section.number == after))
    for neighbour in db.session.scalars(neighbours):
        if neighbour.number < section.number:
            previous = neighbour
        else:
            following = neighbour
    return previous, following


def _newest_version_id(consultation: Consultation):
    """The id of the newest published version, as a subquery."""
    return (select(Version.id).where(Version.consultation_id == consultation.id, Version.published_at.is_not(None),
                                     Version.published_at <= utcnow())
            .order_by(Version.number.desc()).limit(1).scalar_subquery())


def version_and_paragraphs(consultation: Consultation, section: Section) -> tuple[Version | None, list[Paragraph]]:
    """current_version and section_paragraphs in one query."""
    newest = _newest_version_id(consultation)
    rows = db.session.execute(
        select(Version, Paragraph)
        .outerjoin(Paragraph, and_(Paragraph.version_id == Version.id, Paragraph.section_id == section.id))
        .where(Version.id == newest).order_by(Paragraph.number)).all()
    if not rows:
        return None, []
    return rows[0][0], [paragraph for _version, paragraph in rows if paragraph is not None]


@dataclass(frozen=True)
class CommentTarget:
    """What a new comment on a section refers to: the current version and its paragraphs' ids by number."""
    version_id: int | None
    paragraph_ids: dict[int, int]

    @property
    def paragraph_numbers(self) -> list[int]:
        return sorted(self.paragraph_ids)


def comment_target(consultation: Consultation, section: Section) -> CommentTarget:
    """The section's current version and paragraphs as ids and numbers only: one light query."""
    newest = _newest_version_id(consultation)
    rows = db.session.execute(
        select(Version.id, Paragraph.id, Paragraph.number)
        .outerjoin(Paragraph, and_(Paragraph.version_id == Version.id, Paragraph.section_id == section.id))
        .where(Version.id == newest)).all()
    if not rows:
        return CommentTarget(None, {})
    return CommentTarget(rows[0][0], {number: paragraph_id for _version, paragraph_id, number in rows
                                      if paragraph_id is not None})


def section_paragraphs(section: Section, version: Version | None) -> list[Paragraph]:
    if version is None:
        return []
    return list(db.session.scalars(select(Paragraph).where(
        Paragraph.section_id == section.id, Paragraph.version_id == version.id).order_by(Paragraph.number)))


def consultation_documents(consultation: Consultation) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.consultation_id == consultation.id)
                                   .order_by(Document.position, Document.id)))


def public_document(document_id: int) -> Document | None:
    if not 0 < document_id <= MAX_ID:
        return None
    return db.session.scalar(select(Document).join(Consultation).where(
        Document.id == document_id, Consultation.status.in_(ConsultationStatus.PUBLIC)))


def subgroups_with_sections(consultation: Consultation) -> list[Subgroup]:
    return list(db.session.scalars(select(Subgroup).where(Subgroup.consultation_id == consultation.id)
                                   .options(selectinload(Subgroup.sections)).order_by(Subgroup.position)))


def faq_items(consultation: Consultation | None) -> list[FaqItem]:
    condition = (FaqItem.consultation_id == consultation.id) if consultation else FaqItem.consultation_id.is_(None)
    return list(db.session.scalars(select(FaqItem).where(condition).order_by(FaqItem.position, FaqItem.id)))


def _visible_news():
    return (select(NewsItem).outerjoin(Consultation)
            .where(NewsItem.published_at.is_not(None), NewsItem.published_at <= utcnow(),
                   or_(NewsItem.consultation_id.is_(None), Consultation.status.in_(ConsultationStatus.PUBLIC))))


def latest_news(limit: int = 10, offset: int = 0, consultation: Consultation | None = None) -> list[NewsItem]:
    query = _visible_news().options(selectinload(NewsItem.consultation))
    if consultation is not None:
        query = query.where(NewsItem.consultation_id == consultation.id)
    query = query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))


def count_news() -> int:
    return db.session.scalar(select(func.count()).select_from(_visible_news().subquery())) or 0


def news_item(slug: str) -> NewsItem | None:
    if len(slug) > 120:
        return None
    return db.session.scalar(_visible_news().where(NewsItem.slug == slug))
