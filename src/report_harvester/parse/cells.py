"""Canonical cell records (tables 二, 三, 四) from their keys and what was read.

A report holds a couple of hundred cells and most of them repeat across reports
(``0`` under the same row and column, blanks, the same labels' values), so each
distinct record is validated once and then shared: the records are frozen.
"""

from __future__ import annotations

from functools import lru_cache

from ..models import ApplicationCell, DisclosureCell, ReviewCell, Value
from .table_roles import value_of

_DISTINCT = 1 << 15  # records kept per table: a few MB, far more than one report's cells


@lru_cache(maxsize=_DISTINCT)
def application_cell(row: str, applicant: str, raw: str) -> ApplicationCell:
    """The table 三 cell at ``row`` × ``applicant`` whose text is ``raw``."""
    return application_cell_of(row, applicant, value_of(raw))


def application_cell_of(row: str, applicant: str, v: Value) -> ApplicationCell:
    """The table 三 cell at ``row`` × ``applicant`` holding ``v``."""
    return _application(row, applicant, v.value, v.raw, v.kind, v.unit, v.note)


def disclosure_cell_of(clause: str, item: str, metric: str, v: Value) -> DisclosureCell:
    """The table 二 cell of ``item``'s ``metric`` (under ``clause``) holding ``v``."""
    return disclosure_cell(clause, item, metric, v.value, v.raw, v.kind, v.unit, v.note)


def review_cell_of(proceeding: str, outcome: str, v: Value) -> ReviewCell:
    """The table 四 cell at ``proceeding`` × ``outcome`` holding ``v``."""
    return _review(proceeding, outcome, v.value, v.raw, v.kind, v.unit, v.note)


# ``typed``: 0 and 0.0 are equal keys otherwise, and the record must keep the type read.
@lru_cache(maxsize=_DISTINCT, typed=True)
def _application(
    row: str,
    applicant: str,
    value: int | float | None,
    raw: str,
    kind: str,
    unit: str | None,
    note: str | None,
) -> ApplicationCell:
    return ApplicationCell.model_validate(
        {"row": row, "applicant": applicant, "value": value, "raw": raw, "kind": kind,
         "unit": unit, "note": note}
    )  # fmt: skip


@lru_cache(maxsize=_DISTINCT, typed=True)
def disclosure_cell(
    clause: str,
    item: str,
    metric: str,
    value: int | float | None,
    raw: str,
    kind: str,
    unit: str | None,
    note: str | None,
) -> DisclosureCell:
    """The table 二 cell of ``item``'s ``metric`` (under ``clause``), field by field."""
    return DisclosureCell.model_validate(
        {"clause": clause, "item": item, "metric": metric, "value": value, "raw": raw,
         "kind": kind, "unit": unit, "note": note}
    )  # fmt: skip


@lru_cache(maxsize=_DISTINCT, typed=True)
def _review(
    proceeding: str,
    outcome: str,
    value: int | float | None,
    raw: str,
    kind: str,
    unit: str | None,
    note: str | None,
) -> ReviewCell:
    return ReviewCell.model_validate(
        {"proceeding": proceeding, "outcome": outcome, "value": value, "raw": raw,
         "kind": kind, "unit": unit, "note": note}
    )  # fmt: skip
