"""review fixes of issue 11 (each block says which point it serves)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # --- upgrade operations go above this line ---
    pass


def downgrade():
    # --- downgrade operations go above this line ---
    pass
