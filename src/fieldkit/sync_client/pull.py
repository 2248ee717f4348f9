"""Pulling the server's changes page by page from the saved cursor.

Each page is applied and the cursor after it saved in one transaction, so a pull cut short
(signal lost, Cancel, flat battery) resumes after the last page that landed, and a page
applied twice changes nothing.
"""

from collections.abc import Callable

from pydantic import ValidationError

from fieldkit.core.store import Store
from fieldkit.core.sync_apply import PullOutcome, apply_pulled
from fieldkit.core.sync_protocol import MAX_PULL_LIMIT, PULL_PATH, PullResponse
from fieldkit.sync_client.client import BAD_ANSWER, SyncClient, SyncError

Progress = Callable[[int, int, str], None]
CURSOR_KEY = "pull_cursor"


def pull_all(client: SyncClient, store: Store, progress: Progress | None = None,
             limit: int = MAX_PULL_LIMIT) -> PullOutcome:
    """Pull until the server says there is no more; returns the summed outcome. The total is
    unknown while pulling, so progress reports it as 0."""
    summed = PullOutcome()
    received = 0
    while True:
        cursor = int(store.meta.get(CURSOR_KEY) or 0)
        body = client.get_json(PULL_PATH, {"since": cursor, "limit": limit})
        try:
            page = PullResponse.model_validate(body)
        except ValidationError as exc:
            raise SyncError(BAD_ANSWER.format(detail=f"pull: {exc.error_count()} lỗi")) from exc
        if page.more and page.next_cursor <= cursor:
            raise SyncError(BAD_ANSWER.format(detail="pull: con trỏ không tiến"))
        outcome = apply_pulled(store, page.changes, cursor=page.next_cursor)
        summed.applied += outcome.applied
        summed.echoes += outcome.echoes
        summed.conflicts += outcome.conflicts
        summed.held = outcome.held
        summed.definitions += outcome.definitions
        summed.refused += outcome.refused
        received += len(page.changes)
        if progress is not None:
            progress(received, 0, "pull")
        if not page.more:
            return summed
