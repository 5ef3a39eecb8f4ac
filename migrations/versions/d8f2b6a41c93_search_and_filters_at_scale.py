"""search and the table's filters at scale: a stored search vector, trigram and covering indexes

Revision ID: d8f2b6a41c93
Revises: c5d2a8e41f07
Create Date: 2026-12-07 21:20:00.000000

PostgreSQL only (SQLite keeps its FTS5 table and a consultation's few thousand rows):

* search_entries.folded_tsv: the search vector stored (a generated column) with its GIN index,
  so ranking a match reads the vector instead of computing it again from the text per row;
* the feedback table's main index covers the columns its filters read (stance, channel,
  sender type, author, section, paragraph, subgroup, assignee), so a filter is checked in
  the index alone, without a visit to each row;
* trigram indexes (pg_trgm; btree_gin to put a comment's consultation beside them) on the
  text of comments and positions, for the table's "contains" search (ILIKE). Both extensions
  are trusted: the database's owner may create them.
"""
from alembic import op

revision = "d8f2b6a41c93"
down_revision = "c5d2a8e41f07"
branch_labels = None
depends_on = None

COVERED = ["stance", "channel", "sender_type", "author_id", "section_id", "paragraph_id", "subgroup_id",
           "assignee_id"]
# A comment's trigrams are indexed beside its consultation (btree_gin), so a search reads the
# candidates of one consultation only.
TRIGRAM = {"ix_comments_body_trgm": ("comments", "consultation_id, body gin_trgm_ops"),
           "ix_positions_body_trgm": ("positions", "body gin_trgm_ops"),
           "ix_positions_title_trgm": ("positions", "title gin_trgm_ops")}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_entries ADD COLUMN folded_tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED")
    op.execute("DROP INDEX IF EXISTS ix_search_entries_folded_tsv")
    op.execute("CREATE INDEX ix_search_entries_folded_tsv ON search_entries USING gin (folded_tsv)")
    op.drop_index("ix_comments_consultation_status_created", table_name="comments")
    op.create_index("ix_comments_consultation_status_created", "comments",
                    ["consultation_id", "status", "created_at", "id"], postgresql_include=COVERED)
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for name, (table, columns) in TRIGRAM.items():
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({columns})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGRAM:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_comments_consultation_status_created", table_name="comments")
    op.create_index("ix_comments_consultation_status_created", "comments",
                    ["consultation_id", "status", "created_at", "id"])
    op.execute("DROP INDEX IF EXISTS ix_search_entries_folded_tsv")
    op.execute("ALTER TABLE search_entries DROP COLUMN folded_tsv")
    op.execute("CREATE INDEX ix_search_entries_folded_tsv ON search_entries "
               "USING gin (to_tsvector('simple', folded))")
