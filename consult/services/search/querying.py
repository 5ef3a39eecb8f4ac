"""Searching: the query's folded words, the matching rows of either database, and each hit with its highlighted
title and snippet."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, case, column, func, literal, literal_column, or_, select, table, text, union_all
from sqlalchemy.orm import joinedload

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Consultation, NewsItem, Position, SearchEntry, SearchKind, Section
from .. import textlayer
from ..textlayer import fold
from ..textlayer import fold_with_map as _fold_with_map
from .indexing import FTS_PREFIX
from .plain_text import _one_line

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PER_PAGE = 20
SNIPPET_CHARS = 240
# Each kind's matches are counted up to COUNT_LIMIT, and its RANK_LIMIT newest are ranked and listed.
COUNT_LIMIT = 1000
RANK_LIMIT = 500


def query_words(query: str) -> list[str]:
    """The folded words of a query; everything else (operators, quotes, markup) is dropped.

    Stop words ("un", "the", "lūdzu") are dropped too, unless the query has nothing else.
    """
    words = list(dict.fromkeys(textlayer.tokens(fold(query))))
    meaningful = [word for word in words if word not in textlayer.stopwords()]
    return (meaningful or words)[:MAX_QUERY_WORDS]


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
    more_than: set[str] = field(default_factory=set)   # kinds with more than COUNT_LIMIT matches
    cut: int = 0            # RANK_LIMIT when some kind lists only that many of its newest matches

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
        # The vector is stored beside the text (a generated column, with its GIN index), so ranking
        # reads it instead of computing it again per row.
        vector = literal_column("search_entries.folded_tsv")
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), _tsquery(words))
        return statement.where(vector.op("@@")(tsquery)), -func.ts_rank(vector, tsquery)
    # Any other database: a plain substring search of the folded text.
    return statement.where(*[SearchEntry.folded.contains(word, autoescape=True) for word in words]), None


def _visible(now: datetime):
    return and_(or_(SearchEntry.visible_from.is_(None), SearchEntry.visible_from <= now),
                or_(SearchEntry.visible_until.is_(None), SearchEntry.visible_until > now))


def search(query: str, lang: str, kind: str | None = None, consultation_id: int | None = None, page: int = 1,
           per_page: int = PER_PAGE, now: datetime | None = None) -> Results:
    """Published content matching every word of the query, in the page's language, grouped by kind.

    Each kind is counted up to COUNT_LIMIT ("more than" past it), and only its RANK_LIMIT newest
    matches are ranked and listed, so a common word among a million comments costs no more than a
    rare one. Two queries whatever the number of results (the counts, the page), plus one per kind of
    object shown.
    """
    words = query_words(query)
    if not words:
        return Results(words, [], {}, 0, 1, 1)
    now = now or utcnow()
    dialect = db.session.get_bind().dialect.name
    conditions = [_visible(now), or_(SearchEntry.lang == lang, SearchEntry.kind.in_(SearchKind.ONE_LANGUAGE))]
    if consultation_id is not None:
        conditions.append(SearchEntry.consultation_id == consultation_id)

    def newest(each_kind: str, limit: int):
        matching, _score = _matching(select(SearchEntry.id), dialect, words)
        return matching.where(*conditions, SearchEntry.kind == each_kind) \
            .order_by(SearchEntry.id.desc()).limit(limit).subquery()

    counting = [select(literal(each_kind, String).label("kind"), func.count().label("found"))
                .select_from(newest(each_kind, COUNT_LIMIT + 1)) for each_kind in SearchKind.ALL]
    found = {row.kind: row.found for row in db.session.execute(union_all(*counting)) if row.found}
    more_than = {each_kind for each_kind, number in found.items() if number > COUNT_LIMIT}
    counts = {each_kind: min(number, COUNT_LIMIT) for each_kind, number in found.items()}
    kinds = [kind] if kind in SearchKind.ALL else list(SearchKind.ALL)
    total = sum(counts.get(each_kind, 0) for each_kind in kinds)
    listed = sum(min(counts.get(each_kind, 0), RANK_LIMIT) for each_kind in kinds)
    pages = max(1, -(-listed // per_page))
    page = min(max(page, 1), pages)
    candidates = union_all(*[select(newest(each_kind, RANK_LIMIT)) for each_kind in kinds
                             if counts.get(each_kind)]) if listed else None
    entries = []
    if candidates is not None:
        listing, score = _matching(select(SearchEntry), dialect, words)
        order = [case({k: i for i, k in enumerate(SearchKind.ALL)}, value=SearchEntry.kind,
                      else_=len(SearchKind.ALL))]
        if score is not None:
            order.append(score)
        order.append(SearchEntry.id)
        entries = list(db.session.scalars(listing.where(SearchEntry.id.in_(candidates)).order_by(*order)
                                          .limit(per_page).offset((page - 1) * per_page)))
    hits = [_hit(entry, words) for entry in entries]
    _attach(hits)
    return Results(words, hits, counts, total, page, pages, more_than=more_than,
                   cut=RANK_LIMIT if any(counts.get(each_kind, 0) > RANK_LIMIT for each_kind in kinds) else 0)


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
