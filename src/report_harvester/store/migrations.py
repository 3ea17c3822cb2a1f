"""The database schema, as an ordered list of sqlite-utils migrations.

Each migration is frozen once released: a schema change is a new function
appended at the end, never an edit of an old one. The schema version of a
database is the number of migrations applied to it; it is also written to
``PRAGMA user_version`` so that tools other than this one can read it.
Every table, view and column is described in ``schema_doc.py`` (and from there
in ``docs/schema.md`` and the Datasette metadata).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "report_harvester"
migrations = Migrations(MIGRATION_SET)


def _script(db: Database, sql: str) -> None:
    # inside the migration's transaction, sqlite-utils runs the statements one by one
    db.executescript(sql)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@migrations(name="0001_core_tables")
def core_tables(db: Database) -> None:
    """Documents (raw bytes), reports and the rows parsed out of them."""
    _script(
        db,
        """
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  locator TEXT NOT NULL,
  url TEXT,
  path TEXT,
  source_id TEXT,
  org_hint TEXT,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  body BLOB NOT NULL,
  body_compression TEXT NOT NULL DEFAULT 'zlib',
  encoding TEXT,
  encoding_method TEXT,
  content_type TEXT,
  http_status INTEGER,
  etag TEXT,
  last_modified TEXT,
  http_headers TEXT,
  final_url TEXT,
  fetched_at TEXT,
  ingested_at TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  latest INTEGER NOT NULL DEFAULT 0 CHECK (latest IN (0, 1)),
  parser_version TEXT,
  error_code TEXT,
  error_message TEXT,
  UNIQUE (locator, sha256)
);
CREATE UNIQUE INDEX documents_one_latest ON documents (locator) WHERE latest = 1;
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_url ON documents (url);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id),
  locator TEXT NOT NULL,
  url TEXT,
  path TEXT,
  source_id TEXT,
  org TEXT,
  year INTEGER,
  format TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT,
  published TEXT,
  parser_version TEXT NOT NULL,
  current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
  warning_count INTEGER NOT NULL DEFAULT 0,
  warnings TEXT NOT NULL DEFAULT '[]',
  attachments TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_one_current ON reports (locator) WHERE current = 1;
CREATE INDEX reports_org_year ON reports (org, year);
CREATE INDEX reports_url_current ON reports (url, current);
CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  parent_position INTEGER,
  level INTEGER NOT NULL,
  number INTEGER,
  key TEXT,
  heading TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX sections_report ON sections (report_id, position);
CREATE TABLE tables_raw (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  section INTEGER,
  role TEXT NOT NULL,
  n_rows INTEGER NOT NULL,
  n_cols INTEGER NOT NULL,
  rows TEXT NOT NULL
);
CREATE INDEX tables_raw_report ON tables_raw (report_id, idx);
CREATE TABLE active_disclosure (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  clause TEXT NOT NULL,
  item TEXT NOT NULL,
  metric TEXT NOT NULL,
  value NUMERIC,
  raw TEXT NOT NULL,
  kind TEXT NOT NULL,
  unit TEXT,
  note TEXT
);
CREATE INDEX active_disclosure_report ON active_disclosure (report_id, item, metric);
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  "row" TEXT NOT NULL,
  applicant TEXT NOT NULL,
  value NUMERIC,
  raw TEXT NOT NULL,
  kind TEXT NOT NULL,
  unit TEXT,
  note TEXT
);
CREATE INDEX applications_report_row ON applications (report_id, "row", applicant);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  proceeding TEXT NOT NULL,
  outcome TEXT NOT NULL,
  value NUMERIC,
  raw TEXT NOT NULL,
  kind TEXT NOT NULL,
  unit TEXT,
  note TEXT
);
CREATE INDEX reviews_report ON reviews (report_id, proceeding, outcome);
CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  report_id INTEGER REFERENCES reports (id) ON DELETE CASCADE,
  related_report_id INTEGER REFERENCES reports (id) ON DELETE SET NULL,
  origin TEXT NOT NULL CHECK (origin IN ('report', 'cross')),
  "check" TEXT NOT NULL,
  scope TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'not_assessable')),
  expected NUMERIC,
  actual NUMERIC,
  difference NUMERIC,
  message TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX checks_report ON checks (report_id);
