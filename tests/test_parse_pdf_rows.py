"""Tables without ruling lines in a PDF: each row of numbers gets its wrapped labels back
whole (parse/pdf_rows.py), its blanks kept in their columns, across a page break too."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_harvester import parse_bytes
from report_harvester.models import Report
from report_harvester.parse.pdf_rows import Word, rebuilt_lines, stacked


def words(*rows: tuple[float, list[tuple[float, str]]]) -> list[Word]:
    """Words 10 points high, 8 points wide a character, from (top, [(x0, text)…]) rows."""
    return [Word(x, x + 8 * len(t), top, top + 10, t) for top, items in rows for x, t in items]


def texts(lines: list[tuple[float, str]] | None) -> list[str]:
    assert lines is not None
    return [text for _, text in lines]


def test_a_label_wrapped_below_its_numbers_is_joined_onto_their_line() -> None:
    page = words(
        (0, [(0, "2.其"), (100, "0"), (130, "5"), (160, "5")]),
        (11, [(0, "他法")]),  # 1 point under the line above: the same cell
        (22, [(0, "律禁止")]),
        (40, [(0, "3.危"), (100, "1"), (130, "0"), (160, "1")]),  # 8 points: a new row
        (51, [(0, "及稳定")]),
    )
    assert texts(rebuilt_lines(page)) == [
        "| 2.其他法律禁止 | 0 | 5 | 5 |",
        "| 3.危及稳定 | 1 | 0 | 1 |",
    ]


def test_a_label_centred_on_its_numbers_and_a_group_label_over_rows() -> None:
    page = words(
        (0, [(0, "三、本")]),
        (11, [(0, "年度"), (50, "（一）予以公开"), (200, "9"), (230, "12")]),
        (22, [(0, "办理")]),
        (29, [(50, "（二）部分")]),
        (33, [(0, "结果")]),
        (40, [(50, "公开"), (200, "1"), (230, "1")]),
        (51, [(50, "（区分）")]),
    )
    assert texts(rebuilt_lines(page)) == [
        "| 三、本年度办理结果 （一）予以公开 | 9 | 12 |",
        "| （二）部分公开（区分） | 1 | 1 |",
    ]


def test_blank_cells_keep_their_columns_and_a_column_no_row_fills_comes_from_its_header() -> None:
    page = words(
        (0, [(100, "自然人"), (160, "商业"), (220, "总计")]),
        (20, [(0, "一、新收"), (100, "17"), (220, "20")]),
        (40, [(0, "二、结转"), (160, "3"), (220, "3")]),
        (60, [(0, "三、公开"), (100, "4")]),
    )
    assert texts(rebuilt_lines(page))[1:] == [
        "| 一、新收 | 17 |  | 20 |",
        "| 二、结转 |  | 3 | 3 |",
        "| 三、公开 | 4 |  |  |",
    ]


def test_labels_run_together_are_cut_where_each_row_starts_on_its_own_line() -> None:
    page = words(
        (0, [(0, "1.属"), (100, "0"), (130, "0")]),
        (11, [(0, "于国家")]),
        (22, [(0, "秘密")]),
        (33, [(0, "2.其"), (100, "1"), (130, "1")]),  # no row's gap: labels set at the top
        (44, [(0, "他法")]),
    )
    assert texts(rebuilt_lines(page)) == ["| 1.属于国家秘密 | 0 | 0 |", "| 2.其他法 | 1 | 1 |"]


def test_one_row_label_over_two_rows_of_numbers_is_left_as_the_page_prints_it() -> None:
    page = words(
        (0, [(0, "一、本")]),  # the label starts above its numbers: not at the cell's top
        (11, [(0, "年新收"), (100, "1"), (130, "2")]),
        (22, [(0, "二、上年")]),  # no gap a row has: which row is which cannot be told
        (33, [(0, "结转"), (100, "3"), (130, "4")]),
    )
    assert rebuilt_lines(page) is None


def test_a_cell_a_page_break_cuts_goes_on_at_the_next_pages_top() -> None:
    first = words((700, [(0, "2.其"), (100, "0"), (130, "0")]), (780, [(60, "-"), (70, "3"), (80, "-")]))
    second = words((60, [(0, "他法律")]), (71, [(0, "禁止")]), (90, [(0, "3.危"), (100, "1"), (130, "1")]))
    assert texts(rebuilt_lines(stacked([first, second]))) == [
        "| 2.其他法律禁止 | 0 | 0 |",
        "| 3.危 | 1 | 1 |",
    ]


def test_prose_with_numbers_is_no_row() -> None:
    page = words((0, [(0, "共收到申请"), (90, "12"), (120, "件，其中"), (190, "3"), (210, "件")]))
    assert rebuilt_lines(page) is None


def _t3_pdf(rows: list[list[str]], *, ruled: bool, valign: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=8)
    # narrow label columns: every label wraps over several lines, as in Word's PDFs
    cells = [[Paragraph(r[0], cell), Paragraph(r[1], cell), *r[2:]] for r in rows]
    table = Table(cells, colWidths=[30, 45] + [36] * 7)
    style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 7),
             ("VALIGN", (0, 0), (-1, -1), valign), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
             ("TOPPADDING", (0, 0), (-1, -1), 5)]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    table.setStyle(TableStyle(style))
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1, pagesize=A4).build([
        Paragraph("松源县档案馆2021年政府信息公开工作年度报告", body),
        Paragraph("三、收到和处理政府信息公开申请情况", body), table,
    ])
    return out.getvalue()


@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_an_unruled_table_with_wrapped_labels_and_blanks_reads_as_printed(valign: str) -> None:
    pytest.importorskip("reportlab")
    from report_harvester.demo_portal.files import t3_rows

    rows = t3_rows(61)
    for n, row in enumerate(rows[1:], start=1):
        row[4] = ""  # 科研机构: blank in every row, its column known from the header only
        if n % 3 == 0:
            row[3] = ""  # 商业企业: blank in every third row
    report = parse_bytes(_t3_pdf(rows, ruled=False, valign=valign), path="unruled.pdf")
    assert isinstance(report, Report)
    assert not any(t.role == "t3" for t in report.tables)  # no rulings: no grid
    printed = [int(v) if v else None for row in rows[1:] for v in row[2:]]
    assert [c.value for c in report.applications] == printed
    assert not [w for w in report.warnings if w.code.startswith("t3_")]


def test_a_table_printed_a_cell_a_line_is_left_as_it_is() -> None:
    page = words((0, [(0, "一、新收")]), (12, [(0, "17")]), (24, [(0, "2")]), (36, [(0, "二、结转")]))
    assert rebuilt_lines(page) is None


def test_a_pdftotext_layout_rendering_gets_its_wrapped_labels_joined() -> None:
    from report_harvester.parse.pdf_rows import rebuilt_layout_text

    # the label set in the middle of its cell: its numbers get a line of their own
    layout = (
        "  三、    （二）部分公开（区\n"
        "  本年    分处理的，只计这一\n"
        "  度办                          6     2      0        0        0      0\n"
        "  理结    情形，不计其他情\n"
        "  果      形）\n"
        "\n"
        "\f"  # a page break, then a row whose labels start on its numbers' line
        "  （三    1.属于国             1     0      0        0        0      0\n"
        "  ）不    家秘密\n"
        "  予公\n"
        "  开\n"
    )
    assert rebuilt_layout_text(layout) == (
        "三、本年度办理结果 （二）部分公开（区分处理的，只计这一情形，不计其他情形） 6 2 0 0 0 0\n"
        "（三）不予公开 1.属于国家秘密 1 0 0 0 0 0\n"
    )


def test_parse_text_joins_a_pdftotext_renderings_wrapped_labels() -> None:
    from report_harvester import parse_text

    rows = [("一、本年", ["新收政府", "信息公开", "申请数量"], "3   0   0   0   0   0   3"),
            ("二、上年", ["结转政府", "信息公开", "申请数量"], "1   0   0   0   0   0   1"),
            ("（一）予", ["以公开"], "4   0   0   0   0   0   4")]
    # a label column eight characters wide (four Chinese ones), the numbers from column 12
    layout = "三、收到和处理政府信息公开申请情况\n\n" + "".join(
        f"{first}    {values}\n" + "".join(f"{piece}\n" for piece in rest) + "\n"
        for first, rest, values in rows
    )
    # the label's rest under its numbers: read as the next row's label, every row shifts
    report = parse_text(layout + "\f")
    got = {c.row: c.value for c in report.applications if c.applicant == "total"}
    assert got == {"new_received": 3, "carried_over": 1, "granted": 4}


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 60), st.sampled_from(
    ["0", "12", "3.5", "一、本年", "新收", "（三）", "1.属", "合计", "-", "—", "第", "页"])),
    max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_scatter_of_words_is_read_or_left_never_raises(
    placed: list[tuple[int, int, str]],
) -> None:
    page = [Word(x * 8.0, x * 8.0 + 8 * len(t), y * 6.0, y * 6.0 + 10, t) for x, y, t in placed]
    lines = rebuilt_lines(stacked([page, page]))
    assert lines is None or all(isinstance(text, str) for _, text in lines)
