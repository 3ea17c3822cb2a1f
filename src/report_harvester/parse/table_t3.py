"""Table 三 (applications): rows by label, seven applicant columns by position.

A row's own label can be ambiguous (2021 ``3.其他``), so the group labels
（三）不予公开 … （六）其他处理 are tracked: in HTML they are repeated in every row
by rowspan expansion, in a text rendering they appear on the first row of their
group only; both read the same. A row whose value cells are not exactly seven
is kept raw with a warning: positions are never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .. import keys
from ..models import ApplicationCell, Value, Warning
from .cells import application_cell, application_cell_of
from .grid import Grid
from .table_roles import (
    T3_WIDTH,
    RowKind,
    cells_under,
    end_trims,
    is_last_row,
    key,
    open_ended,
    quote,
    slot_text,
    split_row,
    value_of,
)
from .table_sums import by_sums_warning, t3_sums

# (pattern on the label key, row key), tried in order on a row's most specific label.
_ROWS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), row)
    for p, row in (
        (r"本年新收|新收.*申请", "new_received"),
        (r"上年结转", "carried_over"),
        (r"结转下年|继续办理", "carried_forward"),
        (r"部分公开", "partially_granted"),
        (r"予以公开", "granted"),
        (r"国家秘密", "denied_state_secret"),
        (r"禁止公开|行政止公开|法律行政法规", "denied_prohibited_by_law"),
        (r"三安全|一稳定", "denied_three_safeties"),
        (r"第三方", "denied_third_party"),
        (r"内部事务", "denied_internal_affairs"),
        (r"过程性", "denied_process_info"),
        (r"执法案卷", "denied_enforcement_file"),
        (r"行政查询", "denied_admin_query"),
        (r"不掌握", "unavailable_not_held"),
        (r"另行制作|没有现成", "unavailable_needs_creation"),
        (r"不补正", "other_no_correction"),
        (r"仍不明确|补正后", "unavailable_unclear"),
        (r"信访|举报|投诉", "rejected_petition"),
        (r"重复申请", "rejected_duplicate"),
        (r"出版物", "rejected_publication"),
        (r"大量反复", "rejected_excessive"),
        (r"重新出具|确认", "rejected_confirmation"),
        (r"收费通知|缴纳费用|未按.*收费", "other_unpaid_fee"),
        (r"总计|合计", "total_processed"),
    )
)

# Group labels and the rows their numbered sub-labels stand for (n. → n-th row).
_GROUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\(三\)|不予公开"), "denied"),
    (re.compile(r"^\(四\)|无法提供"), "unavailable"),
    (re.compile(r"^\(五\)|不予处理"), "rejected"),
    (re.compile(r"^\(六\)|其他处理"), "other"),
)
_GROUP_ROWS: dict[str, tuple[str, ...]] = {
    "denied": tuple(r for r in keys.T3_ROWS_2019 if r.startswith("denied_")),
    "unavailable": tuple(r for r in keys.T3_ROWS_2019 if r.startswith("unavailable_")),
    "rejected": tuple(r for r in keys.T3_ROWS_2019 if r.startswith("rejected_")),
    "other": keys.T3_OTHER_2021,
}
_PIECE_ROWS = 3  # rows with values a page's piece of table 三 has, to be continued
_GROUP_OF = {row: group for group, rows in _GROUP_ROWS.items() for row in rows}
_GROUP_RESET = re.compile(r"^\((一|二|七)\)|^[一二三四][、.]")
_SUB_NUMBER = re.compile(r"^\(?(\d{1,2})[.、)]")
_HEADER_ROW_NAMES = 3  # labels naming rows or groups in one valueless row: a header row
_HEADER = re.compile(r"申请人情况|自然人|法人或其他组织|商业|企业|科研|公益|法律服务|勾稽")

_APPLICANT_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), a)
    for p, a in (
        (r"自然人", "natural_person"),
        (r"商业|企业", "commercial_enterprise"),
        (r"科研", "research_institution"),
        (r"公益", "social_welfare_org"),
        (r"法律服务", "legal_service_org"),
        (r"总计|合计", "total"),
        (r"^其他(组织)?$", "other_org"),
    )
)


@dataclass(slots=True)
class T3Result:
    cells: list[ApplicationCell] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    mapped_tables: set[int] = field(default_factory=set)
    rows_seen: list[str] = field(default_factory=list)  # row keys met, in order (mapped or not)
    rows_mapped: list[str] = field(default_factory=list)
    votes_2019: int = 0  # a single （六）其他处理 row carrying values
    truncated: bool = False
    cut_row: tuple[str, int] | None = None  # (row, cells kept) of a row the source cut short


@dataclass(slots=True)
class _State:
    group: str | None = None
    data_seen: bool = False


@dataclass(frozen=True, slots=True)
class _Label:
    """What one label cell says; read once per distinct text, as labels repeat on every page."""

    resets_group: bool  # （一）（二）（七） or 一、… 四、: a row outside the groups
    group: str | None  # the group it heads: denied, unavailable, rejected, other
    row: str | None  # the row its own words name
    number: int | None  # n of a numbered sub-label ``n.``
    is_other: bool  # the words after that number are 其他
    header: bool  # words of the applicant header rows


@lru_cache(maxsize=8192)
def _label(text: str) -> _Label:
    k = key(text)
    number = _SUB_NUMBER.match(k)
    return _Label(
        resets_group=_GROUP_RESET.search(k) is not None,
        group=next((g for pattern, g in _GROUPS if pattern.search(k)), None),
        row=next((row for pattern, row in _ROWS if pattern.search(k)), None),
        number=int(number.group(1)) if number else None,
        is_other=_SUB_NUMBER.sub("", k) == "其他",
        header=_HEADER.search(k) is not None,
    )


def continues_t3(grid: Grid, before: Grid) -> bool:
    """Whether ``grid`` is the rest of the table 三 grid ``before`` it, cut off at a page
    break (（六）其他处理 … 四、结转下年度继续办理): ``before`` holds a few rows, and each
    of ``grid``'s rows with numbers is a table 三 row, read on from the group ``before``
    ends in."""
    state = _State()
    rows_before = 0
    for r in range(len(before.rows)):
        split = split_row(before.row_cells(r))
        row_key(split.labels, state)
        rows_before += split.numbers > 0
    if rows_before < _PIECE_ROWS:
        return False  # a table cut a row or two a piece: the page's text is read for it
    named = False
    for r in range(len(grid.rows)):
        split = split_row(grid.row_cells(r))
        if split.numbers:
            if row_key(split.labels, state) is None:
                return False
            named = True
    return named


def row_key(labels: Sequence[str], state: _State) -> str | None:
    """The row key of a data row's labels, updating the group state on the way."""
    found, state.group = _row_key(tuple(labels), state.group)
    return found