CREATE INDEX checks_status_check ON checks (status, "check");
CREATE INDEX checks_cross ON checks (origin) WHERE origin = 'cross';
PRAGMA user_version = 1
""",
    )


@migrations(name="0002_harvest_log")
def harvest_log(db: Database) -> None:
    """The crawler's runs and every request it made."""
    _script(
        db,
        """
CREATE TABLE harvest_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL
    CHECK (status IN ('running', 'ok', 'partial', 'failed', 'aborted')),
  sources TEXT NOT NULL DEFAULT '[]',
  dry_run INTEGER NOT NULL DEFAULT 0,
  pid INTEGER,
  hostname TEXT,
  counters TEXT NOT NULL DEFAULT '{}',
  requests INTEGER,
  fetched INTEGER,
  not_modified INTEGER,
  new INTEGER,
  new_version INTEGER,
  unchanged INTEGER,
  failed INTEGER,
  blocked INTEGER,
  errors INTEGER
);
CREATE INDEX harvest_runs_status ON harvest_runs (status);
CREATE TABLE fetches (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES harvest_runs (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  source_id TEXT,
  kind TEXT NOT NULL,
  status INTEGER,
  outcome TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  elapsed_ms INTEGER NOT NULL,
  document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
  fetched_at TEXT NOT NULL
);
CREATE INDEX fetches_run ON fetches (run_id);
CREATE INDEX fetches_url ON fetches (url);
PRAGMA user_version = 2
""",
    )


