"""End to end: every page under fixtures/pages against its fixtures/expected JSON.

Expected-JSON notation (written by hand from docs/domain.md, see fixtures/README.md):

* ``t2``: ``{item: {metric: cell}}``; ``t3``: ``{row: [7 cells, applicants in order]}``;
  ``t4``: ``{proceeding: [5 cells, outcomes in order]}``. A cell is a number (kind
  ``number``, no unit, no note, raw = the number as printed), ``null`` (kind
  ``blank``, no value), ``"missing"`` (the page never printed it: no record may
  exist), or an object giving value/kind/raw/unit/note explicitly. The set of
  records must be exactly the set written.
* ``checks``: ``{check: {scope: status | {status, expected, actual, difference}}}``.
  ``expected`` is what the rule computes from its operands, ``actual`` the printed
  figure. ``not_assessable`` is also met by no result at all for that scope; a
  ``pass``/``fail`` must be there. A t3/t4 result whose scope is not listed fails.
* ``warnings`` must all be among the report's codes; ``warnings_absent`` none of them.
"""

from __future__ import annotations

import codecs
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from report_harvester import keys
from report_harvester.cli import cli
from report_harvester.decode.normalize import clean_text, label_key
from report_harvester.models import ParseFailure, Report, Section
from report_harvester.parse.pipeline import parse_bytes, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = FIXTURES / "pages"
EXPECTED = FIXTURES / "expected"
CASES = sorted(EXPECTED.glob("*.json"))
T3_CHECKS = ("t3.balance", "t3.row_total", "t3.outcomes", "t4.total")
CLAUSES = {item: clause for table in (keys.T2_2019, keys.T2_2021) for clause, item in table}


def _id(path: Path) -> str:
    return path.stem


