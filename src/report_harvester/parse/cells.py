"""Canonical cell records (tables 二, 三, 四) from their keys and what was read.

A report holds a couple of hundred cells and most of them repeat across reports
(``0`` under the same row and column, blanks, the same labels' values), so each
distinct record is validated once and then shared: the records are frozen.
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from ..models import ApplicationCell, DisclosureCell, ReviewCell, Value
from .table_roles import value_of

_DISTINCT = 1 << 16  # records kept: a few MB, far more than one report's cells
_VALUE_FIELDS = ("value", "raw", "kind", "unit", "note")
_APPLICATION = ("row", "applicant", *_VALUE_FIELDS)
_DISCLOSURE = ("clause", "item", "metric", *_VALUE_FIELDS)
_REVIEW = ("proceeding", "outcome", *_VALUE_FIELDS)
_Cell = ApplicationCell | DisclosureCell | ReviewCell


@lru_cache(maxsize=_DISTINCT)
def application_cell(row: str, applicant: str, raw: str) -> ApplicationCell:
    """The table 三 cell at ``row`` × ``applicant`` whose text is ``raw``."""
    return application_cell_of(row, applicant, value_of(raw))


def application_cell_of(row: str, applicant: str, v: Value) -> ApplicationCell:
    """The table 三 cell at ``row`` × ``applicant`` holding ``v``."""
    cell = _record(ApplicationCell, _APPLICATION, row, applicant, *_read(v))
    return cast(ApplicationCell, cell)


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
    cell = _record(DisclosureCell, _DISCLOSURE, clause, item, metric, value, raw, kind, unit, note)
    return cast(DisclosureCell, cell)


def disclosure_cell_of(clause: str, item: str, metric: str, v: Value) -> DisclosureCell:
    """The table 二 cell of ``item``'s ``metric`` (under ``clause``) holding ``v``."""
    return disclosure_cell(clause, item, metric, *_read(v))


def review_cell_of(proceeding: str, outcome: str, v: Value) -> ReviewCell:
    """The table 四 cell at ``proceeding`` × ``outcome`` holding ``v``."""
    return cast(ReviewCell, _record(ReviewCell, _REVIEW, proceeding, outcome, *_read(v)))


def _read(v: Value) -> tuple[int | float | None, str, str, str | None, str | None]:
    return v.value, v.raw, v.kind, v.unit, v.note


# ``typed``: 0 and 0.0 are equal keys otherwise, and the record must keep the type read.
@lru_cache(maxsize=_DISTINCT, typed=True)
def _record(model: type[_Cell], names: tuple[str, ...], *fields: object) -> _Cell:
    return model.model_validate(dict(zip(names, fields, strict=True)))
