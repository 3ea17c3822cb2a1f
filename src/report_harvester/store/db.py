"""The SQLite store: open/migrate a database file and write documents, reports and runs.

Agreed API (the crawler and the CLI code against exactly this):

    store = Store.open(path, readonly=False)      # creates/migrates; raises StoreError family
    with store: ...                               # closes on exit
    result = store.ingest(outcome, body, url=..., path=..., http=HttpMeta|None, source_id=None)
        # one transaction; same bytes as the latest version at that url/path → "unchanged";
        # new bytes → "new" or "new_version" (moves `current`); ParseFailure → "failed"
    store.conditional_headers(url) -> dict[str, str]   # If-None-Match / If-Modified-Since
    store.mark_unchanged(url, http: HttpMeta) -> None  # a 304 for a stored document
    run_id = store.start_run(sources=[...], dry_run=False)
    store.log_fetch(run_id, FetchLog(...))
    store.finish_run(run_id, status="ok"|"partial"|"failed", counters={...})
    store.abort_stale_runs() -> int               # runs left "running" by a killed process
    store.reparse(all=False, progress=None) -> ReparseSummary
    store.run_checks() -> CheckSummary

The identity of a document is its ``locator``: the URL, or the path when there
is no URL. Every version (distinct bytes) of a locator is one ``documents`` row;
the most recently seen one has ``latest = 1``. Each document that parsed has one
``reports`` row; the report of the newest version that parsed has ``current = 1``.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from pydantic import BaseModel
from sqlite_utils import Database

from ..errors import SchemaTooNewError, StoreError, StoreLockedError
from ..models import HttpMeta, ParseFailure, ParseOutcome, Report
from .migrations import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION, migrations
from .rows import SQL, ReportRows, insert_many_sql, report_rows

if TYPE_CHECKING:
    from .check_runner import CheckSummary
    from .reparse import ReparseSummary

IngestStatus = Literal["new", "new_version", "unchanged", "failed"]
RunStatus = Literal["running", "ok", "partial", "failed", "aborted", "timed_out"]
ProgressCallback = Callable[[int, int], None]  # (documents done, documents to do)

BODY_COMPRESSION_LEVEL = 6
MAX_PARAMS = 4000  # parameters of one multi-row INSERT (SQLite allows 32766 since 3.32)
RUN_COUNTER_COLUMNS: tuple[str, ...] = (
    "requests",
    "fetched",
    "not_modified",
    "new",
    "new_version",
    "unchanged",
    "failed",
    "blocked",
    "errors",
)


@dataclass(frozen=True, slots=True)
class IngestResult:
    document_id: int
    report_id: int | None  # None when the document has no parsed report (a ParseFailure)
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


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def compress_body(body: bytes) -> bytes:
    """The stored form of a document's raw bytes (``documents.body``)."""
    return zlib.compress(body, BODY_COMPRESSION_LEVEL)


