"""electronic signatures on positions: the checked signers and the attachment's overall status

Revision ID: 5b1e7c2a9d40
Revises: 2d228a543bab
Create Date: 2026-12-07 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b1e7c2a9d40'
down_revision = '2d228a543bab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'position_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.Column('signer_name', sa.String(length=300), nullable=False),
        sa.Column('issuer_name', sa.String(length=300), nullable=False),
        sa.Column('signed_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.CheckConstraint("status IN ('valid', 'unverified', 'untrusted', 'expired', 'broken')",
                           name=op.f('ck_position_signatures_status')),
        sa.ForeignKeyConstraint(['position_id'], ['positions.id'],
                                name=op.f('fk_position_signatures_position_id_positions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_position_signatures')),
    )
    with op.batch_alter_table('position_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_signatures_position_id'), ['position_id'], unique=False)
    # A nullable column: a plain ALTER TABLE everywhere; existing positions are simply not signed.
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_status', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('signature_status')
    with op.batch_alter_table('position_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_signatures_position_id'))
    op.drop_table('position_signatures')
