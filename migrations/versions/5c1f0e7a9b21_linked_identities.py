"""linked identities: accounts linked to an OpenID Connect provider's (issuer, subject)

Revision ID: 5c1f0e7a9b21
Revises: 87eb087ecbd9
Create Date: 2026-12-07 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1f0e7a9b21'
down_revision = '87eb087ecbd9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'linked_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linked_identities_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identities')),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_linked_identities_issuer_subject')),
        sa.UniqueConstraint('user_id', 'issuer', name=op.f('uq_linked_identities_user_id_issuer')),
    )
    with op.batch_alter_table('linked_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_identities_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('linked_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_identities_user_id'))
    op.drop_table('linked_identities')