@lru_cache(maxsize=8192)
def _row_key(labels: tuple[str, ...], group: str | None) -> tuple[str | None, str | None]:
    """``row_key`` from the group the row comes in: its key and the group after it."""
    read = [_label(label) for label in labels]
    for label in read:
        if label.resets_group:
            group = None
        if label.group is not None:
            group = label.group
    if not read:
        return None, group
    last = read[-1]
    if last.group is not None:
        # A group label with values of its own and no sub-label: only （六） is a row.
        return ("other_handling" if group == "other" else None), group
    # The row's own label is the last one; a label split over two cells
    # (（二）部分公开 | （区分处理的…）) is read back to the nearest group label.
    for label in reversed(read):
        if label.group is not None:
            break
        if label.row is not None:
            # a row its own words name is in its group, whatever group came before (a
            # table cut at a page break, its group label left on the page before)
            return label.row, _GROUP_OF.get(label.row, group)
    if group is None:
        return None, group
    if group == "other" and last.is_other:
        return "other_misc", group
    if last.number is not None:
        rows = _GROUP_ROWS[group]
        if 1 <= last.number <= len(rows):
            return rows[last.number - 1], group
    return None, group


def _names_many_rows(labels: Sequence[str]) -> bool:
    named = [label for label in map(_label, labels) if label.row is not None or label.group]
    return len(named) >= _HEADER_ROW_NAMES


def _header_columns(grid: Grid, header_rows: range) -> dict[str, int] | None:
    """Applicant → grid column, from the lowest header text of each column; failing that,
    from its lowest two joined (``商业`` / ``企业`` printed on two rows of a text table)."""
    for depth in (1, 2):
        found: dict[str, int] = {}
        for c in range(max((len(row) for row in grid.rows), default=0)):
            texts = [t for r in reversed(header_rows) if (t := slot_text(grid, r, c)).strip()]
            k = key("".join(reversed(texts[:depth])))
            applicant = next((a for pattern, a in _APPLICANT_COLUMNS if pattern.search(k)), None)
            if applicant is not None and applicant not in found:
                found[applicant] = c
        if len(found) == len(keys.APPLICANTS) and len(set(found.values())) == len(found):
            return found
    return None


