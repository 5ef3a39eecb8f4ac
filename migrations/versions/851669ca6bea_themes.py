"""themes: theme sets (a consultation or one section), themes and their members, with people's edits

Revision ID: 851669ca6bea
Revises: a7c3d9e2f410
Create Date: 2026-12-07 09:13:49.405043

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '851669ca6bea'
down_revision = 'a7c3d9e2f410'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=30), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=True),
    sa.Column('computed_by_id', sa.Integer(), nullable=True),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['computed_by_id'], ['users.id'], name=op.f('fk_theme_sets_computed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_theme_sets_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_theme_sets_section_id_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_sets')),
    sa.UniqueConstraint('consultation_id', 'scope', name=op.f('uq_theme_sets_consultation_id_scope'))
    )
    with op.batch_alter_table('theme_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_sets_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_sets_section_id'), ['section_id'], unique=False)

    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_set_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('phrases', sa.Text(), nullable=False),
    sa.Column('is_other', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('renamed_at', sa.DateTime(), nullable=True),
    sa.Column('renamed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['renamed_by_id'], ['users.id'], name=op.f('fk_themes_renamed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_set_id'], ['theme_sets.id'], name=op.f('fk_themes_theme_set_id_theme_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_theme_set_id'), ['theme_set_id'], unique=False)

    op.create_table('theme_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_set_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('fit', sa.Double(), nullable=True),
    sa.Column('quote', sa.Boolean(), nullable=False),
    sa.Column('moved_at', sa.DateTime(), nullable=True),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(comment_id IS NULL) <> (position_id IS NULL)', name=op.f('ck_theme_members_one_item')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_theme_members_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moved_by_id'], ['users.id'], name=op.f('fk_theme_members_moved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_theme_members_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_members_theme_id_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_set_id'], ['theme_sets.id'], name=op.f('fk_theme_members_theme_set_id_theme_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_members')),
    sa.UniqueConstraint('theme_set_id', 'comment_id', name=op.f('uq_theme_members_theme_set_id_comment_id')),
    sa.UniqueConstraint('theme_set_id', 'position_id', name=op.f('uq_theme_members_theme_set_id_position_id'))
    )
    with op.batch_alter_table('theme_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_members_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_members_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_members_theme_id'), ['theme_id'], unique=False)



def downgrade():
    with op.batch_alter_table('theme_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_members_theme_id'))
        batch_op.drop_index(batch_op.f('ix_theme_members_position_id'))
        batch_op.drop_index(batch_op.f('ix_theme_members_comment_id'))

    op.drop_table('theme_members')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_theme_set_id'))

    op.drop_table('themes')
    with op.batch_alter_table('theme_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_sets_section_id'))
        batch_op.drop_index(batch_op.f('ix_theme_sets_consultation_id'))

    op.drop_table('theme_sets')
