"""Old binary Word files (Word 97-2003 ``.doc``) → their text, tables as pipe rows.

A ``.doc`` is an OLE compound file (read with olefile). Its ``WordDocument``
stream holds the text in pieces, listed by the piece table (the ``Clx`` in the
table stream): each piece is 8-bit (cp1252) or UTF-16 text. Word ends each
table cell with ``\\x07`` and each table row with one more ``\\x07``; an empty cell
is also a lone ``\\x07``, so which marks end a row is read from the paragraph
properties (a row's end paragraph carries ``sprmPFTtp``). Fields keep their
result, not their code (``INCLUDEPICTURE …``).

The text comes out as a text rendering: a line per paragraph, a line per table
row with a ``|`` around every cell, so that both table readers see its cells
(merges are not known: a merged cell is one cell, a cell below a vertical merge
an empty one). Kingsoft WPS ``.wps`` files build on the same Word 97 format (a
``WordDocument`` stream) and are read the same way. Word 6/95 files, encrypted
files and other compound files (``.xls``, a Works ``.wps``) are not read:
``DocError`` says which.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import olefile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_IDENT = 0xA5EC
_MIN_NFIB = 0x00C0  # Word 97 and later (Word 6/95 files have another layout)
_ENCRYPTED = 0x0100
_TABLE_1 = 0x0200  # the table stream is 1Table (else 0Table)
_OBFUSCATED = 0x8000
_CLX = 33  # fcClx / lcbClx: index of the pair in FibRgFcLcb97
_BTE_PAPX = 13  # fcPlcfBtePapx / lcbPlcfBtePapx
_COMPRESSED = 0x40000000
_PAGE = 512  # size of a formatted disk page (FKP)
_IN_TABLE = 0x2416  # sprmPFInTable: the paragraph is in a table cell
_TTP = 0x2417  # sprmPFTtp: the paragraph ends a table row
_INNER_TTP = 0x244C  # sprmPFInnerTtp: the paragraph ends a row of a nested table
_HUGE_PAPX = 0x6646  # sprmPHugePapx: the properties are in the Data stream, at the operand
_TABLE_DEFINITION = 0xD608  # sprmTDefTable: an operand with a two-byte size
_TAB_CHANGE = 0xC615  # sprmPChgTabs: a one-byte size, 255 for a longer form
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # by spra (sprm >> 13); 6: sized

_CELL, _PARAGRAPH, _LINE, _PAGE_BREAK = "\x07", "\r", "\x0b", "\x0c"
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"


class DocError(Exception):
    """The file cannot be read: ``code`` is unsupported_format (another kind of compound
    file, a Word 6/95 document), encrypted or unreadable (damaged)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)


def extract_doc(data: bytes) -> str:
    """The document's main text as a text rendering (see the module doc); raises
    ``DocError``."""
    import olefile  # only when an old Word file is read

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises several kinds for a damaged file
        detail = " ".join(str(exc).split())[:80]
        reason = f"the compound file cannot be read, damaged or cut short ({detail})"
        raise DocError("unreadable", reason) from None
    with ole:
        try:
            word, table, extra = _streams(ole)
        except DocError:
            raise
        except Exception as exc:  # a damaged directory or sector chain
            reason = f"the compound file's streams cannot be read ({type(exc).__name__}: {exc})"
            raise DocError("unreadable", reason) from None
    try:
        return _render(word, table, extra)
    except Exception as exc:  # a damaged document can break any read of it
        reason = f"the Word document's text cannot be read ({type(exc).__name__}: {exc})"
        raise DocError("unreadable", reason) from None


