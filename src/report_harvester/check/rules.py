"""Consistency rules of domain.md §7. (STUB: helper fills in)"""

from __future__ import annotations

from ..models import CheckResult, Report


def run_report_checks(report: Report) -> list[CheckResult]:
    return []
