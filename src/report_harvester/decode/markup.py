"""Markup left in a text rendering, taken out before the text is read.

Markdown converters keep what Markdown cannot say as raw HTML: pandoc's GFM keeps
Word's ``<span style="font-size:10.5pt">0</span>`` inside table cells (whose
``10.5`` would read as a number), and prints a table with merged cells as a whole
``<table>``. Known HTML tags are dropped (``<br>`` is a space: a Markdown cell is
one line); an HTML table becomes pipe rows, a line per ``<tr>`` and a ``|`` before
every cell, so that both table readers see its rows. Anything else written with
``<`` (``<5``, ``<其他>``) is text and stays. Pandoc's own Markdown writes the same
spans as ``[0]{style="font-size:10.5pt"}``: the text in brackets is kept, its
attributes dropped (padded to the span's width on a line aligned with spaces, as the
rows of pandoc's simple tables are, so that the columns after it stay in place; a
copy's first or last line cut inside a span's attributes loses what is left of them).
An AsciiDoc table (between ``|===`` lines) starts each cell with
``|`` and closes no row, so its last cell may be an empty one (``|1 |``): in a text
with such tables each row is closed with a `` |`` of its own, as a Markdown row is.
A MediaWiki table (``{|`` … ``|}``) puts each cell on a line of its own and ends a row
with ``|-``: its rows are written back as one pipe row a line. A browser's innerText (a
copy out of the page, a crawler's ``inner_text()``) of a table whose cells hold
paragraphs prints a cell a paragraph and a line holding only a tab between cells: those
runs become pipe rows too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .normalize import display_width

_TAGS = frozenset(
    {
        "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "code", "col",
        "colgroup", "del", "div", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "label", "li", "mark", "o:p", "ol", "p", "pre", "s", "section",
        "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*(?::[a-zA-Z]+)?)(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TABLE = re.compile(r"<table\b.*?(?:</table\s*>|$)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


_BRACKETED_SPAN = re.compile(r"\[([^\[\]\n]*)\]\{[^{}\n]*\}")
_NESTING = 4  # spans inside spans: [[0]{.a}]{.b}
# a copy that starts or ends inside a span's attributes: ``…font-size:10.5pt"}`` and
# ``[规章]{style="font-size:10.5`` (their numbers are no values)
_CUT_SPAN_HEAD = re.compile(r"\A[^{}\[\]\n]*[\"']\}")
_CUT_SPAN_TAIL = re.compile(r"(?:\[([^\[\]\n]*))?\]\{(?:[.#]|[\w-]+=)[^{}\n]*\Z")
# a copy that starts or ends inside an HTML tag: ``…style="width:56.7pt">0`` and
# ``<td colspan="3" nowrap`` (their numbers are no values)
_CUT_TAG_HEAD = re.compile(r"\A[^<>\n]*[\"']/?>")  # up to the quote that closes the tag
_CUT_TAG_TAIL = re.compile(r"<[a-zA-Z/][^<>\n]*\Z")
# a run of spaces inside a line: the line is a row of a table aligned with spaces
_SPACE_ALIGNED = re.compile(r"\S {3,}\S")


_ASCIIDOC_DELIMITER = re.compile(r"^\|===[ \t]*\n?", re.MULTILINE)
_ASCIIDOC_ROW = re.compile(r"^(\|.*?)[ \t]*$", re.MULTILINE)


_WIKI_TABLE = re.compile(r"^\{\|.*?$(.*?)(?:^\|\}[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_WIKI_CELLS = re.compile(r"\|\||!!")


def _wiki_rows(body: str) -> str:
    """A MediaWiki table's rows as pipe rows (see the module doc)."""
    rows: list[list[str]] = []
    row: list[str] | None = None
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith(("|}", "{|")):
            continue  # the table's own ends (a cut copy keeps one of them)
        if line.startswith("|-"):
            if row:
                rows.append(row)
            row = []
        elif line.startswith("|+"):  # the caption: a line of text
            rows.append([line[2:].strip()])
        elif line.startswith(("|", "!")):
            if row is None:
                row = []
            for cell in _WIKI_CELLS.split(line[1:]):
                attributes, bar, content = cell.partition("|")
                row.append((content if bar and "=" in attributes else cell).strip())
        elif row:  # a cell's text going on over lines
            row[-1] = f"{row[-1]} {line}".strip()
    if row:
        rows.append(row)
    return "\n" + "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"


_WIKI_ROW_END = re.compile(r"^\|-[ \t]*$", re.MULTILINE)
_WIKI_LINES = re.compile(r"(?:^[ \t]*[|!].*(?:\n|\Z))+", re.MULTILINE)


def _padded_span(m: re.Match[str]) -> str:
    """A span's text padded to the width of the whole span, so that the columns after it
    stay where the converter printed them."""
    return m.group(1) + " " * (display_width(m.group(0)) - display_width(m.group(1)))


def _without_spans(line: str) -> str:
    """A line with each bracketed span replaced by its text (padded in a space-aligned
    table row: pandoc's simple and multiline tables align their columns with spaces)."""
    if "]{" not in line:
        return line
    keep: str | Callable[[re.Match[str]], str] = (
        _padded_span if _SPACE_ALIGNED.search(line) else r"\1"
    )
    for _ in range(_NESTING):
        line, n = _BRACKETED_SPAN.subn(keep, line)
        if not n:
            break
    return line


