"""Table 四 (reviews and lawsuits): one row of 15 values, 3 proceedings × 5 outcomes.

The data row is found by shape, not position: the row with exactly fifteen
value cells. Some renderings drop the header (a grid of one row) or the table
itself (a loose line of fifteen numbers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import keys
from ..models import ReviewCell, Warning
from .cells import review_cell_of
from .grid import Grid
from .table_roles import (
    T4_WIDTH,
    cells_under,
    key,
    open_ended,
    slot_text,
    split_row,
    t4_values,
    value_of,
)

_LOOSE_SEPARATORS = re.compile(r"[\s\u00a0\u3000|｜]+")
_PAIRS = tuple((p, o) for p in keys.PROCEEDINGS for o in keys.OUTCOMES)  # printed order


@dataclass(slots=True)
class T4Result:
    cells: list[ReviewCell] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    mapped_tables: set[int] = field(default_factory=set)


def review_cells(values: Sequence[str]) -> list[ReviewCell]:
    """Fifteen raw values, in printed order, as review cells."""
    return [
        review_cell_of(proceeding, outcome, value_of(raw))
        for (proceeding, outcome), raw in zip(_PAIRS, values, strict=True)
    ]


_OUTCOME_WORDS = tuple(
    (re.compile(p), outcome)
    for p, outcome in (
        ("维持", "upheld"), ("纠正", "corrected"), ("其他", "other"), ("未审结", "pending"),
        ("总计|合计", "total"),
    )
)  # fmt: skip


def _outcome_columns(grid: Grid) -> tuple[int, list[int]] | None:
    """The header rows (those above the first number) naming fifteen outcomes in the
    template's order (结果维持 … 总计, three times), each column by its lowest header
    text, and those columns: in a grid whose columns are columns in every row, the data
    row's values are under them, whatever empty columns lie between."""
    if not grid.aligned:
        return None
    first = next(
        (
            r
            for r in range(len(grid.rows))
            if any(value_of(t).kind == "number" for t in grid.row_cells(r))
        ),
        len(grid.rows),
    )
    columns: list[int] = []
    outcomes: list[str] = []
    for c in range(grid.width):
        text = next(
            (t for r in range(first - 1, -1, -1) if (t := slot_text(grid, r, c).strip())), ""
        )
        outcome = _outcome(key(text)) if text else None
        if outcome is not None:
            columns.append(c)
            outcomes.append(outcome)
    if first == 0 or outcomes != list(keys.OUTCOMES) * 3:
        return None
    return first - 1, columns


def _outcome(label: str) -> str | None:
    return next((outcome for pattern, outcome in _OUTCOME_WORDS if pattern.search(label)), None)


def _under_header(grid: Grid, header: tuple[int, list[int]]) -> list[str] | None:
    """The values of the first row below the header with a number under its outcome
    columns, when they are the row's only values (``cells_under``) and none is words."""
    row_at, columns = header
    for r in range(row_at + 1, len(grid.rows)):
        if not any(value_of(slot_text(grid, r, c)).kind == "number" for c in columns):
            continue
        values = cells_under(grid, r, columns)
        if values is None or any(value_of(v).kind == "text" for v in values):
            return None
        return values
    return None


def _data_row(grid: Grid) -> tuple[list[str] | None, list[str]]:
    """The 15 values of the grid's data row, or ``None`` and what is wrong with each
    numeric row.

    A row of exactly fifteen value cells is the data row as it stands; one with more or
    fewer is read under the header's outcome columns when they are known (empty spacer
    columns between), and only then cut to fifteen at its ends."""
    blank_row: list[str] | None = None
    problems: list[str] = []
    for r in range(len(grid.rows)):
        cells = grid.row_cells(r)
        if len(split_row(cells).values) != T4_WIDTH and any(
            value_of(c).kind == "number" for c in cells
        ):
            header = _outcome_columns(grid)
            if header is not None and (under := _under_header(grid, header)) is not None:
                return under, []
        values = t4_values(cells)
        kinds = [value_of(v).kind for v in values]
        if "text" in kinds:
            if "number" in kinds:
                problems.append(_width(len(values)))
            continue
        numbers = kinds.count("number")
        if len(values) == T4_WIDTH and numbers and _cut_short(grid, r, values):
            problems.append(
                "data row is shorter than its table and has an empty cell: a row cut "
                "short or an empty value, nothing says which"
            )
            continue
        if len(values) == T4_WIDTH:
            if numbers:
                return values, []
            if grid.spans and r > 0:
                blank_row = values  # an HTML row of 15 empty cells under the header
        elif numbers:
            problems.append(_width(len(values)))
    return blank_row, problems


def _width(found: int) -> str:
    return f"data row has {found} value cells, expected {T4_WIDTH}"


def _cut_short(grid: Grid, r: int, values: list[str]) -> bool:
    """A text row that may have lost cells at its end, with an empty cell among its
    fifteen: the end of a row cut short whose empty cell is a spacer column, or a whole
    row with an empty value; nothing says which."""
    return open_ended(grid, r) and any(not v.strip() for v in values)


def map_t4(grids: Sequence[tuple[int, int | None, Grid]]) -> T4Result:
    """Map the first table-四 grid that has a data row of fifteen values."""
    out = T4Result()
    for index, section, grid in grids:
        where = f"table {index} in section {section if section is not None else '?'}"
        values, problems = _data_row(grid)
        if values is not None:
            if out.cells:
                out.warnings.append(
                    Warning(
                        code="t4_duplicate",
                        message=f"{where}: a second table 四 data row; kept the first",
                    )
                )
            else:
                out.cells = review_cells(values)
            out.mapped_tables.add(index)
        elif problems:
            out.warnings.append(
                Warning(code="t4_row_shape", message=f"{where}: table 四 {problems[0]}; kept raw")
            )
            out.mapped_tables.add(index)
    if out.cells:  # a grid holding only the header of a table split at a page break is part of it
        out.mapped_tables |= {index for index, _, _ in grids}
    return out


def loose_t4_values(lines: Sequence[tuple[int | None, str]]) -> list[str] | None:
    """Fifteen numbers on one paragraph line, preferring section 四 over unknown sections."""
    for wanted in (4, None):
        for section, line in lines:
            if section != wanted:
                continue
            tokens = [t for t in _LOOSE_SEPARATORS.split(line) if t]
            if len(tokens) != T4_WIDTH:
                continue
            kinds = [value_of(t).kind for t in tokens]
            if "number" in kinds and all(k in ("number", "not_applicable") for k in kinds):
                return tokens
    return None
