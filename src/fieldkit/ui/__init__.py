"""Qt widgets. The only package allowed to import PySide6 (a test enforces it)."""
