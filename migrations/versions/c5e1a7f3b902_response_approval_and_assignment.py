"""response approval (draft → approved), subgroup leads, and items assigned to a member

Responses stored so far were public answers, so the status column's server default makes
them "approved": nothing public changes.

Revision ID: c5e1a7f3b902
Revises: 851669ca6bea
Create Date: 2026-12-07 11:30:00.000000

"""
import logging
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = 'c5e1a7f3b902'
down_revision = '851669ca6bea'
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """Batch mode on SQLite copies the table and DROPs the old one; with foreign keys enforced that
    DROP would cascade to the rows that point at it (the links of responses, comments' tags and
    reports). So enforcement is switched off around the copy (possible only outside a transaction)."""
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
    with _sqlite_foreign_keys_off():
        with op.batch_alter_table('responses', schema=None) as batch_op:
            batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='approved', nullable=False))
            batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('review_note', sa.Text(), server_default='', nullable=False))
            batch_op.create_foreign_key(batch_op.f('fk_responses_approved_by_id_users'), 'users',
                                        ['approved_by_id'], ['id'], ondelete='SET NULL')
            batch_op.create_check_constraint(batch_op.f('ck_responses_status'), "status IN ('draft', 'approved')")
        with op.batch_alter_table('workgroup_member_subgroups', schema=None) as batch_op:
            batch_op.add_column(sa.Column('is_lead', sa.Boolean(), server_default=sa.false(), nullable=False))
        for table in ('comments', 'positions'):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
                batch_op.create_index(batch_op.f(f'ix_{table}_assignee_id'), ['assignee_id'], unique=False)
                batch_op.create_foreign_key(batch_op.f(f'fk_{table}_assignee_id_workgroup_members'),
                                            'workgroup_members', ['assignee_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with _sqlite_foreign_keys_off():
        for table in ('positions', 'comments'):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(batch_op.f(f'fk_{table}_assignee_id_workgroup_members'), type_='foreignkey')
                batch_op.drop_index(batch_op.f(f'ix_{table}_assignee_id'))
                batch_op.drop_column('assignee_id')
        with op.batch_alter_table('workgroup_member_subgroups', schema=None) as batch_op:
            batch_op.drop_column('is_lead')
        with op.batch_alter_table('responses', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('ck_responses_status'), type_='check')
            batch_op.drop_constraint(batch_op.f('fk_responses_approved_by_id_users'), type_='foreignkey')
            batch_op.drop_column('review_note')
            batch_op.drop_column('approved_at')
            batch_op.drop_column('approved_by_id')
            batch_op.drop_column('status')
