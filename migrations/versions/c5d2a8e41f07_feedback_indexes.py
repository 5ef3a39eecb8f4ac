"""feedback at scale: composite indexes for the working group's table, the section page and the API

Revision ID: c5d2a8e41f07
Revises: c41f0a9d7e22
Create Date: 2026-12-07 12:00:00.000000

With a million comments, the single-column indexes left PostgreSQL sorting or scanning a
consultation's whole share of the table for each page. These follow the queries' own order:

* the feedback table: a consultation's comments of one status, newest first;
* the public API and the text analysis's signature: by id within a consultation and status;
* a section page: its top-level comments of the public statuses, oldest first.
"""
from alembic import op

revision = 'c5d2a8e41f07'
down_revision = "c41f0a9d7e22"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_comments_consultation_status_created": ["consultation_id", "status", "created_at", "id"],
    "ix_comments_consultation_status_id": ["consultation_id", "status", "id"],
    "ix_comments_section_threads": ["section_id", "status", "parent_id", "created_at", "id"],
}


def upgrade():
    with op.batch_alter_table("comments") as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns)


def downgrade():
    with op.batch_alter_table("comments") as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