# Row order and labels of table 三, frozen here (views must not change with code).
_T3_ROWS: tuple[tuple[str, str], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开"),
    ("denied_state_secret", "（三）不予公开 1.属于国家秘密"),
    ("denied_prohibited_by_law", "（三）不予公开 2.其他法律行政法规禁止公开"),
    ("denied_three_safeties", "（三）不予公开 3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）不予公开 4.保护第三方合法权益"),
    ("denied_internal_affairs", "（三）不予公开 5.属于三类内部事务信息"),
    ("denied_process_info", "（三）不予公开 6.属于四类过程性信息"),
    ("denied_enforcement_file", "（三）不予公开 7.属于行政执法案卷"),
    ("denied_admin_query", "（三）不予公开 8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）无法提供 2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供 3.补正后申请内容仍不明确"),
    ("rejected_petition", "（五）不予处理 1.信访举报投诉类申请"),
    ("rejected_duplicate", "（五）不予处理 2.重复申请"),
    ("rejected_publication", "（五）不予处理 3.要求提供公开出版物"),
    ("rejected_excessive", "（五）不予处理 4.无正当理由大量反复申请"),
    ("rejected_confirmation", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"),
    ("other_handling", "（六）其他处理"),
    ("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正"),
    ("other_unpaid_fee", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用"),
    ("other_misc", "（六）其他处理 3.其他"),
    ("total_processed", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
_APPLICANTS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


def _t3_case(column: str) -> str:
    whens = " ".join(
        f"WHEN '{key}' THEN {i if column == 'position' else _quote(label)}"
        for i, (key, label) in enumerate(_T3_ROWS, start=1)
    )
    return f'CASE a."row" {whens} END'


def _t3_value(row: str) -> str:
    return (
        "(SELECT x.value FROM applications x WHERE x.report_id = r.id"
        f" AND x.\"row\" = '{row}' AND x.applicant = 'total' ORDER BY x.id LIMIT 1)"
    )


@migrations(name="0003_search_and_views")
def search_and_views(db: Database) -> None:
    """Trigram full-text search over sections and reports, and the views people query."""
    db.table("sections").enable_fts(["heading", "text"], tokenize="trigram", create_triggers=True)
    # reports: hand-written triggers, so moving the `current` flag does not touch the index
    _script(
        db,
        """
CREATE VIRTUAL TABLE reports_fts USING FTS5 (
  title, org,
  tokenize='trigram',
  content="reports"
);
INSERT INTO reports_fts (reports_fts) VALUES ('rebuild');
CREATE TRIGGER reports_ai AFTER INSERT ON reports BEGIN
  INSERT INTO reports_fts (rowid, title, org) VALUES (new.id, new.title, new.org);
END;
CREATE TRIGGER reports_ad AFTER DELETE ON reports BEGIN
  INSERT INTO reports_fts (reports_fts, rowid, title, org)
    VALUES ('delete', old.id, old.title, old.org);
END;
CREATE TRIGGER reports_au AFTER UPDATE OF title, org ON reports BEGIN
  INSERT INTO reports_fts (reports_fts, rowid, title, org)
    VALUES ('delete', old.id, old.title, old.org);
  INSERT INTO reports_fts (rowid, title, org) VALUES (new.id, new.title, new.org);
END""",
    )
    wide_columns = ",\n  ".join(
        f"MAX(CASE WHEN a.applicant = '{k}' THEN a.value END) AS {k}" for k in _APPLICANTS
    )
    _script(
        db,
        f"""
CREATE VIEW current_reports AS
SELECT id, document_id, url, path, source_id, org, year, format, kind, title, published,
  parser_version, warning_count, created_at
FROM reports WHERE current = 1;
CREATE VIEW applications_wide AS
SELECT r.id AS report_id, r.org, r.year, r.format, r.url, r.path,
  a."row" AS "row",
  {_t3_case("position")} AS row_position,
  {_t3_case("label")} AS row_label,
  {wide_columns}
FROM reports r JOIN applications a ON a.report_id = r.id
WHERE r.current = 1
GROUP BY r.id, a."row";
CREATE VIEW report_summary AS
SELECT r.id AS report_id, r.org, r.year, r.format, r.kind, r.title, r.url, r.path,
  {_t3_value("new_received")} AS new_received,
  {_t3_value("total_processed")} AS total_processed,
  CASE WHEN {_t3_value("total_processed")} > 0
    THEN round(({_t3_value("granted")} + {_t3_value("partially_granted")}) * 1.0
               / {_t3_value("total_processed")}, 4)
  END AS granted_rate,
  (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.status = 'fail')
    AS checks_failed,
  (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.status = 'not_assessable')
    AS checks_not_assessable,
  r.warning_count
FROM reports r WHERE r.current = 1;
CREATE VIEW check_results AS
SELECT c.id AS check_id, c.report_id, r.org, r.year, r.format, r.url, r.path,
  c.origin, c."check" AS "check", c.scope, c.status, c.expected, c.actual, c.difference,
  c.message, c.related_report_id, p.year AS related_year, p.url AS related_url
FROM checks c
JOIN reports r ON r.id = c.report_id
LEFT JOIN reports p ON p.id = c.related_report_id
WHERE r.current = 1;
PRAGMA user_version = 3
""",
    )


@migrations(name="0004_cheaper_ingest_indexes")
def cheaper_ingest_indexes(db: Database) -> None:
    """Index only failing checks by check name: most results pass, and the queries
    that need the index ask for ``status = 'fail'``."""
    _script(
        db,
        """
DROP INDEX checks_status_check;
CREATE INDEX checks_failing ON checks ("check") WHERE status = 'fail';
PRAGMA user_version = 4
""",
    )


@migrations(name="0005_run_timed_out")
def run_timed_out(db: Database) -> None:
    """A run stopped by ``--max-time`` ends as ``timed_out``.

    The status CHECK is widened in place, with SQLite's documented writable_schema
    edit for loosening a constraint: every stored row still satisfies it, and
    rebuilding the table instead would cascade-delete the runs' fetches.
    """
    old = "CHECK (status IN ('running', 'ok', 'partial', 'failed', 'aborted'))"
    new = "CHECK (status IN ('running', 'ok', 'partial', 'failed', 'aborted', 'timed_out'))"
    conn = db.conn
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
        " WHERE type = 'table' AND name = 'harvest_runs'",
        (old, new),
    )
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("PRAGMA user_version = 5")


@migrations(name="0006_attachment_pages")
def attachment_pages(db: Database) -> None:
    """A report harvested from an attachment (PDF, DOCX) keeps the page that linked it."""
    _script(
        db,
        """
ALTER TABLE documents ADD COLUMN page_url TEXT;
PRAGMA user_version = 6
""",
    )


SCHEMA_VERSION = 6
KNOWN_MIGRATIONS: tuple[str, ...] = (
    "0001_core_tables",
    "0002_harvest_log",
    "0003_search_and_views",
    "0004_cheaper_ingest_indexes",
    "0005_run_timed_out",
    "0006_attachment_pages",
)
