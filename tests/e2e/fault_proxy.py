"""A real TCP proxy between a laptop and the commune server that breaks connections on purpose.

What a weak village signal does to HTTP: a request cut half-way up, an answer cut half-way
down (after the server committed), a connection reset outright, packets that arrive late.
Each accepted connection draws one fault from a seeded schedule, so a failing run can be
replayed with the same seed. Faults are counted when they actually happen (a cut planned after
more bytes than the connection carried never happens).

Plain sockets and threads: nothing in the path is simulated, the client and server see real
FIN and RST packets and real delays.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass

_CHUNK = 16 * 1024


@dataclass(frozen=True)
class FaultSchedule:
    """Chances per connection (the rest pass untouched) and the bounds of each fault."""

    cut_request: float = 0.1
    cut_response: float = 0.15
    reset: float = 0.1
    delay: float = 0.1
    max_cut_bytes: int = 8 * 1024
    max_delay_s: float = 0.2

    def draw(self, rng: random.Random) -> tuple[str, float]:
        """(fault, parameter): bytes to let through before a cut or reset, or seconds."""
        roll = rng.random()
        for name in ("cut_request", "cut_response", "reset", "delay"):
            chance = getattr(self, name)
            if roll < chance:
                if name == "delay":
                    return name, rng.uniform(0.01, self.max_delay_s)
                return name, float(rng.randint(0, self.max_cut_bytes))
            roll -= chance
        return "pass", 0.0


class FaultProxy:
    """Listens on 127.0.0.1 and forwards to `target` (host, port), breaking connections as
    the seeded schedule says. Use as a context manager or call `stop()`."""

    def __init__(self, target: tuple[str, int], seed: int,
                 schedule: FaultSchedule | None = None) -> None:
        self.target = target
        self.schedule = schedule or FaultSchedule()
        self.enabled = True
        self.injected: Counter[str] = Counter()
        self.connections = 0
        self.exchanges = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self._links: list[_Link] = []
        self._accepting = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopping.set()
        self._accepting.join(5)
        self._listener.close()
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _draw(self) -> tuple[str, float]:
        with self._lock:
            self.exchanges += 1
            return self.schedule.draw(self._rng) if self.enabled else ("pass", 0.0)

    def _count(self, fault: str) -> None:
        with self._lock:
            self.injected[fault] += 1

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            _reset(client)
            return
        link = _Link(client, upstream)
        with self._lock:
            self._links = [k for k in self._links if not k.closed]
            self._links.append(link)
        up = threading.Thread(target=self._pump, args=(link, True), daemon=True)
        up.start()
        self._pump(link, False)
        up.join(10)
        link.close()

    def _pump(self, link: _Link, upward: bool) -> None:
        """Copy one direction until either side closes. Connections are kept alive across
        requests, so a fault is drawn per exchange: when the client starts a request after
        the previous answer began."""
        source, sink = (link.client, link.upstream) if upward else (link.upstream, link.client)
        while not link.closed:
            try:
                data = source.recv(_CHUNK)
            except OSError:
                break
            if not data:
                break
            if upward and link.awaiting_request:
                link.new_exchange(*self._draw())
                if link.fault == "delay":
                    self._count("delay")
            elif not upward:
                link.awaiting_request = True
            if link.fault == "delay":
                time.sleep(link.amount)
            limited = link.fault in (("cut_request", "reset") if upward else ("cut_response",))
            budget = link.budget_up if upward else link.budget_down
            if limited and len(data) >= budget:
                with contextlib.suppress(OSError):
                    sink.sendall(data[:budget])
                self._count(link.fault)
                link.close(reset=link.fault == "reset")
                return
            if limited:
                if upward:
                    link.budget_up -= len(data)
                else:
                    link.budget_down -= len(data)
            try:
                sink.sendall(data)
            except OSError:
                break
        # One side finished: pass the half-close on, as a real path would.
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            link.close()


class _Link:
    """Both sockets of one proxied connection and the fault of its current exchange; closed
    once (gently or with RST)."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.closed = False
        self.awaiting_request = True
        self.fault = "pass"
        self.amount = 0.0
        self.budget_up = self.budget_down = 0
        self._lock = threading.Lock()

    def new_exchange(self, fault: str, amount: float) -> None:
        self.awaiting_request = False
        self.fault, self.amount = fault, amount
        # A reset lets part of the request through first, so the server may or may not
        # have seen it; cuts let through any part of the request or the answer.
        self.budget_up = int(min(amount, 2048)) if fault == "reset" else int(amount)
        self.budget_down = int(amount)

    def close(self, reset: bool = False) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
        if reset:
            _reset(self.client)
        else:
            _shut(self.client)
        _shut(self.upstream)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
