"""Text renderings of report pages → blocks.

Three table conventions are recognised:

* pipe rows, as in the seed: ``规章 | 0 | 0 | 0 |`` — consecutive lines holding
  ``|`` form one table; a leading or trailing ``|`` is the rendering's frame,
  not an empty cell; nothing between two bare pipes (``| 0 | ||||``) is the
  padding of merged cells, not a cell (``| |`` is an empty cell); Markdown
  separator rows (``|---|---|``) and the ruling lines of ASCII grid tables
  (``+----+----+``) are dropped, inside a table or around it;
* tab-separated rows, as a table copied out of a browser or a spreadsheet
  gives them: ``规章\t0\t\t0`` — every tab ends a cell, so an empty cell keeps
  its place;
* one cell per line: a table row is a run of lines, one cell each, between
  lines that hold only ``|``.

Everything else is a paragraph, one per line. Markdown heading marks and bold
markers are removed so ``## 一、总体情况`` reads as a heading.
"""

from __future__ import annotations

import re

from ..decode.normalize import BOX_DRAWING, clean_text
from .grid import Block, Grid, Paragraph, TableBlock
from .html_table import join_lines

_MD_SEPARATOR = re.compile(r"^:?-{2,}:?$")
# a ruling line of an ASCII grid table: ``+----+----+``, ``+====+``, ``|----+----|``
RULING_LINE = re.compile(r"^[ \t]*[+|](?=[^\n]*[-=])[-=:+| \t]*[+|][ \t]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_STATUTORY_WORDS = (
    r"(?:总体情况|概述|主动公开政府信息|收到和处理|依申请公开|行政复议|存在的主要问题|其他需要报告)"
)
_SECTION_HEADING = re.compile(
    rf"^[一二三四五六七八九十]{{1,2}}\s*[、.．]\s*\S{{0,12}}?{_STATUTORY_WORDS}"
)
# A whole report squeezed onto one line: break it before each statutory heading.
_INLINE_HEADING = re.compile(
    rf"(?<=[。；;！!\s])(?=[一二三四五六七八九十]{{1,2}}[、．.]\S{{0,12}}?{_STATUTORY_WORDS})"
)
_BOX = str.maketrans(BOX_DRAWING)
_BOX_CHAR = re.compile("[\u2500-\u257f]")
_BOX_FRAME = re.compile("[│┃║]")
# ``|三、本年度办理结果+------+--+---+``: text in its first cells, a ruling after them
_MIXED_RULING = re.compile(r"^\s*(\|[^+]*[^\s|+][^+]*?)\+-{2,}[-=:+| \t]*[+|]\s*$")
_MIN_PIPE_CELLS = 3
_ONE_LINE_REPORT = 2000


def text_to_blocks(text: str) -> list[Block]:
    """Split a text rendering into paragraphs and table grids, in order."""
    boxed = is_boxed(text)  # box-drawn tables have no cell-per-line rows
    lines = _split_lines(text)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "|" and boxed:
            i += 1  # a frame's edge left alone (a page cut beside it)
            continue
        if line.strip() == "|":
            grid, i = _read_cell_per_line_table(lines, i)
            if grid is not None:
                blocks.append(TableBlock(grid))
            continue
        if RULING_LINE.match(line):
            i += 1
            continue
        if _is_tab_row(line) or _is_pipe_row(line):
            rows, i, wrapped = _read_rows(lines, i, tabs=_is_tab_row(line))
            if len(rows) == 1 and sum(1 for c in rows[0] if c) < _MIN_PIPE_CELLS:
                blocks.append(Paragraph(clean_text(" ".join(c for c in rows[0] if c))))
            elif rows:
                cut = _ends_open(lines, i)
                grid = Grid.from_rows(rows, columns=True, truncated=cut, wrapped=wrapped)
                blocks.append(TableBlock(grid))
            continue
        cleaned = _strip_markdown(line)
        if cleaned:
            blocks.append(Paragraph(cleaned))
        i += 1
    return blocks


def _read_rows(
    lines: list[str], start: int, *, tabs: bool
) -> tuple[list[list[str | None]], int, bool]:
    """The rows of the tab-separated or pipe table starting at ``lines[start]``, the
    index of the line after it, and whether wrapped lines were joined. Ruling lines and
    Markdown separator rows are skipped. In a grid table (ruling lines between its rows:
    pandoc, w3m, lynx) the lines between two rulings are one row whose cells wrapped:
    they are joined column by column."""
    rows: list[list[str | None]] = []
    band: list[list[str | None]] = []
    ruled = start > 0 and RULING_LINE.match(lines[start - 1]) is not None  # the top frame
    # rows with no pipe before their first cell (html2text: ``label| 96| 1|  ``), or rows
    # of which more than the last end without one (AsciiDoc: ``|规章 |0 |0`` and
    # ``|行政许可 |1 | ``), have no right frame: a pipe ending such a row opens an empty
    # last cell, it closes nothing
    no_left_frame = not tabs and not lines[start].lstrip().startswith("|")
    frameless = no_left_frame or (not tabs and _rows_left_open(lines, start))
    wrapped = False
    i = start
    while i < len(lines):
        line = lines[i]
        ruling = RULING_LINE.match(line) is not None
        if not ruling and ruled and band and (mixed := _MIXED_RULING.match(line)):
            # a ruling whose first cells still hold a merged cell's text (w3m prints a
            # rowspan label on whatever line it centres on): that text joins the row above
            cells = _split_pipe_row(mixed.group(1) + "|")
            width = len(band[0])
            if len(cells) < width:
                band.append([*cells, *([""] * (width - len(cells)))])
            ruling = True
        if ruling:
            joined = _joined(band) if ruled else band
            wrapped = wrapped or len(joined) < len(band)
            rows += joined
            band, ruled = [], True
            i += 1
            continue
        if tabs and _is_tab_row(line, continued=True):
            band.append([_strip_markdown(c) for c in line.strip(" \r").split("\t")])
        elif not tabs and _is_pipe_row(line):
            cells = _split_pipe_row(line, frameless=frameless, no_left_frame=no_left_frame)
            if not all(_MD_SEPARATOR.match(c) for c in cells if c):
                band.append(cells)
        else:
            break
        i += 1
    rows += band  # lines after the last ruling, never closed by one (a page cut there)
    return rows, i, wrapped


