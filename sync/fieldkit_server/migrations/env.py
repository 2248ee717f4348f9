"""Alembic environment for the commune server; always run through `db.migrate`, which hands
over an open connection inside its transaction."""

from alembic import context

from fieldkit_server.db import schema_metadata

connection = context.config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=schema_metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
