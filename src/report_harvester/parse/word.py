"""DOCX bytes → the page model: paragraphs and real tables, in document order.

A Word file keeps its tables as tables (python-docx reads them): every row's
cells with their text, merged cells repeated across the slots they cover, as an
HTML grid's are. Old binary ``.doc`` files are read by ``word_doc``.
"""

from __future__ import annotations

import io
import zipfile

from .grid import Block, Grid, GridCell, PageContent, Paragraph, TableBlock


class DocxError(Exception):
    """The file is not a readable DOCX (damaged, or another kind of ZIP)."""


def is_docx(data: bytes) -> bool:
    """A ZIP holding ``word/document.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def extract_docx(data: bytes) -> PageContent:
    """The document's body as blocks; raises ``DocxError``."""
    import docx  # python-docx: only when a Word file is read
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise DocxError(f"the DOCX cannot be read ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            text = item.text.strip()
            if text:
                blocks.append(Paragraph(text))
        elif isinstance(item, Table):
            grid = _grid(item)
            if grid.rows:
                blocks.append(TableBlock(grid))
    title = (document.core_properties.title or "").strip() or None
    return PageContent(blocks=blocks, title=title)


def _grid(table: object) -> Grid:
    """A table's rows; a merged cell is the same cell object in every slot it covers."""
    rows: list[list[GridCell]] = []
    origins: dict[object, tuple[int, int]] = {}  # the cell's XML element → its first slot
    for r, row in enumerate(table.rows):  # type: ignore[attr-defined]
        out: list[GridCell] = []
        for c, cell in enumerate(row.cells):
            origin = origins.setdefault(cell._tc, (r, c))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            out.append(GridCell(text, *origin))
        rows.append(out)
    width = max((len(r) for r in rows), default=0)
    for r, row in enumerate(rows):
        row.extend(GridCell("", r, c, padding=True) for c in range(len(row), width))
    return Grid(rows, spans=True)
