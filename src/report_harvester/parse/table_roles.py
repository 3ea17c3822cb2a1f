"""What a grid is (table 二, 三, 四 or other) and how a row splits into labels and values.

Shared by the three table mappers: ``classify`` gives a grid its role,
``count_format_votes`` counts labels only one national format uses, and
``split_row`` separates a row's label cells from its value cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal, NamedTuple, TypeVar

from ..decode.normalize import clean_text, label_key
from ..models import TableRole, Value
from .grid import Grid
from .values import parse_value

T = TypeVar("T")
T4_WIDTH = 15
T3_WIDTH = 7

# What a row turned out to be for a mapper: a row with values, a header/clause row, or nothing.
RowKind = Literal["data", "frame"] | None


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """``label_key`` with a cache: table labels repeat on every page."""
    return label_key(text)


@lru_cache(maxsize=8192)
def value_of(text: str) -> Value:
    """``parse_value`` with a cache (``Value`` is never mutated by the mappers)."""
    return parse_value(text)


def quote(text: str, limit: int = 40) -> str:
    """A cell's text for a one-line message: spaces collapsed, long text cut, quoted."""
    text = clean_text(text.replace("\n", " "))
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def slot_text(grid: Grid, r: int, c: int) -> str:
    """The text at ``rows[r][c]``; empty for padding or for a slot a ragged grid lacks."""
    row = grid.rows[r] if 0 <= r < len(grid.rows) else []
    if not 0 <= c < len(row) or row[c].padding:
        return ""
    return row[c].text


def cells_under(grid: Grid, r: int, columns: Sequence[int]) -> list[str] | None:
    """The texts of row ``r`` under ``columns``, in that order, in a grid whose columns
    are columns in every row: when the row has a cell of its own under each (no padding
    of a short row), only labels left of them and nothing but empty cells elsewhere."""
    row = grid.rows[r]
    if any(c >= len(row) or row[c].padding for c in columns):
        return None
    first = min(columns)
    if any(cell.text.strip() and not is_label(cell.text) for cell in row[:first]):
        return None  # a value left of the first column
    inside = set(columns)
    if any(row[c].text.strip() for c in range(first, len(row)) if c not in inside):
        return None
    return [row[c].text for c in columns]


def open_ended(grid: Grid, r: int) -> bool:
    """A text row that may have lost cells at its end: narrower than its table, or the
    last row of a table the page is cut in. (HTML knows every cell: never.)"""
    if grid.spans:
        return False
    return grid.rows[r][-1].padding or (grid.truncated and is_last_row(grid, r))


def is_last_row(grid: Grid, r: int) -> bool:
    """Whether no row after ``r`` holds any text."""
    return not any(any(c.strip() for c in grid.row_cells(i)) for i in range(r + 1, len(grid.rows)))


def is_label(text: str) -> bool:
    """A cell that reads as words, not as a value (number, blank or a 不适用 marker)."""
    return value_of(text).kind == "text"


class SplitRow(NamedTuple):  # immutable, and quicker to make than a frozen dataclass
    """A row as label cells (in order) and the value cells that follow the last label."""

    labels: tuple[str, ...]
    values: tuple[str, ...]
    numbers: int  # value cells that read as numbers


def split_row(cells: Sequence[str]) -> SplitRow:
    """Label cells are the text cells before the first number; values follow the last of them.

    Leading empty cells (a rowspan continuation in a text rendering) and empty
    cells between labels are skipped; cells after the last label are values,
    blanks included.
    """
    return _split_row(tuple(cells))


@lru_cache(maxsize=8192)
def _split_row(cells: tuple[str, ...]) -> SplitRow:
    """``split_row``, read once per distinct row: rows of zeros and of labels alone
    repeat across reports, and a row is split again by each reader that meets it."""
    kinds = [value_of(c).kind for c in cells]
    first_number = kinds.index("number") if "number" in kinds else len(cells)
    labels = tuple(cells[i] for i in range(first_number) if kinds[i] == "text")
    start = max((i + 1 for i in range(first_number) if kinds[i] == "text"), default=0)
    return SplitRow(labels, cells[start:], kinds[start:].count("number"))


def origin_texts(grid: Grid) -> list[str]:
    """Each cell's text once (merged cells are not repeated), skipping padding and blanks."""
    if grid.origins is not None:
        return [t for t in (c.text for c in grid.origins) if t and not t.isspace()]
    if not grid.spans:  # every slot is its own cell
        return [c.text for row in grid.rows for c in row if not c.padding and c.text.strip()]
    texts: list[str] = []
    seen: set[tuple[int, int]] = set()
    for row in grid.rows:
        for cell in row:
            if cell.padding or not cell.text.strip():
                continue
            origin = (cell.row, cell.col)
            if origin not in seen:
                seen.add(origin)
                texts.append(cell.text)
    return texts


