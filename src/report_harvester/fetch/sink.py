"""Where fetched pages go: parse them and write the store, off the event loop.

SQLite connections belong to the thread that opened them, so the store is opened,
used and closed in one dedicated thread; parsing runs in another, so the event
loop keeps timing requests while pages are read.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..decode.charset import charset_from_content_type, decode_bytes
from ..models import ErrorInfo, HttpMeta, ParseFailure, ParseOutcome, SourceInfo
from ..parse import parse_bytes
from ..store.db import FetchLog, Store
from .discover import Link, attachment_links

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
    """Parse a report page and list its attachment links (never raises)."""
    charset = charset_from_content_type(content_type)
    try:
        outcome = parse_bytes(body, url=url, http_charset=charset, org=org)
    except Exception as exc:  # a parser bug must not stop the harvest nor lose the bytes
        log.error("parser error on %s: %s: %s", url, type(exc).__name__, exc)
        source = SourceInfo(url=url, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
        message = f"parser error: {type(exc).__name__}: {exc}"
        return ParseFailure(source=source, error=ErrorInfo(code="internal", message=message)), []
    attachments: list[Link] = []
    if not isinstance(outcome, ParseFailure):
        try:
            attachments = attachment_links(decode_bytes(body, charset).text, url)
        except Exception as exc:
            log.info("could not list attachments of %s: %s", url, exc)
    return outcome, attachments


class StoreSink:
    """The store, used from its own thread; every method is a coroutine."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="store")
        self._parse_thread = ThreadPoolExecutor(1, thread_name_prefix="parse")
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
            self._parse_thread.shutdown(wait=True)

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
        """Parse ``body`` (parse thread), then store it (store thread)."""
        loop = asyncio.get_running_loop()
        outcome, attachments = await loop.run_in_executor(
            self._parse_thread, read_report, body, http.final_url or url, http.content_type, org
        )
        result = await self._call(
            lambda: self.store.ingest(outcome, body, url=url, http=http, source_id=source_id)
        )
        error = None
        if isinstance(outcome, ParseFailure):
            error = f"{outcome.error.code}: {outcome.error.message}"
        return Processed(result.status, result.document_id, error, attachments)
