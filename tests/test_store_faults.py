"""Store faults: bad paths, foreign files, locks, newer schemas, a killed writer."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from report_harvester.errors import SchemaTooNewError, StoreError, StoreLockedError
from report_harvester.store import Store
from report_harvester.store.migrations import SCHEMA_VERSION
from store_factories import body_for, expected_counts, make_report

URL = "http://www.hyyf.gov.cn/zwgk/2021/t1.html"
CHILD_TABLES = ("sections", "tables_raw", "active_disclosure", "applications", "reviews", "checks")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path: Path, n: int = 1) -> None:
    with Store.open(path) as store:
        for i in range(n):
            body = body_for(f"r{i}")
            store.ingest(make_report(body, url=f"{URL}?{i}"), body, url=f"{URL}?{i}")


def test_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "reports.db"
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(err.value) == (
        f"cannot open database {path}: directory {tmp_path / 'nope'} does not exist"
    )
    assert not (tmp_path / "nope").exists()


def test_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path)
    assert str(err.value) == f"cannot open database {tmp_path}: it is a directory"


def test_unwritable_directory_reported_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "reports.db"
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(err.value) == f"cannot write database {path}: directory {tmp_path} is not writable"
    assert list(tmp_path.iterdir()) == []


def test_read_only_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "reports.db"
    make_db(path)
    monkeypatch.setattr(os, "access", lambda p, mode: not (mode == os.W_OK and Path(p) == path))
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(err.value) == f"cannot write database {path}: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_directory_for_real(tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="is not writable"):
            Store.open(locked / "reports.db")
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_directory_sqlite_cannot_create_a_file_in() -> None:
    with pytest.raises(StoreError) as err:
        Store.open("/proc/reports.db")
    assert str(err.value) == ("cannot open database /proc/reports.db: unable to open database file")


def test_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    path.write_bytes(b"this is a saved web page, not a database\n" * 200)
    before = digest(path)
    for readonly in (False, True):
        with pytest.raises(StoreError) as err:
            Store.open(path, readonly=readonly)
        assert str(err.value) == f"{path} is not a report_harvester database (file is not SQLite)"
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports.db"]


def test_sqlite_file_of_another_application(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(err.value) == f"{path} is not a report_harvester database (it holds other tables)"
    assert digest(path) == before


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    path.touch()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_readonly_or_no_create_needs_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    for kwargs in ({"readonly": True}, {"create": False}):
        with pytest.raises(StoreError) as err:
            Store.open(path, **kwargs)  # type: ignore[arg-type]
        assert str(err.value) == f"database {path} does not exist"
    assert not path.exists()


def test_readonly_store_reads_but_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    make_db(path)
    body = body_for("new")
    with Store.open(path, readonly=True) as store:
        assert store.search("信息公开")[0]["report_id"] == 1
        with pytest.raises(StoreError) as err:
            store.ingest(make_report(body, url=URL), body, url=URL)
    assert str(err.value) == f"cannot write database {path}: it is read-only"


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    make_db(path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('report_harvester', '9999_from_the_future', '2030-01-01')"
        )
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    for readonly in (False, True):
        with pytest.raises(SchemaTooNewError) as err:
            Store.open(path, readonly=readonly)
        assert str(err.value) == (
            f"database {path} has schema version {SCHEMA_VERSION + 1}, newer than this"
            f" report_harvester knows ({SCHEMA_VERSION}); upgrade report_harvester"
        )
    assert digest(path) == before


def test_locked_database_gives_up_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    make_db(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    body = body_for("blocked")
    try:
        with Store.open(path, timeout=0.2) as store:
            with pytest.raises(StoreLockedError) as err:
                store.ingest(make_report(body, url=URL), body, url=URL)
            assert str(err.value) == (
                f"database {path} is locked by another writer; try again when it finishes"
            )
            with pytest.raises(StoreLockedError):
                store.start_run(["s"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM harvest_runs").fetchone() == (0,)
    conn.close()


def test_creating_a_database_that_another_writer_holds(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError):
            Store.open(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(path) as store:  # once free, it opens and migrates
        assert store.schema_version == SCHEMA_VERSION


CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from store_factories import body_for, make_report
    from report_harvester.store import Store

    report = make_report(body_for("template"))
    with Store.open(sys.argv[1]) as store:
        i = int(sys.argv[2])
        while True:
            body = body_for(f"killed-{{i}}")
            url = f"http://www.hyyf.gov.cn/k/{{i}}.html"
            store.ingest(report, body, url=url)
            i += 1
            if i == int(sys.argv[2]) + 20:
                print("ready", flush=True)
    """
)


def test_a_writer_killed_mid_ingest_leaves_no_partial_report(tmp_path: Path) -> None:
    path = tmp_path / "reports.db"
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    start = 0
    for delay in (0.05, 0.2):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n", child.stderr.read() if child.stderr else ""
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
        start = 100_000
    with Store.open(path) as store:
        conn = store.connection
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        n_reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        assert n_reports >= 40
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == n_reports
        expected = expected_counts()
        for table in CHILD_TABLES:
            per_report = conn.execute(
                f"SELECT r.id, (SELECT count(*) FROM {table} c WHERE c.report_id = r.id)"
                " FROM reports r"
            ).fetchall()
            assert {n for _, n in per_report} == {expected[table]}, table
        fts = conn.execute(
            "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"推进政府信息公开工作\"'"
        )
        assert fts.fetchone()[0] == n_reports
