"""A PDF's tables without ruling lines, read one row a line from the words' places.

Without rulings pdfplumber finds no cell, and the page's text lines cut every
wrapped label into pieces: a row's numbers sit on the line of one piece (at the
top, middle or foot of the cell) and the rest of the label runs above or below
(``2.其 0 0 0 0 0 0 0`` / ``他法`` / ``律行`` …), where a text reader takes it for
the label of the next row's numbers. Here each row of numbers gets its labels back
whole:

- in each label column, pieces stacked without a row's gap between them are one
  cell, and a cell goes with the rows of numbers printed within its height (a group
  label such as ``三、本年度办理结果`` with the first of them);
- labels run together with no gap between rows are cut where each row starts on its
  own line (labels set at the top of their cells); any other label cell over two rows
  stops the rebuild, and the page's own lines are read;
- from word boxes, the numbers go into the columns where they stand, a column no row
  fills taken from its header: blank cells keep their places (``| 一、… | 17 |  | 20 |``);
- a row a page break cuts goes on at the next page's top.

The same runs on ``pdftotext -layout`` text, whose spacing keeps the columns on a
character grid (too rough to place blank cells by: its numbers keep their order).
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..decode.normalize import display_width

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
MIN_VALUES = 1  # numbers on a line that make it a table row (after its labels)
_SAME_LINE = 0.2  # of a word's height: tops this close are one line
_SAME_CELL = 0.45  # of a word's height: a gap this small is a wrapped line in one cell
_SAME_COLUMN = 3.0  # points between the left edges of one column's pieces


@dataclass(slots=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def number(self) -> bool:
        return _NUMBER.match(self.text) is not None


@dataclass(slots=True)
class _Line:
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: w.x0))


@dataclass(slots=True)
class _Cell:
    """Label pieces stacked in one column, top to bottom."""

    pieces: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.pieces[0].top

    @property
    def bottom(self) -> float:
        return self.pieces[-1].bottom

    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


_FURNITURE = re.compile(r"^\s*(?:[—–\-－]*\s*\d{1,3}\s*[—–\-－]*|第\s*\d{1,3}\s*页.*)\s*$")


_TOKEN = re.compile(r"\S+")
LAYOUT_LINE = 2.0  # a line's height in a space-aligned rendering: a CJK character is as wide


def layout_words(page: str) -> list[Word]:
    """The words of one page of a PDF's space-aligned text rendering (``pdftotext
    -layout``), with the geometry its spacing keeps: a column a unit wide (a wide
    character two), a line ``LAYOUT_LINE`` high, an empty line a gap."""
    out: list[Word] = []
    for k, line in enumerate(page.split("\n")):
        for m in _TOKEN.finditer(line):
            x0 = float(display_width(line[: m.start()]))
            top = k * LAYOUT_LINE
            out.append(Word(x0, x0 + display_width(m.group()), top, top + LAYOUT_LINE, m.group()))
    return out


def rebuilt_layout_text(text: str) -> str | None:
    """A PDF's text rendering (pages apart by form feeds, as ``pdftotext`` writes them) with
    each table row's wrapped labels joined onto its numbers, as ``rebuilt_lines`` does for
    word boxes; its numbers keep their order (a character grid places them too roughly to
    tell blank cells by). ``None``: nothing to join, or no way to tell the rows apart."""
    lines = rebuilt_pages([layout_words(page) for page in text.split("\f")], by_position=False)
    return None if lines is None else "\n".join(lines) + "\n"


def rebuilt_pages(pages: Sequence[Sequence[Word]], *, by_position: bool = True) -> list[str] | None:
    """``rebuilt_lines`` of several pages' words, stacked; a page opening with label pieces
    is first read as the rest of a row the break cut, then, if that runs two rows'
    labels together, as a new row."""
    for cut_rows in (True, False):
        words = stacked(pages, cut_rows=cut_rows)
        lines = rebuilt_lines(words, by_position=by_position) if words else None
        if lines is not None:
            return [line for _, line in lines]
    return None


def stacked(pages: Sequence[Sequence[Word]], *, cut_rows: bool = True) -> list[Word]:
    """The words of several pages as one column of text, each page's below the last, page
    numbers at a page's top or bottom dropped. With ``cut_rows``, a page that opens with
    label pieces is put right under the last page's last line, where the cell they
    continue is (a row a page break cuts); otherwise, and when a page opens with a row
    of numbers, a row's gap apart."""
    out: list[Word] = []
    bottom = 0.0
    for words in pages:
        lines = _lines(words)
        while lines and _FURNITURE.match(lines[-1].text()):
            lines.pop()
        while lines and _FURNITURE.match(lines[0].text()):
            lines.pop(0)
        if not lines:
            continue
        height = statistics.median(w.bottom - w.top for line in lines for w in line.words)
        opens_a_row = any(w.number for w in lines[0].words)
        gap = 2 * height if opens_a_row or not out or not cut_rows else 0.1 * height
        shift = bottom + gap - lines[0].top
        for line in lines:
            out += [Word(w.x0, w.x1, w.top + shift, w.bottom + shift, w.text) for w in line.words]
        bottom = max(w.bottom for w in out)
    return out