def _value_start(grid: Grid, first_data: int) -> int | None:
    """In a grid printing every column as a cell (a PDF's, a Markdown one) under an
    applicant header: the first column holding that header or a number in any data row;
    ``None`` for a grid without the header (a piece of a table). Empty
    cells left of it are a merged label's slots, not blank values; where a page is
    clipped or a column lost, they would otherwise make up the count of seven."""
    numbers = [
        c
        for row in grid.rows[first_data:]
        for c, cell in enumerate(row)
        if not cell.padding and value_of(cell.text).kind == "number"
    ]
    headers = [
        c
        for row in grid.rows[:first_data]
        for c, cell in enumerate(row)
        if any(pattern.search(key(cell.text)) for pattern, _ in _APPLICANT_COLUMNS)
    ]
    # without a header, a column blank in every row could be where values start
    return min(numbers + headers) if headers else None


def _first_data_row(grid: Grid) -> int:
    state = _State()
    for r in range(len(grid.rows)):
        split = split_row(grid.row_cells(r))
        found = row_key(split.labels, state)
        if found is not None and found not in ("total_processed", "other_misc", "other_handling"):
            return r
    return len(grid.rows)


def map_t3(grids: Sequence[tuple[int, int | None, Grid]]) -> T3Result:
    """Map every table-三 grid of a page, in order, as one table."""
    out = T3Result()
    state = _State()
    frames: set[int] = set()
    for index, section, grid in grids:
        where = f"table {index} in section {section if section is not None else '?'}"
        out.truncated = out.truncated or grid.truncated
        reorder: dict[str, int] | None = None
        # columns that are columns in every row (HTML, Markdown, tab-separated): the
        # header's applicant columns prove where a row's values are
        first_data = _first_data_row(grid)
        aligned = _header_columns(grid, range(first_data)) if grid.aligned else None
        value_start = (
            _value_start(grid, first_data) if grid.columns and not grid.spans else None
        )
        if grid.spans and aligned is not None:
            order = sorted(aligned, key=aligned.__getitem__)
            if tuple(order) != keys.APPLICANTS:
                reorder = aligned
                out.warnings.append(
                    Warning(
                        code="t3_header_order",
                        message=f"{where}: applicant columns in order {', '.join(order)}; "
                        "mapped by header position",
                    )
                )
        for r in range(len(grid.rows)):
            kind = _map_row(grid, r, where, state, out, reorder, aligned, value_start)
            if kind == "data":
                out.mapped_tables.add(index)
            elif kind == "frame":
                frames.add(index)
    if out.mapped_tables:  # a grid holding only the header of a split table is part of it
        out.mapped_tables |= frames
    _drop_blank_other_handling(out)
    return out


def _drop_blank_other_handling(out: T3Result) -> None:
    """A valueless （六）其他处理 row above the 2021 sub-rows is their group label, not a row."""
    if "other_handling" not in out.rows_mapped or not set(out.rows_mapped) & set(
        keys.T3_OTHER_2021
    ):
        return
    own = [c for c in out.cells if c.row == "other_handling"]
    if any(c.kind == "number" for c in own):
        return
    out.cells = [c for c in out.cells if c.row != "other_handling"]
    out.rows_mapped.remove("other_handling")
    out.rows_seen.remove("other_handling")


