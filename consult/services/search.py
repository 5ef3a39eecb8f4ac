"""Site search: a full-text index of everything published, Latvian-aware.

The index lives in `search_entries` (one row per searchable thing and language) and
is kept current by SQLAlchemy session events: whatever publishes, approves, hides or
edits content through the ORM, the same transaction rewrites the affected rows. The
database's own full-text index covers a *folded* copy of the text — lower case,
Latvian diacritics removed — and the query is folded the same way, so "sociala"
finds "sociālā". After the folded text comes a line of the *keys* of its words
(consult.services.textlayer: one key for all forms of a word), and each query word
matches as a prefix of a word or by its key, so "pakalpojums" finds "pakalpojumu"
and "bērns" finds "bērni"; the exact form matches both ways and ranks first.
`flask --app consult search reindex` rebuilds the rows of what exists:

* SQLite: an FTS5 table (`search_fts`, external content, kept in step by triggers);
* PostgreSQL: a GIN index on `to_tsvector('simple', folded)`.

Both are created by the migration; the models know only the plain table.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from sqlalchemy import (
    and_,
    case,
    column,
    delete,
    event,
    func,
    insert,
    inspect,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, joinedload

from ..clock import utcnow
from ..extensions import db
from ..i18n import LANGUAGES
from ..models import (
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
from . import publication, textlayer
from .textlayer import fold
from .textlayer import fold_with_map as _fold_with_map

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PER_PAGE = 20
SNIPPET_CHARS = 240
# The FTS5 table and its shadow tables all start with this; Alembic must leave them alone.
FTS_PREFIX = "search_fts"
PG_INDEX = "ix_search_entries_folded_tsv"
_BATCH = 500


# --- Folding ------------------------------------------------------------------------------

def query_words(query: str) -> list[str]:
    """The folded words of a query; everything else (operators, quotes, markup) is dropped.

    Stop words ("un", "the", "lūdzu") are dropped too, unless the query has nothing else.
    """
    words = list(dict.fromkeys(textlayer.tokens(fold(query))))
    meaningful = [word for word in words if word not in textlayer.stopwords()]
    return (meaningful or words)[:MAX_QUERY_WORDS]


# --- Text of the content ------------------------------------------------------------------

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


class _TextCollector(HTMLParser):
    BLOCKS = {"p", "li", "br", "h1", "h2", "h3", "h4", "tr", "td", "th", "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


@lru_cache(maxsize=2048)
def markdown_text(source: str) -> str:
    """Editors' Markdown as one line of plain text: what a reader sees, without markup or link targets."""
    if not source:
        return ""
    collector = _TextCollector()
    collector.feed(_markdown.render(source))
    collector.close()
    return " ".join("".join(collector.parts).split())


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _plain(value: str | None) -> str:
    """People's plain text, paragraphs kept apart by a blank line."""
    blocks = re.split(r"\n\s*\n", (value or "").replace("\r\n", "\n"))
    return "\n\n".join(_one_line(block) for block in blocks if block.strip())


def _pick(row, name: str, lang: str) -> str:
    """`name_<lang>`, falling back to Latvian as the pages do."""
    return getattr(row, f"{name}_{lang}", None) or getattr(row, f"{name}_lv", None) or ""


def indexed_text(lang: str, *parts: str) -> str:
    """What the full-text index covers: the folded text, then a line of the keys of its words.

    A query word matches a word of the text it starts (the folded text) or has the same
    key as one of them (any other form of the word); the exact form matches both, so it ranks first.
    """
    parts = [part for part in parts if part]
    keys = textlayer.keys_line(parts, lang)
    return fold("\n".join(parts)) + ("\n\n" + keys if keys else "")


def _entry(kind, object_id, lang, title, body, consultation_id=None, section_id=None, visible_from=None,
           visible_until=None, extra="") -> dict:
    return {"kind": kind, "object_id": object_id, "consultation_id": consultation_id, "section_id": section_id,
            "lang": lang, "title": title or "", "text": body or "",
            "folded": indexed_text(lang, title, extra, body),
            "visible_from": visible_from, "visible_until": visible_until}


# --- Building the index rows --------------------------------------------------------------

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


# --- Keeping the index current: session events --------------------------------------------

_PENDING = "consult.search.pending"
# The models whose changes reach the index; paragraphs and versions through their sections.
_KINDS = {Comment: SearchKind.COMMENT, Position: SearchKind.POSITION, NewsItem: SearchKind.NEWS,
          FaqItem: SearchKind.FAQ, Section: SearchKind.SECTION, Consultation: SearchKind.CONSULTATION,
          Paragraph: "paragraph", Version: "version"}


@dataclass
class _Pending:
    objects: list = field(default_factory=list)          # (kind, object) to index after the flush
    whole: list = field(default_factory=list)            # consultations whose status changed
    deleted: dict = field(default_factory=lambda: defaultdict(set))


