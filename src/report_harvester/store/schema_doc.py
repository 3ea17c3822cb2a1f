"""What every table, view and column of the store means: the schema as an interface.

This is the single source of the descriptions in ``docs/schema.md`` (rendered by
``render_markdown``; a test keeps the file in step) and in the Datasette metadata.
A test also checks that every column of a migrated database is described here.

Run ``python -m report_harvester.store.schema_doc > docs/schema.md`` after a change.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .migrations import SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    kind: str  # "table", "view" or "fts"
    description: str
    columns: dict[str, str]


_CELL = {
    "value": "The number read from the cell (integer or decimal); empty when the cell is blank,"
    " not applicable or text. Never 0 for a blank. Amounts are in `unit` (万元 for"
    " fee_amount and procurement_amount when printed so).",
    "raw": "The cell's text exactly as printed (after whitespace clean-up).",
    "kind": "number, blank (empty cell), not_applicable (/ — - 无 不适用) or text.",
    "unit": "A unit printed inside the cell or its header, e.g. 万元 or 元; empty otherwise.",
    "note": "An annotation printed in the cell beside the number, e.g. 雁峰区无集采中心;"
    " or how a text rendering's value was placed when its position needed a proof:"
    " split_by_sums (digits that ran together, cut the one way the table's sums allow) or"
    " placed_by_sums (empty cells at both ends of a row, dropped the one way the row's"
    " totals allow) or"
    " aligned_by_columns (a table printed in columns of spaces, by the columns it proves) or"
    " matched_in_order (table 三 values printed apart from their labels, one line of seven"
    " per row left without values, matched in reading order).",
}
_REPORT_ID = "The report this row belongs to (reports.id)."

RELATIONS: tuple[Relation, ...] = (
    Relation(
        "documents",
        "table",
        "Every input ever stored, one row per distinct content (sha256) of a URL or file path,"
        " with its raw bytes. New bytes at a known URL add a row; the older rows stay.",
        {
            "id": "Document id.",
            "locator": "Identity of the document across versions: its URL, or its file path"
            " when it has no URL.",
            "url": "The URL the document was fetched from (canonical form), if any.",
            "path": "The file path it was read from, if any.",
            "source_id": "Id of the configured source (portal) it came from, if known.",
            "org_hint": "Issuing body given to the parser by the caller (source configuration);"
            " given again on reparse.",
            "sha256": "SHA-256 of the raw bytes (hex).",
            "size": "Size of the raw bytes.",
            "body": "The raw bytes, compressed as body_compression says.",
            "body_compression": "How body is compressed: zlib.",
            "encoding": "Codec the parser used to decode the bytes, e.g. gb18030 or utf-8.",
            "encoding_method": "How that codec was chosen: bom, http, meta, detected, fallback or"
            " text; for a binary document how it was read: pdf, docx or doc.",
            "content_type": "HTTP Content-Type header of the response.",
            "http_status": "HTTP status of the response that delivered these bytes.",
            "etag": "ETag validator of the latest response (sent back as If-None-Match).",
            "last_modified": "Last-Modified validator of the latest response (sent back as"
            " If-Modified-Since).",
            "http_headers": "All response headers, lower-cased names (JSON object).",
            "final_url": "The URL after redirects.",
            "fetched_at": "When the crawler fetched these bytes (ISO 8601 UTC).",
            "ingested_at": "When these bytes were stored (ISO 8601 UTC).",
            "last_seen": "The last time these bytes were seen at their URL (fetch, 304 or"
            " identical body).",
            "latest": "1 for the most recently seen version of the locator, else 0.",
            "parser_version": "The parser version that last read these bytes, successfully or not.",
            "error_code": "Why the last parse failed (empty, binary, unreadable, undecodable,"
            " encrypted, unsupported_format, parse_timeout, parse_memory, internal); empty when"
            " it succeeded.",
            "error_message": "The parse failure in words.",
            "page_url": "For a document harvested as an attachment (PDF, DOCX): the page that"
            " linked it; empty otherwise.",
        },
    ),
    Relation(
        "reports",
        "table",
        "One parsed report per document version (documents that failed to parse have none)."
        " current = 1 marks the latest version of each URL or path.",
        {
            "id": "Report id. Stable across `reparse`, which rewrites the row in place.",
            "document_id": "The document it was parsed from (documents.id).",
            "locator": "URL, or file path when there is no URL (as documents.locator).",
            "url": "Source URL of the report page.",
            "path": "File path it was read from, if any.",
            "source_id": "Configured source (portal) id, if known.",
            "org": "Issuing body (发布机关); empty when neither the page nor the source says.",
            "year": "The year the report covers (not the year it was published).",
            "format": "Table layout: 2021, 2019, pre2019 or unknown.",
            "kind": "What the page is: report, interpretation, notice, other_report, image_only,"
            " attachment_only or unknown.",
            "title": "Page title, if the page has one.",
            "published": "Publication date (YYYY-MM-DD), if printed.",
            "parser_version": "Version of the parser that produced this report.",
            "current": "1 for the report of the newest parsed version of its URL/path, else 0.",
            "warning_count": "Number of parser warnings.",
            "warnings": "Parser warnings: JSON list of {code, message}.",
            "attachments": "Attachments linked from the page: JSON list of {url, text, ext}.",
            "created_at": "When this report row was written (ISO 8601 UTC).",
        },
    ),
    Relation(
        "sections",
        "table",
        "The report's numbered headings and the text under each (tables excluded), as a tree"
        " flattened in reading order.",
        {
            "id": "Section id.",
            "report_id": _REPORT_ID,
            "position": "Reading order of the section within its report, from 0.",
            "parent_position": "position of the enclosing section; empty at the top level.",
            "level": "Depth: 0 for the statutory sections 一…六, 1 for （一）, 2 for 1. ...",
            "number": "The section's number (1..6 at level 0, n for （n） or n.).",
            "key": "Canonical key of a statutory section: overview, active_disclosure,"
            " applications, reviews_litigation, problems, other_matters.",
            "heading": "The heading as printed.",
            "text": "The text under the heading, verbatim.",
        },
    ),
    Relation(
        "tables_raw",
        "table",
        "Every table of the page as a rectangular grid of cell texts, kept whatever it means.",
        {
            "id": "Row id.",
            "report_id": _REPORT_ID,
            "idx": "Order of the table in the page, from 0.",
            "section": "Number of the statutory section the table sits under, if known.",
            "role": "t2 (active disclosure), t3 (applications), t4 (reviews) or other.",
            "n_rows": "Number of rows.",
            "n_cols": "Number of columns of the widest row.",
            "rows": "The grid: JSON list of rows, each a list of cell texts.",
        },
    ),
    Relation(
        "active_disclosure",
        "table",
        "Table 二 (主动公开政府信息情况): one row per item × metric cell.",
        {
            "id": "Row id.",
            "report_id": _REPORT_ID,
            "clause": "Clause of article 20 of the regulations: 20.1, 20.5, 20.6, 20.8, 20.9.",
            "item": "Item key: regulations, normative_documents, licensing, other_services,"
            " penalty, coercion, fees, procurement.",
            "metric": "Metric key, by format. 2019: new_made, new_published, total_published,"
            " prev_year_count, change, decisions, procurement_items, procurement_amount."
            " 2021: issued, repealed, in_force, decisions, fee_amount (万元). Metrics of the"
            " two formats measure different things and are never mapped onto each other.",
            **_CELL,
        },
    ),
    Relation(
        "applications",
        "table",
        "Table 三 (收到和处理政府信息公开申请情况): one row per row key × applicant column.",
        {
            "id": "Row id.",
            "report_id": _REPORT_ID,
            "row": "Row key: new_received, carried_over, granted, partially_granted, denied_*,"
            " unavailable_*, rejected_*, other_handling (2019) or other_no_correction /"
            " other_unpaid_fee / other_misc (2021), total_processed, carried_forward."
            ' (row is an SQL keyword in some tools: quote it as "row".)',
            "applicant": "Applicant column: natural_person, commercial_enterprise,"
            " research_institution, social_welfare_org, legal_service_org, other_org, total.",
            **_CELL,
        },
    ),
    Relation(
        "reviews",
        "table",
        "Table 四 (行政复议、行政诉讼情况): one row per proceeding × outcome.",
        {
            "id": "Row id.",
            "report_id": _REPORT_ID,
            "proceeding": "admin_review (行政复议), litigation_direct (未经复议直接起诉),"
            " litigation_after_review (复议后起诉).",
            "outcome": "upheld (结果维持), corrected (结果纠正), other (其他结果), pending"
            " (尚未审结), total (总计).",
            **_CELL,
        },
    ),
    Relation(
        "checks",
        "table",
        "Consistency check results: per-report rules computed at parse time (origin report)"
        " and cross-report rules computed by `report-harvester check` (origin cross).",
        {
            "id": "Row id.",
            "report_id": "The report checked (reports.id).",
            "related_report_id": "For a cross-report rule: the previous year's report compared"
            " with.",
            "origin": "report (t3.*, t4.*: stored with the report) or cross (cross_year.carry,"
            " t2.in_force: replaced by each `check` run).",
            "check": "Rule key: t3.balance, t3.row_total, t3.outcomes, t4.total,"
            ' cross_year.carry, t2.in_force. (check is an SQL keyword: quote it as "check".)',
            "scope": "The column, row, proceeding or item the rule was applied to.",
            "status": "pass, fail or not_assessable (an operand is missing or not a number).",
            "expected": "The value the rule expects.",
            "actual": "The value the report prints.",
            "difference": "actual − expected.",
            "message": "Why it failed or could not be assessed.",
            "created_at": "When the result was written (ISO 8601 UTC).",
        },
    ),
    Relation(
        "harvest_runs",
        "table",
        "One row per `report-harvester harvest` run.",
        {
            "id": "Run id.",
            "started_at": "Start time (ISO 8601 UTC).",
            "finished_at": "End time; empty while running or when the process was killed.",
            "status": "running, ok, partial, failed, timed_out (stopped by --max-time) or"
            " aborted (interrupted, or left running by a process that died).",
            "sources": "Source ids harvested: JSON list.",
            "dry_run": "1 when nothing was to be stored.",
            "pid": "Process id of the harvester.",
            "hostname": "Host the harvester ran on.",
            "counters": "Every counter of the run: JSON object.",
            "requests": "HTTP requests made.",
            "fetched": "Responses with a body.",
            "not_modified": "304 answers to conditional requests.",
            "new": "Documents stored for a new URL.",
            "new_version": "New versions of known URLs.",
            "unchanged": "Bodies identical to the stored version.",
            "failed": "Pages that failed (network, HTTP or parse).",
            "blocked": "Pages refused by an anti-bot challenge or 412.",
            "errors": "Other errors.",
        },
    ),
    Relation(
        "fetches",
        "table",
        "Every HTTP request of every harvest run.",
        {
            "id": "Row id.",
            "run_id": "The run (harvest_runs.id).",
            "url": "URL requested.",
            "source_id": "Source (portal) id.",
            "kind": "robots, list, report or attachment.",
            "status": "HTTP status; empty when there was no response.",
            "outcome": "fetched, not_modified, unchanged, blocked, soft_404, failed,"
            " robots_denied, too_large, offhost_redirect or skipped.",
            "error": "Error message, if any.",
            "attempts": "Attempts made (retries included).",
            "bytes": "Bytes received.",
            "elapsed_ms": "Time taken, milliseconds.",
            "document_id": "The document stored from this response, if any.",
            "fetched_at": "When (ISO 8601 UTC).",
        },
    ),
    Relation(
        "sections_fts",
        "fts",
        "Full-text index (FTS5, trigram tokenizer) over sections.heading and sections.text."
        " Finds substrings of 3+ characters; the search_sections query also answers shorter"
        " queries, by a substring test.",
        {"heading": "Indexed heading.", "text": "Indexed text."},
    ),
    Relation(
        "reports_fts",
        "fts",
        "Full-text index (FTS5, trigram tokenizer) over reports.title and reports.org.",
        {"title": "Indexed title.", "org": "Indexed issuing body."},
    ),
    Relation(
        "_sqlite_migrations",
        "table",
        "Schema migrations applied (sqlite-utils); the schema version is their count, also in"
        " PRAGMA user_version.",
        {
            "id": "Row id.",
            "migration_set": "Migration set name: report_harvester.",
            "name": "Migration name.",
            "applied_at": "When it was applied.",
        },
    ),
    Relation(
        "current_reports",
        "view",
        "reports where current = 1: the latest parsed version of every URL/path.",
        {
            "id": "Report id.",
            "document_id": "Document it was parsed from.",
            "url": "Source URL.",
            "path": "File path, if any.",
            "source_id": "Source (portal) id.",
            "org": "Issuing body.",
            "year": "Year covered.",
            "format": "2021, 2019, pre2019 or unknown.",
            "kind": "Page kind.",
            "title": "Title.",
            "published": "Publication date.",
            "parser_version": "Parser version.",
            "warning_count": "Number of parser warnings.",
            "created_at": "When the report row was written.",
        },
    ),
    Relation(
        "applications_wide",
        "view",
        "Table 三 of current reports, one row per report × row key, with the seven applicant"
        " columns side by side (values only; raw text is in applications).",
        {
            "report_id": "Report id.",
            "org": "Issuing body.",
            "year": "Year covered.",
            "format": "2021 or 2019.",
            "url": "Source URL.",
            "path": "File path, if any.",
            "row": "Row key (see applications.row).",
            "row_position": "Printed order of the row (1 = new_received … 26 = carried_forward).",
            "row_label": "The row's printed label.",
            "natural_person": "自然人.",
            "commercial_enterprise": "商业企业.",
            "research_institution": "科研机构.",
            "social_welfare_org": "社会公益组织.",
            "legal_service_org": "法律服务机构.",
            "other_org": "其他 (other organisations).",
            "total": "总计.",
        },
    ),
    Relation(
        "report_summary",
        "view",
        "One row per current report: key figures and how many checks failed.",
        {
            "report_id": "Report id.",
            "org": "Issuing body.",
            "year": "Year covered.",
            "format": "Table layout.",
            "kind": "Page kind.",
            "title": "Title.",
            "url": "Source URL.",
            "path": "File path, if any.",
            "new_received": "Applications received this year (new_received, 总计 column).",
            "total_processed": "Applications processed (total_processed, 总计 column).",
            "granted_rate": "(granted + partially_granted) / total_processed, 总计 column;"
            " empty when an operand is blank or total_processed is 0.",
            "checks_failed": "Checks of this report with status fail.",
            "checks_not_assessable": "Checks of this report that could not be assessed.",
            "warning_count": "Number of parser warnings.",
        },
    ),
    Relation(
        "check_results",
        "view",
        "Check results of current reports with the report's org, year and URL.",
        {
            "check_id": "checks.id.",
            "report_id": "Report id.",
            "org": "Issuing body.",
            "year": "Year covered.",
            "format": "Table layout.",
            "url": "Source URL.",
            "path": "File path, if any.",
            "origin": "report or cross.",
            "check": "Rule key.",
            "scope": "Column, row, proceeding or item checked.",
            "status": "pass, fail or not_assessable.",
            "expected": "Expected value.",
            "actual": "Printed value.",
            "difference": "actual − expected.",
            "message": "Explanation.",
            "related_report_id": "Previous year's report, for cross-report rules.",
            "related_year": "Its year.",
            "related_url": "Its URL.",
        },
    ),
)

BY_NAME: dict[str, Relation] = {r.name: r for r in RELATIONS}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _introspect() -> sqlite3.Connection:
    """An in-memory database with every migration applied (for types, keys, indexes)."""
    from sqlite_utils import Database

    from .migrations import migrations

    conn = sqlite3.connect(":memory:")
    migrations.apply(Database(conn, execute_plugins=False))
    return conn


def _column_types(conn: sqlite3.Connection, name: str) -> dict[str, str]:
    """column → its declared type plus key notes (PK, FK target, NOT NULL)."""
    foreign = {
        row[3]: f"→ {row[2]}.{row[4]}"
        for row in conn.execute(f"PRAGMA foreign_key_list({name})").fetchall()
    }
    types: dict[str, str] = {}
    for _cid, column, kind, notnull, _default, pk in conn.execute(f"PRAGMA table_info({name})"):
        notes = [kind or ""]
        if pk:
            notes.append("primary key")
        elif notnull:
            notes.append("not null")
        if column in foreign:
            notes.append(foreign[column])
        types[column] = ", ".join(n for n in notes if n)
    return types


def _indexes(conn: sqlite3.Connection, name: str) -> list[str]:
    out = []
    for _seq, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({name})"):
        columns = [r[2] for r in conn.execute(f"PRAGMA index_info('{index}')")]
        label = "unique " if unique else ""
        where = ""
        if partial:
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()[
                0
            ]
            where = " " + sql[sql.upper().index(" WHERE ") + 1 :]
        source = " (constraint)" if origin != "c" else ""
        out.append(f"{label}({', '.join(columns)}){where}{source}")
    return sorted(out)


def render_markdown() -> str:
    """``docs/schema.md``: every table, view and column, from ``RELATIONS``."""
    from .queries import CANNED_QUERIES, SEARCH_SECTIONS

    conn = _introspect()
    out = [
        "# Database schema",
        "",
        "<!-- Generated by `python -m report_harvester.store.schema_doc > docs/schema.md`;"
        " edit src/report_harvester/store/schema_doc.py instead. -->",
        "",
        f"Schema version {SCHEMA_VERSION} (`PRAGMA user_version`; migrations in"
        " `store/migrations.py`, recorded in `_sqlite_migrations`). Opening an older"
        " database migrates it; a database written by a newer version is refused.",
        "",
        "Identity and versions: a document is identified by its URL (or its path when it"
        " has no URL). Every distinct content is one `documents` row; the most recently seen"
        " has `latest = 1`. Each document that parsed has one `reports` row; the report of the"
        " newest parsed version has `current = 1`. Ingesting the same bytes again writes"
        " nothing. `reparse` rewrites a document's report in place (same id, new"
        " parser_version, child rows re-created); the earlier parse is not kept (the raw bytes"
        " are). A document that now fails keeps its previous report and records the error on"
        " `documents`.",
        "",
        "Values: a blank cell is `value` NULL with `kind = 'blank'`, never 0. Numbers keep"
        " their type (integer or decimal). Child tables delete with their report"
        " (`ON DELETE CASCADE`). Quote the columns named `row` and `check` in SQL.",
        "",
        "Writes: one transaction per document (WAL journal, `synchronous = NORMAL`: a"
        " committed document survives a crash of the process; an OS crash may lose the last"
        " commits but never leaves a partial one).",
        "",
    ]
    titles = {"table": "Tables", "fts": "Full-text indexes", "view": "Views"}
    for kind in ("table", "fts", "view"):
        out += [f"## {titles[kind]}", ""]
        for rel in (r for r in RELATIONS if r.kind == kind):
            types = _column_types(conn, rel.name)
            out += [f"### `{rel.name}`", "", rel.description, ""]
            out += ["| column | type | meaning |", "|---|---|---|"]
            out += [f"| `{c}` | {types.get(c, '')} | {_cell(d)} |" for c, d in rel.columns.items()]
            indexes = _indexes(conn, rel.name) if kind == "table" else []
            if indexes:
                out += ["", "Indexes: " + "; ".join(f"`{i}`" for i in indexes) + "."]
            out.append("")
    conn.close()
    out += [
        "## Full-text search",
        "",
        "FTS5's trigram tokenizer finds substrings of 3 or more characters, Chinese included;"
        " shorter queries match nothing. This query (canned query `search_sections` in"
        " Datasette, `Store.search(q)` in Python) uses the index for 3+ characters and a"
        " substring test below; child sections, which the index leaves out to keep ingest"
        " cheap, always get the substring test:",
        "",
        "```sql",
        SEARCH_SECTIONS,
        "```",
        "",
        "## Canned queries (Datasette)",
        "",
    ]
    out += [f"- `{q.name}`: {q.title}. {q.description}" for q in CANNED_QUERIES]
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render_markdown(), end="")
