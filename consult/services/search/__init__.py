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

The package: plain_text (what of the content is indexed), indexing (the rows, reindexing, Alembic's
exclusions), events (the session events that keep it current), querying (the query, the hits and
their highlighted snippets).
"""
from __future__ import annotations

from .events import (  # noqa: F401
    install_listeners,
)
from .indexing import (  # noqa: F401
    FTS_PREFIX,
    PG_INDEX,
    comment_entry,
    consultation_targets,
    include_name,
    reindex_all,
    reindex_objects,
)
from .plain_text import (  # noqa: F401
    indexed_text,
    markdown_text,
)
from .querying import (  # noqa: F401
    COUNT_LIMIT,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    PER_PAGE,
    RANK_LIMIT,
    SNIPPET_CHARS,
    Hit,
    Results,
    Segment,
    highlight,
    query_words,
    search,
    snippet,
)