def _history_changed(obj, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted)


def _collect(session: Session, _flush_context, _instances) -> None:
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    added = session.new   # built anew on every access: once, so that a flush of many objects stays linear
    for obj in list(added) + [o for o in session.dirty if session.is_modified(o, include_collections=False)]:
        new = obj in added
        if new and isinstance(obj, (Comment, Position)) and obj.status != Status.APPROVED:
            continue  # a new pending item has no index row yet and gets none
        if isinstance(obj, Comment):
            pending.objects.append((SearchKind.COMMENT, obj))
        elif isinstance(obj, Position):
            pending.objects.append((SearchKind.POSITION, obj))
        elif isinstance(obj, NewsItem):
            pending.objects.append((SearchKind.NEWS, obj))
        elif isinstance(obj, FaqItem):
            pending.objects.append((SearchKind.FAQ, obj))
        elif isinstance(obj, Section):
            pending.objects.append((SearchKind.SECTION, obj))
            if not new and _history_changed(obj, "published_at"):
                pending.objects.append(("section_comments", obj))
        elif isinstance(obj, Paragraph):
            pending.objects.append(("paragraph", obj))
        elif isinstance(obj, Version):
            pending.objects.append(("version", obj))
        elif isinstance(obj, Consultation):
            pending.objects.append((SearchKind.CONSULTATION, obj))
            if not new and _history_changed(obj, "status"):
                pending.whole.append(obj)
    for obj in session.deleted:
        kind = _KINDS.get(type(obj))
        if kind in SearchKind.ALL and obj.id is not None:
            pending.deleted[kind].add(obj.id)
        elif isinstance(obj, Paragraph) and obj.section_id is not None:
            pending.objects.append(("paragraph", obj))
        elif isinstance(obj, Version) and obj.consultation_id is not None:
            pending.objects.append(("version", obj))


def _value(obj, name: str):
    """An attribute as the flush left it, without loading anything."""
    return obj.__dict__.get(name)


def _apply(session: Session, _flush_context) -> None:
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None or not (pending.objects or pending.whole or pending.deleted):
        return
    connection = session.connection()
    targets: dict[str, set[int]] = defaultdict(set)
    section_comments: set[int] = set()
    versions_of: set[int] = set()
    for kind, obj in pending.objects:
        if kind == "paragraph":
            if _value(obj, "section_id"):
                targets[SearchKind.SECTION].add(_value(obj, "section_id"))
        elif kind == "version":
            if _value(obj, "consultation_id"):
                versions_of.add(_value(obj, "consultation_id"))
        elif kind == "section_comments":
            section_comments.add(_value(obj, "id"))
        elif _value(obj, "id") is not None:
            targets[kind].add(_value(obj, "id"))
    if versions_of:
        targets[SearchKind.SECTION] |= _ids(connection, Section.id, Section.consultation_id.in_(versions_of))
    if section_comments:
        targets[SearchKind.COMMENT] |= _ids(connection, Comment.id, Comment.section_id.in_(section_comments))
    whole = {_value(obj, "id") for obj in pending.whole if _value(obj, "id")}
    if whole:
        for kind, ids in consultation_targets(connection, whole).items():
            targets[kind] |= ids
    table = SearchEntry.__table__
    for kind, ids in pending.deleted.items():
        for chunk in _chunks(ids):
            connection.execute(delete(table).where(table.c.kind == kind, table.c.object_id.in_(chunk)))
            if kind == SearchKind.CONSULTATION:
                connection.execute(delete(table).where(table.c.consultation_id.in_(chunk)))
            elif kind == SearchKind.SECTION:
                connection.execute(delete(table).where(table.c.section_id.in_(chunk)))
        targets[kind] -= ids
    reindex_objects(connection, {kind: ids for kind, ids in targets.items() if ids})


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)


