"""<table> → rectangular Grid: spans expanded, read defensively, text joined sensibly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from report_harvester.parse import html_table
from report_harvester.parse.grid import Grid, GridCell
from report_harvester.parse.html_table import (
    MAX_SPAN,
    flow_text,
    grid_from_table,
    join_lines,
    span_value,
)
from report_harvester.parse.table_roles import origin_texts


def grid_of(html: str) -> Grid:
    table = LexborHTMLParser(html).css_first("table")
    assert table is not None
    return grid_from_table(table)


def origins(grid: Grid) -> list[list[tuple[int, int]]]:
    return [[(cell.row, cell.col) for cell in row] for row in grid.rows]


def assert_rectangular(grid: Grid) -> None:
    widths = {len(row) for row in grid.rows}
    assert len(widths) <= 1
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            assert cell.row <= r and cell.col <= c
            assert grid.rows[cell.row][cell.col] is cell  # every slot points at its origin
            if cell.padding:
                assert (cell.row, cell.col, cell.text) == (r, c, "")


# -- a 2021 table 三: a rowspan=22 group label and colspan headers ----------------------------

T3_GROUPS = [  # (group label or None, [sub-row labels]) in the 22 rows under 三、本年度办理结果
    (None, ["（一）予以公开"]),
    (None, ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("（三）不予公开", [f"{i}.不予公开情形{i}" for i in range(1, 9)]),
    ("（四）无法提供", [f"{i}.无法提供情形{i}" for i in range(1, 4)]),
    ("（五）不予处理", [f"{i}.不予处理情形{i}" for i in range(1, 6)]),
    ("（六）其他处理", [f"{i}.其他处理情形{i}" for i in range(1, 4)]),
    (None, ["（七）总计"]),
]


def values(r: int) -> str:
    return "".join(f"<td>{r * 10 + k}</td>" for k in range(7))


def table_three() -> str:
    rows = [
        '<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，'
        "等于第三项加第四项之和）</td><td colspan=7>申请人情况</td></tr>",
        "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>",
        "<tr><td>商业<br>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>"
        "<td>其他</td></tr>",
        f"<tr><td colspan=3>一、本年新收政府信息公开申请数量</td>{values(3)}</tr>",
        f"<tr><td colspan=3>二、上年结转政府信息公开申请数量</td>{values(4)}</tr>",
    ]
    r = 5
    first = True
    for group, labels in T3_GROUPS:
        for i, label in enumerate(labels):
            lead = '<td rowspan="22">三、本年度办理结果</td>' if first else ""
            first = False
            if group is None:
                cells = f"<td colspan=2>{label}</td>"
            elif i == 0:
                cells = f'<td rowspan="{len(labels)}">{group}</td><td>{label}</td>'
            else:
                cells = f"<td>{label}</td>"
            rows.append(f"<tr>{lead}{cells}{values(r)}</tr>")
            r += 1
    rows.append(f"<tr><td colspan=3>四、结转下年度继续办理</td>{values(r)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def test_table_three_rowspan_22_and_colspan_headers() -> None:
    grid = grid_of(table_three())
    assert grid.spans is True
    assert (len(grid.rows), grid.width) == (28, 10)
    assert_rectangular(grid)
    assert not any(cell.padding for row in grid.rows for cell in row)
    texts = grid.texts()
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert texts[0] == [note] * 3 + ["申请人情况"] * 7
    assert texts[1] == [note] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert texts[2] == [note] * 3 + [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert origins(grid)[2] == [(0, 0), (0, 0), (0, 0), (1, 3), (2, 4), (2, 5), (2, 6), (2, 7),
                                (2, 8), (1, 9)]  # fmt: skip
    assert texts[3] == ["一、本年新收政府信息公开申请数量"] * 3 + [str(30 + k) for k in range(7)]
    assert texts[5] == ["三、本年度办理结果", "（一）予以公开", "（一）予以公开"] + [
        str(50 + k) for k in range(7)
    ]
    assert texts[7] == ["三、本年度办理结果", "（三）不予公开", "1.不予公开情形1"] + [
        str(70 + k) for k in range(7)
    ]
    assert texts[14] == ["三、本年度办理结果", "（三）不予公开", "8.不予公开情形8"] + [
        str(140 + k) for k in range(7)
    ]
    assert texts[25] == ["三、本年度办理结果", "（六）其他处理", "3.其他处理情形3"] + [
        str(250 + k) for k in range(7)
    ]
    assert texts[26] == ["三、本年度办理结果", "（七）总计", "（七）总计"] + [
        str(260 + k) for k in range(7)
    ]
    assert texts[27] == ["四、结转下年度继续办理"] * 3 + [str(270 + k) for k in range(7)]
    assert [origins(grid)[r][0] for r in range(5, 27)] == [(5, 0)] * 22
    assert [origins(grid)[r][1] for r in range(7, 15)] == [(7, 1)] * 8
    assert origins(grid)[27][:4] == [(27, 0), (27, 0), (27, 0), (27, 3)]
    assert grid.row_cells(7) == ["三、本年度办理结果", "（三）不予公开", "1.不予公开情形1"] + [
        str(70 + k) for k in range(7)
    ]


# -- hostile spans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        (" 3 ", 3),
        ("0", 1),
        ("-3", 1),
        ("abc", 1),
        ("2.5", 1),
        ("2px", 1),
        ("²", 1),  # isdigit but not isdecimal
        ("２", 2),  # full-width digit: isdecimal, int() reads it
        ("99999", MAX_SPAN),
    ],
)
def test_span_value(value: str | None, expected: int) -> None:
    assert span_value(value) == expected


def test_hostile_spans_stay_small_and_rectangular() -> None:
    grid = grid_of(
        "<table>"
        '<tr><td rowspan="99999">a</td><td colspan="abc">b</td><td rowspan="-3">c</td></tr>'
        '<tr><td rowspan="２">d</td><td>e</td></tr>'
        "<tr><td>f</td></tr>"
        "</table>"
    )
    assert_rectangular(grid)
    assert grid.texts() == [["a", "b", "c"], ["a", "d", "e"], ["a", "d", "f"]]
    assert origins(grid) == [
        [(0, 0), (0, 1), (0, 2)],
        [(0, 0), (1, 1), (1, 2)],
        [(0, 0), (1, 1), (2, 2)],
    ]


def test_huge_colspan_is_capped() -> None:
    grid = grid_of('<table><tr><td colspan="100000">x</td></tr><tr><td>y</td></tr></table>')
    assert grid.width == MAX_SPAN
    assert grid.rows[1][0] == GridCell("y", 1, 0)
    assert grid.rows[1][1] == GridCell("", 1, 1, padding=True)


def test_slot_budget_cuts_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_table, "MAX_SLOTS", 20)
    row = "<tr>" + "<td>1</td>" * 5 + "</tr>"
    grid = grid_of("<table>" + row * 10 + "</table>")
    assert (len(grid.rows), grid.width) == (4, 5)
    assert_rectangular(grid)


def test_nested_table_rows_are_not_rows_of_the_outer_grid() -> None:
    grid = grid_of(
        "<table><tr><td>外</td><td><table><tr><td>内1</td></tr><tr><td>内2</td></tr></table>"
        "</td></tr><tr><td>下</td><td>行</td></tr></table>"
    )
    assert grid.texts() == [["外", "内1 内2"], ["下", "行"]]


def test_thead_tbody_tfoot_rows_and_th_cells_in_order() -> None:
    grid = grid_of(
        "<table><caption>表一</caption><thead><tr><th>项目</th><th>数量</th></tr></thead>"
        "<tbody><tr><td>规章</td><td>0</td></tr></tbody>"
        "<tfoot><tr><td>合计</td><td>0</td></tr></tfoot></table>"
    )
    assert grid.texts() == [["项目", "数量"], ["规章", "0"], ["合计", "0"]]


def test_ragged_rows_are_padded() -> None:
    grid = grid_of("<table><tr><td>a</td></tr><tr><td>b</td><td>c</td><td>d</td></tr></table>")
    assert grid.rows[0] == [
        GridCell("a", 0, 0),
        GridCell("", 0, 1, padding=True),
        GridCell("", 0, 2, padding=True),
    ]
    assert grid.row_cells(0) == ["a"]


def test_table_without_cells_is_empty() -> None:
    assert grid_of("<table><tr></tr></table>") == Grid([], spans=True)
    assert grid_of("<table></table>") == Grid([], spans=True)


# -- cell text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("本年新<br>制作数量", "本年新制作数量"),
        ('<p align="center">本年新<br/>公开数量</p>', "本年新公开数量"),
        ("<p>2020</p><p>年</p>", "2020 年"),
        ("<p>Total</p><p>count</p>", "Total count"),
        ("&nbsp;", ""),
        ("<p>&nbsp;</p><p>&nbsp;</p>", ""),
        ("<span>0</span><span>(雁峰区无集采中心)</span>", "0(雁峰区无集采中心)"),
        ("社会公益组\r\n织", "社会公益组织"),  # Word wraps its HTML mid-word
        ("社会公益组 织", "社会公益组 织"),  # a real space is kept
        ("  2 <o:p></o:p> ", "2"),
        ("a<script>x</script>b<style>p{}</style>", "ab"),
    ],
)
def test_cell_text(cell: str, expected: str) -> None:
    grid = grid_of(f'<table><tr><td nowrap style="width:40.5pt">{cell}</td></tr></table>')
    assert grid.rows[0][0].text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深化政府\n  信息公开", "深化政府信息公开"),
        ("2020\n年", "2020 年"),
        ("a  \t b", "a b"),
        ("\u3000\u3000一、总体情况\xa0", "一、总体情况"),
    ],
)
def test_flow_text(raw: str, expected: str) -> None:
    assert flow_text(raw) == expected


def test_join_lines() -> None:
    assert join_lines(["本年新", "制作数量"]) == "本年新制作数量"
    assert join_lines(["（一）", "", "予以公开"]) == "（一）予以公开"
    assert join_lines(["2020", "年", "A", "B"]) == "2020 年 A B"
    assert join_lines([]) == ""


# -- property --------------------------------------------------------------------------------

SPANS = st.sampled_from(["", ' rowspan="2"', ' colspan="3"', ' rowspan="99999"', ' colspan="x"',
                         ' rowspan="-1"', ' rowspan="２"', ' colspan="0"', ' rowspan="3" colspan="2"'])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(SPANS, max_size=6), max_size=8))
def test_any_span_pattern_gives_a_rectangular_grid(rows: list[list[str]]) -> None:
    html = "<table>" + "".join(
        "<tr>" + "".join(f"<td{s}>{r}.{c}</td>" for c, s in enumerate(row)) + "</tr>"
        for r, row in enumerate(rows)
    ) + "</table>"  # fmt: skip
    grid = grid_of(html)
    assert_rectangular(grid)
    has_cells = any(rows)
    assert len(grid.rows) == (len(rows) if has_cells else 0)
    placed = {cell.text for row in grid.rows for cell in row if not cell.padding}
    assert placed == {f"{r}.{c}" for r, row in enumerate(rows) for c in range(len(row))}


def test_a_grid_lists_each_cell_once_in_document_order() -> None:
    grid = grid_of(
        "<table><tr><td rowspan=2>组</td><td colspan=2>头</td></tr>"
        "<tr><td>1</td><td> </td></tr><tr><td>尾</td></tr></table>"
    )
    assert grid.origins is not None
    assert [(c.text, c.row, c.col) for c in grid.origins] == [
        ("组", 0, 0), ("头", 0, 1), ("1", 1, 1), ("", 1, 2), ("尾", 2, 0),
    ]  # fmt: skip
    assert origin_texts(grid) == ["组", "头", "1", "尾"]
    unknown = Grid(grid.rows, spans=True)  # the same slots, read without the list
    assert origin_texts(unknown) == origin_texts(grid)
    assert grid.row_cells(1) == ["组", "1", ""] == unknown.row_cells(1)
    assert grid.row_cells(1) is grid.row_cells(1)  # read once per row


def test_a_space_entity_escaped_twice_is_a_space() -> None:
    """A CMS that escapes its editor's HTML again prints ``&amp;nbsp;``: the page shows
    ``&nbsp;`` as text, which stands for a space, so an empty cell stays empty and a
    number stays a number. Other ``&…;`` text is kept."""
    grid = grid_of(
        "<table><tr><td>&amp;nbsp;</td><td>12&amp;nbsp;</td><td>&amp;#160;3</td>"
        "<td>AT&amp;T</td></tr></table>"
    )
    assert [cell.text for cell in grid.rows[0]] == ["", "12", "3", "AT&T"]