@cache
def expected_for(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(case.read_text(encoding="utf-8"))
    return data


@cache
def parsed(case: Path) -> Report | ParseFailure:
    return parse_file(PAGES / expected_for(case)["page"])


def report_for(case: Path) -> tuple[dict[str, Any], Report]:
    exp = expected_for(case)
    if exp["outcome"] != "report":
        pytest.skip("not a report fixture")
    got = parsed(case)
    assert isinstance(got, Report), f"{exp['page']}: expected a Report, got {got!r}"
    return exp, got


def report_problems(page: str, problems: list[str]) -> None:
    assert not problems, f"{page}: {len(problems)} mismatches\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------- cells


def cell_problems(where: str, expected: Any, cell: Any) -> list[str]:
    """Compare one record (Disclosure/Application/ReviewCell or None) with its notation."""
    if expected == "missing":
        return [] if cell is None else [f"{where}: expected no record, got {cell.raw!r}"]
    if cell is None:
        return [f"{where}: expected {expected!r}, got no record"]
    if expected is None:
        want: dict[str, Any] = {"value": None, "kind": "blank", "unit": None, "note": None}
    elif isinstance(expected, dict):
        want = {"unit": None, "note": None, **expected}
    else:
        want = {
            "value": expected,
            "kind": "number",
            "raw": str(expected),
            "unit": None,
            "note": None,
        }
    out = []
    for field, value in want.items():
        actual = getattr(cell, field)
        if field == "raw":
            actual = clean_text(actual)
        if actual != value or (field == "value" and type(actual) is bool):
            out.append(f"{where}.{field}: expected {value!r}, actual {actual!r} (raw {cell.raw!r})")
    return out


def expand_cells(
    table: dict[str, list[Any]], columns: tuple[str, ...]
) -> dict[tuple[str, str], Any]:
    return {
        (row, col): value
        for row, values in table.items()
        for col, value in zip(columns, values, strict=True)
    }


def unexpected(
    where: str, actual: set[tuple[str, str]], expected: dict[tuple[str, str], Any]
) -> list[str]:
    listed = {k for k, v in expected.items() if v != "missing"}
    return [f"{where}: unexpected record {k}" for k in sorted(actual - listed)]


# ---------------------------------------------------------------- the tests


def test_every_page_has_expected_values_and_the_corpus_is_big_enough() -> None:
    """Fixtures come in pairs (page + expected JSON) and there are at least 15 of them."""
    pages = sorted(p.name for p in PAGES.iterdir() if p.is_file())
    listed = sorted(expected_for(c)["page"] for c in CASES)
    assert pages == listed
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_outcome_and_metadata(case: Path) -> None:
    """Report or failure; encoding, kind, format, year, title, org and published date."""
    exp = expected_for(case)
    got = parsed(case)
    page = exp["page"]
    if exp["outcome"] == "failure":
        assert isinstance(got, ParseFailure), (
            f"{page}: expected a ParseFailure, got {type(got).__name__}"
        )
        assert got.error.code == exp["error"], f"{page}: error.code {got.error.code!r}"
        assert got.source.path and got.source.path.endswith(page)
        return
    assert isinstance(got, Report), f"{page}: expected a Report, got {got!r}"
    problems = []
    encoding = got.source.encoding
    if exp["encoding"] is None:  # a binary document (Word): no text encoding to detect
        if encoding is not None:
            problems.append(f"source.encoding: expected none, actual {encoding!r}")
    elif encoding is None or codecs.lookup(encoding).name != codecs.lookup(exp["encoding"]).name:
        problems.append(f"source.encoding: expected {exp['encoding']!r}, actual {encoding!r}")
    for field in ("kind", "format", "year", "title", "org", "published"):
        if getattr(got, field) != exp[field]:
            problems.append(f"{field}: expected {exp[field]!r}, actual {getattr(got, field)!r}")
    report_problems(page, problems)


def full_text(section: Section) -> str:
    return "\n".join([section.heading, section.text, *(full_text(c) for c in section.children)])


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_sections(case: Path) -> None:
    """The statutory sections: number, key, heading, child numbers, text kept and tables left out."""
    exp, got = report_for(case)
    if exp["sections"] is None:
        pytest.skip("sections are not specified for this page")
    actual = [s for s in got.sections if s.number is not None]
    want = [(s["number"], s["key"], label_key(s["heading"])) for s in exp["sections"]]
    have = [(s.number, s.key, label_key(s.heading)) for s in actual]
    problems = [] if want == have else [f"sections: expected {want}, actual {have}"]
    by_number = {s.number: s for s in actual}
    for spec in exp["sections"]:
        section = by_number.get(spec["number"])
        if section is None:
            continue
        children = [c.number for c in section.children]
        if children != spec["children"]:
            problems.append(
                f"section {spec['number']} children: expected {spec['children']}, actual {children}"
            )
        text = label_key(full_text(section))
        problems += [
            f"section {spec['number']} text lacks {s!r}"
            for s in spec["contains"]
            if label_key(s) not in text
        ]
        problems += [
            f"section {spec['number']} text holds table cell {s!r}"
            for s in spec["excludes"]
            if label_key(s) in text
        ]
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_table_2_active_disclosure(case: Path) -> None:
    """Every table 二 cell with its clause, value, kind, unit and note; nothing else."""
    exp, got = report_for(case)
    want = {
        (item, metric): v for item, metrics in exp["t2"].items() for metric, v in metrics.items()
    }
    problems = unexpected("t2", {(c.item, c.metric) for c in got.active_disclosure}, want)
    for (item, metric), value in want.items():
        cell = got.disclosure(item, metric)
        problems += cell_problems(f"t2 {item}.{metric}", value, cell)
        if cell is not None and cell.clause != CLAUSES[item]:
            problems.append(
                f"t2 {item}.{metric}.clause: expected {CLAUSES[item]}, actual {cell.clause}"
            )
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_table_3_applications(case: Path) -> None:
    """Every table 三 cell, row × seven applicants; nothing else."""
    exp, got = report_for(case)
    want = expand_cells(exp["t3"], keys.APPLICANTS)
    problems = unexpected("t3", {(c.row, c.applicant) for c in got.applications}, want)
    for (row, applicant), value in want.items():
        problems += cell_problems(f"t3 {row}×{applicant}", value, got.application(row, applicant))
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_table_4_reviews(case: Path) -> None:
    """Every table 四 cell, proceeding × five outcomes; nothing else."""
    exp, got = report_for(case)
    want = expand_cells(exp["t4"], keys.OUTCOMES)
    problems = unexpected("t4", {(c.proceeding, c.outcome) for c in got.reviews}, want)
    for (proceeding, outcome), value in want.items():
        problems += cell_problems(
            f"t4 {proceeding}.{outcome}", value, got.review(proceeding, outcome)
        )
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_checks(case: Path) -> None:
    """t3.balance / t3.row_total / t3.outcomes / t4.total: status per scope, and fail figures."""
    exp, got = report_for(case)
    results = {(c.check, c.scope): c for c in got.checks}
    problems = []
    listed = {(check, scope) for check, scopes in exp["checks"].items() for scope in scopes}
    for check, scope in sorted(results):
        if (
            check in T3_CHECKS
            and (check, scope) not in listed
            and results[check, scope].status != "not_assessable"
        ):
            problems.append(f"{check}[{scope}]: unexpected {results[check, scope].status}")
    for check, scopes in exp["checks"].items():
        for scope, spec in scopes.items():
            want = spec if isinstance(spec, dict) else {"status": spec}
            result = results.get((check, scope))
            if result is None:
                if want["status"] != "not_assessable":
                    problems.append(f"{check}[{scope}]: expected {want['status']}, no result")
                continue
            for field, value in want.items():
                if getattr(result, field) != value:
                    problems.append(
                        f"{check}[{scope}].{field}: expected {value!r}, actual {getattr(result, field)!r}"
                        f" ({result.message or ''})"
                    )
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_warnings(case: Path) -> None:
    """Expected warning codes are all there; codes that would be wrong are not."""
    exp, got = report_for(case)
    codes = set(got.warning_codes())
    problems = [
        f"missing warning {c!r} (got {sorted(codes)})" for c in exp["warnings"] if c not in codes
    ]
    problems += [
        f"unexpected warning {w.code!r}: {w.message}"
        for w in got.warnings
        if w.code in exp["warnings_absent"] or w.code == "internal"
    ]
    report_problems(exp["page"], problems)


@pytest.mark.parametrize("case", [c for c in CASES if "attachments" in expected_for(c)], ids=_id)
def test_attachments(case: Path) -> None:
    """An attachment-only page lists its attachment: URL, extension and link text."""
    exp, got = report_for(case)
    for want in exp["attachments"]:
        matches = [a for a in got.attachments if a.url.endswith(want["url_endswith"])]
        assert matches, (
            f"{exp['page']}: no attachment ending {want['url_endswith']}: {got.attachments}"
        )
        assert (matches[0].ext, clean_text(matches[0].text)) == (want["ext"], want["text"])


# ---------------------------------------------------------------- encodings beyond the file


def _page_bytes(stem: str) -> tuple[bytes, dict[str, Any]]:
    case = EXPECTED / f"{stem}.json"
    exp = expected_for(case)
    return (PAGES / exp["page"]).read_bytes(), exp


def test_wrong_http_charset_on_gbk_bytes_is_overruled_and_flagged() -> None:
    """Header says iso-8859-1, meta says gb2312, bytes are GBK: decode gb18030, warn."""
    data, exp = _page_bytes("02-2019-gbk-gb2312")
    got = parse_bytes(data, path="02.html", http_charset="iso-8859-1")
    assert isinstance(got, Report)
    assert got.source.encoding is not None
    assert codecs.lookup(got.source.encoding).name == "gb18030"
    assert "encoding_mismatch" in got.warning_codes()
    assert (got.title, got.org, got.year) == (exp["title"], exp["org"], exp["year"])
    assert got.application("granted", "natural_person") is not None
    assert got.application("granted", "natural_person").value == exp["t3"]["granted"][0]  # type: ignore[union-attr]


def test_http_charset_gbk_on_utf8_bytes_is_overruled_and_flagged() -> None:
    """Header says gbk, meta says gb2312, bytes are UTF-8: decode UTF-8, warn."""
    data, exp = _page_bytes("04-2019-meta-gb2312-bytes-utf8")
    got = parse_bytes(data, path="04.html", http_charset="gbk")
    assert isinstance(got, Report)
    assert got.source.encoding is not None
    assert codecs.lookup(got.source.encoding).name == "utf-8"
    assert "encoding_mismatch" in got.warning_codes()
    assert got.title == exp["title"]


def test_right_http_charset_needs_no_warning() -> None:
    """Header and bytes agree (gbk): no encoding_mismatch, even though the meta says gb2312."""
    data, _exp = _page_bytes("02-2019-gbk-gb2312")
    got = parse_bytes(data, path="02.html", http_charset="gbk")
    assert isinstance(got, Report)
    assert "encoding_mismatch" not in got.warning_codes()
    assert "陈镕" in "\n".join(full_text(s) for s in got.sections)


# ---------------------------------------------------------------- the CLI over the corpus


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_cli_parses_a_folder_recursively_and_exits_1_when_any_input_failed(tmp_path: Path) -> None:
    """Every page under a nested folder gives one JSON line; failures have source + error."""
    nested = tmp_path / "saved" / "2023" / "deep"
    nested.mkdir(parents=True)
    names = ["01-2021-trs-word-paste.html", "13-empty.html", "05-2021-text-pipes.txt"]
    (tmp_path / "saved" / names[0]).write_bytes((PAGES / names[0]).read_bytes())
    (tmp_path / "saved" / "2023" / names[1]).write_bytes(b"")
    (nested / names[2]).write_bytes((PAGES / names[2]).read_bytes())
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "saved"), "--json"])
    assert result.exit_code == 1, result.output
    records = _lines(result.stdout)
    by_name = {Path(r["source"]["path"]).name: r for r in records}
    assert sorted(by_name) == sorted(names)
    assert by_name["13-empty.html"]["error"]["code"] == "empty"
    assert by_name["13-empty.html"]["source"]["size"] == 0
    assert "error" not in by_name["01-2021-trs-word-paste.html"]
    assert by_name["01-2021-trs-word-paste.html"]["year"] == 2022
    assert by_name["05-2021-text-pipes.txt"]["org"] == "临溪县卫生健康局"


