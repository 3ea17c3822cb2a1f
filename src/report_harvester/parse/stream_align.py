"""Rows of a space-aligned table (``pdftotext -layout``, ``w3m -dump``, inscriptis): the
columns where the table's whole rows print their values place the values of a row whose
empty cells print nothing.

A table printed with spaces has no separator for an empty cell, so a row such as
``一、本年新收…   51        64`` has two values for seven cells. Its values can still be
placed when the table itself proves where its columns are:

- the columns are where at least two *anchor rows* print every cell on one line, when
  in every column their values share an edge: the same first position (left-aligned),
  the same last (right-aligned) or the same middle (centred, give or take half a
  character); or, failing anchor rows, where the header prints its column words
  (自然人 … 总计), every value of a row sharing the same edge with its word, and the
  table's rows having two values at least (one meeting a word's edge may be chance);
- every row of the table printed on one line then meets those columns: each value meets
  exactly one column by that column's edge, in order, one value each. A table whose
  rows do not all line up so proves nothing;
- a row placed so is printed on one line that is not the text's last (a page cut there
  may have dropped cells).

Positions are counted two ways, in characters (``pdftotext -layout`` pads to character
cells) and in display width (a CJK character is two columns, as terminals and
``w3m`` count); a way is used only when the table lines up in it. When both ways line
up and place a row differently, it is not placed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..decode.normalize import display_width
from ..models import Value
from .simplify import Stream
from .stream_tokens import Token

ALIGNED_NOTE = "aligned_by_columns"
_MIN_ANCHORS = 2
_MIN_HEADER_VALUES = 2  # values the table's rows need to be placed by header words alone
_Edges = tuple[int, int]  # a value's first position and the position just past it
_Measure = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class _Column:
    """The positions the anchor rows print one column's values at."""

    starts: frozenset[int]
    ends: frozenset[int]
    middles: tuple[int, int]  # least and greatest start + end (twice the middle)

    def meets(self, edges: _Edges) -> frozenset[str]:
        """The edges (``left``, ``right``, ``middle``) a value at ``edges`` shares with
        this column; empty when it is not in it."""
        start, end = edges
        met = set()
        if len(self.starts) == 1 and start in self.starts:
            met.add("left")
        if len(self.ends) == 1 and end in self.ends:
            met.add("right")
        low, high = self.middles
        if high - low <= 1 and low - 1 <= start + end <= high + 1:
            met.add("middle")
        return frozenset(met)

    def aligned(self) -> bool:
        low, high = self.middles
        return len(self.starts) == 1 or len(self.ends) == 1 or high - low <= 1


def place_by_columns(
    stream: Stream,
    rows: Mapping[str, Sequence[Token]],
    unplaced: Sequence[str],
    n: int,
    header: Sequence[tuple[int, int]] | None = None,
) -> dict[str, list[Value]]:
    """The cells of each ``unplaced`` row that the table's columns place (see the module
    docstring); a row they do not place is left out. ``rows``: every row of the table
    by key; ``header``: where the header prints each column's word (stream positions)."""
    on_a_line = [key for key, row in rows.items() if _one_line(stream, row) is not None]
    wanted = [key for key in unplaced if key in on_a_line and 0 < len(rows[key]) < n]
    if not wanted:
        return {}
    anchors = [rows[key] for key in on_a_line if len(rows[key]) == n]
    found: dict[str, set[tuple[int, ...]]] = {key: set() for key in wanted}
    for measure in (_chars, display_width):
        columns = _columns(stream, anchors, measure) if len(anchors) >= _MIN_ANCHORS else None
        from_header = columns is None and header is not None and len(header) == n
        if from_header and header is not None:
            columns = _header_columns(stream, header, measure)
        if columns is None:
            continue
        at = {
            key: _positions(stream, rows[key], columns, measure, from_header)
            for key in on_a_line
        }
        if any(v is None for v in at.values()):
            continue  # a row that does not line up: the columns prove nothing
        if from_header and sum(len(rows[key]) for key in on_a_line) < _MIN_HEADER_VALUES:
            continue  # one value meeting a header word's edge may be chance
        for key in wanted:
            found[key].add(tuple(at[key] or ()))
    out: dict[str, list[Value]] = {}
    for key, ways in found.items():
        if len(ways) != 1:
            continue
        (columns_of,) = ways
        cells = [Value(kind="blank") for _ in range(n)]
        for column, token in zip(columns_of, rows[key], strict=True):
            assert token.value is not None  # _one_line takes plain values only
            cells[column] = token.value.model_copy(update={"note": ALIGNED_NOTE})
        out[key] = cells
    return out


