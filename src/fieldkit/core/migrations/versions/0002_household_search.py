"""household search: FTS5 over folded names, ID numbers and phones

Revision ID: 0002
Revises: 0001

Existing households are indexed here, so a laptop upgraded from the first release finds its
households at once. The indexing code is frozen in this file: the live search code writes
the layout of later revisions, which does not exist yet at this one.
"""

import sqlalchemy as sa
from alembic import op

from fieldkit.core.folding import fold

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
    households = conn.execute(
        sa.text("SELECT id, head_name, address, phone FROM household WHERE deleted = 0")
    ).all()
    for household in households:
        parts = [household.head_name, household.address, household.phone or ""]
        for member in conn.execute(
            sa.text(
                "SELECT full_name, id_number, phone FROM person "
                "WHERE household_id = :h AND deleted = 0"
            ),
            {"h": household.id},
        ):
            parts.extend(p for p in member if p)
        key = conn.execute(
            sa.text("INSERT INTO household_search_key (household_id) VALUES (:h) RETURNING id"),
            {"h": household.id},
        ).scalar_one()
        conn.execute(
            sa.text("INSERT INTO household_search (rowid, body) VALUES (:k, :b)"),
            {"k": key, "b": fold(" ".join(p for p in parts if p))},
        )


def downgrade() -> None:
    op.execute("DROP TABLE household_search")
    op.drop_table("household_search_key")