def _lines(words: Sequence[Word]) -> list[_Line]:
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1].words[0].top) <= _SAME_LINE * (
            word.bottom - word.top
        ):
            lines[-1].words.append(word)
        else:
            lines.append(_Line([word]))
    return lines


def rebuilt_lines(
    words: Sequence[Word], *, by_position: bool = True
) -> list[tuple[float, str]] | None:
    """The page's lines (top, text) with each table row's wrapped labels joined onto the
    row's line of numbers; ``None`` when the page has no such row, or when its label
    cells cannot be told apart (then the page's own lines stand). ``by_position``: the
    words' places are exact enough to put numbers in their columns (blank cells kept)."""
    lines = _lines(words)
    rows = [i for i, line in enumerate(lines) if _is_row(line)]
    if not rows:
        return None
    height = statistics.median(w.bottom - w.top for w in words)
    starts = {i: min(w.x0 for w in lines[i].words if w.number) for i in rows}
    pieces, groups = _label_pieces(lines, rows, starts)
    spans = _label_cells(lines, rows, pieces, height)
    if spans is None:
        return None
    joined: dict[int, list[tuple[float, str]]] = {i: [] for i in rows}
    used: set[int] = set()
    for cell, covered in spans:
        joined[covered[0]].append((cell.pieces[0].x0, cell.text()))
        used.update(id(p) for p in cell.pieces)
    columns: dict[int, list[tuple[float, float]]] = {}
    for group in groups if by_position else ():
        header = _header_words(lines, group[0], starts[group[0]])
        found = _value_columns([lines[i] for i in group], header)
        columns.update((i, found) for i in group if found)
    out: list[tuple[float, str]] = []
    for i, line in enumerate(lines):
        if i in joined:
            texts = [text for _, text in sorted(joined[i])]
            out.append((line.top, _row_text(texts, line, columns.get(i))))
            continue
        rest = [w for w in line.words if id(w) not in used]
        if rest:
            out.append((line.top, _Line(rest).text()))
    return out


def _label_pieces(
    lines: Sequence[_Line], rows: Sequence[int], starts: dict[int, float]
) -> tuple[list[Word], list[list[int]]]:
    """The label pieces of every row (its own words that are no number, and the lines of
    label pieces around it), and the rows grouped by table (rows with nothing else
    between them)."""
    pieces: list[Word] = []
    groups: list[list[int]] = [[]]
    taken: set[int] = set()  # lines whose words are pieces

    def only_pieces(k: int, values_from: float) -> bool:
        return all(not w.number and w.x1 <= values_from for w in lines[k].words)

    for n, i in enumerate(rows):
        values_from = starts[i]
        pieces += [w for w in lines[i].words if not w.number]
        if not groups[-1]:
            # a table's first row: the start of a label set in the middle or at the
            # foot of its cell is above it, under the header
            k = i - 1
            while k >= 0 and k not in taken and only_pieces(k, values_from):
                taken.add(k)
                pieces += lines[k].words
                k -= 1
        groups[-1].append(i)
        # the lines between this row and the next: label pieces only, left of the numbers
        stop = rows[n + 1] if n + 1 < len(rows) else len(lines)
        for k in range(i + 1, stop):
            if not only_pieces(k, values_from):
                groups.append([])
                break
            taken.add(k)
            pieces += lines[k].words
    return pieces, [group for group in groups if group]


