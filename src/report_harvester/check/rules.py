"""Consistency rules of domain.md §7 on one report: they flag, they never repair.

Each rule gives one ``CheckResult`` per scope (applicant column, row or
proceeding): ``pass``, ``fail`` with expected / actual / difference, or
``not_assessable`` naming the operand that is missing or not a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import keys
from ..models import ApplicationCell, CheckResult, Report, ReviewCell

Number = int | float
_PLACES = 6
_BASE_OUTCOME_ROWS = tuple(
    r for r in keys.T3_OUTCOME_ROWS if r != "other_handling" and r not in keys.T3_OTHER_2021
)
_ROW_ORDER = {r: i for i, r in enumerate((*keys.T3_ROWS_2019, *keys.T3_OTHER_2021))}


@dataclass(frozen=True, slots=True)
class _Operand:
    name: str  # e.g. "granted.total"
    cell: ApplicationCell | ReviewCell | None


def _number(op: _Operand) -> Number | str:
    """The operand's number, or why it has none."""
    cell = op.cell
    if cell is None:
        return f"{op.name} missing"
    if cell.kind != "number" or cell.value is None:
        return f"{op.name} is {cell.kind}" + (f" {cell.raw.strip()!r}" if cell.raw.strip() else "")
    return cell.value


def _sum(values: Sequence[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return round(total, _PLACES) if isinstance(total, float) else total


def _compare(
    check: str,
    scope: str,
    expected_ops: Sequence[_Operand],
    actual_ops: Sequence[_Operand],
    lhs: str,
    rhs: str,
) -> CheckResult:
    """``sum(expected_ops)`` (described by ``lhs``) against ``sum(actual_ops)`` (``rhs``)."""
    numbers = [_number(op) for op in (*expected_ops, *actual_ops)]
    problems = [n for n in numbers if isinstance(n, str)]
    if problems:
        shown = "; ".join(problems[:3]) + (
            f"; +{len(problems) - 3} more" if len(problems) > 3 else ""
        )
        return CheckResult(
            check=check, scope=scope, status="not_assessable", message=f"{scope}: {shown}"
        )
    values = [n for n in numbers if not isinstance(n, str)]
    expected = _sum(values[: len(expected_ops)])
    actual = _sum(values[len(expected_ops) :])
    if expected == actual:
        return CheckResult(
            check=check,
            scope=scope,
            status="pass",
            expected=expected,
            actual=actual,
            difference=0,
        )
    difference = _sum([actual, -expected])
    return CheckResult(
        check=check,
        scope=scope,
        status="fail",
        expected=expected,
        actual=actual,
        difference=difference,
        message=f"{scope}: {lhs} = {expected}, but {rhs} = {actual} (difference {difference})",
    )


def run_report_checks(report: Report) -> list[CheckResult]:
    """Every per-report rule (t3.balance, t3.row_total, t3.outcomes, t4.total) on ``report``."""
    results: list[CheckResult] = []
    if report.applications:
        results += _t3_checks(report.applications)
    if report.reviews:
        results += _t4_checks(report.reviews)
    return results


def _t3_checks(cells: list[ApplicationCell]) -> list[CheckResult]:
    index = {(c.row, c.applicant): c for c in cells}
    rows = sorted({c.row for c in cells}, key=lambda r: _ROW_ORDER.get(r, len(_ROW_ORDER)))

    def op(row: str, applicant: str) -> _Operand:
        return _Operand(f"{row}.{applicant}", index.get((row, applicant)))

    results = [
        _compare(
            "t3.balance",
            applicant,
            [op("new_received", applicant), op("carried_over", applicant)],
            [op("total_processed", applicant), op("carried_forward", applicant)],
            "new_received + carried_over",
            "total_processed + carried_forward",
        )
        for applicant in keys.APPLICANTS
    ]
    results += [
        _compare(
            "t3.row_total",
            row,
            [op(row, a) for a in keys.APPLICANTS if a != "total"],
            [op(row, "total")],
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
            [op(row, applicant) for row in outcome_rows],
            [op("total_processed", applicant)],
            "sum of the outcome rows" + (" (with other_handling)" if len(other_rows) == 1 else ""),
            "total_processed",
        )
        for applicant in keys.APPLICANTS
    ]
    return results


def _t4_checks(cells: list[ReviewCell]) -> list[CheckResult]:
    index = {(c.proceeding, c.outcome): c for c in cells}
    parts = [o for o in keys.OUTCOMES if o != "total"]
    return [
        _compare(
            "t4.total",
            proceeding,
            [_Operand(f"{proceeding}.{o}", index.get((proceeding, o))) for o in parts],
            [_Operand(f"{proceeding}.total", index.get((proceeding, "total")))],
            "upheld + corrected + other + pending",
            "total",
        )
        for proceeding in keys.PROCEEDINGS
    ]
