"""FieldKit: offline-first tool for volunteers helping households with VNeID and public forms."""

__version__ = "0.1.0"