def _label_cells(
    lines: Sequence[_Line], rows: Sequence[int], pieces: Sequence[Word], height: float
) -> list[tuple[_Cell, list[int]]] | None:
    """Each label cell with the rows of numbers printed within its height (a label set at
    the top, middle or foot of its cell; a group label spans several); ``None`` when a
    row label cell covers two rows that cannot be cut apart."""
    middles = {i: _middle(lines[i]) for i in rows}
    by_middle = sorted(rows, key=middles.__getitem__)
    order = [middles[i] for i in by_middle]
    reach = _SAME_CELL * height
    bands = sorted((lines[i].top, lines[i].bottom) for i in rows)
    spans: list[tuple[_Cell, list[int]]] = []
    for cell in _cells(pieces, height, bands):
        lo = bisect.bisect_left(order, cell.top - reach)
        hi = bisect.bisect_right(order, cell.bottom + reach)
        if covered := sorted(by_middle[lo:hi]):
            spans.append((cell, covered))
    innermost: dict[int, float] = {}  # row → the left edge of its rightmost label cell
    for cell, covered in spans:
        for i in covered:
            innermost[i] = max(innermost.get(i, cell.pieces[0].x0), cell.pieces[0].x0)
    out: list[tuple[_Cell, list[int]]] = []
    for cell, covered in spans:
        column = cell.pieces[0].x0
        if len(covered) > 1 and any(innermost[i] <= column + _SAME_COLUMN for i in covered):
            # a row label cell over two rows: the rows' labels ran together (no gap
            # between the rows in a text rendering); told apart only when every one of
            # them starts on its own row's line (labels set at the top of their cells)
            parts = _split_at_rows(cell, [lines[i] for i in covered])
            if parts is None:
                return None
            out += [(part, [i]) for part, i in zip(parts, covered, strict=True)]
        else:
            out.append((cell, covered))
    return out


def _split_at_rows(cell: _Cell, rows: Sequence[_Line]) -> list[_Cell] | None:
    """``cell`` cut where each of ``rows`` starts, when a piece of it is on every row's
    line and the first on the first; else ``None``."""
    starts = [next((p for p in cell.pieces if _on(p, row)), None) for row in rows]
    if any(p is None for p in starts) or starts[0] is not cell.pieces[0]:
        return None
    parts: list[_Cell] = []
    for piece in cell.pieces:
        if any(piece is start for start in starts):
            parts.append(_Cell([piece]))
        else:
            parts[-1].pieces.append(piece)
    return parts


def _on(piece: Word, row: _Line) -> bool:
    return abs(piece.top - row.top) <= _SAME_LINE * (piece.bottom - piece.top)


def _middle(line: _Line) -> float:
    numbers = [w for w in line.words if w.number]
    return (min(w.top for w in numbers) + max(w.bottom for w in numbers)) / 2


def _is_row(line: _Line) -> bool:
    """A table row: labels and then ``MIN_VALUES`` numbers or more, or numbers alone, two
    or more (a lone number on its line is a cell of a table printed a cell a line)."""
    numbers = [w for w in line.words if w.number]
    labels = [w for w in line.words if not w.number]
    if len(numbers) < (MIN_VALUES if labels else 2):
        return False
    first = min(w.x0 for w in numbers)
    return all(w.x1 <= first for w in labels)