def _bulk_statement(state):
    """`session.execute(update(Comment)…)` and `query.update()` bypass the flush: re-index their rows too."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    kind = _KINDS.get(model)
    if kind is None:
        return None
    statement = state.statement
    session = state.session
    connection = session.connection()
    where = statement.whereclause
    if kind == "paragraph":
        ids = set(connection.scalars(select(Paragraph.section_id).where(where if where is not None else true())))
        kind, model = SearchKind.SECTION, Section
    elif kind == "version":
        ids = set(connection.scalars(select(Section.id).where(Section.consultation_id.in_(
            select(Version.consultation_id).where(where if where is not None else true())))))
        kind, model = SearchKind.SECTION, Section
    else:
        ids = set(connection.scalars(select(model.id).where(where if where is not None else true())))
    result = state.invoke_statement()
    if ids:
        targets = {kind: ids}
        if kind == SearchKind.CONSULTATION:
            targets = consultation_targets(connection, ids)
        elif kind == SearchKind.SECTION and model is Section:
            targets[SearchKind.COMMENT] = _ids(connection, Comment.id, Comment.section_id.in_(ids))
        reindex_objects(connection, targets)
    return result


def install_listeners() -> None:
    """Called once when the search blueprint is registered."""
    if event.contains(Session, "before_flush", _collect):
        return
    event.listen(Session, "before_flush", _collect)
    event.listen(Session, "after_flush_postexec", _apply)
    event.listen(Session, "after_soft_rollback", _forget)
    event.listen(Session, "do_orm_execute", _bulk_statement)


# --- Searching ----------------------------------------------------------------------------

@dataclass
class Segment:
    text: str
    match: bool


@dataclass
class Hit:
    entry: SearchEntry
    title: list[Segment]
    snippet: list[Segment]
    paragraph: str | None = None   # "3.2" when the match is in a numbered paragraph
    obj: object | None = None      # the comment, position or news item, for its link and details
    consultation: Consultation | None = None
    section: Section | None = None


@dataclass
class Results:
    words: list[str]
    hits: list[Hit]
    counts: dict[str, int]
    total: int
    page: int
    pages: int

    def groups(self) -> list[tuple[str, list[Hit]]]:
        grouped = defaultdict(list)
        for hit in self.hits:
            grouped[hit.entry.kind].append(hit)
        return [(kind, grouped[kind]) for kind in SearchKind.ALL if grouped.get(kind)]


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts5_query(words: list[str]) -> str:
    """Every word quoted, so FTS5 syntax in a query (AND, NEAR, *, ", :) means nothing; each matches as a
    prefix of a word or by its key (another form of the word)."""
    return " AND ".join("(" + " OR ".join([_quoted(word) + "*", *map(_quoted, textlayer.query_keys(word))]) + ")"
                        for word in words)


def _tsquery(words: list[str]) -> str:
    """The same for PostgreSQL's to_tsquery: each word as a prefix, or one of its keys."""
    def term(value: str, prefix: bool = False) -> str:
        return "'" + value.replace("'", "''").replace("\\", "\\\\") + "'" + (":*" if prefix else "")
    return " & ".join("(" + " | ".join([term(word, True), *map(term, textlayer.query_keys(word))]) + ")"
                      for word in words)


def _matching(statement, dialect: str, words: list[str]):
    """The statement limited to rows matching every word at a word start, and an order by relevance."""
    if dialect == "sqlite":
        fts = table(FTS_PREFIX, column("rowid"), column("rank"))
        statement = statement.join(fts, fts.c.rowid == SearchEntry.id).where(
            text(f"{FTS_PREFIX} MATCH :fts_query").bindparams(fts_query=_fts5_query(words)))
        return statement, fts.c.rank
    if dialect == "postgresql":
        # The same expression as the GIN index of the migration, so the index is used.
        config = literal_column("'simple'::regconfig")
        vector = func.to_tsvector(config, SearchEntry.folded)
        tsquery = func.to_tsquery(config, _tsquery(words))
        return statement.where(vector.op("@@")(tsquery)), -func.ts_rank(vector, tsquery)
    # Any other database: a plain substring search of the folded text.
    return statement.where(*[SearchEntry.folded.contains(word, autoescape=True) for word in words]), None


def _visible(now: datetime):
    return and_(or_(SearchEntry.visible_from.is_(None), SearchEntry.visible_from <= now),
                or_(SearchEntry.visible_until.is_(None), SearchEntry.visible_until > now))


def search(query: str, lang: str, kind: str | None = None, consultation_id: int | None = None, page: int = 1,
           per_page: int = PER_PAGE, now: datetime | None = None) -> Results:
    """Published content matching every word of the query, in the page's language, grouped by kind.

    Three queries whatever the number of results, plus one per kind of object shown.
    """
    words = query_words(query)
    if not words:
        return Results(words, [], {}, 0, 1, 1)
    now = now or utcnow()
    dialect = db.session.get_bind().dialect.name
    conditions = [_visible(now), or_(SearchEntry.lang == lang, SearchEntry.kind.in_(SearchKind.ONE_LANGUAGE))]
    if consultation_id is not None:
        conditions.append(SearchEntry.consultation_id == consultation_id)
    counting, _score = _matching(select(SearchEntry.kind, func.count()).select_from(SearchEntry), dialect, words)
    counts = dict(db.session.execute(counting.where(*conditions).group_by(SearchEntry.kind)).all())
    if kind in SearchKind.ALL:
        conditions.append(SearchEntry.kind == kind)
        total = counts.get(kind, 0)
    else:
        total = sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    listing, score = _matching(select(SearchEntry), dialect, words)
    order = [case({k: i for i, k in enumerate(SearchKind.ALL)}, value=SearchEntry.kind, else_=len(SearchKind.ALL))]
    if score is not None:
        order.append(score)
    order.append(SearchEntry.id)
    entries = list(db.session.scalars(listing.where(*conditions).order_by(*order)
                                      .limit(per_page).offset((page - 1) * per_page)))
    hits = [_hit(entry, words) for entry in entries]
    _attach(hits)
    return Results(words, hits, counts, total, page, pages)


def _attach(hits: list[Hit]) -> None:
    """Loads what the results link to, in one query per kind of object (not per result)."""
    def by_id(model, ids, *options):
        if not ids:
            return {}
        return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))}

    consultations = by_id(Consultation, {h.entry.consultation_id for h in hits if h.entry.consultation_id})
    sections = by_id(Section, {h.entry.section_id for h in hits if h.entry.section_id})
    kinds = defaultdict(set)
    for hit in hits:
        kinds[hit.entry.kind].add(hit.entry.object_id)
    objects = {
        SearchKind.COMMENT: by_id(Comment, kinds[SearchKind.COMMENT], joinedload(Comment.author),
                                  joinedload(Comment.paragraph)),
        SearchKind.POSITION: by_id(Position, kinds[SearchKind.POSITION], joinedload(Position.organisation)),
        SearchKind.NEWS: by_id(NewsItem, kinds[SearchKind.NEWS]),
    }
    for hit in hits:
        hit.consultation = consultations.get(hit.entry.consultation_id)
        hit.section = sections.get(hit.entry.section_id)
        hit.obj = objects.get(hit.entry.kind, {}).get(hit.entry.object_id)