def _one_line(stream: Stream, row: Sequence[Token]) -> int | None:
    """The line a row of plain values (no blanks, no digits cut out of words) is printed
    on, when it is one line and not the text's last; else ``None``."""
    if not row or any(
        t.kind != "value" or t.glued or t.value is None or t.value.kind == "blank" for t in row
    ):
        return None
    text = stream.text
    start = text.rfind("\n", 0, row[0].at) + 1
    end = text.find("\n", row[-1].at)
    if end < 0 or "\n" in text[start : row[-1].at] or "\t" in text[start:end]:
        return None
    return start


def _edges(stream: Stream, token: Token, measure: _Measure) -> _Edges:
    """Where a token is printed on its line, counted by ``measure``."""
    raw, at = stream.raw, _raw_at(stream, token.at)
    line = max(raw.rfind("\n", 0, at), raw.rfind("\r", 0, at)) + 1
    start = measure(raw[line:at])
    return start, start + measure(token.raw)


def _raw_at(stream: Stream, at: int) -> int:
    return at if stream.index is None else stream.index[at]


def _columns(
    stream: Stream, anchors: Sequence[Sequence[Token]], measure: _Measure
) -> list[_Column] | None:
    """The anchor rows' columns, when each lines up and they come in order apart."""
    spans = [[_edges(stream, t, measure) for t in row] for row in anchors]
    columns: list[_Column] = []
    for j in range(len(spans[0])):
        at = [row[j] for row in spans]
        middles = [s + e for s, e in at]
        column = _Column(
            frozenset(s for s, _ in at), frozenset(e for _, e in at), (min(middles), max(middles))
        )
        if not column.aligned():
            return None
        if columns and max(columns[-1].ends) >= min(column.starts):
            return None  # columns that touch or overlap prove nothing
        columns.append(column)
    return columns


def _header_columns(
    stream: Stream, header: Sequence[tuple[int, int]], measure: _Measure
) -> list[_Column] | None:
    """One column per header word, at the word's own edges, when they come in order apart."""
    columns: list[_Column] = []
    for start, end in header:
        line = stream.text.rfind("\n", 0, start) + 1
        a = measure(stream.raw_slice(line, start)) if start > line else 0
        b = a + measure(stream.raw_slice(start, end))
        if columns and max(columns[-1].ends) >= a:
            return None
        columns.append(_Column(frozenset([a]), frozenset([b]), (a + b, a + b)))
    return columns


def _positions(
    stream: Stream,
    row: Sequence[Token],
    columns: list[_Column],
    measure: _Measure,
    one_edge: bool,
) -> list[int] | None:
    """The column of each value of ``row``: one column each, met by that column's rule
    and no other's, in order. ``one_edge``: every value must share the same edge with
    its column (columns read off header words, which anchor rows have not confirmed)."""
    out: list[int] = []
    shared = frozenset(("left", "right", "middle"))
    for token in row:
        edges = _edges(stream, token, measure)
        met = [(j, how) for j, column in enumerate(columns) if (how := column.meets(edges))]
        if len(met) != 1 or (out and met[0][0] <= out[-1]):
            return None
        out.append(met[0][0])
        shared &= met[0][1]
    return out if shared or not one_edge else None


def _chars(text: str) -> int:
    return len(text)
