"""One HTML ``<table>`` → a rectangular ``Grid`` with every merged slot expanded.

Also home of the text helpers the HTML stage shares: how inline text flows
(``flow_text``), how lines broken by ``<br>``/``<p>`` are joined (``join_lines``)
and the text of a node as one line (``node_text``).

Spans are read defensively (trafilatura's ``_span``): a value that is not a
plain decimal number counts as 1, and every span is capped at ``MAX_SPAN``; a
rowspan is also cut at the table's last row, and the whole table at
``MAX_SLOTS`` slots, so hostile markup cannot blow up memory. All walks are
iterative: nesting depth is unbounded in real-world HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar, cast

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..decode.normalize import clean_text
from .grid import Grid, GridCell

MAX_SPAN = 100  # rowspan/colspan cap
MAX_COLUMNS = 256  # slots right of this are dropped; real reports have < 30 columns
MAX_SLOTS = 1_000_000  # work/size budget of one table (rows × columns)

# Elements that start and end a line of text. Everything else (span, font, b, a,
# strong, Word's o:p …) is inline and flows into the current line.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is never page text.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "template", "object", "embed", "select",
        "textarea", "button", "svg", "head", "title", "meta", "link",
    }
)  # fmt: skip

_SKIP_SELECTOR = ", ".join(sorted(SKIP_TAGS))
_MERGED_CELLS = "td[rowspan], td[colspan], th[rowspan], th[colspan]"
# Between a cell's text nodes. Lexbor drops or replaces NUL when it parses text, and a cell
# that still held one would only be read the careful way.
_FRAGMENT_SEPARATOR = "\x00"

_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
# A whitespace run holding a source line break, between two CJK characters.
_CJK_LINE_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\f]*[\n\r][ \t\n\r\f]*(?=[{_CJK}])")

T = TypeVar("T")
# lexbor's numeric tag ids: comparing ints is quicker than reading each tag's name.
_CELL_TAGS = frozenset(n.tag_id for n in LexborHTMLParser("<table><tr><td><th>").css("td, th"))
# ``GridCell(...)`` runs a Python ``__new__``; the tuple constructor gives the same object.
_new_cell = tuple.__new__


def is_cjk(ch: str) -> bool:
    """Whether a character is East Asian wide: ideographs, CJK punctuation, full-width forms."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def flow_text(raw: str) -> str:
    """Inline HTML text as it reads: whitespace runs collapse to one space, except that a
    source line break between two CJK characters disappears (Word wraps its HTML
    mid-sentence); then ``clean_text`` (nbsp and ideographic spaces, strip)."""
    if "\n" in raw or "\r" in raw:
        raw = _WHITESPACE_RUN.sub(" ", _CJK_LINE_BREAK.sub("", raw))
    # Without line breaks, every whitespace run is one ``clean_text`` collapses anyway.
    return clean_text(raw)


def join_lines(parts: Iterable[str]) -> str:
    """Join the lines of one cell or heading: no space between two CJK characters,
    one space otherwise; empty parts are skipped. ``本年新`` + ``制作数量`` → ``本年新制作数量``."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(part[0])):
            out += " "
        out += part
    return out


def text_flow(
    node: LexborNode, on_table: Callable[[LexborNode], T | None] | None = None
) -> list[str | T]:
    """The non-empty lines of a node's text, in document order: ``<br>`` and block
    elements end a line; the content of ``SKIP_TAGS`` elements is not text.

    With ``on_table``, each ``<table>`` met is first offered to it: when it gives
    something other than ``None``, that takes the table's place in the list and the
    table's own text is not read.
    """
    out: list[str | T] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            raw = "".join(buf)
            buf.clear()
            if raw.isspace():  # the source's line breaks between blocks: no line
                return
            text = flow_text(raw)
            if text:
                out.append(text)

    # Children are followed by ``next``; entering an element remembers where to resume
    # and whether leaving it ends a line, so the walk is iterative at any depth.
    resume: list[tuple[bool, LexborNode | None]] = []
    child = node.first_child
    while True:
        if child is None:
            if not resume:
                break
            closes_line, child = resume.pop()
            if closes_line:
                flush()
            continue
        if child.is_text_node:
            buf.append(child.text_content or "")
            child = child.next
            continue
        tag = child.tag
        if not child.is_element_node or tag is None or tag in SKIP_TAGS:
            child = child.next
            continue
        if tag == "br":
            flush()
            child = child.next
            continue
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if tag == "table" and on_table is not None:
            taken = on_table(child)
            if taken is not None:
                out.append(taken)
                child = child.next
                continue
        resume.append((block, child.next))
        child = child.first_child
    flush()
    return out


def node_lines(node: LexborNode) -> list[str]:
    """The non-empty lines of a node's text: ``<br>`` and block elements end a line."""
    return [line for line in text_flow(node) if isinstance(line, str)]


def node_text(node: LexborNode) -> str:
    """A node's text as one line (``join_lines`` of ``node_lines``)."""
    return join_lines(node_lines(node))