def test_cli_goes_on_after_a_failure_in_the_order_given(tmp_path: Path) -> None:
    """A failed input (empty, binary) does not stop the run: the next input is still parsed."""
    inputs = [
        PAGES / "13-empty.html",
        PAGES / "14-binary-png.html",
        PAGES / "06-2021-one-cell-per-line.txt",
    ]
    result = CliRunner().invoke(cli, ["parse", *map(str, inputs), "--json"])
    assert result.exit_code == 1, result.output
    records = _lines(result.stdout)
    assert [r.get("error", {}).get("code") for r in records] == ["empty", "binary", None]
    assert records[2]["year"] == 2023
    assert Report.model_validate(records[2]).application("granted", "natural_person").value == 21  # type: ignore[union-attr]


def test_cli_exits_0_when_every_input_parsed() -> None:
    result = CliRunner().invoke(
        cli,
        ["parse", str(PAGES / "09-2021-balance-fails.html"), str(PAGES / "07-pre2019-2017.html")],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "鹤鸣区司法局" in lines[0] and "2022" in lines[0]


def test_cli_usage_error_exits_2() -> None:
    assert CliRunner().invoke(cli, ["parse"]).exit_code == 2
    assert CliRunner().invoke(cli, ["parse", "--no-such-option", str(PAGES)]).exit_code == 2
