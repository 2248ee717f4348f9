"""households on the commune's own list, and lists uploaded but not yet imported

Revision ID: 0002
Revises: 0001

Issue 11: `listed_household` is a synced table (the laptops pull it, see the laptop's
migration 0008); `list_upload` keeps an uploaded list while the officer checks its columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
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
        sa.Column("demo", sa.Boolean(), nullable=False),
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
    op.create_table(
        "list_upload",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("list_upload")
    with op.batch_alter_table("listed_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listed_household_village_id"))
    op.drop_table("listed_household")
