"""search rows per person with the village as an FTS column; covering household indexes

Revision ID: 0003
Revises: 0002

One row per household (head name, address, phone) and one per living member (name, ID
number, phone), so every typed word must match the same person: "lo van" no longer finds a
household where one member is "Lò Thị Ọn" and another "Cầm Văn Biên". Each row carries the
household's sort key, so a search never reads the wide household table, and the village is
an FTS column, so a village filter narrows the match inside the index. The
indexing code is frozen here (see 0002 for why).
"""

import sqlalchemy as sa
from alembic import op

from fieldkit.core.folding import fold

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE household_search")
    op.drop_table("household_search_key")
    op.create_table(
        "search_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("row_id", sa.String(36), nullable=False, unique=True),
        sa.Column("household_id", sa.String(36), nullable=False, index=True),
        sa.Column("sort_key", sa.String(), nullable=False),
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_text USING fts5(body, village, content='', "
        "contentless_delete=1, "
        "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')"
    )
    with op.batch_alter_table("household") as batch:
        batch.drop_index("ix_household_village_sort")
        batch.create_index("ix_household_village_sort", ["village_id", "deleted", "sort_key", "id"])
        batch.create_index("ix_household_sort", ["deleted", "sort_key", "id"])

    conn = op.get_bind()
    households = conn.execute(sa.text(
        "SELECT id, village_id, sort_key, head_name, address, phone FROM household "
        "WHERE deleted = 0"
    )).all()
    members: dict[str, list[tuple[str, str]]] = {}
    for person in conn.execute(sa.text(
        "SELECT id, household_id, full_name, id_number, phone FROM person WHERE deleted = 0"
    )):
        text = " ".join(p for p in (person.full_name, person.id_number, person.phone) if p)
        members.setdefault(person.household_id, []).append((person.id, text))
    for household in households:
        head = " ".join(p for p in (household.head_name, household.address, household.phone) if p)
        for row_id, text in [(household.id, head), *members.get(household.id, [])]:
            body = fold(text)
            if not body:
                continue
            key = conn.execute(
                sa.text("INSERT INTO search_key (row_id, household_id, sort_key) "
                        "VALUES (:r, :h, :s) RETURNING id"),
                {"r": row_id, "h": household.id, "s": household.sort_key},
            ).scalar_one()
            conn.execute(
                sa.text("INSERT INTO search_text (rowid, body, village) VALUES (:k, :b, :v)"),
                {"k": key, "b": body, "v": household.village_id.replace("-", "")},
            )


def downgrade() -> None:
    # A laptop never runs an older FieldKit on a newer store: Store.open refuses that with a
    # message, so there is no path that would need the old search tables rebuilt.
    raise RuntimeError("FieldKit stores are only ever upgraded, never downgraded.")
