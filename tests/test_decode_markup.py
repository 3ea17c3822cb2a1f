"""Markup a converter left in a text rendering (decode.markup)."""

from __future__ import annotations

import pytest

from report_harvester import parse_text
from report_harvester.decode.markup import strip_markup
from report_harvester.decode.normalize import display_width

SPAN = '<span style="font-size:10.5pt;font-family:仿宋_GB2312">{}</span>'


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (f"| {SPAN.format('规章')} | {SPAN.format('0')} |", "| 规章 | 0 |"),
        ("| 第一行<br>第二行 | 3 |", "| 第一行 第二行 | 3 |"),
        ('[0]{style="font-size:10.5pt"} and [[规章]{.a}]{.b}', "0 and 规章"),
        ("<!-- a comment --> 正文", " 正文"),
        ("a &amp; b <b>c</b>", "a & b c"),
        # what is no known tag stays: a comparison, a bracketed word, an entity alone
        ("<5 件 and <其他> and a &amp; b", "<5 件 and <其他> and a &amp; b"),
        ("[注]{见下文", "[注]{见下文"),
    ],
)
def test_tags_and_spans_go_their_text_stays(text: str, plain: str) -> None:
    assert strip_markup(text) == plain


def test_an_html_table_becomes_pipe_rows() -> None:
    html = """正文
<table>
  <tr>
    <td colspan="2"><p>规章</p></td>
    <td>
      0
    </td>
  </tr>
  <tr><td>行政规范性文件</td><td></td><td>2</td></tr>
</table>
后文"""
    lines = [" ".join(line.split()) for line in strip_markup(html).splitlines() if line.strip()]
    assert lines == ["正文", "| 规章 | 0 |", "| 行政规范性文件 | | 2 |", "后文"]
    # one table: no blank line between its rows (a blank line would end it there)
    rows = strip_markup(html).split("\n")
    at = next(i for i, line in enumerate(rows) if "规章" in line)
    assert "行政规范性文件" in rows[at + 1]


def test_asciidoc_rows_keep_their_empty_last_cell() -> None:
    text = '[cols=",,,",]\n|===\n|信息内容 |本年制发件数 |本年废止件数 |现行有效件数\n|规章 |0 |0 | \n|===\n'
    assert strip_markup(text).splitlines()[1:3] == [
        "|信息内容 |本年制发件数 |本年废止件数 |现行有效件数 |",
        "|规章 |0 |0 | |",
    ]
    # a copy that starts inside a table: its rows are closed all the same
    cut = text[text.index("|规章") :]
    assert strip_markup(cut).splitlines()[0] == "|规章 |0 |0 | |"


def stripped_lines(text: str) -> list[str]:
    """The lines ``strip_markup`` gives, their spaces collapsed."""
    return [" ".join(line.split()) for line in strip_markup(text).strip().splitlines()]


def test_mediawiki_rows_become_one_pipe_row_a_line() -> None:
    text = '{|\n! 信息内容\n! 本年制发件数\n|-\n| style="x" | 规章\n| 0 || 1\n|\n|}\n'
    assert stripped_lines(text) == [
        "| 信息内容 | 本年制发件数 |",
        "| 规章 | 0 | 1 | |",
    ]


def test_a_style_size_in_a_converted_table_is_never_read_as_a_value() -> None:
    rows = [("第二十条第（八）项", "", ""), ("信息内容", "本年收费金额（单位：万元）", ""),
            ("行政事业性收费", "", "")]  # fmt: skip
    text = "二、主动公开政府信息情况\n" + "\n".join(
        "| " + " | ".join(SPAN.format(c) for c in row) + " |" for row in rows
    )
    fees = [c for c in parse_text(text).active_disclosure if c.item == "fees"]
    assert [(c.value, c.kind) for c in fees] == [(None, "blank")]


def test_mediawiki_rows_cut_out_of_their_table_are_rows() -> None:
    # a copy starting inside the table: no {| line, the |- row ends are left
    text = "| 规章\n| 0\n|\n|-\n| 行政许可\n|\n| 3\n|}\n"
    assert stripped_lines(text) == [
        "| 规章 | 0 | |",
        "| 行政许可 | | 3 |",
    ]


def test_spans_in_a_space_aligned_row_keep_the_columns_after_them() -> None:
    # pandoc's simple tables align their cells with spaces; a span's attributes are
    # as wide as they are long, wide characters (仿宋) counting two
    style = '{style="font-size:10.5pt;font-family:仿宋_GB2312"}'
    header = f"  [自然人]{style}   [总计]{style}"
    row = f"  [3]{style}        [ ]{style}"
    out = strip_markup(f"{header}\n{row}")
    top, bottom = out.split("\n")
    assert top.split() == ["自然人", "总计"] and bottom.split() == ["3"]
    assert display_width(top[: top.index("总计")]) == display_width(header[: header.index("[总计")])
    # in prose a span is its text alone
    assert strip_markup(f"共[3]{style}件") == "共3件"


