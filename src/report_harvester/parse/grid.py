"""The page model every parsing stage shares: paragraphs and rectangular table grids.

HTML pages (``parse.html``) and text renderings (``parse.pipes``) are both
turned into a list of ``Block``s, so that sections, metadata and table mapping
are written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class GridCell(NamedTuple):  # immutable like a frozen dataclass, and twice as quick to make
    """One slot of a grid. A merged cell fills several slots that share its origin."""

    text: str  # whitespace-collapsed text of the cell (not NFKC-normalised)
    row: int  # origin row of the cell this slot belongs to
    col: int  # origin column
    padding: bool = False  # True for slots added only to make the grid rectangular

    def is_origin(self, row: int, col: int) -> bool:
        return self.row == row and self.col == col


@dataclass(slots=True)
class Grid:
    """A rectangular table: ``rows[r][c]``. ``spans`` says whether merges are known.

    From HTML, rowspan/colspan are expanded (``spans=True``): every slot knows its
    origin. From a text rendering nothing is known about merges (``spans=False``):
    each slot is its own origin and short rows are padded with blank slots.
    """

    rows: list[list[GridCell]]
    spans: bool = False
    truncated: bool = False  # the source ended inside this table
    # each cell once, in document order (no merged or padding copies); ``None``: not known
    origins: list[GridCell] | None = None
    # text rows that print every cell of a column as a cell (Markdown, tab-separated)
    columns: bool = False
    # rows joined from the wrapped lines of a grid table's cells (w3m, pandoc)
    wrapped: bool = False
    _row_cells: dict[int, list[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def aligned(self) -> bool:
        """Whether a column is a column in every row: merges are known (HTML), or a text
        table prints every column as a cell and every row came with all of them."""
        if self.spans:
            return True
        return self.columns and not any(cell.padding for row in self.rows for cell in row)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]

    def row_cells(self, r: int) -> list[str]:
        """Texts of row ``r`` with colspan copies collapsed to one (left-most) entry.

        Read once per row: callers get the same list and must not change it."""
        texts = self._row_cells.get(r)
        if texts is None:
            row = self.rows[r]
            if self.spans:  # a slot right of its origin's column is a colspan copy
                texts = [
                    cell.text for c, cell in enumerate(row) if c <= cell.col and not cell.padding
                ]
            else:
                texts = [cell.text for cell in row if not cell.padding]
            self._row_cells[r] = texts
        return texts

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[str | None]],
        *,
        truncated: bool = False,
        columns: bool = False,
        wrapped: bool = False,
    ) -> Grid:
        """Build a grid from plain rows of text (no merge information), padding short rows.
        ``None`` is a slot that is no cell (the bare pipes of ``| 0 | ||||``, padding of
        merged cells); ``columns``: the rows print every column as a cell (see ``aligned``)."""
        width = max((len(r) for r in rows), default=0)
        grid_rows = [
            [GridCell(t or "", r, c, padding=t is None) for c, t in enumerate(texts)]
            + [GridCell("", r, c, padding=True) for c in range(len(texts), width)]
            for r, texts in enumerate(rows)
        ]
        return cls(grid_rows, spans=False, truncated=truncated, columns=columns, wrapped=wrapped)


@dataclass(slots=True)
class Paragraph:
    text: str


@dataclass(slots=True)
class TableBlock:
    grid: Grid


Block = Paragraph | TableBlock


def blocks_text(blocks: list[Block]) -> str:
    """The blocks as a text rendering: a paragraph per line, a table row per line with
    ``|`` around every cell and a merged cell's text in its first row and column only
    (what a crawler's HTML-to-text gives)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
            continue
        for r, row in enumerate(block.grid.rows):
            cells = [
                cell.text if cell.row == r else ""
                for c, cell in enumerate(row)
                if cell.col == c and not cell.padding
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(slots=True)
class PageContent:
    """What the HTML stage hands on: the main content as blocks, plus page facts."""

    blocks: list[Block]
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased <meta name> → content
    image_count: int = 0  # <img> inside the main content
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, link text)
    truncated: bool = False  # the document ended before </html> / inside a table
