"""Consistency rules of domain.md §7 on one report: they flag, they never repair.

Each rule gives one ``CheckResult`` per scope (applicant column, row or
proceeding): ``pass``, ``fail`` with expected / actual / difference, or
``not_assessable`` naming the operand that is missing or not a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter

from .. import keys
from ..models import ApplicationCell, CheckResult, Report, ReviewCell

Number = int | float
_PLACES = 6
_BASE_OUTCOME_ROWS = tuple(
    r for r in keys.T3_OUTCOME_ROWS if r != "other_handling" and r not in keys.T3_OTHER_2021
)
_ROW_ORDER = {r: i for i, r in enumerate((*keys.T3_ROWS_2019, *keys.T3_OTHER_2021))}


# An operand is a (row, column) pair: (row, applicant) in table 三, (proceeding, outcome)
# in table 四. Each cell is read once, into its number or why it has none.
_Operand = tuple[str, str]
_Numbers = dict[_Operand, Number | str]
# The fields of one ``CheckResult``: all of a report's results are validated in one call.
_Fields = dict[str, object]
_RESULTS = TypeAdapter(list[CheckResult])


def _number(cell: ApplicationCell | ReviewCell) -> Number | str:
    """The cell's number, or why it has none (`` is blank``), to follow its name."""
    if cell.kind != "number" or cell.value is None:
        return f" is {cell.kind}" + (f" {cell.raw.strip()!r}" if cell.raw.strip() else "")
    return cell.value


def _sum(values: Sequence[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return round(total, _PLACES) if isinstance(total, float) else total


def _compare(
    check: str,
    scope: str,
    numbers: _Numbers,
    expected_ops: Sequence[_Operand],
    actual_ops: Sequence[_Operand],
    lhs: str,
    rhs: str,
) -> _Fields:
    """``sum(expected_ops)`` (described by ``lhs``) against ``sum(actual_ops)`` (``rhs``)."""
    operands = (*expected_ops, *actual_ops)
    read = [numbers.get(op, " missing") for op in operands]
    values = [n for n in read if not isinstance(n, str)]
    if len(values) < len(read):
        problems = [
            f"{row}.{column}{n}"
            for (row, column), n in zip(operands, read, strict=True)
            if isinstance(n, str)
        ]
        shown = "; ".join(problems[:3]) + (
            f"; +{len(problems) - 3} more" if len(problems) > 3 else ""
        )
        return {
            "check": check,
            "scope": scope,
            "status": "not_assessable",
            "message": f"{scope}: {shown}",
        }
    expected = _sum(values[: len(expected_ops)])
    actual = _sum(values[len(expected_ops) :])
    if expected == actual:
        return {
            "check": check,
            "scope": scope,
            "status": "pass",
            "expected": expected,
            "actual": actual,
            "difference": 0,
        }
    difference = _sum([actual, -expected])
    return {
        "check": check,
        "scope": scope,
        "status": "fail",
        "expected": expected,
        "actual": actual,
        "difference": difference,
        "message": f"{scope}: {lhs} = {expected}, but {rhs} = {actual} (difference {difference})",
    }


def run_report_checks(report: Report) -> list[CheckResult]:
    """Every per-report rule (t3.balance, t3.row_total, t3.outcomes, t4.total) on ``report``."""
    results: list[_Fields] = []
    if report.applications:
        results += _t3_checks(report.applications)
    if report.reviews:
        results += _t4_checks(report.reviews)
    return _RESULTS.validate_python(results) if results else []


def _t3_checks(cells: list[ApplicationCell]) -> list[_Fields]:
    numbers: _Numbers = {(c.row, c.applicant): _number(c) for c in cells}
    rows = sorted({c.row for c in cells}, key=lambda r: _ROW_ORDER.get(r, len(_ROW_ORDER)))
    results = [
        _compare(
            "t3.balance",
            applicant,
            numbers,
            [("new_received", applicant), ("carried_over", applicant)],
            [("total_processed", applicant), ("carried_forward", applicant)],
            "new_received + carried_over",
            "total_processed + carried_forward",
        )
        for applicant in keys.APPLICANTS
    ]
    results += [
        _compare(
            "t3.row_total",
            row,
            numbers,
            [(row, a) for a in keys.APPLICANTS if a != "total"],
            [(row, "total")],
            "sum of the six applicant columns",
            "total",
        )
        for row in rows
    ]
    present = set(rows)
    if "other_handling" in present:
        other_rows: tuple[str, ...] = ("other_handling",)
    elif present & set(keys.T3_OTHER_2021):
        other_rows = keys.T3_OTHER_2021
    else:
        other_rows = ("other_handling",)  # neither: reported as missing
    outcome_rows = (*_BASE_OUTCOME_ROWS, *other_rows)
    results += [
        _compare(
            "t3.outcomes",
            applicant,
            numbers,
            [(row, applicant) for row in outcome_rows],
            [("total_processed", applicant)],
            "sum of the outcome rows" + (" (with other_handling)" if len(other_rows) == 1 else ""),
            "total_processed",
        )
        for applicant in keys.APPLICANTS
    ]
    return results


def _t4_checks(cells: list[ReviewCell]) -> list[_Fields]:
    numbers: _Numbers = {(c.proceeding, c.outcome): _number(c) for c in cells}
    parts = [o for o in keys.OUTCOMES if o != "total"]
    return [
        _compare(
            "t4.total",
            proceeding,
            numbers,
            [(proceeding, o) for o in parts],
            [(proceeding, "total")],
            "upheld + corrected + other + pending",
            "total",
        )
        for proceeding in keys.PROCEEDINGS
    ]
