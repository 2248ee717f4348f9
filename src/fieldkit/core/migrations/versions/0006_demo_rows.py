"""demo flag on every synced row, and whether a person's phone is in their own name

Revision ID: 0006
Revises: 0005

The trainer's demo sandbox (issue 5) stamps every row it writes `demo`, so that sync can refuse
synthetic people on both ends; rows written before this revision were all real, hence the
server default false. `person.phone_in_own_name` is what the level-1 guide branches on: VNeID
registration needs a number registered in the citizen's own name.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SYNCED_TABLES = ("commune", "volunteer", "village", "household", "person", "consent", "visit",
                 "form_record", "form_revision", "guide_run", "guide_step_outcome")


def upgrade() -> None:
    for table in SYNCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
            )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_in_own_name", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("phone_in_own_name")
    for table in reversed(SYNCED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("demo")
