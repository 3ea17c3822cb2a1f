"""Cross-report consistency rules (domain.md §7): the same body, consecutive years.

``cross_year.carry``: this year's carried_over.total = last year's carried_forward.total.
``t2.in_force`` (2021 format only, per item regulations / normative_documents):
in_force(N) = in_force(N-1) + issued(N) - repealed(N); bodies restate their counts, so
a failure is a warning like every check.

Pure functions over ``ReportFacts`` (the few cells the rules read); the store loads the
facts of current reports and writes the results. Results flag, never repair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..models import CheckResult

Number = int | float
CellKey = tuple[str, str, str]  # (table, row/item, applicant/metric)

CARRY = "cross_year.carry"
IN_FORCE = "t2.in_force"
IN_FORCE_ITEMS: tuple[str, ...] = ("regulations", "normative_documents")
_T3_FORMATS = ("2019", "2021")


@dataclass(frozen=True, slots=True)
class Cell:
    """A stored cell: its number (if any) and its kind (number, blank, text, ...)."""

    value: Number | None
    kind: str


MISSING = Cell(None, "missing")


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What the cross-report rules need to know about one current report."""

    report_id: int
    org: str | None
    year: int | None
    format: str
    cells: Mapping[CellKey, Cell] = field(default_factory=dict)

    def cell(self, table: str, a: str, b: str) -> Cell:
        return self.cells.get((table, a, b), MISSING)


@dataclass(frozen=True, slots=True)
class CrossResult:
    """One rule applied to one report; ``related_report_id`` is last year's report."""

    report_id: int
    related_report_id: int | None
    result: CheckResult


def _number(cell: Cell) -> Number | None:
    return cell.value if cell.kind == "number" and cell.value is not None else None


def _describe(name: str, cell: Cell) -> str:
    return f"{name} is {'not in the report' if cell.kind == 'missing' else cell.kind}"


