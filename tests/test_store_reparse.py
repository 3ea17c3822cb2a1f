"""reparse: stored bytes → the installed parser, in place, without network."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

import report_harvester.parse as parse_pkg
from report_harvester import models
from report_harvester.models import HttpMeta, ParseFailure, ParseOutcome, Report
from report_harvester.parse import parse_bytes
from report_harvester.store import ReparseSummary, Store
from store_factories import body_for, expected_counts, make_failure, make_report

URL = "http://www.hyyf.gov.cn/zwgk/2021/t1.html"


def rows(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("reparse tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class FakeParser:
    """Stands for parse_bytes: returns what the test says and records its arguments."""

    def __init__(self, outcome: ParseOutcome | Exception) -> None:
        self.outcome = outcome
        self.calls: list[dict[str, object]] = []

    def __call__(self, data: bytes, **kwargs: object) -> ParseOutcome:
        self.calls.append({"data": data, **kwargs})
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def store_old(db: Path, name: str = "a", **kw: object) -> tuple[bytes, int]:
    body = body_for(name)
    http = HttpMeta(
        url=URL,
        final_url=URL + "?final",
        status=200,
        content_type="text/html; charset=GB2312",
        fetched_at="2024-01-01T00:00:00+00:00",
    )
    report = make_report(body, url=URL, parser_version="0.0.1", **kw)  # type: ignore[arg-type]
    with Store.open(db) as store:
        result = store.ingest(report, body, http=http, org="雁峰区行政审批服务局")
    assert result.report_id is not None
    return body, result.report_id


def test_reparse_replaces_an_old_report_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    db = tmp_path / "r.db"
    body, report_id = store_old(db, year=2020)
    fake = FakeParser(make_report(body, url=URL, year=2021, new_received=5, fmt="2021"))
    monkeypatch.setattr(parse_pkg, "parse_bytes", fake)
    progress: list[tuple[int, int]] = []
    with Store.open(db) as store:
        summary = store.reparse(progress=lambda done, total: progress.append((done, total)))
    assert summary == ReparseSummary(
        parser_version=models.PARSER_VERSION, selected=1, reparsed=1, failed=0, kept_previous=0
    )
    assert progress == [(0, 1), (1, 1)]
    # the stored bytes, as the crawler read them: final URL, HTTP charset, source's body
    assert fake.calls == [
        {
            "data": body,
            "path": None,
            "url": URL + "?final",
            "http_charset": "gb2312",
            "org": "雁峰区行政审批服务局",
        }
    ]
    assert rows(db, "SELECT id, year, format, parser_version, current FROM reports") == [
        (report_id, 2021, "2021", models.PARSER_VERSION, 1)
    ]
    assert rows(db, "SELECT parser_version, error_code FROM documents") == [
        (models.PARSER_VERSION, None)
    ]
    for table, n in expected_counts("2021").items():
        where = " WHERE origin = 'report'" if table == "checks" else ""
        assert rows(db, f"SELECT count(*) FROM {table}{where}") == [(n,)], table
    assert rows(
        db,
        "SELECT value FROM applications WHERE \"row\" = 'new_received' AND applicant = 'total'",
    ) == [(5,)]
    # the full-text index follows the rewritten sections
    assert rows(db, "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"推进政府信息公开工作\"'") == [
        (1,)
    ]


def test_reparse_skips_documents_of_this_parser_version_unless_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    body = body_for("fresh")
    with Store.open(db) as store:
        store.ingest(make_report(body, url=URL), body, url=URL)
    fake = FakeParser(make_report(body, url=URL, year=2019))
    monkeypatch.setattr(parse_pkg, "parse_bytes", fake)
    with Store.open(db) as store:
        assert store.reparse().selected == 0
        assert fake.calls == []
        assert store.reparse(all=True).reparsed == 1
    assert rows(db, "SELECT year FROM reports") == [(2019,)]


def test_reparse_selects_by_the_installed_parser_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    body = body_for("fresh")
    with Store.open(db) as store:
        store.ingest(make_report(body, url=URL), body, url=URL)
    monkeypatch.setattr(models, "PARSER_VERSION", "9.9.9")
    monkeypatch.setattr(
        parse_pkg, "parse_bytes", FakeParser(make_report(body, url=URL, parser_version="9.9.9"))
    )
    with Store.open(db) as store:
        summary = store.reparse()
    assert (summary.parser_version, summary.selected, summary.reparsed) == ("9.9.9", 1, 1)
    assert rows(db, "SELECT parser_version FROM reports") == [("9.9.9",)]


def test_a_document_that_now_fails_keeps_its_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    body, report_id = store_old(db)
    before = rows(db, "SELECT count(*) FROM applications")
    monkeypatch.setattr(parse_pkg, "parse_bytes", FakeParser(make_failure(body, url=URL)))
    with Store.open(db) as store:
        summary = store.reparse()
    assert (summary.reparsed, summary.failed, summary.kept_previous) == (0, 1, 1)
    assert rows(db, "SELECT id, parser_version, current FROM reports") == [(report_id, "0.0.1", 1)]
    assert rows(db, "SELECT parser_version, error_code, error_message FROM documents") == [
        (models.PARSER_VERSION, "binary", "the file is not text")
    ]
    assert rows(db, "SELECT count(*) FROM applications") == before
    # the same parser will not be tried again on it, unless asked
    with Store.open(db) as store:
        assert store.reparse().selected == 0


def test_a_parser_crash_is_recorded_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    store_old(db)
    monkeypatch.setattr(parse_pkg, "parse_bytes", FakeParser(ValueError("boom")))
    with Store.open(db) as store:
        summary = store.reparse()
    assert (summary.failed, summary.kept_previous) == (1, 1)
    assert rows(db, "SELECT error_code, error_message FROM documents") == [
        ("internal", "ValueError: boom")
    ]


def test_a_failed_document_that_now_parses_becomes_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    good, bad = body_for("good"), body_for("bad")
    with Store.open(db) as store:
        store.ingest(make_report(good, url=URL, parser_version="0.0.1"), good, url=URL)
        store.ingest(make_failure(bad, url=URL), bad, url=URL)
    assert rows(db, "SELECT document_id FROM current_reports") == [(1,)]
    monkeypatch.setattr(parse_pkg, "parse_bytes", FakeParser(make_report(bad, url=URL, year=2021)))
    with Store.open(db) as store:
        summary = store.reparse(all=True)
    assert (summary.selected, summary.reparsed) == (2, 2)
    assert rows(db, "SELECT id, document_id, current, year FROM reports ORDER BY id") == [
        (1, 1, 0, 2021),
        (2, 2, 1, 2021),
    ]
    assert rows(db, "SELECT error_code FROM documents ORDER BY id") == [(None,), (None,)]


def test_reparse_with_the_real_parser_from_stored_bytes(tmp_path: Path, no_network: None) -> None:
    """Holds whatever the parser extracts: it compares with parse_bytes on the same bytes."""
    db = tmp_path / "r.db"
    body = "一、总体情况\n我区推进政府信息公开工作。\n六、其他需要报告的事项\n无。\n".encode()
    with Store.open(db) as store:
        old = make_report(body, url=None, path="saved/x.txt", parser_version="0.0.1")
        first = store.ingest(old, body, path="saved/x.txt")
        summary = store.reparse()
    expected = parse_bytes(body, path="saved/x.txt")
    assert summary.selected == 1
    assert rows(db, "SELECT parser_version FROM documents") == [(models.PARSER_VERSION,)]
    if isinstance(expected, ParseFailure):
        assert (summary.failed, summary.kept_previous) == (1, 1)
        assert rows(db, "SELECT parser_version FROM reports") == [("0.0.1",)]
        return
    assert isinstance(expected, Report)
    assert summary.reparsed == 1
    assert rows(db, "SELECT id, parser_version, format FROM reports") == [
        (first.report_id, models.PARSER_VERSION, expected.format)
    ]
    assert rows(db, "SELECT count(*) FROM applications") == [(len(expected.applications),)]
    assert rows(db, "SELECT count(*) FROM checks WHERE origin = 'report'") == [
        (len(expected.checks),)
    ]


def test_seed_end_to_end(tmp_path: Path, seed_path: Path) -> None:
    """PARSER-DEPENDENT: the seed parsed by the real parser, stored, summarised, searched."""
    db = tmp_path / "r.db"
    body = seed_path.read_bytes()
    outcome = parse_bytes(body, path=str(seed_path))
    assert isinstance(outcome, Report)
    with Store.open(db) as store:
        result = store.ingest(outcome, body, path=str(seed_path))
        assert result.status == "new"
        hits = store.search("集约化")
        two = store.search("我区")
        summary = store.run_checks()
    assert rows(db, "SELECT format, year FROM reports") == [("2019", 2020)]
    assert rows(
        db,
        "SELECT new_received, total_processed, granted_rate, checks_failed FROM report_summary",
    ) == [(1, 1, 0.0, 0)]
    assert rows(
        db,
        "SELECT natural_person, total FROM applications_wide WHERE \"row\" = 'denied_third_party'",
    ) == [(1, 1)]
    assert rows(
        db, "SELECT value, note FROM active_disclosure WHERE metric = 'procurement_items'"
    ) == [(0, "雁峰区无集采中心")]
    assert rows(db, "SELECT count(*), sum(value) FROM reviews") == [(15, 0)]
    assert len(hits) >= 1 and all("集约化" in str(h["excerpt"]) for h in hits)
    assert len(two) >= 1 and all("我区" in str(h["excerpt"]) for h in two)
    assert summary.failed == 0


def test_a_stored_pdf_is_reparsed_offline(tmp_path: Path, no_network: None) -> None:
    from report_harvester.demo_portal.files import pdf_report

    body = pdf_report("松源县档案馆", 2021, 61)
    url = "http://www.hyyf.gov.cn/files/P0201.pdf"
    http = HttpMeta(url=url, status=200, content_type="application/pdf",
                    fetched_at="2024-01-01T00:00:00+00:00", page_url="http://www.hyyf.gov.cn/a.html")
    old = parse_bytes(body, url=url)
    assert isinstance(old, Report)
    old = old.model_copy(update={"parser_version": "0.0.1"})
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        store.ingest(old, body, url=url, http=http)
        summary = store.reparse()
    assert (summary.selected, summary.failed) == (1, 0)
    assert rows(db, "SELECT r.org, r.parser_version = ?, count(a.id) FROM reports r"
                    " JOIN applications a ON a.report_id = r.id WHERE r.current = 1"
                    " GROUP BY r.id", (models.PARSER_VERSION,)) == [("松源县档案馆", 1, 175)]
    assert rows(db, "SELECT page_url FROM documents") == [("http://www.hyyf.gov.cn/a.html",)]
