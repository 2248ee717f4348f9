"""household search: FTS5 over folded names, ID numbers and phones

Revision ID: 0002
Revises: 0001

Existing households are indexed here, so a laptop upgraded from the first release finds its
households at once.
"""

import sqlalchemy as sa
from alembic import op

from fieldkit.core.search import reindex_households

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "household_search_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("household_id", sa.String(36), nullable=False, unique=True),
    )
    op.execute(
        "CREATE VIRTUAL TABLE household_search USING fts5("
        "body, tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')"
    )
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM household WHERE deleted = 0")).scalars().all()
    reindex_households(conn, ids)


def downgrade() -> None:
    op.execute("DROP TABLE household_search")
    op.drop_table("household_search_key")