def _word_spans(value: str, words: list[str]) -> list[tuple[int, int]]:
    """Where in `value` a word of the query starts a word, or a word has the key of a query word
    (another form of it): whole words, in original characters."""
    if not value or not words:
        return []
    folded, origin = _fold_with_map(value)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in words) + r")[^\W_]*")
    found = [(origin[match.start()], origin[match.end() - 1] + 1) for match in pattern.finditer(folded)]
    wanted = {key for word in words for key in textlayer.query_keys(word)}
    found += [(start, end) for start, end in textlayer.token_spans(value)
              if not wanted.isdisjoint(textlayer.query_keys(value[start:end]))]
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def _segments(value: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> list[Segment]:
    end = len(value) if end is None else end
    parts: list[Segment] = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > position:
            parts.append(Segment(value[position:span_start], False))
        parts.append(Segment(value[span_start:span_end], True))
        position = span_end
    if position < end:
        parts.append(Segment(value[position:end], False))
    return parts


def highlight(value: str, words: list[str]) -> list[Segment]:
    """The whole text, in segments; the matching words marked."""
    return _segments(value, _word_spans(value, words))


def snippet(value: str, words: list[str], size: int = SNIPPET_CHARS) -> list[Segment]:
    """A window of the text around its first match (or its start), in segments."""
    spans = _word_spans(value, words)
    if len(value) <= size:
        return _segments(value, spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - size // 4)
    if start:
        space = value.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(value), start + size)
    if end < len(value):
        space = value.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    parts = _segments(value, spans, start, end)
    if start > 0:
        parts.insert(0, Segment("… ", False))
    if end < len(value):
        parts.append(Segment(" …", False))
    return parts


_PARAGRAPH_LABEL = re.compile(r"(\d+\.\d+) ")


def _hit(entry: SearchEntry, words: list[str]) -> Hit:
    body = entry.text or ""
    paragraph = None
    if entry.kind == SearchKind.SECTION and body:
        spans = _word_spans(body, words)
        if not spans:  # found by its title: show the start of the text, link to the section
            return Hit(entry=entry, title=highlight(entry.title or "", words),
                       snippet=snippet(body.split("\n\n", 1)[0], words))
        at = spans[0][0]
        # The section's text is one paragraph per block, each starting with its number.
        block_start = body.rfind("\n\n", 0, at)
        block_start = 0 if block_start < 0 else block_start + 2
        block_end = body.find("\n\n", at)
        block = body[block_start:block_end if block_end >= 0 else len(body)]
        label = _PARAGRAPH_LABEL.match(block)
        if label:
            paragraph = label.group(1)
        body = block
    parts = snippet(_one_line(body) if entry.kind != SearchKind.SECTION else body, words)
    return Hit(entry=entry, title=highlight(entry.title or "", words), snippet=parts, paragraph=paragraph)


def include_name(name, type_, _parent_names) -> bool:
    """For Alembic: the FTS5 table, its shadow tables and the tsvector index are made by hand, not by models."""
    if type_ == "table" and name and name.startswith(FTS_PREFIX):
        return False
    if type_ == "index" and name == PG_INDEX:
        return False
    return True

