"""What the public may see: published consultations, sections, versions, news and documents.

The publication rule itself is the models' `is_published` (models/publishing.py); the lists here are the
one place the public site, the API, the feeds, the sitemap and the diff read published rows from.
Every query here has a fixed count whatever the amount of content, so the pages
that use them cost the same with ten comments or ten thousand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Consultation,
    ConsultationStatus,
    Document,
    FaqItem,
    NewsItem,
    Paragraph,
    Section,
    Subgroup,
    Version,
)
from . import ids


def public_consultations(status: str | None = None) -> list[Consultation]:
    statuses = (status,) if status in ConsultationStatus.PUBLIC else ConsultationStatus.PUBLIC
    query = (select(Consultation).where(Consultation.status.in_(statuses))
             .order_by(Consultation.opens_at.desc().nulls_last(), Consultation.id.desc()))
    return list(db.session.scalars(query))


def public_consultations_after(after: int, count: int, status: str | None = None) -> list[Consultation]:
    """At most `count` public consultations (of one public status, if given) with an id above `after`, by id:
    a page of the open data's list."""
    statuses = (status,) if status in ConsultationStatus.PUBLIC else ConsultationStatus.PUBLIC
    return list(db.session.scalars(select(Consultation).where(Consultation.status.in_(statuses),
                                                              Consultation.id > after)
                                   .order_by(Consultation.id).limit(count)))


def public_consultation(slug: str) -> Consultation | None:
    if len(slug) > 120:
        return None
    return db.session.scalar(select(Consultation).where(
        Consultation.slug == slug, Consultation.status.in_(ConsultationStatus.PUBLIC)))


def site_wide_or_public(consultation_id):
    """News, questions and polls belong to the whole site (no consultation) or to one consultation, and are
    shown only while that one is public. The query must outer-join Consultation."""
    return or_(consultation_id.is_(None), Consultation.status.in_(ConsultationStatus.PUBLIC))


def _published_versions(consultation: Consultation, now: datetime | None = None):
    return select(Version).where(Version.consultation_id == consultation.id, Version.is_published(now))


def published_versions(consultation: Consultation, now: datetime | None = None) -> list[Version]:
    """The versions of the draft the public may read, oldest first."""
    return list(db.session.scalars(_published_versions(consultation, now).order_by(Version.number)))


def current_version(consultation: Consultation) -> Version | None:
    """The newest published version of the draft."""
    return db.session.scalar(_published_versions(consultation).order_by(Version.number.desc()).limit(1))


def published_sections(consultation: Consultation, now: datetime | None = None) -> list[Section]:
    """The sections the public may read, by number."""
    return list(db.session.scalars(select(Section).where(
        Section.consultation_id == consultation.id, Section.is_published(now)).order_by(Section.number)))


def all_sections(consultation: Consultation) -> list[Section]:
    """Published and scheduled sections; the page marks those still to come."""
    return list(db.session.scalars(
        select(Section).where(Section.consultation_id == consultation.id).order_by(Section.number)))


def public_section(slug: str, number: int) -> tuple[Consultation | None, Section | None]:
    """A public consultation's published section, with the consultation, in one query."""
    if len(slug) > 120 or not ids.in_range(number):
        return None, None
    row = db.session.execute(select(Consultation, Section).join(Section, Section.consultation_id == Consultation.id)
                             .where(Consultation.slug == slug, Consultation.status.in_(ConsultationStatus.PUBLIC),
                                    Section.number == number, Section.is_published())).first()
    return (row[0], row[1]) if row else (None, None)


def published_section(consultation: Consultation, number: int) -> Section | None:
    if not ids.in_range(number):
        return None
    return db.session.scalar(select(Section).where(
        Section.consultation_id == consultation.id, Section.number == number, Section.is_published()))


def neighbour_sections(section: Section) -> tuple[Section | None, Section | None]:
    visible = (Section.consultation_id == section.consultation_id, Section.is_published())
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
    return (_published_versions(consultation).with_only_columns(Version.id)
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


def sections_with_text(consultation: Consultation, number: int | None = None
                       ) -> tuple[Version | None, list[tuple[Section, list[Paragraph]]]]:
    """The current version and every published section (or only the one numbered `number`) with its
    paragraphs in that version: three queries, whatever the size of the draft."""
    version = current_version(consultation)
    query = select(Section).where(Section.consultation_id == consultation.id, Section.is_published())
    if number is not None:
        query = query.where(Section.number == number)
    sections = db.session.scalars(query.order_by(Section.number)).all()
    paragraphs: dict[int, list[Paragraph]] = {s.id: [] for s in sections}
    if version is not None and sections:
        for paragraph in db.session.scalars(select(Paragraph).where(
                Paragraph.version_id == version.id, Paragraph.section_id.in_(list(paragraphs)))
                .order_by(Paragraph.number)):
            paragraphs[paragraph.section_id].append(paragraph)
    return version, [(s, paragraphs[s.id]) for s in sections]


def section_paragraphs(section: Section, version: Version | None) -> list[Paragraph]:
    if version is None:
        return []
    return list(db.session.scalars(select(Paragraph).where(
        Paragraph.section_id == section.id, Paragraph.version_id == version.id).order_by(Paragraph.number)))


def consultation_documents(consultation: Consultation) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.consultation_id == consultation.id)
                                   .order_by(Document.position, Document.id)))


def public_document(document_id: int) -> Document | None:
    if not ids.in_range(document_id):
        return None
    return db.session.scalar(select(Document).join(Consultation).where(
        Document.id == document_id, Consultation.status.in_(ConsultationStatus.PUBLIC)))


def subgroups_with_sections(consultation: Consultation) -> list[Subgroup]:
    return list(db.session.scalars(select(Subgroup).where(Subgroup.consultation_id == consultation.id)
                                   .options(selectinload(Subgroup.sections)).order_by(Subgroup.position)))


def faq_items(consultation: Consultation | None) -> list[FaqItem]:
    condition = (FaqItem.consultation_id == consultation.id) if consultation else FaqItem.consultation_id.is_(None)
    return list(db.session.scalars(select(FaqItem).where(condition).order_by(FaqItem.position, FaqItem.id)))


def visible_news(now: datetime | None = None):
    """The query of the news the public may read: published, and site-wide or of a public consultation."""
    return (select(NewsItem).outerjoin(Consultation)
            .where(NewsItem.is_published(now), site_wide_or_public(NewsItem.consultation_id)))


def latest_news(limit: int = 10, offset: int = 0, consultation: Consultation | None = None) -> list[NewsItem]:
    query = visible_news().options(selectinload(NewsItem.consultation))
    if consultation is not None:
        query = query.where(NewsItem.consultation_id == consultation.id)
    query = query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))


def news_after(after: int, count: int) -> list[NewsItem]:
    """At most `count` visible news items with an id above `after`, by id: a page of the open data's list."""
    return list(db.session.scalars(visible_news().where(NewsItem.id > after).options(joinedload(NewsItem.consultation))
                                   .order_by(NewsItem.id).limit(count)))


def count_news() -> int:
    return db.session.scalar(select(func.count()).select_from(visible_news().subquery())) or 0


def news_item(slug: str) -> NewsItem | None:
    if len(slug) > 120:
        return None
    return db.session.scalar(visible_news().where(NewsItem.slug == slug))
