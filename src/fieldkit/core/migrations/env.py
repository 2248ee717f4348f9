"""Alembic environment for the laptop store; always run through `store.migrate`, which hands
over an open connection (the key lives only in memory, so there is no URL to put in a file)."""

from alembic import context
from sqlmodel import SQLModel

import fieldkit.core.models  # noqa: F401  (registers the synced tables on SQLModel.metadata)
from fieldkit.core.outbox import LOCAL_METADATA

connection = context.config.attributes["connection"]


def _not_search_index(obj, name, type_, reflected, compare_to) -> bool:
    """The FTS search tables are made by raw SQL in migrations; autogenerate must not drop
    them for being absent from the models."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_")


context.configure(
    connection=connection,
    target_metadata=[SQLModel.metadata, LOCAL_METADATA],
    render_as_batch=True,
    include_object=_not_search_index,
)
with context.begin_transaction():
    context.run_migrations()