def _streams(ole: olefile.OleFileIO) -> tuple[bytes, bytes, bytes]:
    """The WordDocument stream, its table stream and the Data stream (empty if none)."""
    if not ole.exists("WordDocument"):
        streams = ", ".join("/".join(entry) for entry in ole.listdir()[:4])
        raise DocError(
            "unsupported_format",
            f"a compound file without a Word document in it ({streams}): not read;"
            " its bytes are kept",
        )
    word = ole.openstream("WordDocument").read()
    flags = _check_fib(word)
    name = "1Table" if flags & _TABLE_1 else "0Table"
    if not ole.exists(name):
        raise DocError("unreadable", f"the Word document has no {name} stream")
    table = ole.openstream(name).read()
    extra = ole.openstream("Data").read() if ole.exists("Data") else b""
    return word, table, extra


def _check_fib(word: bytes) -> int:
    """The FIB's flags, once it is known to be a Word 97-2003 document read in clear."""
    if len(word) < 0x22:
        raise DocError("unreadable", "the Word document stream is too short")
    ident, nfib = struct.unpack_from("<HH", word, 0)
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if ident != _WORD_IDENT:
        raise DocError("unreadable", "the WordDocument stream is not a Word document")
    if nfib < _MIN_NFIB:
        raise DocError(
            "unsupported_format",
            "a Word 6/95 document: not read (Word 97-2003 files are); its bytes are kept",
        )
    if flags & (_ENCRYPTED | _OBFUSCATED):
        raise DocError("encrypted", "the Word document is encrypted: not read")
    return int(flags)


class _Piece:
    """A run of text: its first character position (CP), length and where its bytes are."""

    __slots__ = ("cp", "length", "start", "width")

    def __init__(self, cp: int, length: int, start: int, width: int) -> None:
        self.cp, self.length, self.start, self.width = cp, length, start, width

    def text(self, word: bytes) -> str:
        chunk = word[self.start : self.start + self.length * self.width]
        return chunk.decode("cp1252" if self.width == 1 else "utf-16-le", "replace")


def _render(word: bytes, table: bytes, extra: bytes) -> str:
    csw = struct.unpack_from("<H", word, 0x20)[0]
    at = 0x22 + 2 * csw
    cslw = struct.unpack_from("<H", word, at)[0]
    main_length = struct.unpack_from("<i", word, at + 2 + 12)[0]  # ccpText
    blob = at + 2 + 4 * cslw + 2  # FibRgFcLcb, after its count
    pieces = _pieces(word, table, *struct.unpack_from("<II", word, blob + 8 * _CLX))
    text = "".join(p.text(word) for p in pieces)[: max(0, main_length)]
    in_table, row_ends = _table_marks(word, table, extra, pieces, *_pair(word, blob, _BTE_PAPX))
    return "\n".join(_lines(text, in_table, row_ends))


def _pair(word: bytes, blob: int, index: int) -> tuple[int, int]:
    fc, lcb = struct.unpack_from("<II", word, blob + 8 * index)
    return int(fc), int(lcb)