@lru_cache(maxsize=8192)
def _flow_cell(raw: str) -> str:
    """``flow_text`` with a cache: cell texts (0, labels, headers) repeat on every page."""
    return flow_text(raw)


def _cell_text(cell: LexborNode, skip_free: bool) -> str:
    """``node_text`` of a table cell, read in one lexbor call when it can be.

    A cell with a single text node that is not blank (whitespace-only ones only pad
    the line it sits in) is one line whatever elements surround it, so its text is
    ``flow_text`` of that node; only with no ``SKIP_TAGS`` element around can the
    node be trusted to be page text.
    """
    if skip_free:
        raw = cell.text(separator=_FRAGMENT_SEPARATOR, skip_empty=True)
        if _FRAGMENT_SEPARATOR not in raw:
            return _flow_cell(raw)
    return node_text(cell)


def table_rows(table: LexborNode) -> list[LexborNode]:
    """The ``<tr>`` elements of this table, in order; rows of nested tables are not included."""
    rows: list[LexborNode] = []
    for child in table.iter():
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(grandchild for grandchild in child.iter() if grandchild.tag == "tr")
    return rows


def span_value(value: str | None) -> int:
    """A rowspan/colspan attribute as a number: plain decimal digits → min(n, MAX_SPAN),
    at least 1; anything else (missing, ``abc``, ``-3``, ``2.5``) → 1."""
    if value is None:
        return 1
    text = value.strip()
    if not text.isdecimal():
        return 1
    try:
        number = int(text)
    except ValueError:
        return 1
    return max(1, min(number, MAX_SPAN))


def grid_from_table(
    node: LexborNode, *, skip_free: bool | None = None, merged: set[int] | None = None
) -> Grid:
    """Expand a ``<table>`` into a rectangular grid (``spans=True``).

    Every slot of a merged cell is a ``GridCell`` carrying the text and the
    origin (row, col) of that cell; short rows are padded with
    ``GridCell("", r, c, padding=True)``. Rows of nested tables are not rows
    of this grid, though a nested table's text is part of its cell's text.

    ``skip_free``: whether the table holds no ``SKIP_TAGS`` element, when the caller
    knows already; ``None`` looks. ``merged``: the ``mem_id`` of every cell with a
    rowspan or colspan (of this table at least), when the caller has them.
    """
    trs = table_rows(node)
    n_rows = len(trs)
    if skip_free is None:
        skip_free = node.css_first(_SKIP_SELECTOR) is None
    if merged is None:
        merged = {cell.mem_id for cell in node.css(_MERGED_CELLS)}  # most cells are plain
    slots: list[list[GridCell | None]] = [[] for _ in range(n_rows)]
    origins: list[GridCell] = []
    budget = MAX_SLOTS
    kept_rows = n_rows
    cell_tags, separator, flow_cell, new_cell = (
        _CELL_TAGS,
        _FRAGMENT_SEPARATOR,
        _flow_cell,
        _new_cell,
    )
    for r, tr in enumerate(trs):
        row = slots[r]
        c = 0
        for cell in tr.iter():
            if cell.tag_id not in cell_tags:
                continue
            while c < len(row) and row[c] is not None:
                c += 1
            if c >= MAX_COLUMNS:
                break
            if merged and cell.mem_id in merged:
                attrs = cell.attributes
                rowspan = min(span_value(attrs.get("rowspan")), n_rows - r)
                colspan = min(span_value(attrs.get("colspan")), MAX_COLUMNS - c)
            else:
                rowspan = colspan = 1
            budget -= rowspan * colspan
            if budget < 0:
                break
            if skip_free:  # ``_cell_text``, inline: this loop runs for every cell of a page
                raw = cell.text(separator=separator, skip_empty=True)
                text = node_text(cell) if separator in raw else flow_cell(raw)
            else:
                text = node_text(cell)
            origin = new_cell(GridCell, (text, r, c, False))
            origins.append(origin)
            if rowspan == colspan == 1:  # most cells: one free slot, at or before the row's end
                if c == len(row):
                    row.append(origin)
                else:
                    row[c] = origin
                c += 1
                continue
            end = c + colspan
            for target in slots[r : r + rowspan]:
                if len(target) < end:
                    target.extend([None] * (end - len(target)))
                for col in range(c, end):
                    if target[col] is None:
                        target[col] = origin
            c = end
        if budget < 0:
            kept_rows = r + 1
            break

    slots = slots[:kept_rows]
    width = max((len(row) for row in slots), default=0)
    if width == 0:
        return Grid([], spans=True)
    slots = slots[: max(1, MAX_SLOTS // width)]
    if len(slots) < kept_rows:
        origins = [cell for cell in origins if cell.row < len(slots)]
    rows: list[list[GridCell]] = []
    for r, row in enumerate(slots):
        if len(row) < width or None in row:
            row = [
                cell if cell is not None else GridCell("", r, c, padding=True)
                for c, cell in enumerate(row + [None] * (width - len(row)))
            ]
        rows.append(cast(list[GridCell], row))  # every slot is a GridCell now
    return Grid(rows, spans=True, origins=origins)
