"""registration request: a new organisation asked for at registration waits on the account until the address is
confirmed (issue 11, point 27)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # point 27: accounts registered before keep the pending organisation they already created
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_organization', sa.JSON(), nullable=True))


def downgrade():
    # point 27
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('requested_organization')
