"""Domain layer: models, store, validation and search. Imports no Qt and no network code, so the
commune server can reuse every rule the laptop applies."""
