"""Where fetched pages go: parse them and write the store, off the event loop.

SQLite connections belong to the thread that opened them, so the store is opened,
used and closed in one dedicated thread. Pages (reports and list pages) are parsed
in ``max(1, parse_workers)`` child processes, each call within a time and memory
budget (budget.py): a page that demands unbounded work is stored unparsed as
``parse_timeout`` and the event loop keeps timing every other host's requests.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing.util
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..decode.charset import charset_from_content_type, decode_bytes
from ..models import HttpMeta, ParseFailure, ParseOutcome, Report
from ..parse import parse_bytes
from ..parse.pipeline import failure
from ..store.db import FetchLog, IngestResult, Store
from .budget import BudgetExceeded, BudgetPool
from .discover import Link, LinkRules, ListPage, parse_list_page
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
    kind: str | None = None  # the report's kind (attachment_only, …); None if not parsed


def read_report(
    body: bytes, url: str, content_type: str | None, org: str | None
) -> tuple[ParseOutcome, list[Link]]:
    """Parse a report page; its attachment links come with it (never raises)."""
    charset = charset_from_content_type(content_type)
    try:
        outcome = parse_bytes(body, url=url, http_charset=charset, org=org)
    except Exception as exc:  # a parser bug must not stop the harvest nor lose the bytes
        log.error("parser error on %s: %s: %s", url, type(exc).__name__, exc)
        message = f"parser error: {type(exc).__name__}: {exc}"
        return _failure(body, url, "internal", message), []
    attachments: list[Link] = []
    if isinstance(outcome, Report):
        for a in outcome.attachments:
            link = try_canonical(a.url, url)
            if link is not None:
                attachments.append(Link(link, a.text))
    return outcome, attachments


def read_list_page(
    body: bytes, url: str, content_type: str | None, rules: LinkRules,
    allowed_hosts: list[str], column: str, max_pages: int,
) -> ListPage:
    """Decode and read a list page (in a parser process)."""
    text = decode_bytes(body, charset_from_content_type(content_type)).text
    return parse_list_page(
        text, url, rules=rules, allowed_hosts=allowed_hosts, column=column, max_pages=max_pages
    )


_worker_store: Store | None = None  # a parser process's own connection


def store_report(
    db_path: str, body: bytes, url: str, http: HttpMeta, source_id: str, org: str | None
) -> Processed:
    """Parse a report page and store it (in a parser process, with its own connection:
    SQLite serialises the writers, one transaction per page, and a worker killed
    mid-transaction leaves nothing behind)."""
    global _worker_store
    if _worker_store is None:
        _worker_store = Store.open(db_path)
        multiprocessing.util.Finalize(None, _worker_store.close, exitpriority=10)
    outcome, attachments = read_report(body, http.final_url or url, http.content_type, org)
    result = _worker_store.ingest(outcome, body, url=url, http=http, source_id=source_id, org=org)
    return _processed(outcome, result, attachments)


def _failure(body: bytes, url: str, code: str, message: str) -> ParseFailure:
    return failure(body, code, message, url=url)


def _processed(outcome: ParseOutcome, result: IngestResult, attachments: list[Link]) -> Processed:
    error = None
    if isinstance(outcome, ParseFailure):
        error = f"{outcome.error.code}: {outcome.error.message}"
    kind = outcome.kind if isinstance(outcome, Report) else None
    return Processed(result.status, result.document_id, error, attachments, kind)


class StoreSink:
    """The store, used from its own thread; every method is a coroutine."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        parse_workers: int = 0,
        parse_seconds: float = 60.0,
        parse_megabytes: int = 2048,
    ) -> None:
        self.db_path = Path(db_path)
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="store")
        self._parsers = BudgetPool(parse_workers, seconds=parse_seconds, megabytes=parse_megabytes)
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
            self._store = Store.open(self.db_path, verify=True)
            return self._store.abort_stale_runs()

        return await self._call(_open)

    async def close(self) -> None:
        def _close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        try:
            await self._call(_close)
        finally:
            self._store_thread.shutdown(wait=True)
            self._parsers.close()

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

    async def read_list(
        self, body: bytes, url: str, content_type: str | None, rules: LinkRules,
        allowed_hosts: list[str], column: str, max_pages: int,
    ) -> ListPage:
        """Read a list page in a parser process; raises ``BudgetExceeded``."""
        return await self._parsers.run(
            read_list_page, body, url, content_type, rules, allowed_hosts, column, max_pages,
            priority=0,  # a list page finds more work for its host: before any report
        )

    async def process_report(
        self, body: bytes, *, url: str, http: HttpMeta, source_id: str, org: str | None
    ) -> Processed:
        """Parse and store ``body`` in a parser process; when that fails (over its budget,
        or a bug), store the raw bytes with the failure from here."""
        try:
            return await self._parsers.run(
                store_report, str(self.db_path), body, url, http, source_id, org
            )
        except BudgetExceeded as exc:
            log.error("%s on %s: %s", exc.code, url, exc)
            outcome = _failure(body, url, exc.code, str(exc))
        except RuntimeError as exc:
            outcome = _failure(body, url, "internal", f"parser or store error: {exc}")
        result = await self._call(
            lambda: self.store.ingest(
                outcome, body, url=url, http=http, source_id=source_id, org=org
            )
        )
        return _processed(outcome, result, [])


class DrySink(StoreSink):
    """A dry run's sink: pages are parsed (list pages), nothing is opened or written.

    ``--dry-run`` must leave no database and no lock file behind; it only shows what
    a harvest would fetch.
    """

    async def open(self) -> int:
        return 0

    async def close(self) -> None:
        self._store_thread.shutdown(wait=True)
        self._parsers.close()

    async def start_run(self, sources: list[str], dry_run: bool) -> int:
        return 0

    async def finish_run(self, run_id: int, status: str, counters: dict[str, int]) -> None:
        return None

    async def log_fetch(self, run_id: int, entry: FetchLog) -> None:
        return None

    async def conditional_headers(self, url: str) -> dict[str, str]:
        return {}

    async def mark_unchanged(self, url: str, http: HttpMeta) -> None:
        return None

    async def process_report(
        self, body: bytes, *, url: str, http: HttpMeta, source_id: str, org: str | None
    ) -> Processed:
        raise RuntimeError("a dry run stores no report")
