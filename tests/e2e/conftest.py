"""Fixtures of the laptop sync tests: a real commune server and two enrolled laptops of one
commune (A with a village, B a second volunteer who gets the village by sync)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.sync_laptops import Laptop, enrolled, new_laptop
from tests.live_server import LiveServer


@pytest.fixture(autouse=True)
def short_wait_for_a_batch_sent_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server waits a second, not AFTER_WAIT_S, for the batch a push was sent after:
    the tests where a batch is refused whole would otherwise wait out the full bound."""
    import fieldkit_server.batch_order as ordering

    monkeypatch.setattr(ordering, "AFTER_WAIT_S", 1.0)


@pytest.fixture
def server(sync_server: LiveServer) -> LiveServer:
    return sync_server


@pytest.fixture
def laptop_a(tmp_path: Path, server: LiveServer) -> Iterator[Laptop]:
    laptop = enrolled(new_laptop(tmp_path / "a", "A"), server, "Máy A")
    yield laptop
    laptop.store.close()


@pytest.fixture
def laptop_b(tmp_path: Path, server: LiveServer) -> Iterator[Laptop]:
    laptop = enrolled(new_laptop(tmp_path / "b", "B", village=None, volunteer="Cầm Văn Sáng"),
                      server, "Máy B")
    yield laptop
    laptop.store.close()
