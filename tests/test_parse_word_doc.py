"""Old binary Word files (.doc): text pieces, table rows, fields, and files it cannot read."""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import olefile
import pytest

from report_harvester import parse_bytes
from report_harvester.models import ParseFailure, Report
from report_harvester.parse.word_doc import DocError, extract_doc

DOC = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "24-2019-word97-doc.doc"


def test_tables_come_out_as_pipe_rows_with_every_cell() -> None:
    lines = extract_doc(DOC.read_bytes()).split("\n")
    # a row of table 三 whose 总计 is blank: the empty cell is kept, not dropped
    assert "| 一、本年新收政府信息公开申请数量 | 96 | 24 | 0 | 2 | 4 | 1 |  |" in lines
    # a vertically merged group label leaves an empty cell below it
    assert "|  |  | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 |  |" in lines
    assert "三、收到和处理政府信息公开申请情况" in lines
    # a field keeps its result, not its code
    assert not any("INCLUDEPICTURE" in line for line in lines)


def test_a_doc_parses_as_a_report() -> None:
    report = parse_bytes(DOC.read_bytes(), path=str(DOC))
    assert isinstance(report, Report)
    assert report.source.encoding_method == "doc"
    assert (report.kind, report.format, report.year) == ("report", "2019", 2019)
    rows = {c.row: c for c in report.applications if c.applicant == "total"}
    assert rows["new_received"].kind == "blank"  # a blank 总计 stays blank


def rewritten(tmp_path: Path, change: dict[int, bytes]) -> bytes:
    """The fixture with bytes of its WordDocument stream replaced (offset → bytes)."""
    copy = tmp_path / "copy.doc"
    shutil.copy(DOC, copy)
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        for offset, value in change.items():
            word[offset : offset + len(value)] = value
        ole.write_stream("WordDocument", bytes(word))
    return copy.read_bytes()


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        ({0x0A: struct.pack("<H", 0x0100 | 0x0200)}, "encrypted", "encrypted"),
        ({0x02: struct.pack("<H", 0x0065)}, "unsupported_format", "Word 6/95"),
        ({0x00: b"\x00\x00"}, "unreadable", "not a Word document"),
    ],
)
def test_a_doc_it_cannot_read_says_why(
    tmp_path: Path, change: dict[int, bytes], code: str, says: str
) -> None:
    data = rewritten(tmp_path, change)
    with pytest.raises(DocError) as raised:
        extract_doc(data)
    assert raised.value.code == code and says in str(raised.value)
    failure = parse_bytes(data, path="report.doc")
    assert isinstance(failure, ParseFailure)
    assert failure.error.code == code and says in failure.error.message


@pytest.mark.parametrize("keep", [512, 4096, 30_000])
def test_a_truncated_doc_is_a_one_line_failure(keep: int) -> None:
    failure = parse_bytes(DOC.read_bytes()[:keep], path="report.doc")
    assert isinstance(failure, ParseFailure)
    assert failure.error.code == "unreadable"
    assert "\n" not in failure.error.message


def test_a_damaged_doc_never_breaks_the_parser() -> None:
    """Bytes flipped anywhere (the directory, the FIB, the piece table, the property
    pages) or the file cut short: a report or a one-line failure, never a parser error."""
    data = DOC.read_bytes()
    rng = random.Random(7)
    codes = set()
    for _ in range(60):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 5, 50, 500])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(len(damaged))]
        outcome = parse_bytes(bytes(damaged), path="report.doc")
        if isinstance(outcome, ParseFailure):
            assert outcome.error.code != "internal", outcome.error.message
            assert "\n" not in outcome.error.message
            codes.add(outcome.error.code)
    assert "unreadable" in codes  # some damage was seen as such