def _pieces(word: bytes, table: bytes, fc: int, lcb: int) -> list[_Piece]:
    """The piece table: the Clx's Prc entries (formatting) are skipped to its Pcdt."""
    clx = table[fc : fc + lcb]
    i = 0
    while i < len(clx) and clx[i] == 1:
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise DocError("unreadable", "the Word document has no piece table")
    size = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5 : i + 5 + size]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for k in range(n):
        raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        length = cps[k + 1] - cps[k]
        if raw & _COMPRESSED:
            pieces.append(_Piece(cps[k], length, (raw & ~_COMPRESSED) // 2, 1))
        else:
            pieces.append(_Piece(cps[k], length, raw, 2))
    return pieces


def _table_marks(
    word: bytes, table: bytes, extra: bytes, pieces: list[_Piece], fc: int, lcb: int
) -> tuple[set[int], set[int]]:
    """The character positions of the paragraph marks inside table cells, and of those
    ending a table row, from the paragraphs' properties (the PAPX pages listed by
    PlcBtePapx: sprmPFInTable, sprmPFTtp, sprmPFInnerTtp)."""
    in_table: set[int] = set()
    row_ends: set[int] = set()
    n = (lcb - 4) // 8
    plc = table[fc : fc + lcb]
    for k in range(max(0, n)):
        pn = struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * k)[0] & 0x3FFFFF
        page = word[pn * _PAGE : (pn + 1) * _PAGE]
        if len(page) < _PAGE:
            continue
        runs = page[-1]
        ends = struct.unpack_from(f"<{runs + 1}I", page, 0)
        for r in range(runs):
            offset = page[4 * (runs + 1) + 13 * r] * 2
            if not offset:
                continue
            inside, row_end = _table_flags(_grpprl(page, offset), extra)
            if (inside or row_end) and (cp := _cp_of(pieces, ends[r + 1])) is not None:
                (row_ends if row_end else in_table).add(cp)
    return in_table, row_ends


def _grpprl(page: bytes, offset: int) -> bytes:
    """The property modifiers of the PAPX at ``offset`` in an FKP page."""
    cb = page[offset]
    if cb:
        start, size = offset + 1, 2 * cb - 1
    else:
        start, size = offset + 2, 2 * page[offset + 1]
    return page[start + 2 : start + size]  # after the style index (istd)


def _table_flags(grpprl: bytes, extra: bytes) -> tuple[bool, bool]:
    """Whether paragraph properties put the paragraph in a table cell, and whether it
    ends a table row; ``extra``: the Data stream, where a huge PAPX is kept."""
    inside = row_end = False
    i = 0
    while i + 2 < len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        if sprm == _IN_TABLE:
            inside = bool(grpprl[i])
        elif sprm in (_TTP, _INNER_TTP):
            row_end = row_end or bool(grpprl[i])
        elif sprm == _HUGE_PAPX and i + 4 <= len(grpprl):
            at = struct.unpack_from("<I", grpprl, i)[0]
            if at + 2 <= len(extra):
                size = struct.unpack_from("<H", extra, at)[0]
                more = _table_flags(extra[at + 2 : at + 2 + size], b"")
                inside, row_end = inside or more[0], row_end or more[1]
        spra = sprm >> 13
        if spra != 6:
            i += _OPERAND_SIZE[spra]
        elif sprm == _TABLE_DEFINITION:
            i += 1 + struct.unpack_from("<H", grpprl, i)[0] if i + 2 <= len(grpprl) else 2
        elif sprm == _TAB_CHANGE and grpprl[i] == 255:
            break  # a long tab change: not followed further
        else:
            i += 1 + grpprl[i]
    return inside, row_end


def _cp_of(pieces: list[_Piece], end: int) -> int | None:
    """The character position of the paragraph mark just before byte ``end``."""
    for piece in pieces:
        mark = end - piece.width
        if piece.start <= mark < piece.start + piece.length * piece.width:
            return piece.cp + (mark - piece.start) // piece.width
    return None


def _lines(text: str, in_table: set[int], row_ends: set[int]) -> Iterator[str]:
    """Paragraphs as lines, each table row as one pipe row; field codes dropped."""
    line: list[str] = []
    cells: list[str] = []
    fields: list[bool] = []  # per open field: whether its result has begun
    for cp, ch in enumerate(text):
        if ch == _FIELD_BEGIN:
            fields.append(False)
        elif ch == _FIELD_SEPARATOR:
            if fields:
                fields[-1] = True
        elif ch == _FIELD_END:
            if fields:
                fields.pop()
        elif not all(fields):
            continue  # a field's code
        elif ch == _CELL:
            if cp in row_ends:
                yield "| " + " | ".join(cells) + " |"
                cells = []
            else:
                cells.append(" ".join("".join(line).split()))
            line = []
        elif ch == _LINE or (ch == _PARAGRAPH and cp in in_table):
            line.append(" ")  # a line break, or a paragraph inside a cell
        elif ch in (_PARAGRAPH, _PAGE_BREAK):
            yield "".join(line)
            line = []
        elif ch == "\t" or ch >= " ":
            line.append(ch)
    if cells:
        yield "| " + " | ".join(cells) + " |"
    if line:
        yield "".join(line)
