"""workgroup: members, tags, responses, and the subgroup a comment or position is assigned to

Revision ID: 818c8999803d
Revises: 3e54a250164b
Create Date: 2026-11-23 16:17:04.643803

"""
import logging
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = '818c8999803d'
down_revision = '3e54a250164b'
branch_labels = None
depends_on = None


@contextmanager
def _sqlite_foreign_keys_off():
    """Batch mode on SQLite copies a table and DROPs the old one; with foreign keys
    enforced that DROP would cascade to the rows that point at it (reports, replies).
    So enforcement is switched off around the copy (possible only outside a
    transaction) and back on afterwards."""
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
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_tags_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('consultation_id', 'name', name=op.f('uq_tags_consultation_id_name'))
    )
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tags_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('workgroup_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_digest_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_workgroup_members_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workgroup_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workgroup_members')),
    sa.UniqueConstraint('consultation_id', 'user_id', name=op.f('uq_workgroup_members_consultation_id_user_id'))
    )
    with op.batch_alter_table('workgroup_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workgroup_members_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workgroup_members_user_id'), ['user_id'], unique=False)

    op.create_table('workgroup_member_subgroups',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('subgroup_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['workgroup_members.id'], name=op.f('fk_workgroup_member_subgroups_member_id_workgroup_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subgroup_id'], ['subgroups.id'], name=op.f('fk_workgroup_member_subgroups_subgroup_id_subgroups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'subgroup_id', name=op.f('pk_workgroup_member_subgroups'))
    )
    with op.batch_alter_table('workgroup_member_subgroups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workgroup_member_subgroups_subgroup_id'), ['subgroup_id'], unique=False)

    op.create_table('position_tags',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_position_tags_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_position_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', 'tag_id', name=op.f('pk_position_tags'))
    )
    with op.batch_alter_table('position_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('justification_lv', sa.Text(), nullable=False),
    sa.Column('justification_en', sa.Text(), nullable=False),
    sa.Column('changed_paragraph_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('accepted', 'partly_accepted', 'not_accepted', 'explained')", name=op.f('ck_responses_decision')),
    sa.ForeignKeyConstraint(['changed_paragraph_id'], ['paragraphs.id'], name=op.f('fk_responses_changed_paragraph_id_paragraphs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_responses_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_responses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_responses_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_changed_paragraph_id'), ['changed_paragraph_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('comment_tags',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_tags_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_comment_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'tag_id', name=op.f('pk_comment_tags'))
    )
    with op.batch_alter_table('comment_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('response_comments',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_response_comments_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_comments_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', name=op.f('pk_response_comments'))
    )
    with op.batch_alter_table('response_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_comments_response_id'), ['response_id'], unique=False)

    op.create_table('response_positions',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_response_positions_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_positions_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', name=op.f('pk_response_positions'))
    )
    with op.batch_alter_table('response_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_positions_response_id'), ['response_id'], unique=False)

    with _sqlite_foreign_keys_off():
        for table in ("comments", "positions"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.add_column(sa.Column("subgroup_id", sa.Integer(), nullable=True))
                batch_op.create_index(batch_op.f(f"ix_{table}_subgroup_id"), ["subgroup_id"], unique=False)
                batch_op.create_foreign_key(batch_op.f(f"fk_{table}_subgroup_id_subgroups"), "subgroups",
                                            ["subgroup_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with _sqlite_foreign_keys_off():
        for table in ("positions", "comments"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(batch_op.f(f"fk_{table}_subgroup_id_subgroups"), type_="foreignkey")
                batch_op.drop_index(batch_op.f(f"ix_{table}_subgroup_id"))
                batch_op.drop_column("subgroup_id")

    with op.batch_alter_table('response_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_positions_response_id'))

    op.drop_table('response_positions')
    with op.batch_alter_table('response_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_comments_response_id'))

    op.drop_table('response_comments')
    with op.batch_alter_table('comment_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_tags_tag_id'))

    op.drop_table('comment_tags')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_responses_changed_paragraph_id'))

    op.drop_table('responses')
    with op.batch_alter_table('position_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_tags_tag_id'))

    op.drop_table('position_tags')
    with op.batch_alter_table('workgroup_member_subgroups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workgroup_member_subgroups_subgroup_id'))

    op.drop_table('workgroup_member_subgroups')
    with op.batch_alter_table('workgroup_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workgroup_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_workgroup_members_consultation_id'))

    op.drop_table('workgroup_members')
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tags_consultation_id'))

    op.drop_table('tags')
