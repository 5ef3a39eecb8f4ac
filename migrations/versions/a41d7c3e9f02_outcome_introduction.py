"""the working group's introduction to the public outcome, in both languages

Revision ID: a41d7c3e9f02
Revises: 5c1f0e7a9b21
Create Date: 2026-12-07 09:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a41d7c3e9f02'
down_revision = '5c1f0e7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.add_column(sa.Column('outcome_intro_lv', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_intro_en', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('consultations') as batch_op:
        batch_op.drop_column('outcome_intro_en')
        batch_op.drop_column('outcome_intro_lv')
