"""Building the index rows of each kind of content, and reindexing some of it or everything."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Connection

from ...i18n import LANGUAGES
from ...models import (
    Comment,
    Consultation,
    ConsultationStatus,
    FaqItem,
    NewsItem,
    Organisation,
    Paragraph,
    Position,
    SearchEntry,
    SearchKind,
    Section,
    Status,
    Version,
)
from .. import publication
from .plain_text import _pick, _plain, indexed_text, markdown_text

# The FTS5 table and its shadow tables all start with this; Alembic must leave them alone.
FTS_PREFIX = "search_fts"
PG_INDEX = "ix_search_entries_folded_tsv"
# Made by migrations for PostgreSQL alone (GIN indexes, a generated column), not by the models.
POSTGRESQL_ONLY = {"index": {PG_INDEX, "ix_comments_body_trgm", "ix_comments_joined_body_trgm",
                             "ix_positions_body_trgm", "ix_positions_title_trgm"},
                   "column": {"folded_tsv"}}
_BATCH = 500


def _entry(kind, object_id, lang, title, body, consultation_id=None, section_id=None, visible_from=None,
           visible_until=None, extra="") -> dict:
    return {"kind": kind, "object_id": object_id, "consultation_id": consultation_id, "section_id": section_id,
            "lang": lang, "title": title or "", "text": body or "",
            "folded": indexed_text(lang, title, extra, body),
            "visible_from": visible_from, "visible_until": visible_until}


def _chunks(ids):
    ids = sorted(set(ids))
    for start in range(0, len(ids), _BATCH):
        yield ids[start:start + _BATCH]


def _public_consultations(connection: Connection, ids) -> dict[int, object]:
    if not ids:
        return {}
    rows = connection.execute(select(Consultation.__table__).where(
        Consultation.id.in_(list(ids)), Consultation.status.in_(ConsultationStatus.PUBLIC)))
    return {row.id: row for row in rows}


def _consultation_rows(connection: Connection, ids: list[int]) -> list[dict]:
    rows = []
    for consultation in _public_consultations(connection, ids).values():
        for lang in LANGUAGES:
            body = " ".join(part for part in (markdown_text(_pick(consultation, "summary", lang)),
                                              _pick(consultation, "institution", lang)) if part)
            rows.append(_entry(SearchKind.CONSULTATION, consultation.id, lang, _pick(consultation, "title", lang),
                               body, consultation_id=consultation.id))
    return rows


def _section_rows(connection: Connection, ids: list[int]) -> list[dict]:
    """A section's title and the text of each version it is read in, each for the time that version is current.

    Scheduled sections and versions are indexed too, with their publication time as visible_from: `_visible`
    applies the publication rule when searching, so nothing is reindexed when that time comes.
    """
    sections = list(connection.execute(select(Section.__table__).where(
        Section.id.in_(ids), Section.published_at.is_not(None))))
    consultations = _public_consultations(connection, {s.consultation_id for s in sections})
    sections = [s for s in sections if s.consultation_id in consultations]
    if not sections:
        return []
    versions: dict[int, list] = defaultdict(list)
    for version in connection.execute(select(Version.__table__).where(
            Version.consultation_id.in_({s.consultation_id for s in sections}),
            Version.published_at.is_not(None)).order_by(Version.number)):
        versions[version.consultation_id].append(version)
    paragraphs: dict[tuple[int, int], list] = defaultdict(list)
    for paragraph in connection.execute(select(Paragraph.__table__).where(
            Paragraph.section_id.in_([s.id for s in sections])).order_by(Paragraph.number)):
        paragraphs[(paragraph.section_id, paragraph.version_id)].append(paragraph)
    rows = []
    for section in sections:
        live = versions.get(section.consultation_id, [])
        periods = []  # (version id or None, from, until)
        if not live or live[0].published_at > section.published_at:
            periods.append((None, section.published_at, live[0].published_at if live else None))
        for index, version in enumerate(live):
            start = max(section.published_at, version.published_at)
            until = live[index + 1].published_at if index + 1 < len(live) else None
            if until is None or until > start:
                periods.append((version.id, start, until))
        for version_id, start, until in periods:
            texts = paragraphs.get((section.id, version_id), []) if version_id else []
            for lang in LANGUAGES:
                # Each paragraph on its own line, starting with its number: the results link to it.
                body = "\n\n".join(f"{section.number}.{p.number} {markdown_text(_pick(p, 'text', lang))}"
                                   for p in texts)
                rows.append(_entry(SearchKind.SECTION, section.id, lang, _pick(section, "title", lang), body,
                                   consultation_id=section.consultation_id, section_id=section.id,
                                   visible_from=start, visible_until=until))
    return rows


def _comment_rows(connection: Connection, ids: list[int]) -> list[dict]:
    rows = list(connection.execute(
        select(Comment.id, Comment.body, Comment.language, Comment.consultation_id, Comment.section_id,
               Section.published_at)
        .join(Section, Section.id == Comment.section_id)
        .join(Consultation, Consultation.id == Comment.consultation_id)
        .where(Comment.id.in_(ids), Comment.status == Status.APPROVED, Section.published_at.is_not(None),
               Consultation.status.in_(ConsultationStatus.PUBLIC))))
    return [comment_entry(row.id, row.body, row.language, row.consultation_id, row.section_id, row.published_at)
            for row in rows]


def comment_entry(comment_id: int, body: str, language: str, consultation_id: int, section_id: int,
                  visible_from: datetime | None) -> dict:
    """The index row of an approved comment in a public consultation (also written by bulk loads)."""
    return _entry(SearchKind.COMMENT, comment_id, language if language in LANGUAGES else "lv", "", _plain(body),
                  consultation_id=consultation_id, section_id=section_id, visible_from=visible_from)


def _position_rows(connection: Connection, ids: list[int]) -> list[dict]:
    rows = list(connection.execute(
        select(Position.id, Position.title, Position.body, Position.language, Position.consultation_id,
               Position.publish_name, Organisation.name)
        .join(Organisation, Organisation.id == Position.organisation_id)
        .join(Consultation, Consultation.id == Position.consultation_id)
        .where(Position.id.in_(ids), Position.status == Status.APPROVED,
               Consultation.status.in_(ConsultationStatus.PUBLIC))))
    # The organisation's name is searchable only where the position shows it (publish_name).
    return [_entry(SearchKind.POSITION, row.id, row.language if row.language in LANGUAGES else "lv", row.title,
                   _plain(row.body), consultation_id=row.consultation_id, extra=row.name if row.publish_name else "")
            for row in rows]


def _news_rows(connection: Connection, ids: list[int]) -> list[dict]:
    rows = list(connection.execute(
        select(NewsItem.__table__).outerjoin(Consultation, Consultation.id == NewsItem.consultation_id)
        .where(NewsItem.id.in_(ids), NewsItem.published_at.is_not(None),
               publication.site_wide_or_public(NewsItem.consultation_id))))
    return [_entry(SearchKind.NEWS, row.id, lang, _pick(row, "title", lang), markdown_text(_pick(row, "body", lang)),
                   consultation_id=row.consultation_id, visible_from=row.published_at)
            for row in rows for lang in LANGUAGES]


def _faq_rows(connection: Connection, ids: list[int]) -> list[dict]:
    rows = list(connection.execute(
        select(FaqItem.__table__).outerjoin(Consultation, Consultation.id == FaqItem.consultation_id)
        .where(FaqItem.id.in_(ids),
               publication.site_wide_or_public(FaqItem.consultation_id))))
    return [_entry(SearchKind.FAQ, row.id, lang, _pick(row, "question", lang),
                   markdown_text(_pick(row, "answer", lang)), consultation_id=row.consultation_id)
            for row in rows for lang in LANGUAGES]


_BUILDERS = {
    SearchKind.CONSULTATION: _consultation_rows,
    SearchKind.SECTION: _section_rows,
    SearchKind.COMMENT: _comment_rows,
    SearchKind.POSITION: _position_rows,
    SearchKind.NEWS: _news_rows,
    SearchKind.FAQ: _faq_rows,
}


def reindex_objects(connection: Connection, targets: dict[str, set[int]]) -> None:
    """Rewrites the index rows of these objects (kind → ids) from what the database holds now."""
    table = SearchEntry.__table__
    for kind, ids in targets.items():
        for chunk in _chunks(ids):
            connection.execute(delete(table).where(table.c.kind == kind, table.c.object_id.in_(chunk)))
            rows = _BUILDERS[kind](connection, chunk)
            if rows:
                connection.execute(insert(table), rows)


def _ids(connection: Connection, column, condition) -> set[int]:
    return set(connection.scalars(select(column).where(condition)))


def consultation_targets(connection: Connection, consultation_ids) -> dict[str, set[int]]:
    """Everything whose visibility follows these consultations' status."""
    ids = list(consultation_ids)
    return {
        SearchKind.CONSULTATION: set(ids),
        SearchKind.SECTION: _ids(connection, Section.id, Section.consultation_id.in_(ids)),
        SearchKind.COMMENT: _ids(connection, Comment.id, Comment.consultation_id.in_(ids)),
        SearchKind.POSITION: _ids(connection, Position.id, Position.consultation_id.in_(ids)),
        SearchKind.NEWS: _ids(connection, NewsItem.id, NewsItem.consultation_id.in_(ids)),
        SearchKind.FAQ: _ids(connection, FaqItem.id, FaqItem.consultation_id.in_(ids)),
    }


def reindex_all(connection: Connection) -> int:
    """Rebuilds the whole index (`flask --app consult search reindex`); returns the number of rows."""
    connection.execute(delete(SearchEntry.__table__))
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_PREFIX}({FTS_PREFIX}) VALUES ('rebuild')"))
    models = {SearchKind.CONSULTATION: Consultation, SearchKind.SECTION: Section, SearchKind.COMMENT: Comment,
              SearchKind.POSITION: Position, SearchKind.NEWS: NewsItem, SearchKind.FAQ: FaqItem}
    reindex_objects(connection, {kind: set(connection.scalars(select(model.id))) for kind, model in models.items()})
    return connection.scalar(select(func.count()).select_from(SearchEntry.__table__)) or 0


def include_name(name, type_, _parent_names) -> bool:
    """For Alembic: the FTS5 table, its shadow tables and PostgreSQL's search and trigram indexes are made
    by hand, not by models."""
    if type_ == "table" and name and name.startswith(FTS_PREFIX):
        return False
    return name not in POSTGRESQL_ONLY.get(type_, ())
