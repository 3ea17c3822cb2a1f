"""Grids → canonical table 二/三/四 records.

``map_tables`` gives every grid of a page a role (``table_roles``), maps the
table-二 grids together as one table (``table_t2``), then table 三
(``table_t3``) and table 四 (``table_t4``, or a loose line of fifteen
numbers). Every grid is kept raw whatever its role; what could not be mapped
becomes a warning that says where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import keys
from ..models import (
    ApplicationCell,
    DisclosureCell,
    RawTable,
    ReviewCell,
    TableRole,
    Value,
    Warning,
)
from .grid import Grid
from .stream_tables import StreamTables
from .table_roles import classify, count_format_votes, label_keys
from .table_t2 import map_t2
from .table_t3 import continues_t3, expected_rows, map_t3, missing_rows_warning
from .table_t4 import loose_t4_values, map_t4, review_cells


@dataclass(slots=True)
class TableResult:
    active_disclosure: list[DisclosureCell] = field(default_factory=list)
    applications: list[ApplicationCell] = field(default_factory=list)
    reviews: list[ReviewCell] = field(default_factory=list)
    raw_tables: list[RawTable] = field(default_factory=list)
    format_votes: dict[str, int] = field(default_factory=dict)  # "2019"/"2021" → label hits
    warnings: list[Warning] = field(default_factory=list)
    # each grid left unread that should have been read (a table_unmapped warning): its
    # index, section and what it is (size, role)
    unmapped: list[tuple[int, int | None, str]] = field(default_factory=list)


_STATUTORY_TABLE_SECTIONS = (2, 3, 4)


def map_tables(
    tables: Sequence[tuple[int | None, Grid]],
    loose_lines: Sequence[tuple[int | None, str]] = (),
) -> TableResult:
    """Map a page's tables (each with the statutory section it sits under) to records.

    Never raises: a grid that cannot be read is kept raw with a warning.
    """
    result = TableResult()
    try:
        _map(tables, loose_lines, result)
    except Exception as exc:  # a safety net: a bug here must not cost the whole report
        result.warnings.append(
            Warning(
                code="table_error",
                message=f"table mapping failed: {type(exc).__name__}: {' '.join(str(exc).split())}",
            )
        )
    return result


def _leading_format(votes: dict[str, int]) -> str | None:
    """The format with more votes, or ``None`` on a tie (no guess)."""
    if votes["2019"] == votes["2021"]:
        return None
    return "2019" if votes["2019"] > votes["2021"] else "2021"


def _size(grid: Grid) -> str:
    return f"{len(grid.rows)}×{grid.width}"


def _where(index: int, section: int | None) -> str:
    return f"table {index} in section {section if section is not None else '?'}"


def _map(
    tables: Sequence[tuple[int | None, Grid]],
    loose_lines: Sequence[tuple[int | None, str]],
    result: TableResult,
) -> None:
    by_role: dict[TableRole, list[tuple[int, int | None, Grid]]] = {
        "t2": [],
        "t3": [],
        "t4": [],
        "other": [],
    }
    voters: list[list[str]] = []  # label keys of the t2 and t3 grids
    for index, (section, grid) in enumerate(tables):
        keys = label_keys(grid)
        role = classify(grid, section, keys)
        if (
            role == "other"
            and index > 0
            and result.raw_tables[-1].role == "t3"
            and tables[index - 1][0] == section
            and continues_t3(grid, tables[index - 1][1])
        ):
            role = "t3"  # the rest of table 三 after a page break, too few labels to tell
        by_role[role].append((index, section, grid))
        if role in ("t2", "t3"):
            voters.append(keys)
        result.raw_tables.append(
            RawTable(index=index, section=section, role=role, rows=grid.texts())
        )

    votes = count_format_votes(voters)
    t3 = map_t3(by_role["t3"])
    votes["2019"] += t3.votes_2019
    result.format_votes = votes
    page_format = _leading_format(votes)

    t2 = map_t2(by_role["t2"], page_format)
    result.active_disclosure = t2.cells
    result.warnings.extend(t2.warnings)

    result.applications = t3.cells
    result.warnings.extend(t3.warnings)
    if by_role["t3"]:
        index, section, _ = by_role["t3"][0]
        missing = missing_rows_warning(t3, page_format, _where(index, section))
        if missing is not None:
            result.warnings.append(missing)

    t4 = map_t4(by_role["t4"])
    result.reviews = t4.cells
    result.warnings.extend(t4.warnings)
    if not t4.cells:
        values = loose_t4_values(loose_lines)
        if values is not None:
            result.reviews = review_cells(values)

    mapped = t2.mapped_tables | t3.mapped_tables | t4.mapped_tables
    for index, (section, grid) in enumerate(tables):
        role = result.raw_tables[index].role
        unmapped = (role == "other" and section in _STATUTORY_TABLE_SECTIONS) or (
            role != "other" and index not in mapped
        )
        if unmapped:
            what = "not recognised" if role == "other" else f"looks like {role}, no rows mapped"
            detail = f"{_size(grid)}, {what}"
            result.warnings.append(
                Warning(
                    code="table_unmapped",
                    message=f"{_where(index, section)}: {detail}; raw grid kept",
                )
            )
            result.unmapped.append((index, section, detail))


_Cells = Sequence[Value | ApplicationCell | DisclosureCell | ReviewCell]


def _placed(cells: _Cells) -> tuple[int, int]:
    return sum(c.kind != "blank" for c in cells), len(cells)


def _rows(cells: Sequence[ApplicationCell | DisclosureCell]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for c in cells:
        out.setdefault(c.row if isinstance(c, ApplicationCell) else c.item, []).append(c)
    return out


def _merge_rows(mine: list[Any], theirs: list[Any]) -> tuple[list[Any], set[str]]:
    """Row by row, the reader that placed more values (then more cells); mine on a tie.
    Returns the cells in the stream's row order after the grid's, and the rows taken."""
    a, b = _rows(mine), _rows(theirs)
    taken = {k for k, cells in b.items() if _placed(cells) > _placed(a.get(k, []))}
    merged = {**a, **{k: cells for k, cells in b.items() if k in taken}}
    ordered = sorted(merged, key=lambda k: _ROW_ORDER.get(k, len(_ROW_ORDER)))
    return [c for k in ordered for c in merged[k]], taken


# printed order of every row key (table 三) and item key (table 二), for merged output
_ROW_ORDER = {
    k: i
    for i, k in enumerate(
        dict.fromkeys(
            [*keys.T3_ROWS_2019[:-2], *keys.T3_OTHER_2021, *keys.T3_ROWS_2019[-2:]]
            + [item for _, item in [*keys.T2_2019, *keys.T2_2021]]
        )
    )
}


_INCOMPLETE = frozenset(
    {"table_unmapped", "t3_rows_missing", "t3_row_shape", "t3_row_unmatched", "t2_no_header"}
)


def incomplete(result: TableResult) -> bool:
    """Whether the grids left a statutory table unread or part-read: a grid of no known
    role under sections 二-四, rows missing or not placed, or table 三 or 四 absent."""
    return (
        not result.applications
        or not result.reviews
        or any(w.code in _INCOMPLETE for w in result.warnings)
    )


def prefer_stream(result: TableResult, stream: StreamTables) -> None:
    """Keep, row by row (table 四 as a whole), the stream reader's cells where they
    place more values than the grid reader's, then more cells; the grid's stay on a
    tie. The stream's warnings come with the rows taken. Format votes add up."""
    read_any = False
    for name, prefix in (("active_disclosure", "t2_"), ("applications", "t3_")):
        kept = set(_rows(getattr(result, name)))
        merged, taken = _merge_rows(getattr(result, name), getattr(stream, name))
        kept -= taken
        setattr(result, name, merged)
        read_any = read_any or bool(taken)
        # the grid's "kept raw" for a row the stream has read is no longer so
        result.warnings = [
            w for w in result.warnings
            if not (w.code == "t3_row_shape" and any(f": row {k}:" in w.message for k in taken))
        ]  # fmt: skip
        # what the stream says of a row the grid has not read is said too (a row left
        # blank, as ambiguous, is read by neither)
        result.warnings.extend(
            w for w in stream.warnings
            if w.code.startswith(prefix) and not any(f" row {k}" in w.message for k in kept)
        )
        if name == "applications" and taken:
            _recount_missing_rows(result)
    if _placed(stream.reviews) > _placed(result.reviews):
        read_any = True
        result.reviews = stream.reviews
        result.warnings = [w for w in result.warnings if not w.code.startswith("t4_")]
        result.warnings.extend(w for w in stream.warnings if w.code.startswith("t4_"))
    elif not result.reviews and not any(w.code.startswith("t4_") for w in result.warnings):
        result.warnings.extend(w for w in stream.warnings if w.code.startswith("t4_"))
    for fmt, n in stream.format_votes.items():
        result.format_votes[fmt] = result.format_votes.get(fmt, 0) + n
    if read_any:
        _summarise_unmapped(result)


