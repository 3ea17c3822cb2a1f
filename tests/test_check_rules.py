"""Per-report consistency rules (domain.md §7): pass, fail with exact numbers, not assessable."""

from __future__ import annotations

from report_harvester import keys
from report_harvester.check.rules import run_report_checks
from report_harvester.models import ApplicationCell, CheckResult, Report, ReviewCell, SourceInfo
from report_harvester.parse.values import parse_value

ZERO_ROW = ["0"] * 7


def application_cells(rows: dict[str, list[str]]) -> list[ApplicationCell]:
    cells = []
    for row, raws in rows.items():
        for applicant, raw in zip(keys.APPLICANTS, raws, strict=True):
            v = parse_value(raw)
            cells.append(
                ApplicationCell(row=row, applicant=applicant, value=v.value, raw=raw, kind=v.kind)
            )
    return cells


def review_cells(raws: list[str]) -> list[ReviewCell]:
    pairs = [(p, o) for p in keys.PROCEEDINGS for o in keys.OUTCOMES]
    return [
        ReviewCell(
            proceeding=p, outcome=o, value=parse_value(r).value, raw=r, kind=parse_value(r).kind
        )
        for (p, o), r in zip(pairs, raws, strict=True)
    ]


def report(rows: dict[str, list[str]] | None = None, reviews: list[str] | None = None) -> Report:
    return Report(
        source=SourceInfo(sha256="0" * 64, size=0),
        applications=application_cells(rows or {}),
        reviews=review_cells(reviews) if reviews else [],
    )


def balanced_2019() -> dict[str, list[str]]:
    """A consistent 2019 table 三: 3 received + 1 carried = 2 granted + 1 denied + 1 forward."""
    rows = {row: list(ZERO_ROW) for row in keys.T3_ROWS_2019}
    rows["new_received"] = ["2", "1", "0", "0", "0", "0", "3"]
    rows["carried_over"] = ["1", "0", "0", "0", "0", "0", "1"]
    rows["granted"] = ["2", "0", "0", "0", "0", "0", "2"]
    rows["denied_third_party"] = ["0", "1", "0", "0", "0", "0", "1"]
    rows["total_processed"] = ["2", "1", "0", "0", "0", "0", "3"]
    rows["carried_forward"] = ["1", "0", "0", "0", "0", "0", "1"]
    return rows


def result(checks: list[CheckResult], check: str, scope: str) -> CheckResult:
    return next(c for c in checks if c.check == check and c.scope == scope)


def test_consistent_2019_table_passes_every_check() -> None:
    checks = run_report_checks(report(balanced_2019(), ["0"] * 15))
    assert [(c.check, c.scope) for c in checks] == [
        *[("t3.balance", a) for a in keys.APPLICANTS],
        *[("t3.row_total", r) for r in keys.T3_ROWS_2019],
        *[("t3.outcomes", a) for a in keys.APPLICANTS],
        *[("t4.total", p) for p in keys.PROCEEDINGS],
    ]
    assert {c.status for c in checks} == {"pass"}
    natural = result(checks, "t3.balance", "natural_person")
    assert (natural.expected, natural.actual, natural.difference) == (3, 3, 0)
    total = result(checks, "t3.outcomes", "total")
    assert (total.expected, total.actual) == (3, 3)


def test_broken_balance_fails_with_exact_numbers() -> None:
    rows = balanced_2019()
    rows["carried_forward"] = ["3", "0", "0", "0", "0", "0", "3"]
    checks = run_report_checks(report(rows))
    bad = result(checks, "t3.balance", "natural_person")
    assert bad.model_dump() == {
        "check": "t3.balance",
        "scope": "natural_person",
        "status": "fail",
        "expected": 3,
        "actual": 5,
        "difference": 2,
        "message": "natural_person: new_received + carried_over = 3, "
        "but total_processed + carried_forward = 5 (difference 2)",
    }
    assert result(checks, "t3.balance", "total").difference == 2
    assert result(checks, "t3.balance", "commercial_enterprise").status == "pass"
    assert result(checks, "t3.row_total", "carried_forward").status == "pass"


def test_row_total_fails_when_the_columns_do_not_add_up() -> None:
    rows = balanced_2019()
    rows["granted"] = ["2", "0", "0", "0", "0", "0", "3"]
    bad = result(run_report_checks(report(rows)), "t3.row_total", "granted")
    assert (bad.status, bad.expected, bad.actual, bad.difference) == ("fail", 2, 3, 1)