def _rows_left_open(lines: list[str], start: int) -> bool:
    """Whether a row of the pipe table at ``lines[start]`` other than its last ends
    without a pipe (a cut text leaves its last row open, and only that one)."""
    end = start
    while end < len(lines) and _is_pipe_row(lines[end]):
        end += 1
    return any(not lines[i].rstrip().endswith("|") for i in range(start, end - 1))


def _joined(band: list[list[str | None]]) -> list[list[str | None]]:
    """The lines of one grid-table row as that row: each column's texts joined (``商业`` /
    ``企业`` → ``商业企业``), when every line has the same cells; else the lines as they are."""
    if len(band) < 2 or len({len(cells) for cells in band}) != 1:
        return band
    row: list[str | None] = []
    for column in zip(*band, strict=True):
        texts = [text for text in column if text]
        row.append(join_lines(texts) if texts else (None if all(t is None for t in column) else ""))
    return [row]


def _ends_open(lines: list[str], end: int) -> bool:
    """Whether the text ends with the pipe row just read, that row not closed by a ``|``
    (a page cut inside it)."""
    if any(line.strip() for line in lines[end:]):
        return False
    last = lines[end - 1].rstrip()
    return "|" in last and not last.endswith("|")


def is_boxed(text: str) -> bool:
    """Whether the text draws its tables with box characters (w3m, lynx dumps)."""
    return _BOX_FRAME.search(text) is not None


def _split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if _BOX_CHAR.search(text):
        text = text.translate(_BOX)  # box-drawn table frames as ASCII ones
    lines = text.split("\n")
    if len([ln for ln in lines if ln.strip()]) <= 3 and len(text) > _ONE_LINE_REPORT:
        lines = [part for ln in lines for part in _INLINE_HEADING.split(ln) if part]
    return lines


def _strip_markdown(line: str) -> str:
    line = line.strip()
    if line.startswith("#"):
        line = _MD_HEADING.sub("", line)
    if "**" in line:
        line = _MD_BOLD.sub(r"\1", line)
    return clean_text(line)


def _is_tab_row(line: str, *, continued: bool = False) -> bool:
    """Tab-separated cells, two of them not empty (a line indented with tabs is not a
    row); ``continued``: a row after such a line, which may hold a label alone, with
    the tabs of its empty cells after it."""
    if "|" in line:
        return False
    if continued and "\t" in line.lstrip(" \t\r"):
        return True
    return "\t" in line and sum(1 for cell in line.split("\t") if cell.strip()) >= 2


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return "|" in stripped and stripped != "|"


def _split_pipe_row(
    line: str, *, frameless: bool = False, no_left_frame: bool = False
) -> list[str | None]:
    """A pipe row's cells; ``None`` for the nothing between two bare pipes (``||``, the
    padding of merged cells: no cell, and no proof of any position). In a ``frameless``
    table a last pipe followed by spaces opens an empty last cell; in a table with
    ``no_left_frame`` (html2text: ``label| 96|``), a row starting with a pipe starts
    with an empty cell (`` |  | 0|``)."""
    stripped = line.strip()
    parts = (line.strip("\r\n").lstrip() if frameless else stripped).split("|")
    empty_first = no_left_frame and stripped.startswith("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and not (frameless and parts[-1]):
        parts = parts[:-1]
    cells = [None if not p else _strip_markdown(p) for p in parts]
    return ["", *cells] if empty_first else cells


def _read_cell_per_line_table(lines: list[str], start: int) -> tuple[Grid | None, int]:
    """Read rows separated by lone ``|`` lines, starting at a ``|`` line.

    The table ends at the end of input, at a statutory section heading right
    after a separator, or at a line of prose (a sentence ending in 。).
    """
    rows: list[list[str]] = []
    i = start
    while i < len(lines) and lines[i].strip() == "|":
        j = i + 1
        row: list[str] = []
        while j < len(lines) and lines[j].strip() != "|":
            row.append(_strip_markdown(lines[j]))
            j += 1
        while row and not row[-1]:
            row.pop()
        while row and not row[0]:
            row.pop(0)
        if row and (_SECTION_HEADING.match(row[0]) or _is_prose(row)):
            return (Grid.from_rows(rows) if rows else None), i + 1
        if row:
            rows.append(row)
        i = j
    return (Grid.from_rows(rows) if rows else None), i


def _is_prose(row: list[str]) -> bool:
    return any(len(cell) > 60 and cell.endswith(("。", "；")) for cell in row)
