"""Text renderings → blocks (parse.pipes)."""

from __future__ import annotations

from report_harvester import parse_text
from report_harvester.parse.grid import Paragraph, TableBlock
from report_harvester.parse.pipes import text_to_blocks


def _tables(text: str) -> list[list[list[str]]]:
    return [b.grid.texts() for b in text_to_blocks(text) if isinstance(b, TableBlock)]


def test_pipe_rows_drop_frame_pipes_and_keep_padding_cells() -> None:
    """A trailing `|` is the frame; `| |||` after a merged cell leaves empty cells."""
    text = "第二十条第(一)项 | |||\n信息内容 | 本年新 | 本年新 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n"
    assert _tables(text) == [
        [
            ["第二十条第(一)项", "", "", ""],
            ["信息内容", "本年新", "本年新", "对外公开总数量"],
            ["规章", "0", "0", "0"],
        ]
    ]


def test_markdown_table_separator_and_leading_pipe() -> None:
    """Markdown tables: the leading pipe is a frame and |---| rows are dropped."""
    text = "| 行政许可 | 35 | 30 |\n|---|---|---|\n| 行政处罚 | 3 | 16 |"
    assert _tables(text) == [[["行政许可", "35", "30"], ["行政处罚", "3", "16"]]]


def test_paragraphs_between_tables_and_markdown_headings() -> None:
    """`## 一、总体情况` reads as the heading text; prose lines stay paragraphs."""
    blocks = text_to_blocks("## 一、总体情况\n**本年**工作。\na | b | c\nd | e | f\n结尾")
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Paragraph", "TableBlock", "Paragraph"]
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "一、总体情况"
    assert isinstance(blocks[1], Paragraph) and blocks[1].text == "本年工作。"


def test_single_short_pipe_line_is_a_paragraph() -> None:
    """A lone line with one `|` (a breadcrumb, say) is not a table."""
    blocks = text_to_blocks("首页 | 政务公开")
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    assert blocks[0].text == "首页 政务公开"


def test_one_cell_per_line_rows_between_lone_pipes() -> None:
    """Rows are runs of lines between lines holding only `|`; a heading ends the table."""
    text = "\n".join(
        [
            "三、收到和处理政府信息公开申请情况",
            "|",
            "一、本年新收政府信息公开申请数量",
            "1",
            "0",
            "|",
            "四、结转下年度继续办理",
            "0",
            "0",
            "|",
            "四、政府信息公开行政复议、行政诉讼情况",
            "正文。",
        ]
    )
    blocks = text_to_blocks(text)
    tables = [b.grid.texts() for b in blocks if isinstance(b, TableBlock)]
    assert tables == [
        [["一、本年新收政府信息公开申请数量", "1", "0"], ["四、结转下年度继续办理", "0", "0"]]
    ]
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert paragraphs == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "正文。",
    ]


def test_whole_report_on_one_line_is_split_at_statutory_headings() -> None:
    """A report squeezed onto one line still yields one paragraph per statutory heading."""
    body = "我局认真贯彻落实条例。" * 120
    text = f"一、总体情况 {body} 二、主动公开政府信息情况 无。 五、存在的主要问题及改进情况 {body}"
    paragraphs = [b.text for b in text_to_blocks(text) if isinstance(b, Paragraph)]
    assert [p[:6] for p in paragraphs] == ["一、总体情况", "二、主动公开", "五、存在的主"]


def test_empty_and_blank_text() -> None:
    assert text_to_blocks("") == []
    assert text_to_blocks("\n \n\u3000\n") == []


def test_tab_separated_rows_keep_the_place_of_every_empty_cell() -> None:
    """A table copied from a browser or a spreadsheet: each tab ends a cell."""
    text = (
        "\t一、总体情况\n"  # indented with a tab: a heading, not a row
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t\t0\t5\n"
        "（三）不予公开\t1.属于国家秘密\t0\n"
        "\t2.其他法律行政法规禁止公开\t1\t\n"
        "\n"
        "联系电话：\t0731-1234\n"  # two cells on a line of their own: a paragraph
    )
    blocks = text_to_blocks(text)
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "一、总体情况"
    assert _tables(text) == [
        [
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "", "0", "5"],
            ["（三）不予公开", "1.属于国家秘密", "0", ""],
            ["", "2.其他法律行政法规禁止公开", "1", ""],
        ]
    ]
    assert isinstance(blocks[-1], Paragraph) and blocks[-1].text == "联系电话： 0731-1234"


