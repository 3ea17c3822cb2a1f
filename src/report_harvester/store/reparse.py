"""``Store.reparse``: parse stored raw bytes again with the installed parser. No network.

Selection: documents whose ``parser_version`` (the parser that last read them,
successfully or not) differs from ``models.PARSER_VERSION``; every document with
``everything=True``. Old versions of a URL are re-parsed too, so history stays
comparable.

Policy: a document's report is replaced in place: the ``reports`` row keeps its
id and its ``current`` flag, its columns and all its child rows (sections, cells,
raw tables, per-report checks) are rewritten. The earlier parse is not kept (the
raw bytes are, so it can be redone). A document that now fails keeps its previous
report untouched; the error goes to ``documents.error_code/error_message``. A
document that failed before and now parses gets its first report (current when
it is the latest version of its URL). One transaction per document; at the end
the cross-report checks are recomputed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import models
from ..decode.charset import charset_from_content_type
from ..models import ErrorInfo, ParseFailure, ParseOutcome, Report, SourceInfo
from .db import (
    decompress_body,
    insert_report,
    make_current,
    store_error,
    utc_now,
    write_children,
)
from .rows import report_rows

if TYPE_CHECKING:
    from .db import ProgressCallback, Store

CHILD_TABLES: tuple[str, ...] = (
    "sections",
    "tables_raw",
    "active_disclosure",
    "applications",
    "reviews",
)


@dataclass(frozen=True, slots=True)
class ReparseSummary:
    """What a reparse did."""

    parser_version: str
    selected: int  # documents considered
    reparsed: int  # documents that now have a fresh report
    failed: int  # documents whose parse failed this time
    kept_previous: int  # of the failed, those that still hold their earlier report


def _parse(
    body: bytes, path: str | None, url: str | None, charset: str | None, org: str | None
) -> ParseOutcome:
    from ..parse import parse_bytes

    try:
        return parse_bytes(body, path=path, url=url, http_charset=charset, org=org)
    except Exception as exc:  # a parser bug must not stop the run: record it like a failure
        source = SourceInfo(
            path=path, url=url, sha256=hashlib.sha256(body).hexdigest(), size=len(body)
        )
        error = ErrorInfo(code="internal", message=f"{type(exc).__name__}: {exc}")
        return ParseFailure(source=source, error=error)


def _reparse_one(store: Store, doc_id: int) -> tuple[bool, bool]:
    """Re-parse document ``doc_id``: (parsed ok, has a report afterwards)."""
    conn = store.connection
    (
        blob,
        compression,
        url,
        final_url,
        path,
        content_type,
        org_hint,
        locator,
        source_id,
        latest,
    ) = conn.execute(
        "SELECT body, body_compression, url, final_url, path, content_type, org_hint,"
        " locator, source_id, latest FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    previous = conn.execute("SELECT id FROM reports WHERE document_id = ?", (doc_id,)).fetchone()
    try:
        body = decompress_body(blob, compression)
    except Exception as exc:  # stored bytes unreadable: record, keep what is there
        outcome: ParseOutcome = ParseFailure(
            source=SourceInfo(path=path, url=url, sha256="", size=0),
            error=ErrorInfo(code="unreadable", message=f"stored body cannot be read: {exc}"),
        )
    else:
        # the page is read as the crawler read it: at its final URL (relative links)
        outcome = _parse(
            body, path, final_url or url, charset_from_content_type(content_type), org_hint
        )
    now = utc_now()
    with store.transaction() as tx:
        if isinstance(outcome, ParseFailure):
            tx.execute(
                "UPDATE documents SET parser_version = ?, error_code = ?, error_message = ?"
                " WHERE id = ?",
                (outcome.parser_version, outcome.error.code, outcome.error.message, doc_id),
            )
            return False, previous is not None
        assert isinstance(outcome, Report)
        rows = report_rows(outcome, now)
        tx.execute(
            "UPDATE documents SET parser_version = ?, error_code = NULL, error_message = NULL,"
            " encoding = ?, encoding_method = ? WHERE id = ?",
            (
                outcome.parser_version,
                outcome.source.encoding,
                outcome.source.encoding_method,
                doc_id,
            ),
        )
        if previous is None:
            report_id = insert_report(
                tx, rows, doc_id, locator, url, path, source_id, now, current=False
            )
            if latest:
                make_current(tx, locator, report_id)
            return True, True
        report_id = int(previous[0])
        r = rows.report
        tx.execute(
            "UPDATE reports SET org = ?, year = ?, format = ?, kind = ?, title = ?, published = ?,"
            " parser_version = ?, warning_count = ?, warnings = ?, attachments = ?,"
            " created_at = ? WHERE id = ?",
            (
                r["org"],
                r["year"],
                r["format"],
                r["kind"],
                r["title"],
                r["published"],
                r["parser_version"],
                r["warning_count"],
                r["warnings"],
                r["attachments"],
                now,
                report_id,
            ),
        )
        for table in CHILD_TABLES:
            tx.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        tx.execute("DELETE FROM checks WHERE report_id = ? AND origin = 'report'", (report_id,))
        write_children(tx, report_id, rows.children)
        return True, True


def reparse_documents(
    store: Store, *, everything: bool = False, progress: ProgressCallback | None = None
) -> ReparseSummary:
    """Re-parse the selected documents (see the module docstring); report progress."""
    version = models.PARSER_VERSION
    try:
        ids = [
            int(r[0])
            for r in store.connection.execute(
                "SELECT id FROM documents WHERE ? OR parser_version IS NULL"
                " OR parser_version != ? ORDER BY id",
                (int(everything), version),
            )
        ]
    except sqlite3.Error as exc:
        raise store_error(store.path, exc) from None
    reparsed = failed = kept = 0
    total = len(ids)
    if progress:
        progress(0, total)
    for done, doc_id in enumerate(ids, start=1):
        try:
            ok, has_report = _reparse_one(store, doc_id)
        except sqlite3.Error as exc:
            raise store_error(store.path, exc) from None
        if ok:
            reparsed += 1
        else:
            failed += 1
            kept += int(has_report)
        if progress:
            progress(done, total)
    if total:
        store.run_checks()
    return ReparseSummary(
        parser_version=version, selected=total, reparsed=reparsed, failed=failed, kept_previous=kept
    )
