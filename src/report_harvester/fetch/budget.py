"""Run page parsing in child processes, each call within a time and memory budget.

A page can demand unbounded work (100k nested ``<div>``s: the HTML parser is
quadratic in depth) or memory. Parsing in a thread held the event loop's other
hosts hostage; here a call that outlives ``seconds`` has its worker killed and
replaced and raises ``BudgetExceeded``, a worker that dies or runs out of its
address space (``RLIMIT_AS``, where the OS has it) does the same, and every other
host goes on fetching meanwhile: the event loop only waits on the worker's pipe.

Workers are forked from a forkserver that has the parser imported (spawned where
there is none), so a replacement costs milliseconds, not an interpreter start.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import multiprocessing
import multiprocessing.connection
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

log = logging.getLogger("report_harvester.fetch")
T = TypeVar("T")

_PRELOAD = ["report_harvester.parse", "report_harvester.fetch.discover"]


class BudgetExceeded(Exception):
    """A call ran out of time or memory, or its worker died; ``code`` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # parse_timeout, parse_memory, worker_died


def _limit_memory(megabytes: int) -> None:
    try:
        import resource  # POSIX only
    except ImportError:  # pragma: no cover - Windows: no address-space limit
        return
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - a hard limit below ours
        log.warning("could not limit parser memory to %d MB", megabytes)


def _serve(conn: multiprocessing.connection.Connection, megabytes: int) -> None:
    """A worker's life: call what arrives, answer ("ok", result) or ("error", code, text)."""
    _limit_memory(megabytes)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", fn(*args))
        except MemoryError:
            reply = ("error", "parse_memory", f"over the parser's {megabytes} MB")
        except Exception as exc:
            reply = ("error", "internal", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", "parse_memory", f"over the parser's {megabytes} MB"))
        if reply[1] == "parse_memory":
            return  # a worker that ran out of memory is not trusted with more work


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: multiprocessing.connection.Connection

    def stop(self, *, grace: float = 0.0) -> None:
        """Close the pipe (an idle worker then exits by itself); kill it after ``grace``."""
        self.conn.close()
        if grace > 0:
            self.process.join(timeout=grace)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class BudgetPool:
    """``workers`` child processes; ``await pool.run(fn, *args)`` within the budget.

    ``fn`` and its arguments and result must pickle (module-level functions).
    """

    def __init__(self, workers: int, *, seconds: float, megabytes: int) -> None:
        self.size = max(1, workers)
        self.seconds = seconds
        self.megabytes = megabytes
        self._context = _context()
        self._idle: list[_Worker] = []
        self._waiting: list[tuple[int, int, asyncio.Future[_Worker]]] = []  # a heap
        self._arrivals = itertools.count()
        self._all: list[_Worker] = []

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, self.megabytes), daemon=True, name="report-parser"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        self._all.remove(worker)
        return self._start()

    async def _acquire(self, priority: int) -> _Worker:
        if not self._all:
            self._idle = [self._start() for _ in range(self.size)]
        if self._idle and not self._waiting:
            return self._idle.pop()
        turn: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrivals), turn))
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed a worker just as we left
                self._release(turn.result())
            raise

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():  # a waiter that was cancelled is skipped
                turn.set_result(worker)
                return
        self._idle.append(worker)

    async def run(self, fn: Callable[..., T], *args: object, priority: int = 1) -> T:
        """``fn(*args)`` in a worker; raises ``BudgetExceeded`` or ``RuntimeError`` (a bug).

        Callers wait for a worker in ``priority`` order (lower first), then arrival.
        """
        worker = await self._acquire(priority)
        try:
            reply = await self._call(worker, fn, args)
            if reply[0] == "error" and reply[1] == "parse_memory":
                raise BudgetExceeded("parse_memory", reply[2])  # that worker has exited
        except BaseException:  # over budget, dead, or cancelled mid-call: a fresh worker
            worker = self._replace(worker)
            raise
        finally:
            self._release(worker)
        if reply[0] == "ok":
            return reply[1]  # type: ignore[no-any-return]
        raise RuntimeError(reply[2])

    async def _call(
        self, worker: _Worker, fn: Callable[..., Any], args: tuple[object, ...]
    ) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, readable)
        try:
            worker.conn.send((fn, args))
            try:
                await asyncio.wait_for(ready, self.seconds)
            except TimeoutError:
                raise BudgetExceeded(
                    "parse_timeout", f"parsing took over {self.seconds:g}s: stopped"
                ) from None
            try:
                reply: tuple[Any, ...] = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(timeout=5)
                code = worker.process.exitcode
                raise BudgetExceeded("worker_died", f"the parser died (exit {code})") from None
            return reply
        finally:
            loop.remove_reader(fd)

    def close(self) -> None:
        """Stop every worker: idle ones exit cleanly, a call still running is abandoned."""
        for worker in self._all:
            worker.stop(grace=5.0)
        self._all.clear()
        self._idle.clear()
