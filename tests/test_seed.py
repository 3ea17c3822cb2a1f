"""The seed report (雁峰区行政审批服务局, 2020, text rendering) gives every value of domain.md §8."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from report_harvester import keys
from report_harvester.cli import cli
from report_harvester.models import Report
from report_harvester.parse.pipeline import parse_file

# domain.md §8, table 二: (item, metric) → (value, note)
SEED_T2: dict[tuple[str, str], tuple[int, str | None]] = {
    ("regulations", "new_made"): (0, None),
    ("regulations", "new_published"): (0, None),
    ("regulations", "total_published"): (0, None),
    ("normative_documents", "new_made"): (4, None),
    ("normative_documents", "new_published"): (4, None),
    ("normative_documents", "total_published"): (14, None),
    ("licensing", "prev_year_count"): (35, None),
    ("licensing", "change"): (30, None),
    ("licensing", "decisions"): (65, None),
    ("other_services", "prev_year_count"): (0, None),
    ("other_services", "change"): (0, None),
    ("other_services", "decisions"): (0, None),
    ("penalty", "prev_year_count"): (3, None),
    ("penalty", "change"): (16, None),
    ("penalty", "decisions"): (19, None),
    ("coercion", "prev_year_count"): (0, None),
    ("coercion", "change"): (0, None),
    ("coercion", "decisions"): (0, None),
    ("fees", "prev_year_count"): (0, None),
    ("fees", "change"): (0, None),
    ("procurement", "procurement_items"): (0, "雁峰区无集采中心"),
    ("procurement", "procurement_amount"): (0, None),
}
# domain.md §8, table 三: the only non-zero cells; every other one of the 23 × 7 is 0.
SEED_T3_NONZERO = {
    ("new_received", "natural_person"): 1,
    ("new_received", "total"): 1,
    ("denied_third_party", "natural_person"): 1,
    ("denied_third_party", "total"): 1,
    ("total_processed", "natural_person"): 1,
    ("total_processed", "total"): 1,
}
SECTIONS = [
    (1, "overview", "一、总体情况"),
    (2, "active_disclosure", "二、主动公开政府信息情况"),
    (3, "applications", "三、收到和处理政府信息公开申请情况"),
    (4, "reviews_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    (5, "problems", "五、存在的主要问题及改进情况"),
    (6, "other_matters", "六、其他需要报告的事项"),
]


def assert_seed_values(report: Report) -> None:
    """Every value domain.md §8 lists for the seed, and nothing invented beside them."""
    assert report.kind == "report"
    assert (report.format, report.year, report.org, report.title) == ("2019", 2020, None, None)
    assert report.source.encoding is not None
    assert report.source.encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    statutory = [(s.number, s.key, s.heading) for s in report.sections if s.number is not None]
    assert statutory == SECTIONS

    t2 = {(c.item, c.metric): (c.value, c.note) for c in report.active_disclosure}
    assert t2 == SEED_T2
    assert all(c.kind == "number" for c in report.active_disclosure)
    procurement = report.disclosure("procurement", "procurement_items")
    assert procurement is not None
    assert (procurement.clause, procurement.raw) == ("20.9", "0(雁峰区无集采中心)")

    t3 = {(c.row, c.applicant): c.value for c in report.applications}
    expected_t3 = {
        (row, applicant): SEED_T3_NONZERO.get((row, applicant), 0)
        for row in keys.T3_ROWS_2019
        for applicant in keys.APPLICANTS
    }
    assert len(expected_t3) == 23 * 7
    assert t3 == expected_t3
    assert {c.kind for c in report.applications} == {"number"}

    t4 = {(c.proceeding, c.outcome): c.value for c in report.reviews}
    assert t4 == {(p, o): 0 for p in keys.PROCEEDINGS for o in keys.OUTCOMES}

    results = {(c.check, c.scope): c.status for c in report.checks}
    expected_checks = {
        **{("t3.balance", a): "pass" for a in keys.APPLICANTS},
        **{("t3.outcomes", a): "pass" for a in keys.APPLICANTS},
        **{("t3.row_total", r): "pass" for r in keys.T3_ROWS_2019},
        **{("t4.total", p): "pass" for p in keys.PROCEEDINGS},
    }
    assert {k: v for k, v in results.items() if k in expected_checks} == expected_checks
    assert "fail" not in results.values()
    assert "table_unmapped" not in report.warning_codes()


def test_seed_parses_to_the_worked_example(seed_path: Path) -> None:
    """parse_file on the seed: format 2019, year 2020 from the statistics period, org unknown."""
    report = parse_file(seed_path)
    assert isinstance(report, Report), report
    assert_seed_values(report)
    assert report.source.path == str(seed_path)
    assert report.published is None  # the seed prints no date of its own


def test_seed_through_the_cli_json(seed_path: Path) -> None:
    """`report-harvester parse <seed> --json`: one JSON line with the same values, exit 0."""
    result = CliRunner().invoke(cli, ["parse", str(seed_path), "--json"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert {"source", "parser_version", "format", "year", "title", "org", "published"} <= set(data)
    assert {
        "sections",
        "active_disclosure",
        "applications",
        "reviews",
        "checks",
        "warnings",
    } <= set(data)
    assert len(data["source"]["sha256"]) == 64
    assert_seed_values(Report.model_validate_json(lines[0]))
