"""extra header fields on outbox messages (List-Unsubscribe for follow mail)

Revision ID: 2d228a543bab
Revises: b3493d287c37
Create Date: 2026-11-23 20:02:31.176305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d228a543bab'
down_revision = 'b3493d287c37'
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: a plain ALTER TABLE on every database, and queued messages keep working.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.Text(), nullable=True))


def downgrade():
    # Nothing points at outbox_messages, so the table copy SQLite may make here cascades to nothing.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('headers')
