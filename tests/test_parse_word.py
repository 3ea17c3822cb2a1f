"""Word input: a DOCX (written here with python-docx) is read with its real tables; a
damaged DOCX or compound file is one line."""

from __future__ import annotations

import io

import docx

from report_harvester import parse_bytes
from report_harvester.models import ParseFailure, Report

ROWS = [
    ("一、本年新收政府信息公开申请数量", [3, 1, 0, 0, 0, 0, 4]),
    ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
    ("（一）予以公开", [2, 1, 0, 0, 0, 0, 3]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("（七）总计", [3, 1, 0, 0, 0, 0, 4]),
    ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
]


def word_report() -> bytes:
    document = docx.Document()
    document.add_paragraph("松源县档案馆2022年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=2 + len(ROWS), cols=8)
    header = ["申请人情况", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    sub = ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    for c, (top, below) in enumerate(zip(header, sub, strict=True)):
        table.cell(0, c).text = top
        table.cell(1, c).text = below
    table.cell(0, 2).merge(table.cell(0, 6)).text = "法人或其他组织"
    for r, (label, values) in enumerate(ROWS, start=2):
        table.cell(r, 0).text = label
        for c, v in enumerate(values, start=1):
            table.cell(r, c).text = str(v)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_is_read_with_its_tables() -> None:
    report = parse_bytes(word_report(), path="r.docx")
    assert isinstance(report, Report)
    assert (report.kind, report.year, report.org) == ("report", 2022, "松源县档案馆")
    assert report.source.encoding_method == "docx"
    rows: dict[str, list[int | float | None]] = {}
    for cell in report.applications:
        rows.setdefault(cell.row, []).append(cell.value)
    assert rows == {key: values for key, values in [
        ("new_received", ROWS[0][1]), ("carried_over", ROWS[1][1]), ("granted", ROWS[2][1]),
        ("partially_granted", ROWS[3][1]), ("total_processed", ROWS[4][1]),
        ("carried_forward", ROWS[5][1]),
    ]}


def test_a_damaged_compound_file_is_unreadable_with_its_bytes_kept() -> None:
    # an old binary Word file is read by word_doc (tests/test_parse_word_doc.py); one
    # whose compound-file header is all that is left is a one-line failure
    failure = parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, path="r.doc")
    assert isinstance(failure, ParseFailure)
    assert (failure.error.code, failure.source.size) == ("unreadable", 608)


def test_a_damaged_docx_is_one_failure() -> None:
    data = word_report()
    broken = data[:200] + b"\x00" * 50 + data[250:]
    failure = parse_bytes(broken, path="r.docx")
    assert isinstance(failure, ParseFailure)
    assert failure.error.code in ("unreadable", "binary")
    assert "\n" not in failure.error.message
