"""organisations an administrator declined, with the reason; two-step recovery codes

Revision ID: 87eb087ecbd9
Revises: 5b1e7c2a9d40
Create Date: 2026-12-07 03:38:37.833593

"""
import logging
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = '87eb087ecbd9'
down_revision = '5b1e7c2a9d40'
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """Batch mode on SQLite copies the table and DROPs the old one; with foreign keys enforced that
    DROP would cascade to the rows that point at it (memberships, positions). So enforcement is
    switched off around the copy (possible only outside a transaction) and back on afterwards."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.dbapi_connection
    enforced = bool(bind.exec_driver_sql("PRAGMA foreign_keys").scalar())
    if enforced and raw.in_transaction:
        log.warning("SQLite is inside a transaction: foreign keys stay on during the table copy")
        enforced = False
    if enforced:
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if enforced:
            if raw.in_transaction:
                raw.commit()
            bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    # Nullable columns: every organisation registered so far is either verified or still waiting.
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table('organisations', schema=None) as batch_op:
            batch_op.add_column(sa.Column('declined_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('declined_by_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('decline_reason', sa.Text(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_organisations_declined_by_id_users'), 'users',
                                        ['declined_by_id'], ['id'])
    # One-time recovery codes for two-step verification, kept only as hashes.
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table('organisations', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('fk_organisations_declined_by_id_users'), type_='foreignkey')
            batch_op.drop_column('decline_reason')
            batch_op.drop_column('declined_by_id')
            batch_op.drop_column('declined_at')
