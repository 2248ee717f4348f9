"""laptop sync state, and commune ids derived from the official code

Revision ID: 0007
Revises: 0006

Sync with the commune server (issue 5) needs, on the laptop, the server version each row was
last seen at, the conflicts found while pulling and the rows the server refused. And every
laptop of a commune made its own commune row at setup, with a random id: the server would see
one commune under as many ids as laptops. The id is now derived from the official commune code
(`ids.commune_id`); existing rows, and the references to them, are renamed here. Like 0002 and
0003, the derivation is frozen in this file so the migration means the same thing forever.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_OFFICIAL = uuid.UUID("5b0f3c9e-6a53-4d0e-9b8e-0c6f2f4c1a77")


def _commune_id(code: int) -> str:
    return str(uuid.uuid5(_OFFICIAL, f"commune:{int(code)}"))


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("row_id"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("local_data", sa.Text(), nullable=False),
        sa.Column("server_data", sa.Text(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_row_id"), ["row_id"], unique=False)
    op.create_table(
        "sync_quarantine",
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("local_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("row_id"),
    )

    conn = op.get_bind()
    for old, code in conn.execute(sa.text("SELECT id, code FROM commune")).all():
        new = _commune_id(code)
        if new == old:
            continue
        params = {"old": old, "new": new}
        # Foreign keys are off during migrations (store.migrate) and checked before commit.
        conn.execute(sa.text("UPDATE commune SET id = :new WHERE id = :old"), params)
        conn.execute(sa.text("UPDATE volunteer SET commune_id = :new WHERE commune_id = :old"),
                     params)
        conn.execute(sa.text("UPDATE village SET commune_id = :new WHERE commune_id = :old"),
                     params)
        conn.execute(sa.text("UPDATE outbox SET row_id = :new WHERE row_id = :old"), params)
        conn.execute(sa.text("UPDATE local_meta SET value = :new WHERE key = 'commune_id' "
                             "AND value = :old"), params)


def downgrade() -> None:
    # The old random ids are gone; the derived ones are valid ids at 0006 too.
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_row_id"))
    op.drop_table("sync_quarantine")
    op.drop_table("sync_conflict")
    op.drop_table("sync_state")
