"""the table's text search: a comment's trigrams indexed with its spaces joined, so a phrase finds its words side by side

Revision ID: e3a9c4f7b210
Revises: d8f2b6a41c93
Create Date: 2026-12-08 01:10:00.000000

PostgreSQL only. pg_trgm cuts a text into words at every space, so for "pilotprojektā pirms" the
index of d8f2b6a41c93 offered every comment holding both words anywhere (20,000 of a
consultation's 333,334 in the million-comment benchmark) and each had to be read and checked.
Indexed with its spaces replaced by a letter that no Latvian or English text uses (U+01C2), a
comment's trigrams cross the spaces ("āǂp", "ǂpi"), so a phrase's candidates are the comments
with the words side by side; a single word finds the same comments as before. The new index
replaces the old one (and is smaller: 308 MB against 374 MB at a million comments).
"""
from alembic import op

revision = "e3a9c4f7b210"
down_revision = "d8f2b6a41c93"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_comments_body_trgm")
    op.execute("CREATE INDEX ix_comments_joined_body_trgm ON comments "
               "USING gin (consultation_id, (replace(body, ' ', 'ǂ')) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_comments_joined_body_trgm")
    op.execute("CREATE INDEX ix_comments_body_trgm ON comments USING gin (consultation_id, body gin_trgm_ops)")
