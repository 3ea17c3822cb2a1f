"""Blocks → section tree (parse.sections)."""

from __future__ import annotations

from report_harvester.parse.grid import Grid, Paragraph, TableBlock
from report_harvester.parse.sections import cn_number, split_heading, split_sections


def _paras(*lines: str) -> list[Paragraph]:
    return [Paragraph(line) for line in lines]


def test_statutory_sections_keys_and_preamble() -> None:
    """Headings 一…六 get their keys by keywords; text before 一 is the preamble."""
    split = split_sections(
        _paras(
            "编制说明:统计期限自2020年1月1日起至2020年12月31日止。",
            "一、总体情况",
            "正文一。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
            "无。",
        )
    )
    got = [(s.number, s.key, s.heading, s.text) for s in split.sections]
    assert got == [
        (None, "preamble", "", "编制说明:统计期限自2020年1月1日起至2020年12月31日止。"),
        (1, "overview", "一、总体情况", "正文一。"),
        (2, "active_disclosure", "二、主动公开政府信息情况", ""),
        (3, "applications", "三、收到和处理政府信息公开申请情况", ""),
        (4, "reviews_litigation", "四、政府信息公开行政复议、行政诉讼情况", ""),
        (5, "problems", "五、存在的主要问题及改进情况", ""),
        (6, "other_matters", "六、其他需要报告的事项", "无。"),
    ]


def test_list_items_inside_a_section_are_not_new_sections() -> None:
    """一、 after 五 is a list item: numbers must go up and keywords must match."""
    split = split_sections(
        _paras("五、存在的主要问题及改进情况", "一、加强学习培训。", "六、其他需要报告的事项", "无")
    )
    assert [s.number for s in split.sections] == [5, 6]
    assert split.sections[0].text == "一、加强学习培训。"


def test_heading_with_text_on_the_same_line() -> None:
    """`一、总体情况。2020年…` splits into heading and text."""
    split = split_sections(_paras("一、总体情况。2020年，我局扎实推进。"))
    assert split.sections[0].heading == "一、总体情况"
    assert split.sections[0].text == "2020年，我局扎实推进。"


def test_nested_children_full_width_and_ascii_brackets() -> None:
    """（一）→ 1. →（1）nest; ASCII and full-width brackets both count."""
    split = split_sections(
        _paras(
            "一、总体情况",
            "（一）主动公开。本年度主动公开信息100条。",
            "1.政策文件。公开文件10件。",
            "(1)规章。无。",
            "２、解读回应。",  # a full-width digit numbers a child too
            "(二)依申请公开。收到申请5件。",
        )
    )
    overview = split.sections[0]
    assert [(c.number, c.heading) for c in overview.children] == [
        (1, "主动公开"),
        (2, "依申请公开"),
    ]
    first = overview.children[0]
    assert [(c.number, c.heading) for c in first.children] == [(1, "政策文件"), (2, "解读回应")]
    assert [(c.number, c.heading) for c in first.children[0].children] == [(1, "规章")]
    assert first.text.splitlines() == [
        "（一）主动公开。本年度主动公开信息100条。",
        "1.政策文件。公开文件10件。",
        "(1)规章。无。",
        "２、解读回应。",
    ]
    assert overview.text.count("\n") == 4


def test_tables_and_lines_know_their_section() -> None:
    grid = Grid.from_rows([["a", "1"]])
    split = split_sections(
        [Paragraph("x"), TableBlock(grid), Paragraph("二、主动公开政府信息情况"), TableBlock(grid)]
    )
    assert [n for n, _ in split.tables] == [None, 2]
    assert split.lines == [(None, "x"), (2, "二、主动公开政府信息情况")]


def test_pre2019_headings_get_keys() -> None:
    split = split_sections(
        _paras(
            "一、概述",
            "二、主动公开政府信息情况",
            "三、依申请公开政府信息情况",
            "四、政府信息公开的收费及减免情况",
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
            "六、存在的主要问题及改进措施",
        )
    )
    assert [s.key for s in split.sections] == [
        "overview",
        "active_disclosure",
        "applications",
        "fees",
        "reviews_litigation",
        "problems",
    ]


def test_helpers() -> None:
    assert [cn_number(t) for t in ("一", "九", "十", "十二", "二十三", "7")] == [
        1,
        9,
        10,
        12,
        23,
        7,
    ]
    assert split_heading("总体情况") == ("总体情况", "")
    assert split_heading("总体情况：正文") == ("总体情况", "正文")
    long = "很长的一段没有标点的文字" * 5
    assert split_heading(long) == ("", long)
