"""PDF input: tables from the page geometry (pdfplumber), prose from the text layer; a scan
is image_only; a damaged or truncated PDF is one ParseFailure line. The PDFs are written
here byte by byte (a page with a filled rectangle, a page of Helvetica text)."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from report_harvester import parse_bytes, parse_file
from report_harvester.models import ParseFailure, Report
from report_harvester.parse.grid import TableBlock
from report_harvester.parse.pdf import extract_pdf
from test_real_reports import got, real_dir, right, wanted


def pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (with /F1 = Helvetica)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def test_a_pdf_without_a_text_layer_is_image_only() -> None:
    report = parse_bytes(pdf(b"10 10 100 100 re f"), path="scan.pdf")
    assert isinstance(report, Report)
    assert report.kind == "image_only"
    assert [w.code for w in report.warnings] == ["image_only"]
    assert report.source.encoding_method == "pdf"


def test_a_pdf_with_text_is_read_like_a_page() -> None:
    report = parse_bytes(pdf(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"), path="t.pdf")
    assert isinstance(report, Report)
    assert (report.kind, [w.code for w in report.warnings]) == ("unknown", ["not_a_report"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf(b"BT ET")[:60], "the PDF cannot be read (PdfminerException: No /Root object!"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "the PDF cannot be read (PdfminerException:"),
    ],
    ids=["truncated", "damaged"],
)
def test_a_damaged_or_truncated_pdf_is_one_failure(data: bytes, message: str) -> None:
    failure = parse_bytes(data, path="x.pdf")
    assert isinstance(failure, ParseFailure)
    assert failure.error.code == "unreadable"
    assert failure.error.message.startswith(message)
    assert "\n" not in failure.error.message


def test_an_encrypted_pdf_is_one_failure() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(b"BT /F1 12 Tf 20 100 Td (Hi) Tj ET"))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    failure = parse_bytes(out.getvalue(), path="locked.pdf")
    assert isinstance(failure, ParseFailure)
    assert failure.error.code == "encrypted"
    assert failure.error.message.startswith("the PDF is encrypted (")


def test_the_real_pdf_gives_every_hand_read_cell() -> None:
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found (set REPORT_HARVESTER_SHARED)")
    exp = json.loads((root / "expected" / "pdf-hzq2023_working.json").read_text("utf-8"))
    report = parse_file(root / exp["file"])
    assert isinstance(report, Report)
    cells = got(report)
    misses = [k for k, v in wanted(exp).items() if not right(v, k, cells)]
    assert misses == []
    assert (report.format, report.year, report.org) == ("2021", 2023, "洪泽区人民政府")
    # the table 四 the report printed is inconsistent: the check says so, nothing is repaired
    failing = sorted(c.scope for c in report.checks if c.status == "fail")
    assert failing == ["admin_review", "litigation_after_review"]
    assert [s.number for s in report.sections if s.number] == [1, 2, 3, 4, 5, 6]


def test_half_a_real_pdf_is_one_failure() -> None:
    root = real_dir()
    if root is None:
        pytest.skip("../shared/real not found")
    data = (root / "pdf-hzq2023_working.pdf").read_bytes()
    failure = parse_bytes(data[: len(data) // 2], path=str(Path("half.pdf")))
    assert isinstance(failure, ParseFailure) and failure.error.code == "unreadable"


def unruled_pdf(seed: int) -> bytes:
    """The demo's PDF report with its table 三 printed without ruling lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from report_harvester.demo_portal.files import t3_rows

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15)
    table = Table(t3_rows(seed), colWidths=[70, 150] + [34] * 7)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("FONTSIZE", (0, 0), (-1, -1), 5)]))
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1, pagesize=A4).build([
        Paragraph("松源县档案馆2021年政府信息公开工作年度报告", style),
        Paragraph("三、收到和处理政府信息公开申请情况", style), table,
    ])
    return out.getvalue()


def test_an_unruled_table_is_read_from_the_text_layer() -> None:
    from report_harvester.demo_portal.files import pdf_report

    ruled = parse_bytes(pdf_report("松源县档案馆", 2021, 61), path="ruled.pdf")
    unruled = parse_bytes(unruled_pdf(61), path="unruled.pdf")
    assert isinstance(ruled, Report) and isinstance(unruled, Report)
    assert not any(t.role == "t3" for t in unruled.tables)  # no ruling lines: no grid

    def values(report: Report) -> list[tuple[str, str, int | float | None]]:
        return [(c.row, c.applicant, c.value) for c in report.applications]

    assert len(values(ruled)) == 175
    assert values(unruled) == values(ruled)
    assert {c.status for c in unruled.checks} == {"pass"}


def test_a_table_continued_on_the_next_page_is_read_whole() -> None:
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from report_harvester.demo_portal.files import pdf_report, t3_rows

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=6, leading=8)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=4, leading=5)
    rows = [[Paragraph(r[0], cell), Paragraph(r[1], cell), *r[2:]] for r in t3_rows(61)]
    table = Table(rows, colWidths=[40, 80] + [18] * 7)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("FONTSIZE", (0, 0), (-1, -1), 4)]))
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1, pagesize=A6).build([
        Paragraph("松源县档案馆2021年政府信息公开工作年度报告", style),
        Paragraph("三、收到和处理政府信息公开申请情况", style), table,
    ])
    report = parse_bytes(out.getvalue(), path="two-pages.pdf")
    whole = parse_bytes(pdf_report("松源县档案馆", 2021, 61), path="one-page.pdf")
    assert isinstance(report, Report) and isinstance(whole, Report)
    t3_pages = [t for t in report.tables if t.role == "t3"]
    assert len(t3_pages) >= 2  # the table really was split over pages

    def values(r: Report) -> list[tuple[str, str, int | float | None]]:
        return [(c.row, c.applicant, c.value) for c in r.applications]

    assert values(report) == values(whole)
    assert {c.status for c in report.checks} == {"pass"}


def test_a_row_a_page_break_cuts_keeps_its_cells() -> None:
    # two ruled rows whose second has no bottom ruling: the page ends inside it (the rest
    # of the row, label text wrapped, is on the next page)
    rulings = b"20 180 m 180 180 l S 20 160 m 180 160 l S " + b"".join(
        b"%d 180 m %d 120 l S " % (x, x) for x in (20, 100, 180)
    )
    text = b"".join(
        b"BT /F1 10 Tf %d %d Td (%s) Tj ET " % (x, y, word)
        for x, y, word in ((30, 166, b"A"), (110, 166, b"1"), (30, 140, b"B"), (110, 140, b"2"))
    )
    page, _ = extract_pdf(pdf(rulings + text))
    (grid,) = [b.grid for b in page.blocks if isinstance(b, TableBlock)]
    assert grid.texts() == [["A", "1"], ["B", "2"]]


def test_reading_a_pdf_leaves_pdfminer_logging_as_it_was() -> None:
    log = logging.getLogger("pdfminer")
    log.setLevel(logging.DEBUG)
    try:
        parse_bytes(pdf(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"), path="t.pdf")
        assert log.level == logging.DEBUG
    finally:
        log.setLevel(logging.NOTSET)
