"""A ``Report`` as the rows of the store's tables (pure: no database here).

Column order of every tuple matches the ``INSERT`` statements in ``SQL``; the
store prepends the report id when it writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..models import Report, Section

SQL = {
    "sections": (
        "INSERT INTO sections (report_id, position, parent_position, level, number, key,"
        " heading, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ),
    "tables_raw": (
        "INSERT INTO tables_raw (report_id, idx, section, role, n_rows, n_cols, rows)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
    ),
    "active_disclosure": (
        "INSERT INTO active_disclosure (report_id, clause, item, metric, value, raw, kind,"
        " unit, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ),
    "applications": (
        'INSERT INTO applications (report_id, "row", applicant, value, raw, kind, unit, note)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ),
    "reviews": (
        "INSERT INTO reviews (report_id, proceeding, outcome, value, raw, kind, unit, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    ),
    "checks": (
        'INSERT INTO checks (report_id, related_report_id, origin, "check", scope, status,'
        " expected, actual, difference, message, created_at)"
        " VALUES (?, NULL, 'report', ?, ?, ?, ?, ?, ?, ?, ?)"
    ),
}

Row = tuple[object, ...]


@lru_cache(maxsize=256)
def insert_many_sql(table: str, n_rows: int) -> str:
    """``SQL[table]`` inserting ``n_rows`` rows in one statement (a multi-row VALUES).

    One statement per table rather than one per row: far fewer statement executions,
    and the full-text index of sections flushes its pending terms once per statement
    (SQLite 3.40 FTS5 writes a new segment at every statement savepoint).
    """
    head, _, values = SQL[table].partition(" VALUES ")
    return f"{head} VALUES {', '.join([values] * n_rows)}"


@dataclass(frozen=True, slots=True)
class ReportRows:
    """The columns of the ``reports`` row and the child rows of one report."""

    report: dict[str, object]
    children: dict[str, list[Row]]


def _flatten(sections: list[Section]) -> Iterator[tuple[int | None, int, Section]]:
    """Pre-order walk: (parent position, level, section)."""
    stack: list[tuple[int | None, int, Section]] = [(None, 0, s) for s in reversed(sections)]
    position = 0
    while stack:
        parent, level, section = stack.pop()
        yield parent, level, section
        stack.extend((position, level + 1, c) for c in reversed(section.children))
        position += 1


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def report_rows(report: Report, created_at: str) -> ReportRows:
    """Every row ``report`` becomes, ready for ``executemany``."""
    sections: list[Row] = [
        (pos, parent, level, s.number, s.key, s.heading, s.text)
        for pos, (parent, level, s) in enumerate(_flatten(report.sections))
    ]
    tables: list[Row] = [
        (
            t.index,
            t.section,
            t.role,
            len(t.rows),
            max((len(r) for r in t.rows), default=0),
            _dumps(t.rows),
        )
        for t in report.tables
    ]
    disclosure: list[Row] = [
        (c.clause, c.item, c.metric, c.value, c.raw, c.kind, c.unit, c.note)
        for c in report.active_disclosure
    ]
    applications: list[Row] = [
        (c.row, c.applicant, c.value, c.raw, c.kind, c.unit, c.note) for c in report.applications
    ]
    reviews: list[Row] = [
        (c.proceeding, c.outcome, c.value, c.raw, c.kind, c.unit, c.note) for c in report.reviews
    ]
    checks: list[Row] = [
        (c.check, c.scope, c.status, c.expected, c.actual, c.difference, c.message, created_at)
        for c in report.checks
    ]
    return ReportRows(
        report={
            "org": report.org,
            "year": report.year,
            "format": report.format,
            "kind": report.kind,
            "title": report.title,
            "published": report.published,
            "parser_version": report.parser_version,
            "warning_count": len(report.warnings),
            "warnings": _dumps([w.model_dump() for w in report.warnings]),
            "attachments": _dumps([a.model_dump() for a in report.attachments]),
        },
        children={
            "sections": sections,
            "tables_raw": tables,
            "active_disclosure": disclosure,
            "applications": applications,
            "reviews": reviews,
            "checks": checks,
        },
    )
