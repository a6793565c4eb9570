"""search index work queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # No foreign key to practice on purpose: a deletion's row must outlive the practice. The index itself is not
    # built here: the first start finds it missing and builds it from the database.
    op.create_table('search_pending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_pending'))
    )
    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_pending_practice_id'), ['practice_id'], unique=False)


def downgrade():
    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_pending_practice_id'))

    op.drop_table('search_pending')