def test_ascii_grid_rulings_neither_end_a_table_nor_become_text() -> None:
    ruling = "+----------+------+------+"
    text = "\n".join(
        [ruling, "| 信息内容 | 处理决定数量 |", "+==========+======+", "| 行政许可 | 35 |",
         ruling, "| 行政处罚 | 3 |", ruling, "结尾"]
    )  # fmt: skip
    blocks = text_to_blocks(text)
    assert _tables(text) == [[["信息内容", "处理决定数量"], ["行政许可", "35"], ["行政处罚", "3"]]]
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["结尾"]


def test_bare_pipe_runs_are_padding_not_cells() -> None:
    """``| 0 | ||||`` is one value and the padding of merged cells: the raw grid keeps
    the slots, but a row's cells are only what was printed between spaced pipes."""
    text = "本年新收 | 0 | ||||\n上年结转 | 1 | | 2 |\n"
    (table,) = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    assert table.texts() == [["本年新收", "0", "", "", "", ""], ["上年结转", "1", "", "2", "", ""]]
    assert table.row_cells(0) == ["本年新收", "0", ""]
    assert table.row_cells(1) == ["上年结转", "1", "", "2"]


BOXED = """三、收到和处理政府信息公开申请情况
┌────────────────────┬──────┬────────┬────────┬──────────┬──────────┬────┬────┐
│                    │自然人│商业企业│科研机构│社会公益  │法律服务  │其他│总计│
│                    │      │        │        │组织      │机构      │    │    │
├────────────────────┼──────┼────────┼────────┼──────────┼──────────┼────┼────┤
│一、本年新收政府信息│      │        │        │          │          │    │    │
│公开申请数量        │  51  │   7    │   0    │    1     │    4     │ 1  │ 64 │
│                    │      │        │        │          │          │    │    │
├────────────────────┼──────┼────────┼────────┼──────────┼──────────┼────┼────┤
│二、上年结转政府信息│  3   │        │   0    │    0     │    0     │ 0  │ 3  │
│公开申请数量        │      │        │        │          │          │    │    │
└────────────────────┴──────┴────────┴────────┴──────────┴──────────┴────┴────┘
四、政府信息公开行政复议、行政诉讼情况"""


def test_a_box_drawn_table_with_wrapped_cells_reads_as_its_rows() -> None:
    """w3m and lynx dumps draw tables with box characters and wrap long cells over
    lines: the lines between two rulings are one row, each column's text joined, and
    an empty cell stays a cell (the 商业企业 of 上年结转)."""
    (table,) = [b.grid for b in text_to_blocks(BOXED) if isinstance(b, TableBlock)]
    assert table.wrapped
    assert table.texts() == [
        ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        ["一、本年新收政府信息公开申请数量", "51", "7", "0", "1", "4", "1", "64"],
        ["二、上年结转政府信息公开申请数量", "3", "", "0", "0", "0", "0", "3"],
    ]
    report = parse_text(BOXED)
    rows: dict[str, list[object]] = {}
    for cell in report.applications:
        rows.setdefault(cell.row, []).append(cell.value)
    assert rows == {
        "new_received": [51, 7, 0, 1, 4, 1, 64],
        "carried_over": [3, None, 0, 0, 0, 0, 3],
    }


def test_a_ruling_that_still_holds_a_merged_cells_text_ends_the_row_above() -> None:
    """w3m prints a rowspan label on whatever line it centres on, a ruling included:
    ``│三、本年度办理结果├────┼──┤``. That text is the row above's; the rest is a ruling."""
    text = """┌──────────┬────────┬────┐
│          │1.属于国│    │
│三、本年度│家秘密  │ 1  │
│办理结果  ├────────┼────┤
│          │2.其他法│    │
│          │律行政法│ 0  │
│          │规禁止公│    │
│          │开      │    │
└──────────┴────────┴────┘"""
    (table,) = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    assert table.texts() == [
        ["三、本年度办理结果", "1.属于国家秘密", "1"],
        ["", "2.其他法律行政法规禁止公开", "0"],
    ]


def test_a_box_frames_edge_left_alone_is_no_cell_per_line_table() -> None:
    """A page cut beside a box-drawn table leaves a line holding only ``│``: in a text
    with box-drawn tables that is a frame's edge, not the start of cell-per-line rows."""
    cut = "  │\n" + BOXED.split("\n", 1)[1]
    grids = [b.grid for b in text_to_blocks(cut) if isinstance(b, TableBlock)]
    assert [len(g.rows) for g in grids] == [3]


