"""guide runs and their step outcomes

Revision ID: 0005
Revises: 0004

A volunteer walking a person through a guide during a visit (issue 4) records an outcome for
each step; runs and outcomes are synced rows like the rest.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guide_run",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("visit_id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("guide_id", sa.String(length=64), nullable=False),
        sa.Column("guide_version", sa.String(length=32), nullable=False),
        sa.Column("current_step", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result_status", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("guide_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guide_run_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_guide_run_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "guide_step_outcome",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("problem_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["guide_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("guide_step_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guide_step_outcome_run_id"), ["run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("guide_step_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_step_outcome_run_id"))
    op.drop_table("guide_step_outcome")
    with op.batch_alter_table("guide_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_run_visit_id"))
        batch_op.drop_index(batch_op.f("ix_guide_run_person_id"))
    op.drop_table("guide_run")