_T3_MARKERS = re.compile(r"本年新收|上年结转|申请人情况|本年度办理结果")
_APPLICANT_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "总计")
_T3_ROW_WORDS = re.compile(
    r"国家秘密|三安全|第三方合法|内部事务|过程性信息|执法案卷|行政查询|不掌握|另行制作|"
    r"信访|重复申请|出版物|大量反复|重新出具|结转下年"
)
_T4_REVIEW = re.compile(r"行政复议")
_T4_LITIGATION = re.compile(r"行政诉讼|复议后起诉|直接起诉")
_T2_FRAME = re.compile(r"信息内容|第二十条")
_T2_ITEMS = re.compile(r"规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费")


def label_keys(grid: Grid) -> list[str]:
    """The ``key`` of each label cell's text (numbers and markers name nothing), once per
    merged cell: what roles and votes read."""
    return [k for k in map(_label_key, origin_texts(grid)) if k is not None]


@lru_cache(maxsize=8192)
def _label_key(text: str) -> str | None:
    """The ``key`` of a label cell's text; ``None`` for a value (number, blank, marker)."""
    return key(text) if value_of(text).kind == "text" else None


def classify(grid: Grid, section: int | None, keys: list[str] | None = None) -> TableRole:
    """The role of a grid, from its labels (and, for a bare row of 15 numbers, its section).

    ``keys`` are the grid's ``label_keys`` when the caller has them already.
    """
    blob = "\n".join(label_keys(grid) if keys is None else keys)
    applicant_hits = sum(1 for h in _APPLICANT_HEADERS if h in blob)
    t3_rows = len(set(_T3_ROW_WORDS.findall(blob)))
    if _T3_MARKERS.search(blob) or applicant_hits >= 5 or t3_rows >= 3:
        return "t3"
    if _T4_REVIEW.search(blob) and _T4_LITIGATION.search(blob):
        return "t4"
    if _T2_FRAME.search(blob) or (_T2_ITEMS.search(blob) and section in (2, None)):
        return "t2"  # item labels alone (规章, 行政许可…) count only under section 二
    if section == 4 and any(
        len(vals := t4_values(grid.row_cells(r))) == T4_WIDTH
        and all(value_of(v).kind == "number" for v in vals)
        for r in range(len(grid.rows))
    ):
        return "t4"
    return "other"


def _empty(cell: object) -> bool:
    return isinstance(cell, str) and not cell.strip()


def _itself(cell: object) -> object:
    return cell


def t4_values(cells: list[str]) -> list[str]:
    """The value cells of a table 四 row, with surplus empty cells at either end trimmed."""
    values = split_row(cells).values
    trims = end_trims(values, T4_WIDTH) if len(values) > T4_WIDTH else []
    return trims[0] if len(trims) == 1 else list(values)


def end_trims(
    cells: Sequence[T],
    n: int,
    blank: Callable[[T], bool] = _empty,
    shown: Callable[[T], object] = _itself,
) -> list[list[T]]:
    """The distinct ways (as ``shown`` tells cells apart) of dropping blank cells at the
    two ends of ``cells`` to leave ``n``. One way: the padding is proven. Several: blanks
    at both ends, and whether the first or the last is padding is not known. None: too
    few blanks."""
    surplus = len(cells) - n
    if surplus <= 0:
        return [list(cells)] if surplus == 0 else []
    lead = next((i for i, c in enumerate(cells) if not blank(c)), len(cells))
    trail = next((i for i, c in enumerate(reversed(cells)) if not blank(c)), len(cells))
    out: list[list[T]] = []
    seen: list[list[object]] = []
    for k in range(max(0, surplus - trail), min(lead, surplus) + 1):
        kept = list(cells[k : len(cells) - (surplus - k)])
        looks = [shown(c) for c in kept]
        if looks not in seen:
            seen.append(looks)
            out.append(kept)
    return out


# Labels only one national format prints (domain.md §2). 不补正 / 收费通知 / 缴纳费用
# are the 2021 （六） sub-rows of table 三; the 2019 single （六） row is counted by
# the table 三 mapper, which knows whether that row carries values.
_VOTES_2021 = re.compile(r"制发|废止|现行有效|收费金额|行政规范性文件|不补正|收费通知|缴纳费用")
_VOTES_2019 = re.compile(
    r"新制作|新公开|公开总数|上一年项目|上年项目|增/减|增减|其他对外管理服务|集中采购"
)


def count_format_votes(grid_keys: Iterable[list[str]]) -> dict[str, int]:
    """Cells whose label only the 2019 or only the 2021 template has, per format,
    over the ``label_keys`` of each grid."""
    votes = {"2019": 0, "2021": 0}
    for keys in grid_keys:
        for k in keys:
            for_2019, for_2021 = _votes_of(k)
            votes["2021"] += for_2021
            votes["2019"] += for_2019
    return votes


@lru_cache(maxsize=8192)
def _votes_of(k: str) -> tuple[bool, bool]:
    """Whether a label key is one only the 2019 / only the 2021 template has."""
    return _VOTES_2019.search(k) is not None, _VOTES_2021.search(k) is not None
