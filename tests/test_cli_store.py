"""CLI: reparse, check, serve — outputs, exit statuses, one-line errors."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import report_harvester.store.datasette as ds_module
from report_harvester import models
from report_harvester.cli import cli
from report_harvester.store import Store
from report_harvester.store.migrations import SCHEMA_VERSION
from store_factories import make_report

URL = "http://www.hyyf.gov.cn/zwgk/"
V = models.PARSER_VERSION


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def make_db(path: Path, *, carry_mismatch: bool = False, old_parser: bool = False) -> None:
    """Two years of one body; text bodies the real parser can read."""
    with Store.open(path) as store:
        for year, carried_over in ((2019, 0), (2020, 4 if carry_mismatch else 0)):
            body = f"一、总体情况\n{year}年我区推进政府信息公开工作。\n".encode()
            url = f"{URL}{year}.html"
            report = make_report(
                body,
                url=url,
                year=year,
                carried_over=carried_over,
                parser_version="0.0.1" if old_parser else None,
            )
            store.ingest(report, body, url=url)


def test_reparse_reports_what_it_did(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    make_db(db, old_parser=True)
    code, out, err = invoke("reparse", "--db", str(db))
    assert code == 0, err
    assert out.startswith(f"Re-parsed 2 documents with parser {V}: ")
    assert out.endswith(" kept their previous report).\n")
    # plain progress lines when stderr is not a terminal
    assert err.splitlines() == [
        "reparse: 2 documents to re-parse",
        "reparse: 1/2",
        "reparse: 2/2",
    ]
    code, out, _ = invoke("reparse", "--db", str(db))
    assert (code, out) == (0, f"Nothing to re-parse: every document was read by parser {V}.\n")
    code, out, _ = invoke("reparse", "--db", str(db), "--all")
    assert code == 0 and out.startswith(f"Re-parsed 2 documents with parser {V}: ")


def test_check_prints_counts_and_worst_offenders(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    make_db(db, carry_mismatch=True)
    code, out, _ = invoke("check", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Checked 2 current reports (2 cross-report results recomputed)."
    assert lines[2].split() == ["check", "pass", "fail", "not_assessable"]
    assert lines[3].split() == ["cross_year.carry", "0", "1", "1"]
    assert lines[4].split() == ["t3.balance", "14", "0", "0"]
    assert lines[5].split() == ["t4.total", "6", "0", "0"]
    assert lines[7] == "Reports with the most failures:"
    assert lines[8].split() == ["1", "#2", "雁峰区行政审批服务局", "2020", f"{URL}2020.html"]
    assert lines[-1] == "1 failed checks."
    code, out, _ = invoke("check", "--db", str(db), "--strict")
    assert code == 1
    assert out.splitlines()[-1] == "1 failed checks."


def test_check_strict_passes_when_nothing_fails(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    make_db(db)
    code, out, _ = invoke("check", "--db", str(db), "--strict")
    assert code == 0
    assert out.splitlines()[-1] == "0 failed checks."


@pytest.mark.parametrize("command", ["reparse", "check", "serve"])
def test_missing_database_is_one_line(tmp_path: Path, command: str) -> None:
    db = tmp_path / "none.db"
    code, out, err = invoke(command, "--db", str(db))
    assert (code, out, err) == (1, "", f"Error: database {db} does not exist\n")
    assert not db.exists()


@pytest.mark.parametrize("command", ["reparse", "check", "serve"])
def test_not_sqlite_is_one_line(tmp_path: Path, command: str) -> None:
    db = tmp_path / "page.html"
    db.write_text("<html>not a database</html>" * 50)
    code, _, err = invoke(command, "--db", str(db))
    assert (code, err) == (
        1,
        f"Error: {db} is not a report_harvester database (file is not SQLite)\n",
    )


def test_newer_schema_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    make_db(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    code, _, err = invoke("check", "--db", str(db))
    assert (code, err) == (
        1,
        f"Error: database {db} has schema version 7, newer than this report_harvester knows"
        f" ({SCHEMA_VERSION}); upgrade report_harvester\n",
    )


def test_unwritable_database_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "r.db"
    make_db(db)
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)
    code, _, err = invoke("reparse", "--db", str(db))
    assert (code, err) == (1, f"Error: cannot write database {db}: permission denied\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("check", "--db", str(tmp_path / "r.db"), "--bogus")
    assert code == 2 and "Error: No such option '--bogus'." in err
    code, _, err = invoke("serve", "--port", "0")
    assert code == 2 and "Invalid value for '--port'" in err


def test_serve_metadata_out_writes_json_only(tmp_path: Path) -> None:
    out_file = tmp_path / "metadata.json"
    code, out, _ = invoke(
        "serve", "--db", str(tmp_path / "demo.db"), "--metadata-out", str(out_file)
    )
    assert code == 0
    assert out == f"Wrote Datasette metadata for 'demo' to {out_file}\n"
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert list(data["databases"]) == ["demo"]
    assert "search_sections" in data["databases"]["demo"]["queries"]


def test_serve_metadata_out_unwritable_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "m.json"
    code, _, err = invoke("serve", "--metadata-out", str(target))
    assert code == 1
    assert err == f"Error: cannot write metadata to {target}: No such file or directory\n"


def test_serve_sees_live_writes_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    make_db(db)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(ds_module, "serve", lambda path, **kw: calls.append({"path": path, **kw}))
    assert invoke("serve", "--db", str(db))[0] == 0
    assert invoke("serve", "--db", str(db), "--immutable", "--port", "8123", "--open")[0] == 0
    assert calls == [
        {"path": db, "host": "127.0.0.1", "port": 8001, "open_browser": False, "immutable": False},
        {"path": db, "host": "127.0.0.1", "port": 8123, "open_browser": True, "immutable": True},
    ]


def test_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    make_db(db)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = invoke("serve", "--db", str(db), "--port", str(port))
    assert code == 1
    assert err == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); choose another --port\n"
    )
