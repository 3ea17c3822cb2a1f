"""Report files of the demo portal: a PDF-only report and a Word (DOCX) report.

Written when the demo starts, like its pages: a 2021-format report with a ruled
table 三 (and the other statutory sections as text), laid out by reportlab in its
built-in Chinese font (no font file needed) or by python-docx.
"""

from __future__ import annotations

import io
import random
import zipfile

from .build import DENIED, OTHER_2021, REJECTED, UNAVAILABLE, _t3_figures

HEADER = ["申请人情况", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
          "其他", "总计"]


def t3_rows(seed: int) -> list[list[str]]:
    """Table 三 of a 2021-format report: the header, then (group label on a group's first
    row, row label, seven values) for every statutory row, as Word pastes print it."""
    figures = _t3_figures(random.Random(seed), "2021")
    groups = [
        ("一、本年新收政府信息公开申请数量", [("", "new_received")]),
        ("二、上年结转政府信息公开申请数量", [("", "carried_over")]),
        ("三、本年度办理结果", [("（一）予以公开", "granted")]),
        ("", [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted")]),
        ("（三）不予公开", [(label, f"denied_{i}") for i, label in enumerate(DENIED)]),
        ("（四）无法提供", [(label, f"unavailable_{i}") for i, label in enumerate(UNAVAILABLE)]),
        ("（五）不予处理", [(label, f"rejected_{i}") for i, label in enumerate(REJECTED)]),
        ("（六）其他处理", [(label, f"other_{i}") for i, label in enumerate(OTHER_2021)]),
        ("（七）总计", [("", "total_processed")]),
        ("四、结转下年度继续办理", [("", "carried_forward")]),
    ]
    rows = [HEADER]
    for group, members in groups:
        for n, (label, key) in enumerate(members):
            values = figures[key]
            rows.append([group if n == 0 else "", label, *(str(v) for v in values),
                         str(sum(values))])
    return rows


def _paragraphs(org: str, year: int) -> list[str]:
    return [
        f"{org}{year}年政府信息公开工作年度报告",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，推进政务公开。",
        "三、收到和处理政府信息公开申请情况",
    ]


_CLOSING = [
    "五、存在的主要问题及改进情况",
    "政策解读形式有待丰富，下一步将加强业务培训。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
]


def pdf_report(org: str, year: int, seed: int) -> bytes:
    """A PDF with a text layer and a ruled table 三."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=8)
    rows = [  # labels wrap inside their cells, as in published PDFs
        [Paragraph(row[0], cell), Paragraph(row[1], cell), *row[2:]] for row in t3_rows(seed)
    ]
    table = Table(rows, colWidths=[70, 150] + [34] * 7)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("FONTSIZE", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out = io.BytesIO()
    story = [Paragraph(p, style) for p in _paragraphs(org, year)]
    story += [table, *(Paragraph(p, style) for p in _CLOSING)]
    title = f"{org}{year}年政府信息公开工作年度报告"
    # invariant: no creation date or random id, so the same report is the same bytes
    SimpleDocTemplate(out, pagesize=A4, title=title, invariant=1).build(story)
    return out.getvalue()


def docx_report(org: str, year: int, seed: int) -> bytes:
    """A Word file whose table 三 is a real table."""
    import docx

    document = docx.Document()
    for text in _paragraphs(org, year):
        document.add_paragraph(text)
    rows = t3_rows(seed)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for text in _CLOSING:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates, so the same report is the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for item in src.infolist():
            stable = zipfile.ZipInfo(item.filename, date_time=(2022, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(stable, src.read(item.filename))
    return out.getvalue()
