"""Safe under cron: a harvest killed with SIGKILL is finished by the next run with no
duplicate and no lost report; a second harvest on a busy database is refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal_server import Portal, Reply, VirtualHost, harvest, list_page, report_page, source
from report_harvester.cli import cli

REPORTS = 24
HTML = {"Content-Type": "text/html; charset=utf-8"}


def slow_host() -> VirtualHost:
    host = VirtualHost("s", latency=0.04)
    per_page = 8
    for p in range(REPORTS // per_page):
        links = [
            (f"/r/{i}.html", f"第{i}号单位2021年政府信息公开工作年度报告")
            for i in range(p * per_page, (p + 1) * per_page)
        ]
        pager = f'<script>createPageHTML({REPORTS // per_page}, {p}, "index", "html");</script>'
        name = "index.html" if p == 0 else f"index_{p}.html"
        host.add(f"/col/{name}", Reply(200, list_page(links, pager=pager), HTML))
    for i in range(REPORTS):
        host.add(f"/r/{i}.html", Reply(200, report_page(f"第{i}号单位2021年政府信息公开工作年度报告"),
                                       HTML))
    return host


@pytest.fixture
def portal() -> Iterator[Portal]:
    with Portal([slow_host()]) as p:
        yield p


def write_sources(tmp: Path, portal: Portal) -> Path:
    path = tmp / "sources.toml"
    path.write_text(
        f"""[harvest]
delay = 0
retries = 1
timeout = 5

[[source]]
id = "s"
start_urls = ["{portal.url("s", "/col/index.html")}"]
""",
        encoding="utf-8",
    )
    return path


def start_harvest(sources: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    return subprocess.Popen(
        [sys.executable, "-m", "report_harvester", "harvest", "--sources", str(sources),
         "--db", str(db), "--plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def wait_for_requests(portal: Portal, prefix: str, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while sum(p.startswith(prefix) for p in portal.hosts["s"].paths()) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the harvest never got there"
        time.sleep(0.01)


def contents(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    con = sqlite3.connect(db)
    try:
        docs = con.execute("SELECT locator, sha256 FROM documents ORDER BY 1").fetchall()
        reports = con.execute("SELECT url, current FROM reports ORDER BY 1").fetchall()
        return docs, reports
    finally:
        con.close()


@pytest.mark.parametrize(("prefix", "count"), [("/col/", 1), ("/r/", 9)], ids=["lists", "reports"])
def test_killed_harvest_is_finished_by_the_next_run(
    portal: Portal, tmp_path: Path, prefix: str, count: int
) -> None:
    sources = write_sources(tmp_path, portal)
    db = tmp_path / "killed.db"
    proc = start_harvest(sources, db)
    wait_for_requests(portal, prefix, count, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    con = sqlite3.connect(db)
    stored_before = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    assert stored_before < REPORTS  # it really was interrupted

    rerun = start_harvest(sources, db)
    _, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()

    reference = tmp_path / "reference.db"
    summary = harvest([source("s", portal.url("s", "/col/index.html"))], reference)
    assert summary.exit_code == 0
    docs, reports = contents(db)
    assert len(docs) == REPORTS
    assert (docs, reports) == contents(reference)
    con = sqlite3.connect(db)
    runs = con.execute("SELECT status FROM harvest_runs ORDER BY id").fetchall()
    con.close()
    assert runs == [("aborted",), ("ok",)]
    assert "marked 1 interrupted earlier run(s) as aborted" in err.decode()


def test_second_harvest_on_a_busy_database_is_refused(portal: Portal, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, portal)
    db = tmp_path / "busy.db"
    proc = start_harvest(sources, db)
    try:
        wait_for_requests(portal, "/col/", 1, proc)
        result = CliRunner().invoke(cli, ["harvest", "--sources", str(sources), "--db", str(db)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(
            f"Error: another harvest (pid {proc.pid}) is running on {db} since 20"
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)


def test_sigterm_closes_the_run_as_aborted_and_the_next_run_finishes(
    portal: Portal, tmp_path: Path
) -> None:
    """cron's `timeout` and systemd stop a job with SIGTERM: the run row says so at once."""
    sources = write_sources(tmp_path, portal)
    db = tmp_path / "termed.db"
    proc = start_harvest(sources, db)
    wait_for_requests(portal, "/r/", 5, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert "interrupted: run the same command again to continue" in err.decode()
    con = sqlite3.connect(db)
    assert con.execute("SELECT status FROM harvest_runs").fetchall() == [("aborted",)]
    con.close()
    rerun = start_harvest(sources, db)
    _, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()
    assert len(contents(db)[0]) == REPORTS
