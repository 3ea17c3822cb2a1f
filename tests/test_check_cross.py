"""Cross-report rules: cross_year.carry and t2.in_force (domain.md §7), as pure functions."""

from __future__ import annotations

from report_harvester.check.cross import (
    Cell,
    CrossResult,
    ReportFacts,
    cross_report_checks,
)
from report_harvester.models import CheckResult

ORG = "雁峰区行政审批服务局"


def num(v: int | float) -> Cell:
    return Cell(v, "number")


BLANK = Cell(None, "blank")


def t3(
    rid: int,
    year: int | None,
    carried_over: Cell,
    carried_forward: Cell,
    org: str | None = ORG,
    fmt: str = "2019",
) -> ReportFacts:
    return ReportFacts(
        report_id=rid,
        org=org,
        year=year,
        format=fmt,
        cells={
            ("applications", "carried_over", "total"): carried_over,
            ("applications", "carried_forward", "total"): carried_forward,
        },
    )


def t2(
    rid: int,
    year: int,
    regs: tuple[Cell, Cell, Cell],
    docs: tuple[Cell, Cell, Cell] | None = None,
    org: str = ORG,
) -> ReportFacts:
    """A 2021 report; regs/docs = (issued, repealed, in_force)."""
    cells = {
        ("applications", "carried_over", "total"): num(0),
        ("applications", "carried_forward", "total"): num(0),
    }
    for item, triple in (("regulations", regs), ("normative_documents", docs or regs)):
        for metric, cell in zip(("issued", "repealed", "in_force"), triple, strict=True):
            cells[("active_disclosure", item, metric)] = cell
    return ReportFacts(report_id=rid, org=org, year=year, format="2021", cells=cells)


def only(
    results: list[CrossResult], check: str, report_id: int, scope: str = "total"
) -> CrossResult:
    found = [
        r
        for r in results
        if r.result.check == check and r.report_id == report_id and r.result.scope == scope
    ]
    assert len(found) == 1
    return found[0]


def test_carry_passes_when_last_years_carried_forward_is_this_years_carried_over() -> None:
    results = cross_report_checks([t3(1, 2019, num(0), num(3)), t3(2, 2020, num(3), num(0))])
    assert only(results, "cross_year.carry", 2) == CrossResult(
        2,
        1,
        CheckResult(
            check="cross_year.carry",
            scope="total",
            status="pass",
            expected=3,
            actual=3,
            difference=0,
        ),
    )
    first = only(results, "cross_year.carry", 1)
    assert first.related_report_id is None
    assert first.result.status == "not_assessable"
    assert first.result.message == f"no report of {ORG} for 2018"


def test_carry_fails_with_expected_actual_and_difference() -> None:
    results = cross_report_checks([t3(1, 2019, num(0), num(3)), t3(2, 2020, num(5), num(0))])
    result = only(results, "cross_year.carry", 2)
    assert result.related_report_id == 1
    assert result.result.model_dump() == {
        "check": "cross_year.carry",
        "scope": "total",
        "status": "fail",
        "expected": 3,
        "actual": 5,
        "difference": 2,
        "message": "carried_over 5 in 2020 but 2019 carried_forward 3",
    }


def test_carry_compares_only_the_same_body_and_consecutive_years() -> None:
    results = cross_report_checks(
        [
            t3(1, 2019, num(0), num(3), org="另一个局"),
            t3(2, 2018, num(0), num(9)),
            t3(3, 2020, num(3), num(0)),
        ]
    )
    assert only(results, "cross_year.carry", 3).result.message == f"no report of {ORG} for 2019"


def test_carry_is_not_assessable_for_blanks_unknown_body_or_year() -> None:
    results = cross_report_checks(
        [
            t3(1, 2019, num(0), BLANK),
            t3(2, 2020, num(3), num(0)),
            t3(3, 2021, BLANK, num(0)),
            t3(4, 2020, num(1), num(0), org=None),
            t3(5, None, num(1), num(0)),
            t3(6, 2020, num(1), num(0), org="  "),
        ]
    )
    messages = {r.report_id: r.result.message for r in results}
    statuses = {r.result.status for r in results}
    assert statuses == {"not_assessable"}
    assert messages == {
        1: f"no report of {ORG} for 2018",
        2: f"last year's carried_forward.total is blank ({ORG} 2019)",
        3: "carried_over.total is blank",
        4: "issuing body unknown",
        5: "year unknown",
        6: "issuing body unknown",
    }


def test_carry_with_two_reports_for_last_year() -> None:
    agree = cross_report_checks(
        [t3(1, 2019, num(0), num(3)), t3(2, 2019, num(0), num(3)), t3(3, 2020, num(3), num(0))]
    )
    assert only(agree, "cross_year.carry", 3).result.status == "pass"
    disagree = cross_report_checks(
        [t3(1, 2019, num(0), num(3)), t3(2, 2019, num(0), num(4)), t3(3, 2020, num(3), num(0))]
    )
    result = only(disagree, "cross_year.carry", 3)
    assert (result.related_report_id, result.result.status, result.result.message) == (
        None,
        "not_assessable",
        f"2 reports of {ORG} for 2019 disagree on carried_forward.total (3, 4)",
    )


def test_carry_ignores_reports_without_table_three() -> None:
    results = cross_report_checks(
        [t3(1, 2019, num(0), num(3), fmt="pre2019"), t3(2, 2020, num(3), num(0), fmt="unknown")]
    )
    assert results == []


def test_in_force_rule_for_2021_reports() -> None:
    last = t2(1, 2021, (num(1), num(0), num(10)), (num(0), num(0), num(4)))
    this = t2(2, 2022, (num(3), num(1), num(12)), (num(2), num(0), num(5)))
    results = cross_report_checks([last, this])
    regs = only(results, "t2.in_force", 2, "regulations")
    docs = only(results, "t2.in_force", 2, "normative_documents")
    assert (regs.related_report_id, regs.result.status, regs.result.expected) == (1, "pass", 12)
    assert docs.result.model_dump() == {
        "check": "t2.in_force",
        "scope": "normative_documents",
        "status": "fail",
        "expected": 6,
        "actual": 5,
        "difference": -1,
        "message": "in_force 5 in 2022, but 2021 in_force 4 + issued 2 - repealed 0 = 6",
    }


def test_in_force_not_assessable_cases() -> None:
    old = t3(1, 2020, num(0), num(0))  # a 2019-format report has no in_force
    this = t2(2, 2021, (num(3), num(1), num(12)), (num(1), BLANK, num(5)))
    results = cross_report_checks([old, this])
    regs = only(results, "t2.in_force", 2, "regulations")
    docs = only(results, "t2.in_force", 2, "normative_documents")
    assert (regs.related_report_id, regs.result.status, regs.result.message) == (
        1,
        "not_assessable",
        f"the 2020 report of {ORG} is not in the 2021 format (no in_force)",
    )
    assert docs.result.message == "normative_documents.repealed is blank"
    assert only(results, "cross_year.carry", 2).result.status == "pass"
    missing = ReportFacts(report_id=3, org=ORG, year=2023, format="2021", cells={})
    (carry, regs3, _docs3) = cross_report_checks([missing])
    assert carry.result.message == "carried_over.total is not in the report"
    assert regs3.result.message == "regulations.in_force is not in the report"


def test_decimal_values_compare_with_tolerance() -> None:
    results = cross_report_checks(
        [t3(1, 2019, num(0), num(0.1 + 0.2)), t3(2, 2020, num(0.3), num(0))]
    )
    assert only(results, "cross_year.carry", 2).result.status == "pass"