def test_a_frameless_row_ending_in_a_pipe_has_an_empty_last_cell() -> None:
    # html2text: no pipe before the first cell, an empty last cell printed as "|  "
    text = "\n".join([
        "自然人| 法人或其他组织| 总计  ",
        "---|---|---  ",
        "一、本年新收政府信息公开申请数量| 96| 24| 0| 2| 4| 1|  ",
        "二、上年结转政府信息公开申请数量| 5| 1| 0| 0| 0| 0| 5",
    ])  # fmt: skip
    (block,) = text_to_blocks(text)
    assert isinstance(block, TableBlock)
    assert [row[1:] for row in block.grid.texts()[1:]] == [
        ["96", "24", "0", "2", "4", "1", ""],
        ["5", "1", "0", "0", "0", "0", "5"],
    ]
    # the empty last cell is a cell the row printed, not padding of a short row
    assert block.grid.rows[1][-1].padding is False
    # a framed row's last pipe closes it, spaces after it or not
    (framed,) = text_to_blocks("| 规章 | 0 | 1 |  \n| 规范性文件 | 2 | 3 |")
    assert isinstance(framed, TableBlock)
    assert framed.grid.texts() == [["规章", "0", "1"], ["规范性文件", "2", "3"]]


def test_a_frameless_row_starting_with_a_pipe_starts_with_an_empty_cell() -> None:
    # html2text prints a row whose first cell is empty as " |  | 0|": in a table with no
    # left frame that pipe ends the first cell, it frames nothing
    outcomes = "| ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
    text = "\n".join(["行政复议| 行政诉讼  ", "---|---  ", outcomes + "  ",
                      " |  |  |  | 0|  |  |  |  | 0|  |  |  |  | 0  "])  # fmt: skip
    (block,) = text_to_blocks(text)
    assert isinstance(block, TableBlock)
    assert block.grid.texts()[-1] == ["", "", "", "", "0"] * 3
    heading = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    report = parse_text(f"{heading}\n{text}\n\n五、存在的主要问题及改进情况")
    assert [c.value for c in report.reviews] == [None, None, None, None, 0] * 3
    # in a framed table the same pipe is the frame
    (framed,) = text_to_blocks("| 规章 | 0 |\n| | 1 |")
    assert isinstance(framed, TableBlock)
    assert framed.grid.texts() == [["规章", "0"], ["", "1"]]


def test_rows_left_open_have_no_right_frame() -> None:
    # AsciiDoc rows cut out of their |=== lines: a cell starts at each pipe, and rows
    # other than the last end without one, so a pipe before the end opens an empty cell
    text = "|规章 |0 |0 |0\n|行政规范性文件 |1 | \n|行政许可 |2 |3 |4"
    (block,) = text_to_blocks(text)
    assert isinstance(block, TableBlock)
    assert [row[:3] for row in block.grid.texts()] == [
        ["规章", "0", "0"], ["行政规范性文件", "1", ""], ["行政许可", "2", "3"]
    ]
    assert block.grid.rows[1][2].padding is False
    # a Markdown table whose only open row is its last (a cut text) keeps its frames
    (md,) = text_to_blocks("| 规章 | 0 |\n| 行政许可 | 2 |  \n| 行政处罚 | 3")
    assert isinstance(md, TableBlock)
    assert md.grid.texts() == [["规章", "0"], ["行政许可", "2"], ["行政处罚", "3"]]


def test_digits_that_end_a_cut_text_are_not_read() -> None:
    # a copy cut after "1" of "147": that number may be longer, so it is no value
    text = "二、主动公开政府信息情况\n| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 12 |\n| 行政处罚 | 1"
    report = parse_text(text)
    got = {c.item: c.value for c in report.active_disclosure}
    assert got["licensing"] == 12 and got.get("penalty") is None
    assert "text_cut" in report.warning_codes()
    # ended by a line break, the line is whole
    whole = parse_text(text + "\n")
    assert {c.item: c.value for c in whole.active_disclosure}["penalty"] == 1
    assert "text_cut" not in whole.warning_codes()
    # a date that ends the text is a date, whole
    dated = parse_text(text + "\n发布日期：2020-01-21")
    assert dated.published == "2020-01-21" and "text_cut" not in dated.warning_codes()
