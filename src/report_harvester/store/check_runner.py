"""``Store.run_checks``: cross-report rules over current reports, stored, then summarised.

Per-report checks (t3.*, t4.*) are computed by the parser and stored by ``ingest``
with their report (``origin = 'report'``); this job replaces every cross-report
result (``origin = 'cross'``) and summarises both kinds over current reports. On a
read-only store the cross-report results are computed and counted, not written.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..check.cross import (
    IN_FORCE_ITEMS,
    Cell,
    CellKey,
    CrossResult,
    ReportFacts,
    cross_report_checks,
)
from .db import store_error, utc_now

if TYPE_CHECKING:
    from .db import Store

WORST_OFFENDERS = 10


@dataclass(frozen=True, slots=True)
class Offender:
    """A current report with failing checks."""

    report_id: int
    org: str | None
    year: int | None
    locator: str
    failures: int


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """Counts by check × status over current reports, and the reports failing most."""

    reports: int  # current reports
    cross_results: int  # cross-report results computed by this run
    counts: list[tuple[str, str, int]]  # (check, status, count), sorted by check, status
    worst: list[Offender]
    stored: bool = True  # False: a read-only database; the cross results were not written

    @property
    def failed(self) -> int:
        return sum(n for _, status, n in self.counts if status == "fail")

    def count(self, check: str, status: str) -> int:
        return next((n for c, s, n in self.counts if c == check and s == status), 0)


def load_facts(store: Store) -> list[ReportFacts]:
    """The cells the cross-report rules read, for every current 2019/2021 report."""
    conn = store.connection
    heads = conn.execute(
        "SELECT id, org, year, format FROM reports"
        " WHERE current = 1 AND format IN ('2019', '2021') ORDER BY id"
    ).fetchall()
    cells: dict[int, dict[CellKey, Cell]] = defaultdict(dict)
    for report_id, row, applicant, value, kind in conn.execute(
        'SELECT a.report_id, a."row", a.applicant, a.value, a.kind FROM applications a'
        " JOIN reports r ON r.id = a.report_id"
        " WHERE r.current = 1 AND a.applicant = 'total'"
        " AND a.\"row\" IN ('carried_over', 'carried_forward') ORDER BY a.id"
    ):
        cells[report_id].setdefault(("applications", row, applicant), Cell(value, kind))
    items = ", ".join(f"'{i}'" for i in IN_FORCE_ITEMS)
    for report_id, item, metric, value, kind in conn.execute(
        "SELECT d.report_id, d.item, d.metric, d.value, d.kind FROM active_disclosure d"
        " JOIN reports r ON r.id = d.report_id"
        f" WHERE r.current = 1 AND r.format = '2021' AND d.item IN ({items})"
        " AND d.metric IN ('issued', 'repealed', 'in_force') ORDER BY d.id"
    ):
        cells[report_id].setdefault(("active_disclosure", item, metric), Cell(value, kind))
    return [
        ReportFacts(report_id=rid, org=org, year=year, format=fmt, cells=cells.get(rid, {}))
        for rid, org, year, fmt in heads
    ]


def _write(store: Store, results: list[CrossResult]) -> None:
    now = utc_now()
    with store.transaction() as conn:
        conn.execute("DELETE FROM checks WHERE origin = 'cross'")
        conn.executemany(
            'INSERT INTO checks (report_id, related_report_id, origin, "check", scope, status,'
            " expected, actual, difference, message, created_at)"
            " VALUES (?, ?, 'cross', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.report_id,
                    r.related_report_id,
                    r.result.check,
                    r.result.scope,
                    r.result.status,
                    r.result.expected,
                    r.result.actual,
                    r.result.difference,
                    r.result.message,
                    now,
                )
                for r in results
            ],
        )


def summarise(store: Store, fresh_cross: list[CrossResult] | None = None) -> CheckSummary:
    """Counts and worst offenders over the checks of current reports.

    ``fresh_cross``: cross-report results computed now but not stored (a read-only
    database); they stand in for the stored ones.
    """
    conn = store.connection
    reports = int(conn.execute("SELECT count(*) FROM reports WHERE current = 1").fetchone()[0])
    only = "" if fresh_cross is None else " AND c.origin != 'cross'"
    tally: Counter[tuple[str, str]] = Counter()
    for check, status, n in conn.execute(
        'SELECT c."check", c.status, count(*) FROM checks c'
        f" JOIN reports r ON r.id = c.report_id WHERE r.current = 1{only}"
        ' GROUP BY c."check", c.status'
    ):
        tally[(str(check), str(status))] += int(n)
    failures: Counter[int] = Counter()
    for rid, n in conn.execute(
        "SELECT c.report_id, count(*) FROM checks c JOIN reports r ON r.id = c.report_id"
        f" WHERE r.current = 1 AND c.status = 'fail'{only} GROUP BY c.report_id"
    ):
        failures[int(rid)] += int(n)
    for r in fresh_cross or []:
        tally[(r.result.check, r.result.status)] += 1
        if r.result.status == "fail":
            failures[r.report_id] += 1
    counts = [(check, status, n) for (check, status), n in sorted(tally.items())]
    top = sorted(failures.items(), key=lambda item: (-item[1], item[0]))[:WORST_OFFENDERS]
    heads = {
        int(rid): (org, year, str(locator))
        for rid, org, year, locator in conn.execute(
            "SELECT id, org, year, locator FROM reports WHERE id IN"
            f" ({','.join('?' * len(top))})",
            [rid for rid, _ in top],
        )
    }
    worst = [Offender(rid, *heads[rid], n) for rid, n in top]
    cross = len(fresh_cross) if fresh_cross is not None else 0
    return CheckSummary(reports=reports, cross_results=cross, counts=counts, worst=worst)


def run_checks(store: Store) -> CheckSummary:
    """Recompute the cross-report results, store them (unless the store is read-only:
    then they are only counted) and summarise every check of current reports."""
    try:
        results = cross_report_checks(load_facts(store))
        if store.readonly:
            return replace(summarise(store, results), stored=False)
        _write(store, results)
        return replace(summarise(store), cross_results=len(results))
    except sqlite3.Error as exc:
        raise store_error(store.path, exc) from None
