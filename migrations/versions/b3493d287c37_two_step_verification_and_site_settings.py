"""two-step verification (TOTP) on users, and the site settings table

Revision ID: b3493d287c37
Revises: de7f30649002
Create Date: 2026-11-23 19:19:07.107561

"""
import logging
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = 'b3493d287c37'
down_revision = 'de7f30649002'
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """Dropping columns on SQLite copies the users table and DROPs the old one; with foreign
    keys enforced that DROP would cascade to every row that points at a user. So enforcement
    is switched off around the copy (possible only outside a transaction), as in 818c8999803d."""
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
    op.create_table('settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settings')),
    sa.UniqueConstraint('name', name=op.f('uq_settings_name'))
    )
    # Adding nullable columns is a plain ALTER TABLE on every database: no table copy.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.drop_column('totp_last_step')
            batch_op.drop_column('totp_enabled_at')
            batch_op.drop_column('totp_secret')

    op.drop_table('settings')
