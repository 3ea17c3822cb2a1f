"""Where fetched pages go: parse them and write the store, off the event loop.

SQLite connections belong to the thread that opened them, so the store is opened,
used and closed in one dedicated thread, and reports are parsed in another: the
event loop keeps timing requests while pages are read.

With ``parse_workers`` > 0, reports are parsed *and stored* in that many worker
processes instead, each with its own connection (SQLite serialises the writers;
ingestion is one transaction per page). Parsing is CPU-bound pure Python: with
many hosts and short delays one core cannot keep up with the requests.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import multiprocessing.util
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..decode.charset import charset_from_content_type
from ..models import ErrorInfo, HttpMeta, ParseFailure, ParseOutcome, Report, SourceInfo
from ..parse import parse_bytes
from ..store.db import FetchLog, IngestResult, Store
from .discover import Link
from .urls import try_canonical

log = logging.getLogger("report_harvester.fetch")
T = TypeVar("T")


@dataclass(slots=True)
class Processed:
    """A report page after parsing and storing."""

    status: str  # new, new_version, unchanged, failed (the store's ingest status)
    document_id: int | None
    parse_error: str | None = None
    attachments: list[Link] = field(default_factory=list)


def read_report(
    body: bytes, url: str, content_type: str | None, org: str | None
) -> tuple[ParseOutcome, list[Link]]:
    """Parse a report page; its attachment links come with it (never raises)."""
    charset = charset_from_content_type(content_type)
    try:
        outcome = parse_bytes(body, url=url, http_charset=charset, org=org)
    except Exception as exc:  # a parser bug must not stop the harvest nor lose the bytes
        log.error("parser error on %s: %s: %s", url, type(exc).__name__, exc)
        source = SourceInfo(url=url, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
        message = f"parser error: {type(exc).__name__}: {exc}"
        return ParseFailure(source=source, error=ErrorInfo(code="internal", message=message)), []
    attachments: list[Link] = []
    if isinstance(outcome, Report):
        for a in outcome.attachments:
            link = try_canonical(a.url, url)
            if link is not None:
                attachments.append(Link(link, a.text))
    return outcome, attachments


def process_report(
    store: Store, body: bytes, url: str, http: HttpMeta, source_id: str, org: str | None
) -> Processed:
    """Parse a report page and store it with its parse outcome."""
    outcome, attachments = read_report(body, http.final_url or url, http.content_type, org)
    result = store.ingest(outcome, body, url=url, http=http, source_id=source_id)
    return _processed(outcome, result, attachments)


def _processed(outcome: ParseOutcome, result: IngestResult, attachments: list[Link]) -> Processed:
    error = None
    if isinstance(outcome, ParseFailure):
        error = f"{outcome.error.code}: {outcome.error.message}"
    return Processed(result.status, result.document_id, error, attachments)


_worker_store: Store | None = None  # the connection of a worker process


def _start_worker(db_path: str) -> None:
    """Worker-process initializer: open the store (closed when the worker exits)."""
    global _worker_store
    _worker_store = Store.open(db_path)
    multiprocessing.util.Finalize(None, _worker_store.close, exitpriority=10)


def _worker_process_report(
    body: bytes, url: str, http: HttpMeta, source_id: str, org: str | None
) -> Processed:
    if _worker_store is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker store is not open")
    return process_report(_worker_store, body, url, http, source_id, org)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a clean server process that has the parser imported (not our
    threads, not the ``__main__`` module); spawn them where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


class StoreSink:
    """The store, used from its own thread; every method is a coroutine."""

    def __init__(self, db_path: str | Path, *, parse_workers: int = 0) -> None:
        self.db_path = Path(db_path)
        self.parse_workers = parse_workers
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="store")
        self._parse_pool: Executor = ThreadPoolExecutor(1, thread_name_prefix="parse")
        self._store: Store | None = None

    async def _call(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._store_thread, fn, *args)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("store is not open")
        return self._store

    async def open(self) -> int:
        """Open the database; abort runs left 'running' by killed harvests (their count)."""

        def _open() -> int:
            self._store = Store.open(self.db_path)
            return self._store.abort_stale_runs()

        aborted = await self._call(_open)
        if self.parse_workers > 0:  # after the main open: the schema is migrated by then
            self._parse_pool.shutdown()
            self._parse_pool = ProcessPoolExecutor(
                self.parse_workers,
                mp_context=_worker_context(),
                initializer=_start_worker,
                initargs=(str(self.db_path),),
            )
        return aborted

    async def close(self) -> None:
        def _close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        try:
            await self._call(_close)
        finally:
            self._store_thread.shutdown(wait=True)
            self._parse_pool.shutdown(wait=True, cancel_futures=True)

    async def start_run(self, sources: list[str], dry_run: bool) -> int:
        return await self._call(lambda: self.store.start_run(sources=sources, dry_run=dry_run))

    async def finish_run(self, run_id: int, status: str, counters: dict[str, int]) -> None:
        await self._call(lambda: self.store.finish_run(run_id, status=status, counters=counters))

    async def log_fetch(self, run_id: int, entry: FetchLog) -> None:
        await self._call(lambda: self.store.log_fetch(run_id, entry))

    async def conditional_headers(self, url: str) -> dict[str, str]:
        return await self._call(lambda: self.store.conditional_headers(url))

    async def mark_unchanged(self, url: str, http: HttpMeta) -> None:
        await self._call(lambda: self.store.mark_unchanged(url, http))

    async def process_report(
        self, body: bytes, *, url: str, http: HttpMeta, source_id: str, org: str | None
    ) -> Processed:
        """Parse ``body`` and store it: parse thread then store thread, or a worker process."""
        loop = asyncio.get_running_loop()
        if self.parse_workers > 0:
            return await loop.run_in_executor(
                self._parse_pool, _worker_process_report, body, url, http, source_id, org
            )
        outcome, attachments = await loop.run_in_executor(
            self._parse_pool, read_report, body, http.final_url or url, http.content_type, org
        )
        result = await self._call(
            lambda: self.store.ingest(outcome, body, url=url, http=http, source_id=source_id)
        )
        return _processed(outcome, result, attachments)
