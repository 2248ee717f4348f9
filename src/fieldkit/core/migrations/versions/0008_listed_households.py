"""households on the commune's own list, imported on the commune server

Revision ID: 0008
Revises: 0007

Issue 11: the commune imports its household lists (residence data, earlier campaigns) on its
server, and laptops pull them so volunteers know whom to visit. A listed household becomes a
FieldKit household at the visit, once consent is recorded; `household_id` then points at it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listed_household",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("village_id", sa.String(), nullable=False),
        sa.Column("head_name", sa.String(), nullable=False),
        sa.Column("id_number", sa.String(length=12), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=8), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("household_code", sa.String(length=32), nullable=True),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("household_id", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"]),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("listed_household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listed_household_village_id"), ["village_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("listed_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listed_household_village_id"))
    op.drop_table("listed_household")
