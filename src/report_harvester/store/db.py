"""The SQLite store. (STUB with the agreed API: the store helper implements it.)

Agreed API (the crawler and the CLI code against exactly this):

    store = Store.open(path, readonly=False)      # creates/migrates; raises StoreError family
    with store: ...                               # closes on exit
    result = store.ingest(outcome, body, url=..., path=..., http=HttpMeta|None, source_id=None)
        # one transaction; same bytes at same url/path → status "unchanged";
        # new bytes → "new" or "new_version" (moves `current`); ParseFailure → "failed"
    store.conditional_headers(url) -> dict[str, str]   # If-None-Match / If-Modified-Since
    store.mark_unchanged(url, http: HttpMeta) -> None  # a 304 for a stored document
    run_id = store.start_run(sources=[...], dry_run=False)
    store.log_fetch(run_id, FetchLog(...))
    store.finish_run(run_id, status="ok"|"partial"|"failed", counters={...})
    store.abort_stale_runs() -> int               # runs left "running" by a killed process
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from ..models import HttpMeta, ParseOutcome

IngestStatus = Literal["new", "new_version", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    document_id: int
    report_id: int | None  # None when the outcome was a ParseFailure
    status: IngestStatus


class FetchLog(BaseModel):
    """One HTTP request the crawler made, as a row of the `fetches` table."""

    url: str
    source_id: str | None = None
    kind: Literal["robots", "list", "report", "attachment"] = "report"
    status: int | None = None  # HTTP status, None when no response
    outcome: str  # fetched, not_modified, unchanged, blocked, soft_404, failed,
    #               robots_denied, too_large, offhost_redirect, skipped
    error: str | None = None
    attempts: int = 1
    bytes: int = 0
    elapsed_ms: int = 0
    document_id: int | None = None
    fetched_at: str  # ISO 8601 UTC


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        raise NotImplementedError

    def ingest(
        self,
        outcome: ParseOutcome,
        body: bytes,
        *,
        url: str | None = None,
        path: str | None = None,
        http: HttpMeta | None = None,
        source_id: str | None = None,
    ) -> IngestResult:
        raise NotImplementedError
