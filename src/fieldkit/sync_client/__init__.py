"""The laptop side of sync over HTTP (requests); no Qt, so the GUI runs it on a worker."""
