"""Grids → canonical table 二/三/四 records. (STUB: helper fills in)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import ApplicationCell, DisclosureCell, RawTable, ReviewCell, Warning
from .grid import Grid


@dataclass(slots=True)
class TableResult:
    active_disclosure: list[DisclosureCell] = field(default_factory=list)
    applications: list[ApplicationCell] = field(default_factory=list)
    reviews: list[ReviewCell] = field(default_factory=list)
    raw_tables: list[RawTable] = field(default_factory=list)
    format_votes: dict[str, int] = field(default_factory=dict)  # "2019"/"2021" → label hits
    warnings: list[Warning] = field(default_factory=list)


def map_tables(
    tables: Sequence[tuple[int | None, Grid]],
    loose_lines: Sequence[tuple[int | None, str]] = (),
) -> TableResult:
    return TableResult()