# innerText of a table whose cells hold paragraphs: a line holding only a tab between
# two cells, a blank line either side; rows and tables apart by two blank lines or more
_TAB_LINE = re.compile(r"^[ \t\xa0\u3000]*\t[ \t\xa0\u3000]*$", re.MULTILINE)
_CHUNKS = re.compile(r"\n *\n(?: *\n)+")  # a cell of a non-breaking space is a cell
_MIN_TAB_LINES = 4  # a row of three cells and more: not a stray tab or two
_VALUE_CELL = re.compile(r"[-+]?\d[\d,.]*\s*(?:万元|元|%)?")


def _tab_line_rows(text: str) -> str:
    """A browser's innerText of tables whose cells hold paragraphs (what a copy out of
    the page gives) as pipe rows (see ``_chunk_rows``); the rest of the text as it is."""
    out: list[str] = []
    for chunk in _CHUNKS.split(text):
        after_row = bool(out) and out[-1].rpartition("\n")[2].startswith("|")
        out.append(_chunk_rows(chunk, after_row) if _TAB_LINE.search(chunk) else chunk)
    return "\n\n".join(out)


def _chunk_rows(chunk: str, after_row: bool) -> str:
    """The rows of a run of lines apart by single blank lines: each line holding only
    tabs ends a cell (two tabs: an empty cell between them), an empty or non-breaking
    space cell is a blank cell. Paragraphs before the first cell are text before the
    table, unless the run follows a row (``after_row``: the next row of the same table,
    whose first cell holds them all). A cell of several paragraphs whose first is a
    value is the end of a table: that value closes its row, the last paragraph opens
    the next row, those between are text; after the last row, the paragraphs after its
    last cell's first are text."""
    out: list[str] = []
    row: list[str] = []
    paragraphs: list[list[str]] = [[]]

    def close_cell() -> list[str]:
        """The cell's paragraphs ("" for one of non-breaking spaces: an empty cell)."""
        found = [" ".join(" ".join(p).replace("\xa0", " ").split()) for p in paragraphs if p]
        paragraphs[:] = [[]]
        return found

    def end_row(last: str, text_after: list[str]) -> None:
        out.append("| " + " | ".join([*row, last]) + " |")
        out.extend(text_after)
        row.clear()

    for line in chunk.split("\n"):
        if _TAB_LINE.match(line):
            found = close_cell()
            if not row and after_row and not out:
                row.append(" ".join(found))
            elif not row:
                out.extend(found[:-1])  # text before the table
                row.append(found[-1] if found else "")
            elif len(found) > 1 and (not found[0] or _VALUE_CELL.fullmatch(found[0])):
                end_row(found[0], found[1:-1])
                row.append(found[-1])
            else:
                row.append(" ".join(found))
            row.extend([""] * (line.count("\t") - 1))
        elif line.strip(" "):
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    found = close_cell()
    if row:
        end_row(found[0] if found else "", found[1:])
    else:
        out.extend(found)
    return "\n".join(out)


def strip_markup(text: str) -> str:
    """``text`` without the markup a converter left in it (see the module doc)."""
    if "\t" in text and len(_TAB_LINE.findall(text)) >= _MIN_TAB_LINES:
        text = _tab_line_rows(text)
    if "{|" in text:
        text = _WIKI_TABLE.sub(lambda m: _wiki_rows(m.group(1)), text)
    if _WIKI_ROW_END.search(text):
        # a copy cut inside a MediaWiki table: its cell lines are rows all the same
        text = _WIKI_LINES.sub(lambda m: _wiki_rows(m.group(0)), text)
    if _ASCIIDOC_DELIMITER.search(text):
        # every table of an AsciiDoc text is one, wherever a copy cuts it
        text = _ASCIIDOC_ROW.sub(r"\1 |", _ASCIIDOC_DELIMITER.sub("", text))
    if "{" in text or "}" in text:
        text = _CUT_SPAN_TAIL.sub(r"\1", _CUT_SPAN_HEAD.sub("", text, count=1), count=1)
    if "]{" in text:
        text = "\n".join(map(_without_spans, text.split("\n")))
    if ">" in text:
        text = _CUT_TAG_HEAD.sub("", text, count=1)
    if "<" not in text:
        return text
    text = _CUT_TAG_TAIL.sub("", text, count=1)
    found = False

    def tag(m: re.Match[str]) -> str:
        nonlocal found
        closing, name = m.group(1), m.group(2).lower()
        if name not in _TAGS:
            return m.group(0)
        found = True
        if name in ("td", "th"):
            return "" if closing else " | "
        if name == "tr":
            return " |\n" if closing else "\n"
        if name in ("table", "caption"):
            return "\n"
        return " " if name == "br" else ""

    def table(m: re.Match[str]) -> str:
        # an HTML table's own line breaks are layout: its rows are its <tr>s, one table
        # (the white space between two rows is no blank line that would end it)
        rows = _TAG.sub(tag, _WHITESPACE.sub(" ", m.group(0))).split("\n")
        return "\n" + "\n".join(row for row in rows if row.strip()) + "\n"

    out = _TABLE.sub(table, _COMMENT.sub("", text))
    out = _TAG.sub(tag, out)
    return html.unescape(out) if found else out