def _map_row(
    grid: Grid,
    r: int,
    where: str,
    state: _State,
    out: T3Result,
    reorder: dict[str, int] | None,
    aligned: dict[str, int] | None = None,
    value_start: int | None = None,
) -> RowKind:
    """Read one row into ``out``: a data row, a header (frame) row, or nothing.
    ``value_start``: the grid's first value column (``_value_start``), when known."""
    split = split_row(grid.row_cells(r))
    if not split.labels and not split.numbers:
        return None
    if split.numbers == 0 and _names_many_rows(split.labels):
        # column headers that happen to be row words (| 本年新收件数 | 予以公开 | 不予公开 |):
        # a frame row, and no group label of it carries over to the rows below
        return "frame"
    row = row_key(split.labels, state)
    if split.numbers == 0 and (
        any(_label(label).header for label in split.labels)
        or (not state.data_seen and row in (None, "total_processed", "other_misc"))
        # a header repeated over a piece of the table: | 类别 | 数据1 | … | 总计 |
        or (row == "total_processed" and len(split.labels) > 1 and key(split.labels[-1]) == "总计")
    ):
        return "frame" if split.labels else None
    if row is None:
        if split.numbers:
            what = (
                f"label {quote(' / '.join(split.labels))} not recognised"
                if split.labels
                else f"has {split.numbers} number(s) but no label"
            )
            out.warnings.append(
                Warning(code="t3_row_unmatched", message=f"{where}: row {r + 1} {what}; kept raw")
            )
        return None
    state.data_seen = True
    if row in out.rows_seen:
        out.warnings.append(
            Warning(code="t3_duplicate_row", message=f"{where}: row {row} seen again; kept first")
        )
        return "data"
    out.rows_seen.append(row)
    placed: list[Value] | None = None  # the row's cells, when its sums placed them
    if reorder is not None:
        values = [slot_text(grid, r, reorder[a]) for a in keys.APPLICANTS]
    else:
        values = list(split.values)
        under = (
            cells_under(grid, r, [aligned[a] for a in keys.APPLICANTS])
            if len(values) != T3_WIDTH and aligned is not None
            else None
        )
        if under is None and value_start is not None:
            # empty cells left of every value and header column: a merged label's slots
            at = len(grid.row_cells(r)) - len(values)
            while values and at < value_start and not values[0].strip():
                values, at = values[1:], at + 1
        if under is not None:
            values = under
        elif len(values) > T3_WIDTH and (trims := end_trims(values, T3_WIDTH)):
            # Empty cells at one end only: the label column's padding (Markdown keeps every
            # column) or the frame's. At both ends, the row's sums may leave one way.
            if len(trims) == 1:
                values = trims[0]
            elif (placed := t3_sums.one_way([list(map(value_of, t)) for t in trims])) is not None:
                values = [cell.raw for cell in placed]
        # a text row shorter than the table (or the one a page is cut in) whose numbers
        # follow empty cells: the label's padding before a row cut short, or empty
        # first cells; nothing says which
        unsure = split.numbers > 0 and not values[0].strip() and open_ended(grid, r)
        cut = len(values) < T3_WIDTH and values and grid.truncated and is_last_row(grid, r)
        if cut and grid.spans:
            # The source ends inside this row: the cells it has (each one a cell, as
            # HTML knows) are the leading ones.
            out.cut_row = (row, len(values))
        elif len(values) != T3_WIDTH or unsure:
            what = (
                "its numbers follow empty cells and it is shorter than the table or cut off"
                if unsure
                else f"{len(values)} value cells, expected {T3_WIDTH}"
            )
            out.warnings.append(
                Warning(code="t3_row_shape", message=f"{where}: row {row}: {what}; kept raw")
            )
            return "data"
    if row == "other_handling" and split.numbers:
        out.votes_2019 += 1
    out.rows_mapped.append(row)
    if placed is not None:
        raw = " ".join(v or "□" for v in split.values)
        out.warnings.append(by_sums_warning("t3_row_by_sums", f"{where}: row {row}", raw))
        pairs = zip(keys.APPLICANTS, placed, strict=True)
        out.cells += [application_cell_of(row, a, v) for a, v in pairs]
        return "data"
    out.cells += [
        application_cell(row, applicant, raw)
        for applicant, raw in zip(keys.APPLICANTS, values, strict=False)
    ]
    return "data"


def expected_rows(seen: set[str], page_format: str | None) -> tuple[str, ...]:
    """The rows table 三 should have: the 2021 set when its （六） sub-rows are there, the
    2019 set when the single （六）其他处理 row is, else the page's format's."""
    if seen & set(keys.T3_OTHER_2021):
        return keys.T3_ROWS_2021
    if "other_handling" in seen:
        return keys.T3_ROWS_2019
    return keys.T3_ROWS_2021 if page_format == "2021" else keys.T3_ROWS_2019


def missing_rows_warning(result: T3Result, page_format: str | None, where: str) -> Warning | None:
    """A warning naming the rows a mapped table 三 lacks (``None`` if it has them all)."""
    if not result.rows_mapped:
        return None
    seen = set(result.rows_seen)
    expected = expected_rows(seen, page_format)
    missing = [r for r in expected if r not in seen]
    if not missing and result.cut_row is None:
        return None
    positions = [expected.index(r) for r in seen if r in expected]
    last_seen = max(positions, default=-1)
    at_end = all(expected.index(r) > last_seen for r in missing)
    if result.truncated or at_end:
        after = expected[last_seen] if last_seen >= 0 else "(none)"
        if result.cut_row is not None:
            cut, kept = result.cut_row
            after += f" (row {cut} cut after {kept} of {T3_WIDTH} cells)"
        return Warning(
            code="table_truncated",
            message=f"table 三 ({where}) ends after row {after}; "
            f"missing: {', '.join(missing) or '(none)'}",
        )
    return Warning(
        code="t3_rows_missing",
        message=f"table 三 ({where}): missing rows: {', '.join(missing)}",
    )
