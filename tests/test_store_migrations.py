"""Schema migrations: an older database is migrated on open, its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from report_harvester.errors import StoreLockedError
from report_harvester.store import Store
from report_harvester.store.db import insert_report
from report_harvester.store.migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations
from report_harvester.store.rows import report_rows
from store_factories import body_for, make_report


def make_old_database(path: Path, stop_before: str) -> None:
    """A database as an older report_harvester left it, with one report in it."""
    db = Database(path)
    migrations.apply(db, stop_before=stop_before)
    db.execute(
        "INSERT INTO documents (id, locator, url, sha256, size, body, ingested_at, last_seen,"
        " latest, parser_version) VALUES (1, 'http://a.gov.cn/1.html', 'http://a.gov.cn/1.html',"
        " 'abc', 3, x'789c4b4c4a0600024d0127', '2023-01-01', '2023-01-01', 1, '0.0.9')"
    )
    db.execute(
        "INSERT INTO reports (id, document_id, locator, url, org, year, format, kind,"
        " parser_version, current, created_at) VALUES (1, 1, 'http://a.gov.cn/1.html',"
        " 'http://a.gov.cn/1.html', '雁峰区人民政府', 2022, '2021', 'report', '0.0.9', 1,"
        " '2023-01-01')"
    )
    db.execute(
        "INSERT INTO sections (report_id, position, level, number, key, heading, text)"
        " VALUES (1, 0, 0, 1, 'overview', '一、总体情况', '我区持续推进政务公开工作。')"
    )
    db.execute(
        'INSERT INTO applications (report_id, "row", applicant, value, raw, kind)'
        " VALUES (1, 'new_received', 'total', 12, '12', 'number')"
    )
    db.close()


def test_version_one_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_database(path, stop_before="0002_harvest_log")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()
    with Store.open(path) as store:
        assert store.migrated_from == 1
        assert store.schema_version == SCHEMA_VERSION
        c = store.connection
        assert [r[0] for r in c.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == list(
            KNOWN_MIGRATIONS
        )
        assert c.execute("SELECT id, org, year FROM current_reports").fetchall() == [
            (1, "雁峰区人民政府", 2022)
        ]
        assert c.execute(
            'SELECT "row", total FROM applications_wide WHERE report_id = 1'
        ).fetchall() == [("new_received", 12)]
        # the full-text index was built from the rows that were already there
        assert [h["heading"] for h in store.search("政务公开")] == ["一、总体情况"]
        assert [h["heading"] for h in store.search("我区")] == ["一、总体情况"]
        assert c.execute("SELECT count(*) FROM harvest_runs").fetchone() == (0,)
        assert store.start_run(["s"]) == 1


def test_version_two_database_gets_search_and_views(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_database(path, stop_before="0003_search_and_views")
    with Store.open(path) as store:
        assert store.migrated_from == 2
        assert store.connection.execute(
            "SELECT rowid FROM reports_fts WHERE reports_fts MATCH '\"雁峰区\"'"
        ).fetchall() == [(1,)]


def test_readonly_open_of_an_old_database_does_not_migrate(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_database(path, stop_before="0002_harvest_log")
    with Store.open(path, readonly=True) as store:
        assert store.needs_migration is True
        assert store.schema_version == 1


def test_migration_waits_for_the_lock_and_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_database(path, stop_before="0002_harvest_log")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError):
            Store.open(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()


def test_version_three_database_migrates_to_the_failing_checks_index(tmp_path: Path) -> None:
    """0004 swaps the (status, check) index for a partial one; the search index is kept whole."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0004_cheaper_ingest_indexes")
    conn = db.conn
    body = body_for("a")
    rows = report_rows(make_report(body, url="http://a.gov.cn/1.html"), "2023-01-01")
    conn.execute(
        "INSERT INTO documents (id, locator, url, sha256, size, body, ingested_at, last_seen,"
        " latest) VALUES (1, 'http://a.gov.cn/1.html', 'http://a.gov.cn/1.html', 'abc', 3,"
        " x'789c4b4c4a0600024d0127', '2023-01-01', '2023-01-01', 1)"
    )
    url = "http://a.gov.cn/1.html"
    insert_report(conn, rows, 1, url, url, None, None, "2023-01-01", current=True)
    conn.commit()
    assert conn.execute("SELECT count(*) FROM sections_fts_docsize").fetchone() == (7,)
    assert conn.execute("PRAGMA user_version").fetchone() == (3,)
    db.close()
    with Store.open(path) as store:
        assert store.migrated_from == 3
        c = store.connection
        indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "checks_failing" in indexes and "checks_status_check" not in indexes
        assert c.execute("SELECT count(*) FROM sections_fts_docsize").fetchone() == (7,)
        hits = store.search("依申请公开")  # a child section's words, through the index
        assert [(h["section_id"], h["heading"]) for h in hits] == [
            (2, "（五）建立依申请公开系统并及时答复")
        ]
        store.ingest(make_report(body_for("b"), url="http://a.gov.cn/2.html"), body_for("b"))
        assert c.execute("SELECT count(*) FROM sections_fts_docsize").fetchone() == (14,)
        assert [h["report_id"] for h in store.search("依申请公开")] == [1, 2]


def test_run_status_timed_out_is_added_without_losing_runs_or_fetches(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    make_old_database(path, stop_before="0005_run_timed_out")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO harvest_runs (id, started_at, status) VALUES (1, '2024-01-01', 'ok')")
    conn.execute(
        "INSERT INTO fetches (run_id, url, kind, outcome, attempts, bytes, elapsed_ms, fetched_at)"
        " VALUES (1, 'http://a.gov.cn/1.html', 'report', 'fetched', 1, 3, 5, '2024-01-01')"
    )
    conn.commit()
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE harvest_runs SET status = 'timed_out'")
    conn.close()
    with Store.open(path) as store:
        c = store.connection
        assert store.migrated_from == 4
        c.execute("UPDATE harvest_runs SET status = 'timed_out' WHERE id = 1")
        assert c.execute("SELECT status FROM harvest_runs").fetchall() == [("timed_out",)]
        assert c.execute("SELECT count(*) FROM fetches").fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError):
            c.execute("UPDATE harvest_runs SET status = 'bogus' WHERE id = 1")
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
