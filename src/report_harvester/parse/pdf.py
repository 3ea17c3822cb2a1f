"""PDF bytes → the page model (paragraphs and table grids), read from the page geometry.

pdfplumber's table finder reads ruling lines and word boxes, so every table
arrives as rows of cells with their raw text, like an HTML table; the rest of
each page's text layer becomes paragraphs, in reading order with the tables.
Labels wrapped inside a cell (``商业`` / ``企业``, ``三/、/本/年…`` one character
per line) are joined; page furniture (``- 3 -``, ``第 3 页``) is dropped. A frame
of one column around running text is text, not a table. Tables then go to the
same mappers as HTML tables (``tables.map_tables``). A document without ruling
lines gives its text layer with each table row's wrapped labels joined onto the row's
numbers (``pdf_rows``), for the text reader.

A PDF with no text layer (a scan) gives no blocks: the pipeline records it as
``image_only``.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from .grid import Block, Grid, PageContent, Paragraph, TableBlock
from .pdf_rows import Word, rebuilt_pages

_FURNITURE = re.compile(r"^\s*(?:[—–\-－]+\s*\d{1,3}\s*[—–\-－]+|第\s*\d{1,3}\s*页.*)\s*$")
_CJK_EDGE = re.compile(r"[\u4e00-\u9fff（）()、，。：；“”]")


class PdfError(Exception):
    """The PDF cannot be read: ``code`` is encrypted or unreadable (damaged, truncated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _cell_text(text: str | None) -> str:
    """A cell's lines joined: with nothing between CJK characters, else a space."""
    if not text:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        if out and not (_CJK_EDGE.match(out[-1]) and _CJK_EDGE.match(line[0])):
            out += " "
        out += line
    return out


def _paragraphs(text: str) -> list[Block]:
    return [
        Paragraph(line.strip())
        for line in text.splitlines()
        if line.strip() and not _FURNITURE.match(line)
    ]


def _page_blocks(page: Any) -> tuple[list[Block], bool]:
    """A page's tables and the text around them, top to bottom; whether it had a table
    with ruling lines."""
    placed: list[tuple[float, list[Block]]] = []
    rest = page
    for table in page.find_tables(_table_settings(page)):
        rows = [[_cell_text(c) for c in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if not rows:
            continue
        if max(len(row) for row in rows) == 1 or all(sum(1 for c in r if c) <= 1 for r in rows):
            continue  # a frame around running text: read it as text below
        rest = rest.outside_bbox(table.bbox)
        placed.append((table.bbox[1], _table_and_prose(rows)))
    for top, text in _lines_with_top(rest):
        placed.extend((top, [p]) for p in _paragraphs(text))
    placed.sort(key=lambda item: item[0])
    return [block for _, blocks in placed for block in blocks], rest is not page


def _words(page: Any) -> list[Word]:
    return [
        Word(float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]), str(w["text"]))
        for w in page.extract_words()
    ]


def _unruled_text(pdf: Any) -> str | None:
    """The text layer of a PDF without ruled tables, each row of numbers with its wrapped
    labels joined, across page breaks too (pdf_rows); ``None``: nothing to join."""
    lines = rebuilt_pages([_words(page) for page in pdf.pages])
    return None if lines is None else "\n".join(lines)


def _table_settings(page: Any) -> dict[str, Any]:
    """pdfplumber's ruling-line settings, with the page's ruled area closed at its top
    and bottom: a row a page break cuts has no ruling on one side, and a cell needs four
    (the row's text would be lost between the two pages' tables)."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return {}
    top = min(float(e["top"]) for e in verticals)
    bottom = max(float(e["bottom"]) for e in verticals)
    return {"explicit_horizontal_lines": [top, bottom]}


def _table_and_prose(rows: list[list[str]]) -> list[Block]:
    """Rows of one filled cell before the first row of several, or after the last, are
    running text caught in the table's frame (a page's prose, a section heading)."""
    several = [i for i, row in enumerate(rows) if sum(1 for c in row if c) > 1]
    first, last = several[0], several[-1]
    before = [Paragraph(next(c for c in row if c)) for row in rows[:first]]
    after = [Paragraph(next(c for c in row if c)) for row in rows[last + 1 :]]
    # pdfplumber gives every column of every row (a merged cell's other slots empty)
    table = Grid.from_rows(rows[first : last + 1], columns=True)
    return [*before, TableBlock(table), *after]


def _lines_with_top(page: Any) -> list[tuple[float, str]]:
    """The page's text lines with the top coordinate of each."""
    lines = page.extract_text_lines(return_chars=False) or []
    return [(float(line["top"]), str(line["text"])) for line in lines]


def extract_pdf(data: bytes) -> tuple[PageContent, str]:
    """The PDF's content as blocks, and its whole text layer; raises ``PdfError``."""
    import pdfplumber  # heavy: only when a PDF is read

    # pdfminer logs each odd font (``Could not get FontBBox …``) as a warning; what the
    # PDF lacks is said in the report's own warnings, one line each. Its level is put back
    # after: a program using this parser keeps its own logging.
    pdfminer_log = logging.getLogger("pdfminer")
    level = pdfminer_log.level
    pdfminer_log.setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            texts: list[str] = []
            ruled = False
            for page in pdf.pages:
                page_blocks, page_ruled = _page_blocks(page)
                ruled = ruled or page_ruled
                blocks.extend(page_blocks)
                texts.append(page.extract_text() or "")
            text = None if ruled else _unruled_text(pdf)
            title = _title(pdf.metadata)
    except Exception as exc:  # pdfminer raises many kinds (pdfplumber wraps them)
        reason = f"{type(exc).__name__}: {exc}"
        if "Password" in reason or "Encrypt" in reason:
            raise PdfError("encrypted", f"the PDF is encrypted ({exc}): not read") from None
        raise PdfError("unreadable", f"the PDF cannot be read ({reason})") from None
    finally:
        pdfminer_log.setLevel(level)
    return PageContent(blocks=blocks, title=title), text or "\n".join(texts)


def _title(metadata: dict[str, Any]) -> str | None:
    title = metadata.get("Title")
    if not isinstance(title, str) or not title.strip() or "\x00" in title or "ÿþ" in title:
        return None  # often a Word file name or undecoded UTF-16: the body's title is better
    return title.strip()