def test_a_pandoc_simple_table_with_blank_totals_is_read_by_its_columns() -> None:
    """pandoc's own Markdown of a table 三 whose 总计 column is left empty: the rows
    print six values for seven cells; the header words' columns place them."""
    style = '{style="font-size:10.5pt"}'
    names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    labels = [
        ("new_received", "一、本年新收政府信息公开申请数量"),
        ("carried_over", "二、上年结转政府信息公开申请数量"),
        ("granted", "（一）予以公开"),
    ]
    rows = {"new_received": [96, 24, 0, 2, 4, 1], "carried_over": [5, 1, 0, 0, 0, 0],
            "granted": [35, 12, 0, 2, 3, 1]}  # fmt: skip

    def cell(text: str, width: int) -> str:
        span = f"[{text}]{style}"
        assert display_width(span) < width
        return span + " " * (width - display_width(span))

    lines = [
        "三、收到和处理政府信息公开申请情况",
        "",
        "  " + "-" * 80 + " " + " ".join(["-" * 44] * 7),
    ]
    # the header's label cell is empty on the line of the applicant words (it is merged
    # over the header rows): each value has one span more before it than its word
    lines.append("  " + " " * 81 + "".join(cell(n, 45) for n in names))
    for key, label in labels:
        values = [cell(str(v), 45) for v in rows[key]] + [cell(" ", 45)]
        lines.append("  " + cell(label, 81) + "".join(values))
    lines.append("  " + "-" * 80 + " " + " ".join(["-" * 44] * 7))
    report = parse_text("\n".join(lines))
    got = {}
    for c in report.applications:
        got.setdefault(c.row, []).append(c.value)
    assert got == {key: [*values, None] for key, values in rows.items()}


def test_a_copy_cut_inside_a_spans_attributes_reads_no_number_from_them() -> None:
    head = 'font-size:10.5pt;font-family:仿宋_GB2312"}    [0]{style="x"}'
    assert strip_markup(head).split() == ["0"]
    tail = '  [信息内容]{.a}   [本年收费金额（单位：万元）]{style="font-size:10.5pt;font'
    assert strip_markup(tail).split() == ["信息内容", "本年收费金额（单位：万元）"]
    # braces elsewhere are text
    assert strip_markup("共{3}件，见附表}") == "共{3}件，见附表}"


def inner_text(*rows: list[str], gap: str = "\n\n\n\n\n") -> str:
    """Rows as Chromium's innerText prints a table whose cells hold paragraphs: a cell a
    paragraph, a line holding only a tab between cells, rows apart by blank lines."""
    return gap.join("\n\n\t\n\n".join(row) for row in rows)


def test_a_browsers_inner_text_of_paragraph_cells_becomes_pipe_rows() -> None:
    text = inner_text(
        ["一、本年新收政府信息公开申请数量", "96", "24", "0", "2", "4", "1", "\xa0"],
        ["（二）部分公开\n\n（区分处理的，只计这一情形，不计其他情形）", "6", "2", "0", "0", "0",
         "0", "8"],
    )  # fmt: skip
    assert strip_markup(text).split("\n\n") == [
        "| 一、本年新收政府信息公开申请数量 | 96 | 24 | 0 | 2 | 4 | 1 |  |",
        "| （二）部分公开 （区分处理的，只计这一情形，不计其他情形） | 6 | 2 | 0 | 0 | 0 | 0 | 8 |",
    ]
    # two tabs on a line: an empty cell between them
    assert strip_markup(inner_text(["规章", "0", "0", "0"], ["行政许可", "1"]).replace(
        "行政许可\n\n\t", "行政许可\n\n\t\t"
    )).split("\n\n")[-1] == "| 行政许可 |  | 1 |"  # fmt: skip


def test_a_table_ending_before_text_and_another_table_in_inner_text() -> None:
    # a table's last row, a heading one blank line below it, then the next table
    text = (
        inner_text(["行政事业性收费", "3.46"])
        + "\n\n三、收到和处理政府信息公开申请情况\n\n"
        + inner_text(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"])
        + "\n\n\n\n\n"
        + inner_text(["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"])
        + "\n\n四、政府信息公开行政复议、行政诉讼情况\n\n未收到行政复议申请。"
    )
    lines = [line for line in strip_markup(text).split("\n") if line]
    assert lines == [
        "| 行政事业性收费 | 3.46 |",
        "三、收到和处理政府信息公开申请情况",
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |",
        "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "四、政府信息公开行政复议、行政诉讼情况",
        "未收到行政复议申请。",
    ]


def test_a_stray_tab_line_or_two_is_no_table() -> None:
    text = "一、总体情况\n\t\n全年公开信息12条。\n\t\n二、主动公开"
    assert strip_markup(text) == text


def test_a_copy_cut_inside_an_html_tag_reads_no_number_from_it() -> None:
    head = 'l" align="center" style="width:56.7pt">0 |\n| 行政规范性文件 | 4 |'
    assert strip_markup(head) == "0 |\n| 行政规范性文件 | 4 |"
    tail = '| 信息内容 | 本年处理决定数量 |\n| 行政许可<td colspan="3" nowrap="" style="widt'
    assert strip_markup(tail) == "| 信息内容 | 本年处理决定数量 |\n| 行政许可"
    # a comparison or a quotation is text
    assert strip_markup('他说"好" > 3 件') == '他说"好" > 3 件'
    assert strip_markup("数量 <5") == "数量 <5"
