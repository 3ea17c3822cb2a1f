"""The ``harvest`` and ``demo`` commands: exit statuses, messages, summary, demo end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from portal_server import Portal, Reply, VirtualHost, list_page, report_page
from report_harvester.cli import cli

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def portal() -> Iterator[Portal]:
    host = VirtualHost("p")
    host.add("/list.html", Reply(200, list_page([
        ("/r1.html", "甲区2021年政府信息公开工作年度报告"),
        ("/r2.html", "甲区2020年政府信息公开工作年度报告"),
    ]), HTML))
    host.add("/r1.html", Reply(200, report_page("甲区2021年政府信息公开工作年度报告"), HTML))
    with Portal([host]) as p:
        yield p


def sources_file(tmp_path: Path, portal: Portal, extra: str = "") -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[harvest]\ndelay = 0\nretries = 0\n\n[[source]]\nid = "p"\n'
        f'start_urls = ["{portal.url("p", "/list.html")}"]\n{extra}',
        encoding="utf-8",
    )
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_bad_sources_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[source]]\nid = "x"\nstart_urls = ["not a url"]\n', encoding="utf-8")
    result = invoke("harvest", "--sources", str(path), "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path}:3: source 'x': start_urls: 'not a url' is not an http(s) URL"
    )
    assert not (tmp_path / "r.db").exists()


def test_unknown_source_id_exits_2(tmp_path: Path, portal: Portal) -> None:
    path = sources_file(tmp_path, portal)
    result = invoke("harvest", "--sources", str(path), "--db", str(tmp_path / "r.db"),
                    "--source", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: unknown source 'nope' (known: p)"


def test_failed_pages_exit_1_and_are_listed(tmp_path: Path, portal: Portal) -> None:
    path = sources_file(tmp_path, portal)
    db = tmp_path / "r.db"
    result = invoke("harvest", "--sources", str(path), "--db", str(db))
    assert result.exit_code == 1
    assert "1 page(s) failed:" in result.stdout
    assert f"[p] report {portal.url('p', '/r2.html')}: failed: HTTP 404" in result.stdout
    assert "harvest run 1: partial" in result.stdout
    # plain log lines when not on a terminal, problems marked with "!"
    assert f"! [p] report {portal.url('p', '/r2.html')}: failed: HTTP 404" in result.stderr


def test_dry_run_and_flags(tmp_path: Path, portal: Portal) -> None:
    path = sources_file(tmp_path, portal)
    db = tmp_path / "r.db"
    result = invoke("harvest", "--sources", str(path), "--db", str(db), "--dry-run",
                    "--since", "2021", "--delay", "0.01", "-v")
    assert result.exit_code == 0, result.output
    assert "dry run: 1 report(s) would be fetched" in result.stdout
    assert f"[p] {portal.url('p', '/r1.html')}  甲区2021年政府信息公开工作年度报告" in result.stdout
    assert "1 older report link(s) left out by --since" in result.stdout
    assert portal.hosts["p"].paths() == ["/robots.txt", "/list.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]  # no db, no lock


def test_bad_flag_values_are_one_line_each(tmp_path: Path, portal: Portal) -> None:
    path = sources_file(tmp_path, portal)
    result = invoke("harvest", "--sources", str(path), "--per-host", "0", "--delay", "-1",
                    "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --delay -1.0: Input should be greater than or equal to 0\n"
        "--per-host 0: Input should be greater than or equal to 1\n"
    )
    assert not (tmp_path / "r.db").exists()


def test_every_mistake_in_a_sources_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[harvest]\ndelay = -1\n\n[[source]]\nid = "x y"\nstart_urls = ["nope"]\n\n'
        '[[source]]\nid = "ok"\nstart_urls = ["http://a.gov.cn/"]\nbogus = 1\n',
        encoding="utf-8",
    )
    result = invoke("harvest", "--sources", str(path), "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}:2: [harvest]: delay: Input should be greater than or equal to 0\n"
        f"{path}:5: source 'x y': id: must be letters, digits, '-', '_' or '.', e.g. 'yanfeng'\n"
        f"{path}:6: source 'x y': start_urls: 'nope' is not an http(s) URL\n"
        f"{path}:11: source 'ok': bogus: unknown setting\n"
    )


def test_demo_twice(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "demo.db"
    first = invoke("demo", "--db", str(db))
    assert first.exit_code == 0, first.output
    assert first.stdout.rstrip().endswith(f"Browse it: report-harvester serve --db {db}")
    assert "harvest run 1: ok" in first.stdout
    second = invoke("demo", "--db", str(db))
    assert second.exit_code == 0, second.output
    con = sqlite3.connect(db)
    try:
        by_run = con.execute(
            "SELECT run_id, outcome, count(*) FROM fetches WHERE kind = 'report'"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        reports = con.execute(
            "SELECT format, count(*) FROM reports WHERE current = 1 GROUP BY 1 ORDER BY 1"
        ).fetchall()
        gbk = con.execute(
            "SELECT title FROM reports WHERE url LIKE '%art_2001_3001%'"
        ).fetchone()
        attachments = con.execute(
            "SELECT count(*) FROM fetches WHERE kind = 'attachment' AND outcome = 'skipped'"
        ).fetchone()
        files = con.execute(
            "SELECT f.run_id, f.outcome, substr(f.url, -4) FROM fetches f"
            " WHERE f.kind = 'attachment' AND f.outcome != 'skipped' ORDER BY 1, 3"
        ).fetchall()
        file_reports = con.execute(
            "SELECT r.org, count(a.id) FROM reports r JOIN documents d ON d.id = r.document_id"
            " JOIN applications a ON a.report_id = r.id WHERE d.page_url IS NOT NULL"
            " GROUP BY r.id ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert by_run == [
        (1, "fetched", 13), (1, "robots_denied", 1),
        (2, "not_modified", 13), (2, "robots_denied", 1),
    ]
    assert reports == [("2019", 7), ("2021", 8)]
    assert gbk == ("明湖区教育局2021年政府信息公开工作年度报告",)
    assert attachments == (1,)
    # the PDF-only and the Word report, fetched, parsed with every table 三 cell, then 304
    assert files == [(1, "fetched", ".pdf"), (1, "fetched", "docx"),
                     (2, "not_modified", ".pdf"), (2, "not_modified", "docx")]
    assert file_reports == [("清河区市场监督管理局", 175), ("清河区档案馆", 175)]


def test_a_host_name_that_does_not_resolve_is_tried_once(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[harvest]\ndelay = 0\nretries = 4\nbackoff = 2\n\n[[source]]\nid = "gone"\n'
        'start_urls = ["http://no-such-host.invalid/xxgk/index.html"]\n',
        encoding="utf-8",
    )
    for extra in (["--dry-run"], []):
        result = invoke("harvest", "--sources", str(path), "--db", str(tmp_path / "r.db"),
                        *extra)
        assert result.exit_code == 1, result.output
        assert "robots http://no-such-host.invalid/robots.txt: failed: host name does not" \
            " resolve" in result.stdout
    [(attempts,)] = sqlite3.connect(tmp_path / "r.db").execute(
        "SELECT attempts FROM fetches WHERE kind = 'robots'").fetchall()
    assert attempts == 1  # no back-off of 2 s, 4 s, …: a name that does not resolve stays so