def _header_words(lines: Sequence[_Line], first_row: int, values_from: float) -> list[Word]:
    """The words over the value columns in the lines right above a table's first row
    (its column headers), up to a line of text that runs across into them."""
    out: list[Word] = []
    for line in reversed(lines[:first_row]):
        if any(w.number or w.x0 < values_from < w.x1 for w in line.words):
            break
        words = sorted((w for w in line.words if w.x0 >= values_from - _SAME_COLUMN),
                       key=lambda w: w.x0)
        for w in words:  # ``组 织``: a space inside one header cell splits no column
            last = out[-1] if out and out[-1].top == w.top else None
            if last is not None and w.x0 - last.x1 < _SAME_CELL * (w.bottom - w.top):
                out[-1] = Word(last.x0, w.x1, last.top, max(last.bottom, w.bottom),
                               last.text + w.text)
            else:
                out.append(w)
    return out


def _value_columns(rows: Sequence[_Line], header: Sequence[Word] = ()) -> list[tuple[float, float]]:
    """The columns the numbers of one table's rows stand in (their spans overlap down a
    column, whether set left, centred or right), and a column header over none of them (a
    column no row fills); empty when a row has two numbers in one column (the spans do
    not tell the columns apart)."""
    spans = sorted((w.x0, w.x1) for row in rows for w in row.words if w.number)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    filled = [(lo, hi) for lo, hi in columns]
    empty = [
        (w.x0, w.x1)
        for w in header
        if not any(w.x0 <= hi and lo <= w.x1 for lo, hi in filled)
    ]
    out = sorted(filled + [span for k, span in enumerate(empty) if span not in empty[:k]])
    for row in rows:
        taken = [_column_of(w, out) for w in row.words if w.number]
        if len(set(taken)) != len(taken):
            return []
    return out


def _column_of(word: Word, columns: Sequence[tuple[float, float]]) -> int:
    return next(c for c, (lo, hi) in enumerate(columns) if lo <= word.x0 <= hi)


def _row_text(labels: list[str], line: _Line, columns: list[tuple[float, float]] | None) -> str:
    """A row as a line: its labels and numbers; with the table's columns known, a ``|``
    around every cell, an empty one where a column has no number in this row."""
    values = sorted((w for w in line.words if w.number), key=lambda w: w.x0)
    label_end = max((w.x1 for w in line.words if not w.number), default=0.0)
    if not columns or label_end > columns[0][0]:
        # a label running into the first value column may hold its number (``申0请``)
        return " ".join([*labels, *(w.text for w in values)])
    cells = [""] * len(columns)
    for w in values:
        cells[_column_of(w, columns)] = w.text
    return "| " + " | ".join([" ".join(labels), *cells] if labels else cells) + " |"


def _cells(
    pieces: Sequence[Word], height: float, bands: Sequence[tuple[float, float]] = ()
) -> list[_Cell]:
    """Pieces stacked in one column with less than a row's gap between them, as cells.
    ``bands``: the rows' lines of numbers; one with no piece in a column does not part
    the label set around it there (a text rendering gives the numbers of a label set in
    the middle of its cell a line of their own, inside the label's lines)."""
    columns: list[list[Word]] = []
    for piece in sorted(pieces, key=lambda w: w.x0):
        if columns and piece.x0 - columns[-1][0].x0 <= _SAME_COLUMN:
            columns[-1].append(piece)
        else:
            columns.append([piece])
    limit = _SAME_CELL * height
    cells: list[_Cell] = []
    for column in columns:
        current: _Cell | None = None
        for piece in sorted(column, key=lambda w: w.top):
            if current is not None and _gap(current.bottom, piece.top, bands, limit) <= limit:
                current.pieces.append(piece)
            else:
                current = _Cell([piece])
                cells.append(current)
    return cells


def _gap(above: float, below: float, bands: Sequence[tuple[float, float]], limit: float) -> float:
    """The space between two pieces of a column, less the rows' lines of numbers in it."""
    gap = below - above
    if gap <= limit:
        return gap
    first = bisect.bisect_left(bands, (above - 0.01,))
    last = bisect.bisect_right(bands, (below + 0.01,))
    return gap - sum(bottom - top for top, bottom in bands[first:last] if bottom <= below + 0.01)
