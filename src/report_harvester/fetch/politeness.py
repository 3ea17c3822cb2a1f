"""Per-host politeness: at most ``per_host`` requests in flight to one host, request
starts at least ``interval`` seconds apart, pauses on request (Retry-After), and an
overall concurrency limit shared by all hosts.

Back-off policy for blocked hosts: once a host answers with a block or a challenge,
nothing more is requested from it during this run (``HostGate.block``); its
remaining pages are recorded as skipped and are tried again by the next run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class HostGate:
    """The door to one host; every request to it goes through ``slot()``."""

    def __init__(self, netloc: str, *, interval: float, per_host: int, overall: asyncio.Semaphore):
        self.netloc = netloc
        self.interval = interval
        self._in_flight = asyncio.Semaphore(per_host)
        self._overall = overall
        self._start_lock = asyncio.Lock()
        self._next_start = 0.0
        self._last_start: float | None = None
        self.blocked: str | None = None  # why the host was given up for this run
        self.requests = 0

    def raise_interval(self, seconds: float) -> None:
        """Space requests at least ``seconds`` apart from now on (robots Crawl-delay)."""
        self.interval = max(self.interval, seconds)
        if self._last_start is not None:
            self._next_start = max(self._next_start, self._last_start + self.interval)

    def pause(self, seconds: float) -> None:
        """Start nothing on this host for ``seconds`` (a Retry-After)."""
        loop = asyncio.get_running_loop()
        self._next_start = max(self._next_start, loop.time() + seconds)

    def block(self, reason: str) -> None:
        """Give the host up for this run."""
        if self.blocked is None:
            self.blocked = reason

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Callable[[], None]]:
        """Wait for a free per-host slot, the host's next start time and an overall slot.

        Yields ``on_wire``, to be called when the request's headers start to leave
        (the HTTP client's trace): the next start on this host is spaced from that
        moment, not from when the slot was granted, since making a client and
        opening a connection can take a while. Until then no other request to the
        host may start; a request that never reached the wire is stamped when its
        slot ends.
        """
        loop = asyncio.get_running_loop()
        async with self._in_flight:
            await self._start_lock.acquire()
            stamped = False

            def on_wire() -> None:
                nonlocal stamped
                if not stamped:
                    stamped = True
                    self._last_start = loop.time()
                    self._next_start = max(self._next_start, self._last_start + self.interval)
                    self._start_lock.release()

            try:
                while (wait := self._next_start - loop.time()) > 0:
                    await asyncio.sleep(wait)
                await self._overall.acquire()
            except BaseException:
                self._start_lock.release()
                raise
            self.requests += 1
            try:
                yield on_wire
            finally:
                on_wire()
                self._overall.release()


class Politeness:
    """All host gates of one run."""

    def __init__(self, *, delay: float, per_host: int, concurrency: int) -> None:
        self.delay = delay
        self.per_host = per_host
        self._overall = asyncio.Semaphore(concurrency)
        self._gates: dict[str, HostGate] = {}

    def gate(self, netloc: str) -> HostGate:
        """The gate for ``netloc`` (created on first use)."""
        gate = self._gates.get(netloc)
        if gate is None:
            gate = HostGate(
                netloc, interval=self.delay, per_host=self.per_host, overall=self._overall
            )
            self._gates[netloc] = gate
        return gate

    @property
    def gates(self) -> dict[str, HostGate]:
        return self._gates
