"""Lets `python -m fieldkit` behave exactly like the `fieldkit` command."""

import sys

from fieldkit.cli import main

sys.exit(main())
