"""Store: create, ingest and version documents, query every table and view, FTS."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest

from report_harvester.models import HttpMeta
from report_harvester.store import FetchLog, IngestResult, Store
from report_harvester.store.migrations import SCHEMA_VERSION
from store_factories import (
    OVERVIEW_TEXT,
    SEED_ORG,
    body_for,
    expected_counts,
    make_failure,
    make_report,
)

URL = "http://www.hyyf.gov.cn/zwgk/2021/t1.html"
TABLES = (
    "documents",
    "reports",
    "sections",
    "tables_raw",
    "active_disclosure",
    "applications",
    "reviews",
    "checks",
    "harvest_runs",
    "fetches",
)
VIEWS = ("current_reports", "applications_wide", "report_summary", "check_results")


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rows(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reports.db"


def ingest(db: Path, name: str = "a", version: int = 1, **kw: object) -> IngestResult:
    body = body_for(name, version)
    url = kw.pop("url", URL)
    with Store.open(db) as store:
        return store.ingest(make_report(body, url=url, **kw), body, url=url)  # type: ignore[arg-type]


def test_open_creates_a_migrated_wal_database(db: Path) -> None:
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        assert store.migrated_from == 0
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "SELECT name FROM _sqlite_migrations ORDER BY id") == [
        ("0001_core_tables",),
        ("0002_harvest_log",),
        ("0003_search_and_views",),
        ("0004_cheaper_ingest_indexes",),
        ("0005_run_timed_out",),
        ("0006_attachment_pages",),
    ]
    with Store.open(db) as again:
        assert again.migrated_from is None


def test_ingest_stores_bytes_report_and_every_child_row(db: Path) -> None:
    body = body_for("a")
    with Store.open(db) as store:
        result = store.ingest(make_report(body, url=URL), body, url=URL, source_id="hengyang")
    assert result == IngestResult(document_id=1, report_id=1, status="new")
    c = counts(db)
    assert c == {
        "documents": 1,
        "reports": 1,
        **expected_counts("2019"),
        "harvest_runs": 0,
        "fetches": 0,
    }
    (blob, compression, sha, size, latest, encoding) = rows(
        db, "SELECT body, body_compression, sha256, size, latest, encoding FROM documents"
    )[0]
    assert compression == "zlib"
    assert zlib.decompress(blob) == body  # type: ignore[arg-type]
    assert size == len(body) and latest == 1 and encoding == "utf-8"
    assert len(str(sha)) == 64
    assert rows(
        db, "SELECT org, year, format, kind, current, warning_count, source_id FROM reports"
    ) == [(SEED_ORG, 2020, "2019", "report", 1, 1, "hengyang")]
    # the annotated cell keeps value, raw text and note apart
    assert rows(
        db,
        "SELECT value, raw, kind, note FROM active_disclosure WHERE metric = 'procurement_items'",
    ) == [(0, "0(雁峰区无集采中心)", "number", "雁峰区无集采中心")]
    # section tree flattened in reading order with parent links
    assert rows(db, "SELECT position, parent_position, level, number, key FROM sections")[:3] == [
        (0, None, 0, 1, "overview"),
        (1, 0, 1, 5, None),
        (2, None, 0, 2, "active_disclosure"),
    ]
    assert json.loads(str(rows(db, "SELECT warnings FROM reports")[0][0])) == [
        {"code": "org_from_config", "message": "issuing body from the source"}
    ]


def test_child_rows_split_over_several_statements_are_all_written_in_order(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from report_harvester.store import db as store_db

    body = body_for("a")
    with Store.open(db) as one_statement:
        one_statement.ingest(make_report(body, url=URL), body, url=URL)
    columns = 'report_id, "row", applicant, value, raw, kind, unit, note'
    whole = rows(db, f"SELECT {columns} FROM applications ORDER BY id")
    whole_checks = rows(db, 'SELECT "check", scope, status FROM checks ORDER BY id')
    other = db.with_name("chunked.db")
    monkeypatch.setattr(store_db, "MAX_PARAMS", 20)  # 2 rows of 8 columns per statement
    with Store.open(other) as chunked:
        chunked.ingest(make_report(body, url=URL), body, url=URL)
    assert len(whole) == expected_counts("2019")["applications"]
    assert rows(other, f"SELECT {columns} FROM applications ORDER BY id") == whole
    assert rows(other, 'SELECT "check", scope, status FROM checks ORDER BY id') == whole_checks
    assert counts(other) == counts(db)
    with Store.open(other) as chunked:
        assert [h["number"] for h in chunked.search("依申请公开")] == [5]
        assert [h["number"] for h in chunked.search("推进政府信息公开工作")] == [1]


def test_blank_cell_is_stored_as_null_never_zero(db: Path) -> None:
    body = body_for("a")
    with Store.open(db) as store:
        store.ingest(make_report(body, url=URL, carried_over=None), body, url=URL)
    assert rows(
        db,
        "SELECT value, raw, kind FROM applications WHERE \"row\" = 'carried_over'"
        " AND applicant = 'total'",
    ) == [(None, "", "blank")]


def test_same_bytes_again_changes_nothing(db: Path) -> None:
    first = ingest(db)
    before = counts(db)
    size_before = db.stat().st_size
    second = ingest(db)
    assert second == IngestResult(first.document_id, first.report_id, "unchanged")
    assert counts(db) == before
    assert db.stat().st_size == size_before


def test_new_bytes_at_same_url_add_a_version_and_move_current(db: Path) -> None:
    first = ingest(db, version=1)
    second = ingest(db, version=2, year=2021)
    assert (second.document_id, second.report_id, second.status) == (2, 2, "new_version")
    assert rows(db, "SELECT id, current FROM reports ORDER BY id") == [(1, 0), (2, 1)]
    assert rows(db, "SELECT id, latest FROM documents ORDER BY id") == [(1, 0), (2, 1)]
    assert rows(db, "SELECT id, year FROM current_reports") == [(2, 2021)]
    # the previous version keeps all of its rows
    assert rows(
        db, "SELECT count(*) FROM applications WHERE report_id = ?", (first.report_id,)
    ) == [(expected_counts()["applications"],)]


def test_old_bytes_coming_back_make_that_version_current_again(db: Path) -> None:
    ingest(db, version=1)
    ingest(db, version=2)
    back = ingest(db, version=1)
    assert back == IngestResult(1, 1, "new_version")
    assert counts(db)["documents"] == 2
    assert rows(db, "SELECT id FROM current_reports") == [(1,)]
    assert rows(db, "SELECT id FROM documents WHERE latest = 1") == [(1,)]


def test_other_url_is_another_document(db: Path) -> None:
    ingest(db, url=URL)
    other = ingest(db, url="http://www.hyyf.gov.cn/zwgk/2021/t2.html")
    assert other.status == "new"
    assert rows(db, "SELECT count(*) FROM current_reports") == [(2,)]


def test_path_is_the_identity_when_there_is_no_url(db: Path) -> None:
    body = body_for("file")
    with Store.open(db) as store:
        a = store.ingest(
            make_report(body, url=None, path="saved/a.html"), body, path="saved/a.html"
        )
        b = store.ingest(
            make_report(body, url=None, path="saved/a.html"), body, path="saved/a.html"
        )
    assert (a.status, b.status) == ("new", "unchanged")
    assert rows(db, "SELECT locator, url, path FROM reports") == [
        ("saved/a.html", None, "saved/a.html")
    ]


def test_parse_failure_keeps_raw_bytes_and_error_and_the_previous_current(db: Path) -> None:
    good = ingest(db, version=1)
    bad_body = b"\x00\x01binary"
    with Store.open(db) as store:
        failed = store.ingest(make_failure(bad_body, url=URL), bad_body, url=URL)
        again = store.ingest(make_failure(bad_body, url=URL), bad_body, url=URL)
    assert failed == IngestResult(2, None, "failed")
    assert again == IngestResult(2, None, "unchanged")
    assert rows(db, "SELECT error_code, error_message, latest FROM documents WHERE id = 2") == [
        ("binary", "the file is not text", 1)
    ]
    assert zlib.decompress(rows(db, "SELECT body FROM documents WHERE id = 2")[0][0]) == bad_body  # type: ignore[arg-type]
    assert rows(db, "SELECT id FROM current_reports") == [(good.report_id,)]
    assert counts(db)["reports"] == 1


def test_http_metadata_and_conditional_headers(db: Path) -> None:
    body = body_for("a")
    http = HttpMeta(
        url=URL,
        final_url=URL + "?x=1",
        status=200,
        headers={"content-type": "text/html; charset=gb2312", "etag": '"abc"'},
        etag='"abc"',
        last_modified="Tue, 12 Jan 2021 08:00:00 GMT",
        content_type="text/html; charset=gb2312",
        fetched_at="2024-03-01T10:00:00+00:00",
    )
    with Store.open(db) as store:
        assert store.conditional_headers(URL) == {}
        store.ingest(make_report(body, url=URL), body, http=http)
        assert store.conditional_headers(URL) == {
            "If-None-Match": '"abc"',
            "If-Modified-Since": "Tue, 12 Jan 2021 08:00:00 GMT",
        }
        later = http.model_copy(
            update={
                "status": 304,
                "etag": '"def"',
                "last_modified": None,
                "fetched_at": "2024-04-01T00:00:00+00:00",
            }
        )
        store.mark_unchanged(URL, later)
        store.mark_unchanged("http://unknown.example/x.html", later)  # nothing stored: no-op
        assert store.conditional_headers(URL)["If-None-Match"] == '"def"'
    assert rows(
        db,
        "SELECT url, http_status, content_type, final_url, fetched_at, last_seen, last_modified"
        " FROM documents",
    ) == [
        (
            URL,
            200,
            "text/html; charset=gb2312",
            URL + "?x=1",
            "2024-03-01T10:00:00+00:00",
            "2024-04-01T00:00:00+00:00",
            "Tue, 12 Jan 2021 08:00:00 GMT",
        )
    ]
    assert json.loads(str(rows(db, "SELECT http_headers FROM documents")[0][0]))["etag"] == '"abc"'


def test_harvest_runs_and_fetch_log(db: Path) -> None:
    with Store.open(db) as store:
        run = store.start_run(["hengyang", "yanfeng"], dry_run=False)
        store.log_fetch(
            run,
            FetchLog(
                url=URL,
                source_id="yanfeng",
                status=200,
                outcome="fetched",
                bytes=1234,
                elapsed_ms=56,
                fetched_at="2024-03-01T10:00:00+00:00",
            ),
        )
        assert store.active_runs() == [run]
        store.finish_run(run, "partial", {"requests": 3, "fetched": 1, "blocked": 2, "odd": 7})
        assert store.active_runs() == []
    assert rows(
        db, "SELECT status, sources, requests, fetched, blocked, new, counters FROM harvest_runs"
    ) == [
        (
            "partial",
            '["hengyang", "yanfeng"]',
            3,
            1,
            2,
            None,
            '{"blocked": 2, "fetched": 1, "odd": 7, "requests": 3}',
        )
    ]
    assert rows(db, "SELECT run_id, url, kind, status, outcome, bytes, attempts FROM fetches") == [
        (run, URL, "report", 200, "fetched", 1234, 1)
    ]


def test_abort_stale_runs_marks_only_dead_processes(db: Path) -> None:
    with Store.open(db) as store:
        mine = store.start_run(["a"])
        dead = store.start_run(["b"])
        store.connection.execute("UPDATE harvest_runs SET pid = 2147483646 WHERE id = ?", (dead,))
        assert store.abort_stale_runs() == 1
        assert store.active_runs() == [mine]
    assert rows(db, "SELECT id, status FROM harvest_runs ORDER BY id") == [
        (mine, "running"),
        (dead, "aborted"),
    ]


def test_every_table_and_view_answers(db: Path) -> None:
    ingest(db, version=1)
    ingest(db, version=2)
    with Store.open(db) as store:
        run = store.start_run(["s"])
        store.log_fetch(
            run, FetchLog(url=URL, outcome="fetched", fetched_at="2024-01-01T00:00:00Z")
        )
        store.run_checks()
    c = counts(db)
    assert c == {
        "documents": 2,
        "reports": 2,
        **{k: 2 * v for k, v in expected_counts().items()},
        "harvest_runs": 1,
        "fetches": 1,
    } | {"checks": 2 * expected_counts()["checks"] + 1}  # + 1 cross-report result
    assert rows(db, "SELECT count(*), min(id) FROM current_reports") == [(1, 2)]
    wide = rows(
        db,
        "SELECT row_position, row_label, natural_person, commercial_enterprise, total"
        " FROM applications_wide WHERE \"row\" = 'new_received'",
    )
    assert wide == [(1, "一、本年新收政府信息公开申请数量", 1, 0, 1)]
    assert rows(db, "SELECT count(*) FROM applications_wide") == [(23,)]
    assert rows(
        db,
        "SELECT report_id, org, year, format, new_received, total_processed, granted_rate,"
        " checks_failed, checks_not_assessable FROM report_summary",
    ) == [(2, SEED_ORG, 2020, "2019", 1, 1, 0.0, 0, 1)]
    assert rows(
        db,
        'SELECT origin, "check", status, count(*) FROM check_results'
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ) == [
        ("cross", "cross_year.carry", "not_assessable", 1),
        ("report", "t3.balance", "pass", 7),
        ("report", "t4.total", "pass", 3),
    ]


def test_granted_rate_is_empty_when_an_operand_is_blank(db: Path) -> None:
    body = body_for("a")
    report = make_report(body, url=URL)
    granted = report.application("granted", "total")
    assert granted is not None
    at = report.applications.index(granted)  # cells are frozen: the blank one replaces it
    report.applications[at] = granted.model_copy(update={"value": None, "raw": "", "kind": "blank"})
    with Store.open(db) as store:
        store.ingest(report, body, url=URL)
    assert rows(db, "SELECT new_received, granted_rate FROM report_summary") == [(1, None)]


def test_full_text_search_finds_three_and_two_character_words(db: Path) -> None:
    ingest(db, "a", url=URL)
    ingest(db, "b", url="http://www.hyyf.gov.cn/zwgk/2021/t2.html", org="衡阳市雁峰区人民政府")
    with Store.open(db) as store:
        long_hits = store.search("信息公开工作")
        two_hits = store.search("我区")
        one_hit = store.search("无")
        none = store.search("不存在的词语")
        empty = store.search("")
        report_hits = store.connection.execute(
            "SELECT rowid FROM reports_fts WHERE reports_fts MATCH '\"人民政府\"'"
        ).fetchall()
    # ordered by year (newest first), then issuing body: 衡阳… sorts before 雁峰…
    assert [(h["report_id"], h["number"]) for h in long_hits] == [(2, 1), (1, 1)]
    assert [(h["report_id"], h["number"]) for h in two_hits] == [(2, 1), (1, 1)]
    assert str(two_hits[0]["excerpt"]).startswith(OVERVIEW_TEXT[:10])
    assert {(h["report_id"], h["heading"]) for h in one_hit} == {
        (1, "六、其他需要报告的事项"),
        (2, "六、其他需要报告的事项"),
    }
    assert none == [] and empty == []
    assert report_hits == [(2,)]


def test_fts_index_follows_new_versions_only_for_current_reports(db: Path) -> None:
    ingest(db, version=1)
    ingest(db, version=2)
    with Store.open(db) as store:
        hits = store.search("依申请公开")  # in a child section
        top_hits = store.search("推进政府信息公开工作")  # in a top-level section
    assert [h["report_id"] for h in hits] == [2]
    assert [(h["report_id"], h["number"]) for h in top_hits] == [(2, 1)]
    # the index holds the sections of both versions, children included; search keeps
    # to the current one
    assert rows(
        db, "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"推进政府信息公开工作\"'"
    ) == [(2,)]
    assert rows(
        db, "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"依申请公开\"'"
    ) == [(2,)]


def test_ingest_without_url_or_path_is_refused(db: Path) -> None:
    from report_harvester.errors import StoreError

    body = body_for("x")
    with Store.open(db) as store, pytest.raises(StoreError, match="without a url or a path"):
        store.ingest(make_report(body, url=None), body)
    assert counts(db)["documents"] == 0
