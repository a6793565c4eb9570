"""Community indicators (issue 14): indicator, practice and network snapshots, stage conditions and their change
log, community governance facts. New tables only; nothing existing changes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:11:00.216115

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_snapshot')),
    sa.UniqueConstraint('kind', 'as_of', name=op.f('uq_network_snapshot_kind'))
    )
    with op.batch_alter_table('network_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_snapshot_as_of'), ['as_of'], unique=False)

    op.create_table('stage_condition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('operator', sa.String(length=2), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('min_n', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_stage_condition_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_condition')),
    sa.UniqueConstraint('stage', 'code', name=op.f('uq_stage_condition_stage'))
    )
    op.create_table('stage_condition_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('old_threshold', sa.Float(), nullable=True),
    sa.Column('new_threshold', sa.Float(), nullable=True),
    sa.Column('old_min_n', sa.Integer(), nullable=True),
    sa.Column('new_min_n', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_stage_condition_change_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_condition_change'))
    )
    with op.batch_alter_table('stage_condition_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_condition_change_created_at'), ['created_at'], unique=False)

    op.create_table('community_governance',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_governance_community_id_community')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_community_governance_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_community_governance'))
    )
    op.create_table('indicator_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=True),
    sa.Column('qualified_stage', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_indicator_snapshot_community_id_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_snapshot')),
    sa.UniqueConstraint('community_id', 'kind', 'as_of', name=op.f('uq_indicator_snapshot_community_id'))
    )
    with op.batch_alter_table('indicator_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_snapshot_as_of'), ['as_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_snapshot_community_id'), ['community_id'], unique=False)

    op.create_table('practice_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_snapshot_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_snapshot')),
    sa.UniqueConstraint('practice_id', 'period', name=op.f('uq_practice_snapshot_practice_id'))
    )
    with op.batch_alter_table('practice_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_snapshot_practice_id'), ['practice_id'], unique=False)



def downgrade():
    with op.batch_alter_table('practice_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_snapshot_practice_id'))

    op.drop_table('practice_snapshot')
    with op.batch_alter_table('indicator_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_snapshot_community_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_snapshot_as_of'))

    op.drop_table('indicator_snapshot')
    op.drop_table('community_governance')
    with op.batch_alter_table('stage_condition_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_condition_change_created_at'))

    op.drop_table('stage_condition_change')
    op.drop_table('stage_condition')
    with op.batch_alter_table('network_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_snapshot_as_of'))

    op.drop_table('network_snapshot')
