"""Procedure forms defined as data: loading, expressions and filled records."""
