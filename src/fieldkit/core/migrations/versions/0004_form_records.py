"""form records and their revisions

Revision ID: 0004
Revises: 0003

Filled procedure forms (issue 3) are synced rows like the rest; each completion keeps a
revision, so a record reopened for correction still shows what was printed before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.String(length=32), nullable=False),
        sa.Column("household_id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("form_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_record_form_id"), ["form_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_form_record_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "form_revision",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["form_record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("form_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_revision_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_revision_record_id"))
    op.drop_table("form_revision")
    with op.batch_alter_table("form_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_record_household_id"))
        batch_op.drop_index(batch_op.f("ix_form_record_form_id"))
    op.drop_table("form_record")
