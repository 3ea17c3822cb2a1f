"""`report-harvester parse`: summaries, --db ingest, and inputs that are not there."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from report_harvester import parse_file
from report_harvester.cli import cli

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_empty_folder_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: no page files (.html .htm .shtml .txt .md .pdf …) under {tmp_path}\n"


def test_summary_line_names_what_was_extracted() -> None:
    result = CliRunner().invoke(cli, ["parse", str(PAGES / "09-2021-balance-fails.html")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{PAGES / '09-2021-balance-fails.html'}: 鹤鸣区司法局 2022 format 2021 report; "
        "7 sections; t2 10, t3 175, t4 15 cells; checks 40 pass, 2 fail, 0 n/a\n"
    )


def test_db_ingest_reports_new_then_unchanged(tmp_path: Path) -> None:
    """Ingesting the same folder twice stores each document once."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("01-2021-trs-word-paste.html", "13-empty.html"):
        shutil.copy(PAGES / name, pages / name)
    db = tmp_path / "r.db"
    first = CliRunner().invoke(cli, ["parse", str(pages), "--db", str(db)])
    assert first.exit_code == 1  # the empty file failed, and the run went on
    assert first.output.count("[new]") == 1 and first.output.count("[failed]") == 1
    second = CliRunner().invoke(cli, ["parse", str(pages), "--db", str(db)])
    assert second.output.count("[unchanged]") == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (2,)
        assert conn.execute("select count(*) from reports").fetchone() == (1,)


def test_db_in_missing_directory_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "nope" / "r.db"
    result = CliRunner().invoke(cli, ["parse", str(PAGES / "13-empty.html"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open database ")
    assert result.output.count("\n") == 1


def test_org_option_fills_in_only_when_the_page_names_none(tmp_path: Path) -> None:
    """--org is a fallback: a title (or a signature) that names its body wins."""
    named = CliRunner().invoke(
        cli, ["parse", str(PAGES / "09-2021-balance-fails.html"), "--org", "别的单位", "--json"]
    )
    assert '"org":"鹤鸣区司法局"' in named.output
    unsigned = tmp_path / "unsigned.txt"  # fixture 06 without its signature and date
    lines = (PAGES / "06-2021-one-cell-per-line.txt").read_text(encoding="utf-8").splitlines()
    unsigned.write_text("\n".join(lines[:-2]), encoding="utf-8")
    seed_like = CliRunner().invoke(cli, ["parse", str(unsigned), "--org", "某某区某局", "--json"])
    assert '"org":"某某区某局"' in seed_like.output


def test_a_page_that_takes_too_long_is_stopped_and_the_next_one_parsed(tmp_path: Path) -> None:
    deep = tmp_path / "a-deep.html"
    deep.write_text("<div>" * 100_000 + "政府信息公开工作年度报告" + "</div>" * 100_000,
                    encoding="utf-8")
    shutil.copy(PAGES / "09-2021-balance-fails.html", tmp_path / "b-report.html")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path), "--timeout", "1"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{deep}: FAILED (parse_timeout): parsing took over 1s: stopped"
    assert lines[1].startswith(f"{tmp_path / 'b-report.html'}: 鹤鸣区司法局 2022 format 2021")


def test_workers_print_in_input_order_and_records_cross_intact(tmp_path: Path) -> None:
    names = ["09-2021-balance-fails.html", "06-2021-one-cell-per-line.txt",
             "13-empty.html", "24-2019-word97-doc.doc"]
    for i, name in enumerate(names):
        shutil.copy(PAGES / name, tmp_path / f"{i}-{name}")
    slow = tmp_path / "0a-deep.html"  # between the first two: parsed long after the rest
    slow.write_text("<div>" * 100_000 + "政府信息公开工作年度报告" + "</div>" * 100_000,
                    encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["parse", str(tmp_path), "--json", "--workers", "2", "--timeout", "1"]
    )
    assert result.exit_code == 1  # the empty page and the deep one fail
    records = [json.loads(line) for line in result.stdout.splitlines()]
    paths = sorted(str(p) for p in tmp_path.iterdir())
    assert [r["source"]["path"] for r in records] == paths
    assert records[1]["error"]["code"] == "parse_timeout"
    for record, path in zip(records, paths, strict=True):
        if path == str(slow):
            continue
        assert record == json.loads(parse_file(path).model_dump_json())
