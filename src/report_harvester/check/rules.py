"""Consistency rules of domain.md §7 on one report: they flag, they never repair.

Each rule gives one ``CheckResult`` per scope (applicant column, row or
proceeding): ``pass``, ``fail`` with expected / actual / difference, or
``not_assessable`` naming the operand that is missing or not a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, cast

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
    total = sum(values)
    return round(total, _PLACES) if isinstance(total, float) else total


class _Rule(NamedTuple):
    """``sum(operands[:split])`` (described by ``lhs``) against ``sum(operands[split:])``."""

    check: str
    scope: str
    operands: tuple[_Operand, ...]
    split: int
    lhs: str
    rhs: str


def _rule(
    check: str,
    scope: str,
    expected_ops: Sequence[_Operand],
    actual_ops: Sequence[_Operand],
    lhs: str,
    rhs: str,
) -> _Rule:
    return _Rule(check, scope, (*expected_ops, *actual_ops), len(expected_ops), lhs, rhs)


def _compare(rule: _Rule, numbers: _Numbers) -> _Fields:
    get = numbers.get
    read = [get(op, " missing") for op in rule.operands]
    check, scope = rule.check, rule.scope
    try:  # an operand without a number is its reason, a string: adding it fails
        expected = _sum(cast(list[Number], read[: rule.split]))
        actual = _sum(cast(list[Number], read[rule.split :]))
    except TypeError:
        problems = [
            f"{row}.{column}{n}"
            for (row, column), n in zip(rule.operands, read, strict=True)
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
        "message": f"{scope}: {rule.lhs} = {expected}, but {rule.rhs} = {actual} "
        f"(difference {difference})",
    }


def run_report_checks(report: Report) -> list[CheckResult]:
    """Every per-report rule (t3.balance, t3.row_total, t3.outcomes, t4.total) on ``report``."""
    results: list[_Fields] = []
    if report.applications:
        results += _t3_checks(report.applications)
    if report.reviews:
        results += _t4_checks(report.reviews)
    return _RESULTS.validate_python(results) if results else []


_BALANCE = tuple(
    _rule(
        "t3.balance",
        applicant,
        [("new_received", applicant), ("carried_over", applicant)],
        [("total_processed", applicant), ("carried_forward", applicant)],
        "new_received + carried_over",
        "total_processed + carried_forward",
    )
    for applicant in keys.APPLICANTS
)


def _parts_vs_total(check: str, row: str, columns: Sequence[str], lhs: str) -> _Rule:
    """The ``total`` column of ``row`` against the sum of its other ``columns``."""
    return _rule(
        check, row, [(row, c) for c in columns if c != "total"], [(row, "total")], lhs, "total"
    )


@lru_cache(maxsize=256)
def _row_total(row: str) -> _Rule:
    return _parts_vs_total("t3.row_total", row, keys.APPLICANTS, "sum of the six applicant columns")


@lru_cache(maxsize=4)
def _outcomes(other_rows: tuple[str, ...]) -> tuple[_Rule, ...]:
    outcome_rows = (*_BASE_OUTCOME_ROWS, *other_rows)
    return tuple(
        _rule(
            "t3.outcomes",
            applicant,
            [(row, applicant) for row in outcome_rows],
            [("total_processed", applicant)],
            "sum of the outcome rows" + (" (with other_handling)" if len(other_rows) == 1 else ""),
            "total_processed",
        )
        for applicant in keys.APPLICANTS
    )


_T4_TOTAL = tuple(
    _parts_vs_total("t4.total", p, keys.OUTCOMES, "upheld + corrected + other + pending")
    for p in keys.PROCEEDINGS
)


def _t3_checks(cells: list[ApplicationCell]) -> list[_Fields]:
    numbers: _Numbers = {
        (c.row, c.applicant): c.value if c.kind == "number" and c.value is not None else _number(c)
        for c in cells
    }
    rows = sorted({c.row for c in cells}, key=lambda r: _ROW_ORDER.get(r, len(_ROW_ORDER)))
    present = set(rows)
    if "other_handling" in present:
        other_rows: tuple[str, ...] = ("other_handling",)
    elif present & set(keys.T3_OTHER_2021):
        other_rows = keys.T3_OTHER_2021
    else:
        other_rows = ("other_handling",)  # neither: reported as missing
    rules = (*_BALANCE, *(_row_total(row) for row in rows), *_outcomes(other_rows))
    return [_compare(rule, numbers) for rule in rules]


def _t4_checks(cells: list[ReviewCell]) -> list[_Fields]:
    numbers: _Numbers = {(c.proceeding, c.outcome): _number(c) for c in cells}
    return [_compare(rule, numbers) for rule in _T4_TOTAL]
