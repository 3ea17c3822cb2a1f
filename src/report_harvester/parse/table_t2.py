"""Table 二 (active disclosure): stacked blocks of clause row, header row and item rows.

Columns are known by the header text of their own block; a header cell that
names no metric (the truncated ``本年新``) falls back to its position in the
template of the format the block (or else the page) shows. Metrics of one
format are never mapped onto keys of the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .. import keys
from ..models import DisclosureCell, Warning
from .cells import disclosure_cell
from .grid import Grid
from .table_roles import RowKind, end_trims, key, quote, split_row, value_of

_CLAUSE = re.compile(r"第二十条第?\(([一二三四五六七八九十]+)\)项?")
_CLAUSE_NUMBERS = {"一": "1", "五": "5", "六": "6", "八": "8", "九": "9"}

# (pattern on the label key, item); order matters: 规范性文件 before 规章.
_ITEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), item)
    for p, item in (
        (r"规范性文件", "normative_documents"),
        (r"规章", "regulations"),
        (r"行政许可", "licensing"),
        (r"对外管理服务|其他对外", "other_services"),
        (r"行政处罚", "penalty"),
        (r"行政强制", "coercion"),
        (r"行政事业性收费|事业性收费", "fees"),
        (r"集中采购", "procurement"),
    )
)
ITEM_CLAUSE: dict[str, str] = {
    item: clause for table in (keys.T2_2019, keys.T2_2021) for clause, item in table
}

# (pattern on the header key, metric); order matters: 采购 before 金额, 新公开 before 公开总数.
_METRICS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), metric)
    for p, metric in (
        (r"采购项目", "procurement_items"),
        (r"采购总?金额", "procurement_amount"),
        (r"收费金额", "fee_amount"),
        (r"新制作", "new_made"),
        (r"新公开", "new_published"),
        (r"公开总数", "total_published"),
        (r"制发|发件", "issued"),
        (r"废止", "repealed"),
        (r"现行有效", "in_force"),
        (r"上一?年项目", "prev_year_count"),
        (r"增/减|增减|增或减", "change"),
        (r"处理决定", "decisions"),
    )
)
_METRICS_2019 = frozenset(m for ms in keys.T2_2019.values() for m in ms)
# the columns of each block, in the order the templates print them
_BLOCK_COLUMNS = frozenset([*keys.T2_2019.values(), *keys.T2_2021.values()])
_METRICS_2021 = frozenset(m for ms in keys.T2_2021.values() for m in ms)
_ONLY_2019 = _METRICS_2019 - _METRICS_2021
_ONLY_2021 = _METRICS_2021 - _METRICS_2019
_UNIT_IN_HEADER = re.compile(r"单位[:]?(万元|亿元|元)|\((万元|亿元|元)\)")


@dataclass(slots=True)
class _Column:
    metric: str | None  # None: the header text names no metric (fall back to position)
    header: str
    unit: str | None


@dataclass(slots=True)
class T2Result:
    cells: list[DisclosureCell] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    mapped_tables: set[int] = field(default_factory=set)  # indexes of grids that gave anything
    cell_fields: list[dict[str, object]] = field(default_factory=list)  # → ``cells`` at the end


# The label readers are cached: labels and headers repeat on every page.


@lru_cache(maxsize=4096)
def clause_of(text: str) -> str | None:
    """``第二十条第（五）项`` → ``20.5`` (``None`` if the text names no such clause)."""
    m = _CLAUSE.search(key(text))
    if m is None:
        return None
    number = _CLAUSE_NUMBERS.get(m.group(1))
    return f"20.{number}" if number else None


@lru_cache(maxsize=4096)
def item_of(text: str) -> str | None:
    k = key(text)
    if len(k) > 30:  # a sentence, not an item label
        return None
    return next((item for pattern, item in _ITEMS if pattern.search(k)), None)


@lru_cache(maxsize=4096)
def metric_of(text: str) -> str | None:
    k = key(text)
    return next((metric for pattern, metric in _METRICS if pattern.search(k)), None)


@lru_cache(maxsize=4096)
def _header_unit(text: str) -> str | None:
    m = _UNIT_IN_HEADER.search(key(text))
    return (m.group(1) or m.group(2)) if m else None


def _parse_header(cells: list[str]) -> tuple[list[_Column], bool] | None:
    """The columns a header row declares and whether it names its label column
    (信息内容: its columns are sure), or ``None`` if the row is no header."""
    keys_ = [key(c) for c in cells]
    start = next((i + 1 for i, k in enumerate(keys_) if "信息内容" in k), None)
    metrics = [metric_of(c) for c in cells]
    anchored = start is not None
    if start is None:
        if not any(metrics) or any(value_of(c).kind == "number" for c in cells):
            return None
        if metrics[0] is None and cells[0].strip():
            # words that name no metric where 信息内容 stands: the end of a header cut off
            # (``数 | | 现行有效件数``), whose columns cannot be placed
            return None
        if tuple(m for m in metrics if m) not in _BLOCK_COLUMNS:
            # not the columns of a block (``本年增/减 | 处理决定数量``): a header whose
            # first columns were cut off above, so where its columns are is not known
            return None
        start = 1 if metrics[0] is None else 0
        # and no end padding: its empty last cells name no column a value could be in
        while len(cells) > start and not cells[-1].strip():
            cells = cells[:-1]
    return [_Column(metric_of(c), c, _header_unit(c)) for c in cells[start:]], anchored


def _block_format(columns: list[_Column]) -> str | None:
    named = {c.metric for c in columns if c.metric}
    if named & _ONLY_2019 and not named & _ONLY_2021:
        return "2019"
    if named & _ONLY_2021 and not named & _ONLY_2019:
        return "2021"
    return None


def _template(item: str, fmt: str | None) -> tuple[str, ...] | None:
    table = keys.T2_2019 if fmt == "2019" else keys.T2_2021 if fmt == "2021" else None
    if table is None:
        return None
    return table.get((ITEM_CLAUSE[item], item))


@dataclass(slots=True)
class _State:
    columns: list[_Column] | None = None
    anchored: bool = False  # the header names its label column (信息内容)
    clause: str | None = None
    seen: set[str] = field(default_factory=set)


def map_t2(grids: Sequence[tuple[int, int | None, Grid]], page_format: str | None) -> T2Result:
    """Map every table-二 grid of a page, in order, as one table."""
    out = T2Result()
    state = _State()
    frames: set[int] = set()
    for index, section, grid in grids:
        for r in range(len(grid.rows)):
            # the text row a page is cut in: its empty first cells may be padding
            cut = not grid.spans and grid.truncated and r == len(grid.rows) - 1
            kind = _map_row(grid.row_cells(r), index, section, state, out, page_format, cut)
            if kind == "data":
                out.mapped_tables.add(index)
            elif kind == "frame":
                frames.add(index)
    if out.mapped_tables:  # a grid holding only a clause or header row of a split table
        out.mapped_tables |= frames
    return out


def _where(index: int, section: int | None) -> str:
    return f"table {index} in section {section if section is not None else '?'}"


def _map_row(
    cells: list[str],
    index: int,
    section: int | None,
    state: _State,
    out: T2Result,
    page_format: str | None,
    cut: bool = False,
) -> RowKind:
    """Read one row into ``state`` / ``out``: an item (data), a clause or header (frame).
    ``cut``: a text row the page is cut in."""
    if not any(c.strip() for c in cells):
        return None
    clauses = [clause_of(c) if value_of(c).kind == "text" else None for c in cells]
    if any(clauses):
        clause = next(c for c in clauses if c)
        if clause != state.clause:
            state.clause = clause
            state.columns = None  # a new block: its header follows
        cells = ["" if cl else c for c, cl in zip(cells, clauses, strict=True)]
        if not any(c.strip() for c in cells):
            return "frame"
    header = _parse_header(cells)
    if header is not None:
        state.columns, state.anchored = header
        return "frame"
    split = split_row(cells)
    item = next((i for i in map(item_of, reversed(split.labels)) if i), None)
    if item is None:
        return None
    where = _where(index, section)
    if item in state.seen:
        out.warnings.append(
            Warning(
                code="t2_duplicate_item", message=f"{where}: item {item} seen again; kept first"
            )
        )
        return "data"
    state.seen.add(item)
    values: Sequence[str] = split.values
    if state.columns is not None and not state.anchored and len(values) != len(state.columns):
        # a header without its label column (cut off above, or never printed) places
        # values only when they match its columns one for one
        trims = end_trims(values, len(state.columns))
        if len(trims) != 1:
            _row_shape(out, where, item, len(values), len(state.columns))
            return "data"
        values = trims[0]
    if state.columns is None and cut and values and not values[0].strip():
        # no header, and an empty first cell in the row a page is cut in: a spacer
        # column before values cut off, or an empty first value; nothing says which
        out.warnings.append(
            Warning(
                code="t2_row_shape",
                message=f"{where}: item {item}: the page is cut in this row and its first "
                "value cell is empty (padding before a cut, or an empty value); kept raw",
            )
        )
        return "data"
    _map_item(item, values, state.columns, where, out, page_format)
    return "data"


def _row_shape(out: T2Result, where: str, item: str, found: int, expected: int) -> None:
    out.warnings.append(
        Warning(
            code="t2_row_shape",
            message=f"{where}: item {item}: {found} value cells where its header places "
            f"{expected}; kept raw",
        )
    )


def _map_item(
    item: str,
    values: Sequence[str],
    columns: list[_Column] | None,
    where: str,
    out: T2Result,
    page_format: str | None,
) -> None:
    clause = ITEM_CLAUSE[item]
    if columns is None:
        template = _template(item, page_format)
        if template is None:
            out.warnings.append(
                Warning(
                    code="t2_no_header",
                    message=f"{where}: item {item} has no header row and the format is unknown; "
                    "kept raw",
                )
            )
            return
        if len(values) != len(template):
            # no header to say where the values are: one per metric, or cut to that many
            # at the one end that holds blanks (padding), else nothing is placed
            trims = end_trims(values, len(template))
            if len(trims) != 1:
                _row_shape(out, where, item, len(values), len(template))
                return
            values = trims[0]
        columns = [_Column(m, "", None) for m in template]
    block_format = _block_format(columns) or page_format
    template = _template(item, block_format) or ()
    named = {c.metric for c in columns if c.metric}
    emitted: set[str] = set()
    for pos, column in enumerate(columns):
        metric = column.metric
        if metric is None and column.header.strip():
            metric = template[pos] if pos < len(template) else None
            if metric is None or metric in named:
                raw = values[pos] if pos < len(values) else ""
                if raw.strip():
                    out.warnings.append(
                        Warning(
                            code="t2_header_ambiguous",
                            message=f"{where}: item {item}, header {quote(column.header)} names no "
                            f"metric; value {quote(raw)} kept raw",
                        )
                    )
                continue
        if metric is None or metric in emitted:
            raw = values[pos] if pos < len(values) else ""
            if metric is None and value_of(raw).kind == "number":
                out.warnings.append(
                    Warning(
                        code="t2_value_unmapped",
                        message=f"{where}: item {item}, value {quote(raw)} in column {pos + 1} "
                        "has no header; kept raw",
                    )
                )
            continue
        emitted.add(metric)
        raw = values[pos] if pos < len(values) else ""
        v = value_of(raw)
        unit = v.unit
        if unit is None and v.kind == "number" and column.unit:
            unit = column.unit
        out.cells.append(disclosure_cell(clause, item, metric, v.value, raw, v.kind, unit, v.note))
    for pos in range(len(columns), len(values)):
        if value_of(values[pos]).kind == "number":
            out.warnings.append(
                Warning(
                    code="t2_value_unmapped",
                    message=f"{where}: item {item}, value {quote(values[pos])} in column {pos + 1} "
                    "has no header; kept raw",
                )
            )