def _recount_missing_rows(result: TableResult) -> None:
    """After rows came from the stream, the grid's list of missing table 三 rows (or
    where it said the table ends) is out of date: it is made again from the rows the
    page now has."""
    old = [w for w in result.warnings if _t3_missing_rows(w)]
    if not old:
        return
    result.warnings = [w for w in result.warnings if not _t3_missing_rows(w)]
    rows = {c.row for c in result.applications}
    page_format = _leading_format({"2019": 0, "2021": 0, **result.format_votes})
    expected = expected_rows(rows, page_format)
    missing = [r for r in expected if r not in rows]
    if not missing:
        return
    where = "table 三 (grid and text stream together)"
    last = max((i for i, r in enumerate(expected) if r in rows), default=-1)
    if any(w.code == "table_truncated" for w in old) and all(
        expected.index(r) > last for r in missing
    ):
        after = expected[last] if last >= 0 else "(none)"
        result.warnings.append(
            Warning(
                code="table_truncated",
                message=f"{where} ends after row {after}; missing: {', '.join(missing)}",
            )
        )
        return
    result.warnings.append(
        Warning(code="t3_rows_missing", message=f"{where}: missing rows: {', '.join(missing)}")
    )


def _t3_missing_rows(warning: Warning) -> bool:
    """A warning naming the rows table 三 lacks, or where it ends."""
    return warning.code == "t3_rows_missing" or (
        warning.code == "table_truncated" and warning.message.startswith("table 三")
    )


def _summarise_unmapped(result: TableResult) -> None:
    """Once the stream reader has read rows, the grids it read them from in place of the
    grid reader (a table cut into one piece per row) need not each say so: one line
    per section names them all."""
    result.warnings = [w for w in result.warnings if w.code != "table_unmapped"]
    for section in dict.fromkeys(u[1] for u in result.unmapped):
        grids = [(i, detail) for i, s, detail in result.unmapped if s == section]
        what = (
            f"{_where(grids[0][0], section)}: {grids[0][1]}"
            if len(grids) == 1
            else f"section {section if section is not None else '?'}: {len(grids)} tables "
            f"({_ranges([i for i, _ in grids])}) not read as grids"
        )
        result.warnings.append(
            Warning(
                code="table_unmapped",
                message=f"{what}; the page's text was read for its tables instead; "
                f"raw grid{'s' if len(grids) > 1 else ''} kept",
            )
        )


def _ranges(indexes: list[int]) -> str:
    """``[3, 4, 5, 9]`` → ``3-5, 9``."""
    spans: list[list[int]] = []
    for i in indexes:
        if spans and i == spans[-1][1] + 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