def test_blank_totals_make_row_total_not_assessable() -> None:
    rows = balanced_2019()
    for raws in rows.values():
        raws[6] = ""
    checks = run_report_checks(report(rows))
    granted = result(checks, "t3.row_total", "granted")
    assert (granted.status, granted.expected, granted.actual, granted.difference) == (
        "not_assessable",
        None,
        None,
        None,
    )
    assert granted.message == "granted: granted.total is blank"
    assert {c.status for c in checks if c.check == "t3.row_total"} == {"not_assessable"}
    assert result(checks, "t3.balance", "total").status == "not_assessable"
    assert result(checks, "t3.balance", "natural_person").status == "pass"


def test_text_and_not_applicable_operands_are_named() -> None:
    rows = balanced_2019()
    rows["new_received"][0] = "约2"
    rows["carried_over"][0] = "/"
    bad = result(run_report_checks(report(rows)), "t3.balance", "natural_person")
    assert bad.status == "not_assessable"
    assert bad.message == (
        "natural_person: new_received.natural_person is text '约2'; "
        "carried_over.natural_person is not_applicable '/'"
    )


def test_outcomes_use_the_three_2021_other_rows() -> None:
    rows = {row: list(ZERO_ROW) for row in keys.T3_ROWS_2021}
    rows["new_received"] = ["4", "0", "0", "0", "0", "0", "4"]
    rows["other_no_correction"] = ["1", "0", "0", "0", "0", "0", "1"]
    rows["other_unpaid_fee"] = ["1", "0", "0", "0", "0", "0", "1"]
    rows["other_misc"] = ["2", "0", "0", "0", "0", "0", "2"]
    rows["total_processed"] = ["4", "0", "0", "0", "0", "0", "4"]
    checks = run_report_checks(report(rows))
    assert {c.status for c in checks} == {"pass"}
    assert result(checks, "t3.outcomes", "natural_person").expected == 4
    assert len([c for c in checks if c.check == "t3.row_total"]) == 25


def test_outcomes_fail_when_outcomes_exceed_total() -> None:
    rows = balanced_2019()
    rows["other_handling"] = ["1", "0", "0", "0", "0", "0", "1"]
    bad = result(run_report_checks(report(rows)), "t3.outcomes", "total")
    assert (bad.status, bad.expected, bad.actual, bad.difference) == ("fail", 4, 3, -1)


def test_missing_outcome_rows_make_outcomes_not_assessable() -> None:
    rows = balanced_2019()
    del rows["rejected_duplicate"]
    del rows["other_handling"]
    checks = run_report_checks(report(rows))
    bad = result(checks, "t3.outcomes", "total")
    assert bad.status == "not_assessable"
    assert bad.message == "total: rejected_duplicate.total missing; other_handling.total missing"
    assert "rejected_duplicate" not in {c.scope for c in checks if c.check == "t3.row_total"}


def test_truncated_table_lists_a_few_missing_operands() -> None:
    rows = {k: v for k, v in balanced_2019().items() if k in ("new_received", "carried_over")}
    bad = result(run_report_checks(report(rows)), "t3.outcomes", "total")
    assert bad.status == "not_assessable"
    assert bad.message == (
        "total: granted.total missing; partially_granted.total missing; "
        "denied_state_secret.total missing; +17 more"
    )


def test_float_sums_are_compared_exactly_after_rounding() -> None:
    rows = {"granted": ["0.1", "0.2", "0", "0", "0", "0", "0.3"]}
    ok = result(run_report_checks(report(rows)), "t3.row_total", "granted")
    assert (ok.status, ok.expected, ok.actual, ok.difference) == ("pass", 0.3, 0.3, 0)
    rows = {"granted": ["0.1", "0.2", "0", "0", "0", "0", "0.4"]}
    bad = result(run_report_checks(report(rows)), "t3.row_total", "granted")
    assert (bad.status, bad.expected, bad.actual, bad.difference) == ("fail", 0.3, 0.4, 0.1)


def test_t4_total_per_proceeding() -> None:
    raws = ["1", "0", "0", "1", "2", "0", "0", "0", "0", "1", "", "0", "0", "0", "0"]
    checks = run_report_checks(report(reviews=raws))
    assert [(c.scope, c.status) for c in checks] == [
        ("admin_review", "pass"),
        ("litigation_direct", "fail"),
        ("litigation_after_review", "not_assessable"),
    ]
    direct = checks[1]
    assert (direct.expected, direct.actual, direct.difference) == (0, 1, 1)
    assert checks[2].message == "litigation_after_review: litigation_after_review.upheld is blank"


def test_no_checks_without_tables() -> None:
    assert run_report_checks(report()) == []
    only_t4 = run_report_checks(report(reviews=["0"] * 15))
    assert {c.check for c in only_t4} == {"t4.total"}
    only_t3 = run_report_checks(report(balanced_2019()))
    assert "t4.total" not in {c.check for c in only_t3}
