"""the commune of an audit entry, and the server's own secrets

Revision ID: 0006
Revises: 0005

Issue 12: the audit page filters entries by commune, and the key that signs the officers'
login cookies is kept in the database so a restart does not log them out.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("commune_id", sa.String(length=36), nullable=True))
    op.create_index("ix_audit_log_commune_id", "audit_log", ["commune_id"])
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("server_secret")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_commune_id")
        batch.drop_column("commune_id")