def decompress_body(blob: bytes, compression: str) -> bytes:
    """Raw bytes back from ``documents.body``."""
    if compression == "zlib":
        return zlib.decompress(blob)
    if compression == "none":
        return blob
    raise ValueError(f"unknown body compression {compression!r}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def writable_location(path: Path) -> bool:
    """Whether ``path`` (an existing database) and its directory can be written: a WAL
    database needs both, even to be read through SQLite's shared-memory index."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(uri: str, timeout: float, *, fallback: bool) -> sqlite3.Connection:
    """Connect; with ``fallback``, a database in a place nobody can write (a read-only
    copy) that SQLite cannot open read-only is opened as immutable: nothing can change
    it there, and its WAL index could not be created."""
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if not fallback:
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=timeout)


class Store:
    """An open report_harvester database. Build it with ``Store.open``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self._conn = conn
        self.needs_migration = False  # only ever True for a read-only store
        self.migrated_from: int | None = None  # schema version before this open migrated it

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        readonly: bool = False,
        create: bool = True,
        timeout: float = 5.0,
        verify: bool = False,
    ) -> Store:
        """Open (and create, and migrate) the database at ``path``.

        Raises ``StoreError`` (one-line message, nothing written) when the directory is
        missing or unwritable, the file is not a report_harvester database, or it cannot
        be read; ``StoreLockedError`` when another writer holds it for longer than
        ``timeout`` seconds; ``SchemaTooNewError`` when a newer version wrote it.
        ``create=False`` refuses a file that does not exist yet. ``verify=True`` (the
        commands that write: harvest, parse --db, reparse) first reads the whole file
        with ``PRAGMA quick_check`` and refuses a damaged one (about 0.7 s per GB when
        the file is in the page cache).
        """
        p = Path(path)
        if p.is_dir():
            raise StoreError(f"cannot open database {p}: it is a directory")
        parent = p.parent
        if not parent.is_dir():
            raise StoreError(f"cannot open database {p}: directory {parent} does not exist")
        exists = p.exists()
        if not exists and (readonly or not create):
            raise StoreError(f"database {p} does not exist")
        if not readonly:
            if exists and not os.access(p, os.W_OK):
                raise StoreError(f"cannot write database {p}: permission denied")
            if not os.access(parent, os.W_OK):
                raise StoreError(f"cannot write database {p}: directory {parent} is not writable")
        mode = "ro" if readonly else "rwc"
        uri = f"file:{quote(str(p.resolve()))}?mode={mode}"
        try:
            conn = _connect(uri, timeout, fallback=readonly and not writable_location(p))
        except sqlite3.Error as exc:
            raise store_error(p, exc) from None
        store = cls(p, conn, readonly=readonly)
        try:
            if verify and exists:
                store._verify()
            store._prepare(timeout)
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(p, exc) from None
        except BaseException:
            conn.close()
            raise
        return store

    def _verify(self) -> None:
        """Raise ``StoreError`` when SQLite's quick_check finds the file damaged."""
        problems = [str(r[0]) for r in self._conn.execute("PRAGMA quick_check(3)").fetchall()]
        if problems != ["ok"]:
            raise StoreError(
                f"database {self.path} is damaged ({problems[0]}); nothing was written."
                f" Restore a backup, or recover what is readable with"
                f" `sqlite3 {self.path} .recover | sqlite3 recovered.db`"
            )

    def _prepare(self, timeout: float) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA schema_version").fetchone()  # reads the header: is it SQLite?
        applied = self._applied_migrations()
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
        if unknown or user_version > SCHEMA_VERSION:
            found = max(user_version, len(applied))
            raise SchemaTooNewError(
                f"database {self.path} has schema version {found}, newer than this"
                f" report_harvester knows ({SCHEMA_VERSION}); upgrade report_harvester"
            )
        pending = [name for name in KNOWN_MIGRATIONS if name not in applied]
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            self.needs_migration = bool(pending)
            return
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives a crash of the process (not of the OS, which may
        # lose the last transactions but never corrupts the file).
        conn.execute("PRAGMA synchronous = NORMAL")
        if pending:
            with self.transaction():
                migrations.apply(Database(conn, execute_plugins=False))
            self.migrated_from = len(applied)

    def _applied_migrations(self) -> list[str]:
        conn = self._conn
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        applied: list[str] = []
        if migrations.migrations_table in tables:
            applied = [
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {migrations.migrations_table}"
                    " WHERE migration_set = ? ORDER BY rowid",
                    [MIGRATION_SET],
                )
            ]
        if tables and not applied:
            raise StoreError(
                f"{self.path} is not a report_harvester database (it holds other tables)"
            )
        return applied

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (autocommit mode: use ``transaction()`` to write)."""
        return self._conn

    @property
    def schema_version(self) -> int:
        """``PRAGMA user_version``: the number of migrations applied."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); SQLite errors become ``StoreError``."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise store_error(self.path, exc) from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _read(
        self, sql: str, params: tuple[object, ...] | list[object] = ()
    ) -> list[tuple[object, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    # -- documents and reports ----------------------------------------------------------------

    def ingest(
        self,
        outcome: ParseOutcome,
        body: bytes,
        *,
        url: str | None = None,
        path: str | None = None,
        http: HttpMeta | None = None,
        source_id: str | None = None,
        org: str | None = None,
    ) -> IngestResult:
        """Store one document and its parse outcome, in one transaction.

        Same bytes as the latest version at that url/path: ``unchanged``, nothing written.
        Bytes of an older version coming back: that version becomes latest again (and its
        report current): ``new_version``. New bytes: a new documents row (and reports row
        unless the outcome is a ``ParseFailure``, status ``failed``, which keeps the raw
        bytes and the error and leaves the current report where it was).
        ``org`` is the issuing body the caller gave the parser (from the source's
        configuration), kept so that ``reparse`` can give it again.
        """
        url = url or (http.url if http else None) or outcome.source.url
        path = path or outcome.source.path
        locator = url or path
        if not locator:
            raise StoreError("cannot store a document without a url or a path")
        digest = hashlib.sha256(body).hexdigest()
        now = utc_now()
        seen = http.fetched_at if http else now
        blob = compress_body(body)
        rows = report_rows(outcome, now) if isinstance(outcome, Report) else None
        with self.transaction() as conn:
            found = conn.execute(
                "SELECT d.id, d.latest, r.id FROM documents d"
                " LEFT JOIN reports r ON r.document_id = d.id"
                " WHERE d.locator = ? AND d.sha256 = ?",
                (locator, digest),
            ).fetchone()
            if found is not None:
                doc_id, latest, report_id = found
                if latest:
                    return IngestResult(doc_id, report_id, "unchanged")
                make_latest(conn, locator, doc_id)
                conn.execute("UPDATE documents SET last_seen = ? WHERE id = ?", (seen, doc_id))
                if report_id is None:
                    return IngestResult(doc_id, None, "failed")
                make_current(conn, locator, report_id)
                return IngestResult(doc_id, report_id, "new_version")
            known = conn.execute(
                "SELECT 1 FROM documents WHERE locator = ? LIMIT 1", (locator,)
            ).fetchone()
            conn.execute(
                "UPDATE documents SET latest = 0 WHERE locator = ? AND latest = 1", (locator,)
            )
            error = outcome.error if isinstance(outcome, ParseFailure) else None
            doc_id = _insert_returning_id(
                conn,
                "INSERT INTO documents (locator, url, path, source_id, org_hint, sha256, size,"
                " body, body_compression, encoding, encoding_method, content_type, http_status,"
                " etag, last_modified, http_headers, final_url, fetched_at, ingested_at,"
                " last_seen, latest, parser_version, error_code, error_message, page_url)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'zlib', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
                " ?, ?, ?, ?)",
                (
                    locator,
                    url,
                    path,
                    source_id,
                    org,
                    digest,
                    len(body),
                    blob,
                    outcome.source.encoding,
                    outcome.source.encoding_method,
                    http.content_type if http else None,
                    http.status if http else None,
                    http.etag if http else None,
                    http.last_modified if http else None,
                    json.dumps(http.headers, ensure_ascii=False) if http else None,
                    http.final_url if http else None,
                    http.fetched_at if http else None,
                    now,
                    seen,
                    outcome.parser_version,
                    error.code if error else None,
                    error.message if error else None,
                    http.page_url if http else None,
                ),
            )
            if rows is None:
                return IngestResult(doc_id, None, "failed")
            conn.execute(
                "UPDATE reports SET current = 0 WHERE locator = ? AND current = 1", (locator,)
            )
            report_id = insert_report(
                conn, rows, doc_id, locator, url, path, source_id, now, current=True
            )
            return IngestResult(doc_id, report_id, "new_version" if known else "new")

    def conditional_headers(self, url: str) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` of the latest document at ``url``."""
        found = self._read(
            "SELECT etag, last_modified FROM documents WHERE locator = ? AND latest = 1", (url,)
        )
        if not found:
            return {}
        etag, last_modified = found[0]
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = str(etag)
        if last_modified:
            headers["If-Modified-Since"] = str(last_modified)
        return headers

    def mark_unchanged(self, url: str, http: HttpMeta) -> None:
        """A 304 (or an identical body) for the latest document at ``url``: bump last_seen.

        New validators the response carried (ETag, Last-Modified) replace the stored ones.
        Does nothing when no document is stored for ``url``.
        """
        with self.transaction() as conn:
            conn.execute(
                "UPDATE documents SET last_seen = ?, etag = coalesce(?, etag),"
                " last_modified = coalesce(?, last_modified)"
                " WHERE locator = ? AND latest = 1",
                (http.fetched_at, http.etag, http.last_modified, url),
            )

    # -- harvest runs -------------------------------------------------------------------------

    def start_run(self, sources: list[str], dry_run: bool = False) -> int:
        """Record a harvest run as ``running``; returns its id."""
        with self.transaction() as conn:
            return _insert_returning_id(
                conn,
                "INSERT INTO harvest_runs (started_at, status, sources, dry_run, pid, hostname)"
                " VALUES (?, 'running', ?, ?, ?, ?)",
                (
                    utc_now(),
                    json.dumps(sources, ensure_ascii=False),
                    int(dry_run),
                    os.getpid(),
                    socket.gethostname(),
                ),
            )

    def log_fetch(self, run_id: int, fetch: FetchLog) -> None:
        """Append one request of run ``run_id`` to ``fetches``."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO fetches (run_id, url, source_id, kind, status, outcome, error,"
                " attempts, bytes, elapsed_ms, document_id, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    fetch.url,
                    fetch.source_id,
                    fetch.kind,
                    fetch.status,
                    fetch.outcome,
                    fetch.error,
                    fetch.attempts,
                    fetch.bytes,
                    fetch.elapsed_ms,
                    fetch.document_id,
                    fetch.fetched_at,
                ),
            )

    def finish_run(self, run_id: int, status: str, counters: dict[str, int]) -> None:
        """Close run ``run_id`` with ``status`` (ok, partial, failed, aborted, timed_out).

        All counters go to ``harvest_runs.counters`` (JSON); the usual ones also to their
        own columns (requests, fetched, not_modified, new, new_version, unchanged, failed,
        blocked, errors).
        """
        if status not in ("ok", "partial", "failed", "aborted", "timed_out"):
            raise StoreError(f"cannot finish harvest run {run_id} with status {status!r}")
        columns = [c for c in RUN_COUNTER_COLUMNS if c in counters]
        assignments = "".join(f", {c} = ?" for c in columns)
        with self.transaction() as conn:
            conn.execute(
                f"UPDATE harvest_runs SET finished_at = ?, status = ?, counters = ?{assignments}"
                " WHERE id = ?",
                (
                    utc_now(),
                    status,
                    json.dumps(counters, ensure_ascii=False, sort_keys=True),
                    *(counters[c] for c in columns),
                    run_id,
                ),
            )

    def abort_stale_runs(self) -> int:
        """Mark as ``aborted`` the runs left ``running`` by a process of this host that died."""
        host = socket.gethostname()
        with self.transaction() as conn:
            stale = [
                run_id
                for run_id, pid, hostname in conn.execute(
                    "SELECT id, pid, hostname FROM harvest_runs WHERE status = 'running'"
                ).fetchall()
                if hostname == host and (pid is None or not _pid_alive(int(pid)))
            ]
            now = utc_now()
            conn.executemany(
                "UPDATE harvest_runs SET status = 'aborted', finished_at = ? WHERE id = ?",
                [(now, run_id) for run_id in stale],
            )
        return len(stale)

    def active_runs(self) -> list[int]:
        """Ids of the runs still marked ``running`` (call ``abort_stale_runs`` first)."""
        return [
            int(str(r[0]))
            for r in self._read("SELECT id FROM harvest_runs WHERE status = 'running'")
        ]

    # -- whole-database jobs --------------------------------------------------------------------

    def reparse(
        self, all: bool = False, progress: ProgressCallback | None = None
    ) -> ReparseSummary:
        """Re-parse stored bytes whose parser version differs (or ``all``); see reparse.py."""
        from .reparse import reparse_documents

        return reparse_documents(self, everything=all, progress=progress)

    def run_checks(self) -> CheckSummary:
        """Recompute the cross-report checks and summarise every check of current reports."""
        from .check_runner import run_checks

        return run_checks(self)

    def search(self, query: str) -> list[dict[str, object]]:
        """Sections of current reports containing ``query`` (FTS, or substring when < 3 chars)."""
        from .queries import SEARCH_SECTIONS

        cursor = self._conn.execute(SEARCH_SECTIONS, {"q": query})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def make_latest(conn: sqlite3.Connection, locator: str, doc_id: int) -> None:
    """Flag ``doc_id`` as the latest version of ``locator``."""
    conn.execute(
        "UPDATE documents SET latest = 0 WHERE locator = ? AND latest = 1 AND id != ?",
        (locator, doc_id),
    )
    conn.execute("UPDATE documents SET latest = 1 WHERE id = ?", (doc_id,))


def make_current(conn: sqlite3.Connection, locator: str, report_id: int) -> None:
    """Flag ``report_id`` as the current report of ``locator``."""
    conn.execute(
        "UPDATE reports SET current = 0 WHERE locator = ? AND current = 1 AND id != ?",
        (locator, report_id),
    )
    conn.execute("UPDATE reports SET current = 1 WHERE id = ?", (report_id,))


def insert_report(
    conn: sqlite3.Connection,
    rows: ReportRows,
    doc_id: int,
    locator: str,
    url: str | None,
    path: str | None,
    source_id: str | None,
    now: str,
    *,
    current: bool,
) -> int:
    """Insert a reports row and its children; returns the report id."""
    r = rows.report
    report_id = _insert_returning_id(
        conn,
        "INSERT INTO reports (document_id, locator, url, path, source_id, org, year, format,"
        " kind, title, published, parser_version, current, warning_count, warnings,"
        " attachments, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            locator,
            url,
            path,
            source_id,
            r["org"],
            r["year"],
            r["format"],
            r["kind"],
            r["title"],
            r["published"],
            r["parser_version"],
            int(current),
            r["warning_count"],
            r["warnings"],
            r["attachments"],
            now,
        ),
    )
    write_children(conn, report_id, rows.children)
    return report_id


def write_children(
    conn: sqlite3.Connection, report_id: int, children: dict[str, list[tuple[object, ...]]]
) -> None:
    """Insert the child rows of one report (sections, cells, raw tables, per-report checks)."""
    max_params = min(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), MAX_PARAMS)
    for table, rows in children.items():
        if not rows:
            continue
        per_row = SQL[table].count("?")
        chunk = max(1, max_params // per_row)
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            params = [v for row in part for v in (report_id, *row)]
            conn.execute(insert_many_sql(table, len(part)), params)


def _insert_returning_id(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> int:
    cursor = conn.execute(sql, params)
    row_id = cursor.lastrowid
    assert row_id is not None
    return row_id


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """A one-line ``StoreError`` for an SQLite error on the database at ``path``."""
    message = str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreLockedError(
            f"database {path} is locked by another writer; try again when it finishes"
        )
    if "file is not a database" in lowered:
        return StoreError(f"{path} is not a report_harvester database (file is not SQLite)")
    if "malformed" in lowered:
        return StoreError(f"database {path} is damaged ({message})")
    if "readonly" in lowered:
        return StoreError(f"cannot write database {path}: it is read-only")
    if "unable to open" in lowered:
        return StoreError(f"cannot open database {path}: {message}")
    return StoreError(f"database {path}: {message}")