def _same(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6 if isinstance(a, float) or isinstance(b, float) else a == b


def _difference(actual: Number, expected: Number) -> Number:
    diff = actual - expected
    return round(diff, 6) if isinstance(diff, float) else diff


def _org_key(org: str | None) -> str | None:
    org = (org or "").strip()
    return org or None


def _not_assessable(check: str, scope: str, message: str) -> CheckResult:
    return CheckResult(check=check, scope=scope, status="not_assessable", message=message)


def _compare(check: str, scope: str, expected: Number, actual: Number, message: str) -> CheckResult:
    ok = _same(actual, expected)
    return CheckResult(
        check=check,
        scope=scope,
        status="pass" if ok else "fail",
        expected=expected,
        actual=actual,
        difference=_difference(actual, expected),
        message=None if ok else message,
    )


def _previous_value(
    candidates: list[ReportFacts], key: CellKey, org: str, year: int, name: str
) -> tuple[Number, int] | str:
    """Last year's number for ``key`` and the report it came from, or why there is none."""
    numbers = [(_number(c.cell(*key)), c.report_id) for c in candidates]
    known = [(v, rid) for v, rid in numbers if v is not None]
    if not known:
        return f"last year's {_describe(name, candidates[0].cell(*key))} ({org} {year})"
    distinct = {v for v, _ in known}
    if len(distinct) > 1:
        values = ", ".join(str(v) for v in sorted(distinct))
        return f"{len(known)} reports of {org} for {year} disagree on {name} ({values})"
    return known[0]


def _carry(report: ReportFacts, last_year: list[ReportFacts]) -> CrossResult:
    scope = "total"
    org, year = _org_key(report.org), report.year
    if org is None or year is None:
        missing = "issuing body" if org is None else "year"
        return CrossResult(
            report.report_id, None, _not_assessable(CARRY, scope, f"{missing} unknown")
        )
    this = report.cell("applications", "carried_over", "total")
    actual = _number(this)
    if actual is None:
        message = _describe("carried_over.total", this)
        return CrossResult(report.report_id, None, _not_assessable(CARRY, scope, message))
    candidates = [c for c in last_year if c.format in _T3_FORMATS]
    if not candidates:
        message = f"no report of {org} for {year - 1}"
        return CrossResult(report.report_id, None, _not_assessable(CARRY, scope, message))
    previous = _previous_value(
        candidates,
        ("applications", "carried_forward", "total"),
        org,
        year - 1,
        "carried_forward.total",
    )
    if isinstance(previous, str):
        related = candidates[0].report_id if len(candidates) == 1 else None
        return CrossResult(report.report_id, related, _not_assessable(CARRY, scope, previous))
    expected, related_id = previous
    message = f"carried_over {actual} in {year} but {year - 1} carried_forward {expected}"
    return CrossResult(
        report.report_id, related_id, _compare(CARRY, scope, expected, actual, message)
    )


def _in_force(report: ReportFacts, item: str, last_year: list[ReportFacts]) -> CrossResult:
    org, year = _org_key(report.org), report.year
    if org is None or year is None:
        missing = "issuing body" if org is None else "year"
        return CrossResult(
            report.report_id, None, _not_assessable(IN_FORCE, item, f"{missing} unknown")
        )
    operands: dict[str, Number] = {}
    for metric in ("in_force", "issued", "repealed"):
        cell = report.cell("active_disclosure", item, metric)
        value = _number(cell)
        if value is None:
            message = _describe(f"{item}.{metric}", cell)
            return CrossResult(report.report_id, None, _not_assessable(IN_FORCE, item, message))
        operands[metric] = value
    if not last_year:
        message = f"no report of {org} for {year - 1}"
        return CrossResult(report.report_id, None, _not_assessable(IN_FORCE, item, message))
    candidates = [c for c in last_year if c.format == "2021"]
    if not candidates:
        message = f"the {year - 1} report of {org} is not in the 2021 format (no in_force)"
        related = last_year[0].report_id if len(last_year) == 1 else None
        return CrossResult(report.report_id, related, _not_assessable(IN_FORCE, item, message))
    previous = _previous_value(
        candidates, ("active_disclosure", item, "in_force"), org, year - 1, f"{item}.in_force"
    )
    if isinstance(previous, str):
        related = candidates[0].report_id if len(candidates) == 1 else None
        return CrossResult(report.report_id, related, _not_assessable(IN_FORCE, item, previous))
    last_in_force, related_id = previous
    expected = last_in_force + operands["issued"] - operands["repealed"]
    message = (
        f"in_force {operands['in_force']} in {year}, but {year - 1} in_force {last_in_force}"
        f" + issued {operands['issued']} - repealed {operands['repealed']} = {expected}"
    )
    return CrossResult(
        report.report_id,
        related_id,
        _compare(IN_FORCE, item, expected, operands["in_force"], message),
    )


def cross_report_checks(reports: Iterable[ReportFacts]) -> list[CrossResult]:
    """Apply both cross-report rules to every report that has the table they read.

    ``cross_year.carry`` to each 2019/2021-format report (scope ``total``);
    ``t2.in_force`` to each 2021-format report, once per item. A report without a
    comparable report of the same body for the previous year gets ``not_assessable``.
    """
    facts = list(reports)
    by_org_year: dict[tuple[str, int], list[ReportFacts]] = defaultdict(list)
    for f in facts:
        org = _org_key(f.org)
        if org is not None and f.year is not None:
            by_org_year[(org, f.year)].append(f)
    results: list[CrossResult] = []
    for f in sorted(facts, key=lambda x: x.report_id):
        org = _org_key(f.org)
        last_year = (
            by_org_year.get((org, f.year - 1), []) if org is not None and f.year is not None else []
        )
        if f.format in _T3_FORMATS:
            results.append(_carry(f, last_year))
        if f.format == "2021":
            results.extend(_in_force(f, item, last_year) for item in IN_FORCE_ITEMS)
    return results
