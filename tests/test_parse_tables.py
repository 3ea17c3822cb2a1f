"""Grids → table 二/三/四 records: the seed, both grid flavours, typos, damage, and no crash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_harvester import keys
from report_harvester.check.rules import run_report_checks
from report_harvester.models import Report, SourceInfo
from report_harvester.parse.grid import Grid, GridCell, TableBlock
from report_harvester.parse.pipes import text_to_blocks
from report_harvester.parse.table_roles import end_trims
from report_harvester.parse.tables import TableResult, map_tables

# ---------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------


def pipe_rows(text: str, *, keep_frame: bool = False) -> list[list[str]]:
    """Split text-rendering lines into cells the way the seed renders them.

    A trailing ``|`` closes the row (the rendering's frame) unless ``keep_frame``.
    """
    rows = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        parts = stripped.split("|")
        if stripped.endswith("|") and not keep_frame:
            parts = parts[:-1]
        rows.append([p.strip() for p in parts])
    return rows


def text_grid(text: str, *, keep_frame: bool = False, truncated: bool = False) -> Grid:
    return Grid.from_rows(pipe_rows(text, keep_frame=keep_frame), truncated=truncated)


Cell = str | tuple[str, int, int]  # text, or (text, rowspan, colspan)


def html_grid(rows: list[list[Cell]], *, truncated: bool = False) -> Grid:
    """Expand an HTML table (cells with rowspan/colspan) the way the HTML stage does."""
    slots: dict[tuple[int, int], GridCell] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            text, rowspan, colspan = (cell, 1, 1) if isinstance(cell, str) else cell
            while (r, c) in slots:
                c += 1
            for dr in range(min(rowspan, len(rows) - r)):  # rowspan is cut at the last row
                for dc in range(colspan):
                    slots[(r + dr, c + dc)] = GridCell(text, r, c)
            c += colspan
    height = max((r for r, _ in slots), default=-1) + 1
    width = max((c for _, c in slots), default=-1) + 1
    grid_rows = [
        [slots.get((r, c), GridCell("", r, c, padding=True)) for c in range(width)]
        for r in range(height)
    ]
    return Grid(grid_rows, spans=True, truncated=truncated)


def report_of(result: TableResult) -> Report:
    return Report(
        source=SourceInfo(sha256="0" * 64, size=0),
        active_disclosure=result.active_disclosure,
        applications=result.applications,
        reviews=result.reviews,
    )


def t3_values(result: TableResult) -> dict[tuple[str, str], int | float | None]:
    return {(c.row, c.applicant): c.value for c in result.applications}


def codes(result: TableResult) -> list[str]:
    return [w.code for w in result.warnings]


# ---------------------------------------------------------------------------
# The seed (000_5f8ff69f44e0fe1c.txt), its three tables copied verbatim
# ---------------------------------------------------------------------------

SEED_T2 = """
第二十条第(一)项 | |||
信息内容 | 本年新 | 本年新 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 4 | 4 | 14 |
第二十条第(五)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 35 | 30 | 65 |
其他对外管理服务事项 | 0 | 0 | 0 |
第二十条第(六)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政处罚 | 3 | 16 | 19 |
行政强制 | 0 | 0 | 0 |
第二十条第(八)项 | |||
信息内容 | 上一年项目数量 | 本年增/减 | |
行政事业性收费 | 0 | 0 | |
第二十条第(九)项 | |||
信息内容 | 采购项目数量 | 采购总金额 | |
政府集中采购 | 0(雁峰区无集采中心) | 0 |
"""

SEED_T3 = """
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||
自然人 | 法人或其他组织 | 总计 | |||||||
商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||
一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||
二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
三、本年度办理结果 | (一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |
(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
(三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |
2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
3.危及"三安全一稳定" | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
4.保护第三方合法权益 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||
5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
(四)无法提供 | 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |
2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
(五)不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |
2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
(七)总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||
四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""

SEED_T4 = """
行政复议 | 行政诉讼 | |||||||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | |||||
0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""

SEED_T2_EXPECTED: dict[tuple[str, str], tuple[str, int]] = {
    ("regulations", "new_made"): ("20.1", 0),
    ("regulations", "new_published"): ("20.1", 0),
    ("regulations", "total_published"): ("20.1", 0),
    ("normative_documents", "new_made"): ("20.1", 4),
    ("normative_documents", "new_published"): ("20.1", 4),
    ("normative_documents", "total_published"): ("20.1", 14),
    ("licensing", "prev_year_count"): ("20.5", 35),
    ("licensing", "change"): ("20.5", 30),
    ("licensing", "decisions"): ("20.5", 65),
    ("other_services", "prev_year_count"): ("20.5", 0),
    ("other_services", "change"): ("20.5", 0),
    ("other_services", "decisions"): ("20.5", 0),
    ("penalty", "prev_year_count"): ("20.6", 3),
    ("penalty", "change"): ("20.6", 16),
    ("penalty", "decisions"): ("20.6", 19),
    ("coercion", "prev_year_count"): ("20.6", 0),
    ("coercion", "change"): ("20.6", 0),
    ("coercion", "decisions"): ("20.6", 0),
    ("fees", "prev_year_count"): ("20.8", 0),
    ("fees", "change"): ("20.8", 0),
    ("procurement", "procurement_items"): ("20.9", 0),
    ("procurement", "procurement_amount"): ("20.9", 0),
}

SEED_T3_NONZERO = {
    ("new_received", "natural_person"): 1,
    ("new_received", "total"): 1,
    ("denied_third_party", "natural_person"): 1,
    ("denied_third_party", "total"): 1,
    ("total_processed", "natural_person"): 1,
    ("total_processed", "total"): 1,
}


def seed_tables(*, keep_frame: bool = False) -> list[tuple[int | None, Grid]]:
    return [
        (2, text_grid(SEED_T2, keep_frame=keep_frame)),
        (3, text_grid(SEED_T3, keep_frame=keep_frame)),
        (4, text_grid(SEED_T4, keep_frame=keep_frame)),
    ]


def assert_seed_result(result: TableResult) -> None:
    got = {(c.item, c.metric): (c.clause, c.value) for c in result.active_disclosure}
    assert got == SEED_T2_EXPECTED
    assert all(c.kind == "number" and c.unit is None for c in result.active_disclosure)
    items = result.active_disclosure
    notes = {(c.item, c.metric): c.note for c in items if c.note}
    assert notes == {("procurement", "procurement_items"): "雁峰区无集采中心"}

    expected_t3 = {
        (row, a): SEED_T3_NONZERO.get((row, a), 0)
        for row in keys.T3_ROWS_2019
        for a in keys.APPLICANTS
    }
    assert len(result.applications) == 23 * 7
    assert t3_values(result) == expected_t3
    assert [c.row for c in result.applications[::7]] == list(keys.T3_ROWS_2019)

    assert [(c.proceeding, c.outcome, c.value) for c in result.reviews] == [
        (p, o, 0) for p in keys.PROCEEDINGS for o in keys.OUTCOMES
    ]


def test_seed_tables_give_every_value_of_the_worked_example() -> None:
    result = map_tables(seed_tables())
    assert_seed_result(result)
    assert [(t.index, t.section, t.role) for t in result.raw_tables] == [
        (0, 2, "t2"),
        (1, 3, "t3"),
        (2, 4, "t4"),
    ]
    assert result.raw_tables[0].rows[1] == ["信息内容", "本年新", "本年新", "对外公开总数量"]
    assert result.warnings == []
    assert result.format_votes["2019"] == 10
    assert result.format_votes["2021"] == 0


def test_seed_tables_with_the_frame_pipe_kept_as_a_cell_map_the_same() -> None:
    result = map_tables(seed_tables(keep_frame=True))
    assert_seed_result(result)
    assert result.warnings == []


def test_seed_passes_every_check() -> None:
    checks = run_report_checks(report_of(map_tables(seed_tables())))
    assert len(checks) == 7 + 23 + 7 + 3
    assert {c.status for c in checks} == {"pass"}


def test_seed_t3_as_html_maps_like_the_text_rendering() -> None:
    text = map_tables([(3, text_grid(SEED_T3))])
    html = map_tables([(3, html_grid(html_t3_2019(SEED_T3)))])
    assert html.applications == text.applications
    assert html.warnings == []


def one(text: str) -> list[Cell]:
    return [text]


def html_t3_2019(seed: str) -> list[list[Cell]]:
    """The seed's table 三 as its HTML original (rowspan 20 for 三、本年度办理结果)."""
    rows = pipe_rows(seed)[3:]
    values: list[list[Cell]] = [[*[c for c in row if c][-7:]] for row in rows]
    labels: list[list[Cell]] = [
        [("一、本年新收政府信息公开申请数量", 1, 3)],
        [("二、上年结转政府信息公开申请数量", 1, 3)],
        [("三、本年度办理结果", 20, 1), ("(一)予以公开", 1, 2)],
        [("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 1, 2)],
        [("(三)不予公开", 8, 1), "1.属于国家秘密"],
        *[one(r[0]) for r in rows[5:12]],
        [("(四)无法提供", 3, 1), "1.本机关不掌握相关政府信息"],
        *[one(r[0]) for r in rows[13:15]],
        [("(五)不予处理", 5, 1), "1.信访举报投诉类申请"],
        *[one(r[0]) for r in rows[16:20]],
        [("(六)其他处理", 1, 2)],
        [("(七)总计", 1, 2)],
        [("四、结转下年度继续办理", 1, 3)],
    ]
    header: list[list[Cell]] = [
        [("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3),
         ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]  # fmt: skip
    return header + [lab + val for lab, val in zip(labels, values, strict=True)]


# ---------------------------------------------------------------------------
# Table 三, 2021 format: HTML (rowspan 22) and text rendering map identically
# ---------------------------------------------------------------------------

T3_2021_LABELS: dict[str, str] = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密",
    "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_three_safeties": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷",
    "denied_admin_query": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "total_processed": "（七）总计",
}
T3_GROUPS_2021 = {  # first row of a group → (group label, rows in the group)
    "denied_state_secret": ("（三）不予公开", 8),
    "unavailable_not_held": ("（四）无法提供", 3),
    "rejected_petition": ("（五）不予处理", 5),
    "other_no_correction": ("（六）其他处理", 3),
}
T3_HEADER_HTML: list[list[Cell]] = [
    [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
     ("申请人情况", 1, 7)],
    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]  # fmt: skip
T3_HEADER_TEXT = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    + [""] * 8,
    ["自然人", "法人或其他组织", "总计"] + [""] * 7,
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] + [""] * 5,
]


def distinct_values(row: str) -> list[str]:
    i = keys.T3_ROWS_2021.index(row)
    return [str(1000 + 10 * i + j) for j in range(7)]


def html_t3_2021(values: Callable[[str], list[str]] = distinct_values) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [("一、本年新收政府信息公开申请数量", 1, 3), *values("new_received")],
        [("二、上年结转政府信息公开申请数量", 1, 3), *values("carried_over")],
    ]
    for key, label in T3_2021_LABELS.items():
        cells: list[Cell] = []
        if key == "granted":
            cells.append(("三、本年度办理结果", 22, 1))
        if key in ("granted", "partially_granted", "total_processed"):
            cells.append((label, 1, 2))
        else:
            if key in T3_GROUPS_2021:
                group, span = T3_GROUPS_2021[key]
                cells.append((group, span, 1))
            cells.append(label)
        rows.append([*cells, *values(key)])
    rows.append([("四、结转下年度继续办理", 1, 3), *values("carried_forward")])
    return T3_HEADER_HTML + rows


def text_t3_2021(
    *, continuation_cells: bool = False, values: Callable[[str], list[str]] = distinct_values
) -> list[list[str]]:
    """The text rendering: group labels on the first row of their group only."""
    rows = [
        ["一、本年新收政府信息公开申请数量", *values("new_received"), "", ""],
        ["二、上年结转政府信息公开申请数量", *values("carried_over"), "", ""],
    ]
    for key, label in T3_2021_LABELS.items():
        lead: list[str] = []
        if key == "granted":
            lead = ["三、本年度办理结果"]
        elif key in T3_GROUPS_2021:
            lead = [T3_GROUPS_2021[key][0]]
        elif continuation_cells and key != "partially_granted" and key != "total_processed":
            lead = [""]  # a rowspan continuation rendered as a leading empty cell
        cells = [*lead, label, *values(key)]
        rows.append(cells + [""] * (10 - len(cells)))
    rows.append(["四、结转下年度继续办理", *values("carried_forward")])
    return T3_HEADER_TEXT + rows


def expected_2021() -> dict[tuple[str, str], int]:
    return {
        (row, a): int(v)
        for row in keys.T3_ROWS_2021
        for a, v in zip(keys.APPLICANTS, distinct_values(row), strict=True)
    }


def test_2021_t3_html_rowspan_22_maps_every_row() -> None:
    grid = html_grid(html_t3_2021())
    assert grid.rows[3 + 2 + 21][0].text == "三、本年度办理结果"  # the rowspan covers row 22
    result = map_tables([(3, grid)])
    assert t3_values(result) == expected_2021()
    assert [c.row for c in result.applications[::7]] == list(keys.T3_ROWS_2021)
    assert result.warnings == []
    assert result.format_votes == {"2019": 0, "2021": 2}


def test_2021_t3_text_rendering_maps_identically_to_html() -> None:
    html = map_tables([(3, html_grid(html_t3_2021()))])
    text = map_tables([(3, Grid.from_rows(text_t3_2021()))])
    shifted = map_tables([(3, Grid.from_rows(text_t3_2021(continuation_cells=True)))])
    assert text.applications == html.applications
    assert shifted.applications == html.applications
    assert text.warnings == shifted.warnings == []


def test_2021_other_misc_needs_its_group() -> None:
    # "3.其他" outside any group is no row: it is reported, not guessed.
    result = map_tables(
        [(3, text_grid("一、本年新收政府信息公开申请数量 | 1|0|0|0|0|0|1\n3.其他 | 1|0|0|0|0|0|1"))]
    )
    assert [c.row for c in result.applications[::7]] == ["new_received"]
    assert "t3_row_unmatched" in codes(result)


def test_2019_single_other_handling_row_in_html_with_colspan() -> None:
    html = map_tables([(3, html_grid(html_t3_2019(SEED_T3)))])
    cell = next(c for c in html.applications if c.row == "other_handling")
    assert (cell.applicant, cell.value) == ("natural_person", 0)
    assert html.format_votes == {"2019": 1, "2021": 0}


# ---------------------------------------------------------------------------
# Table 三: label variants, header variants, shapes, damage
# ---------------------------------------------------------------------------

T3_TYPOS = """
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |
自然人 | 法人或其他组织 | 总计
商业 | 科研 | 社会公益组 织 | 法律服务 | 其他
企业 | 机构 | | 机构 |
一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2
二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0
三、本年度办理结果 | (一)予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1
（二)部分公开（区分处理的，只计这一情形，不计其他情形） | 0 | 0 | 0 | 0 | 0 | 0 | 0
(三）不予公开 | 1、属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0
2、其他法律行政止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0
3、危及「三安全一稳定」 | 0 | 0 | 0 | 0 | 0 | 0 | 0
4、保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0
5、属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0
6、属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0
7、属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0
8、属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0
（四）无法提供 | 1、本机关不掌握相关政府信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1
2、没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0
3、补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0
（五）不予处理 | 1、信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0
2、重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0
3、要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0
4、无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0
5、要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0
（六）其他处理 | 1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0|0|0|0|0|0|0
2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0|0|0|0|0|0|0
3、其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0
（七）总计 | 2 | 0 | 0 | 0 | 0 | 0 | 2
四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0
"""


def test_t3_typos_split_headers_and_mixed_brackets_map_every_row() -> None:
    result = map_tables([(3, text_grid(T3_TYPOS))])
    assert result.warnings == []
    assert [c.row for c in result.applications[::7]] == list(keys.T3_ROWS_2021)
    values = t3_values(result)
    assert values[("granted", "natural_person")] == 1
    assert values[("unavailable_not_held", "total")] == 1
    assert values[("denied_prohibited_by_law", "total")] == 0
    assert {c.kind for c in result.applications} == {"number"}
    assert {c.status for c in run_report_checks(report_of(result))} == {"pass"}


def test_t3_quotes_of_every_kind_match_three_safeties() -> None:
    for quoted in ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”", "3.危及「三安全一稳定」"):
        grid = text_grid(f"本年新收 | 0|0|0|0|0|0|0\n（三）不予公开 | {quoted} | 5|0|0|0|0|0|5")
        result = map_tables([(3, grid)])
        assert t3_values(result)[("denied_three_safeties", "natural_person")] == 5, quoted


def test_t3_blank_cells_stay_blank_in_html() -> None:
    def blank_orgs(row: str) -> list[str]:
        values = distinct_values(row)
        return [values[0], "&nbsp;", " ", "", "/", "", values[6]]

    result = map_tables([(3, html_grid(html_t3_2021(values=blank_orgs)))])
    cell = next(
        c
        for c in result.applications
        if (c.row, c.applicant) == ("granted", "commercial_enterprise")
    )
    assert (cell.kind, cell.value, cell.raw) == ("blank", None, "&nbsp;")
    kinds = [c.kind for c in result.applications if c.row == "granted"]
    assert kinds == ["number", "blank", "blank", "blank", "not_applicable", "blank", "number"]
    assert len(result.applications) == 25 * 7


def test_t3_label_split_over_two_cells_is_read_back_to_its_start() -> None:
    text = SEED_T3.replace(
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形) |",
        "(二)部分公开 | (区分处理的,只计这一情形,不计其他情形) |",
    )
    result = map_tables([(3, text_grid(text))])
    assert_seed_t3(result)
    assert result.warnings == []


def test_t3_valueless_group_row_above_the_2021_sub_rows_is_no_row() -> None:
    rows = text_t3_2021()
    at = next(i for i, r in enumerate(rows) if r[0] == "（六）其他处理")
    rows[at] = rows[at][1:]  # the sub-row without its group label …
    rows.insert(at, ["（六）其他处理", *[""] * 7])  # … under a row of its own, values blank
    result = map_tables([(3, Grid.from_rows(rows))])
    assert t3_values(result) == expected_2021()
    assert result.warnings == []


def test_t3_blank_2019_other_handling_stays_a_blank_row() -> None:
    text = SEED_T3.replace(
        "(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "(六)其他处理 | | | | | | | |"
    )
    result = map_tables([(3, text_grid(text, keep_frame=True))])
    kinds = {c.kind for c in result.applications if c.row == "other_handling"}
    assert kinds == {"blank"}
    assert len(result.applications) == 23 * 7


def test_t3_row_with_too_few_value_cells_is_kept_raw() -> None:
    text = SEED_T3.replace(
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0 | 0 | 0 | 0 | 0 | 0",
    )
    result = map_tables([(3, text_grid(text))])
    assert [(w.code, w.message) for w in result.warnings] == [
        (
            "t3_row_shape",
            "table 0 in section 3: row partially_granted: 6 value cells, expected 7; kept raw",
        )
    ]
    assert "partially_granted" not in {c.row for c in result.applications}
    assert len(result.applications) == 22 * 7


def test_t3_row_with_a_non_empty_eighth_cell_is_kept_raw() -> None:
    grid = text_grid("一、本年新收政府信息公开申请数量 | 1|0|0|0|0|0|1|9")
    result = map_tables([(3, grid)])
    assert result.applications == []
    assert codes(result) == ["t3_row_shape"]  # nothing mapped: no rows are "missing"


def test_truncated_t3_names_the_missing_rows() -> None:
    lines = SEED_T3.strip().splitlines()
    cut = "\n".join(lines[: lines.index(next(x for x in lines if x.startswith("4.保护"))) + 1])
    result = map_tables([(3, text_grid(cut, truncated=True))])
    assert [c.row for c in result.applications[::7]] == list(keys.T3_ROWS_2019[:8])
    missing = ", ".join(keys.T3_ROWS_2019[8:])
    assert [(w.code, w.message) for w in result.warnings] == [
        (
            "table_truncated",
            f"table 三 (table 0 in section 3) ends after row denied_third_party; missing: {missing}",
        )
    ]


def test_t3_row_cut_by_the_end_of_the_source_keeps_its_leading_cells() -> None:
    rows = html_t3_2019(SEED_T3)[: 3 + 8]  # header + rows up to 4.保护第三方合法权益
    rows[-1] = rows[-1][:3]  # label + two values, then the page ends
    result = map_tables([(3, html_grid(rows, truncated=True))])
    cut = [(c.applicant, c.value) for c in result.applications if c.row == "denied_third_party"]
    assert cut == [("natural_person", 1), ("commercial_enterprise", 0)]
    missing = ", ".join(keys.T3_ROWS_2019[8:])
    assert [(w.code, w.message) for w in result.warnings] == [
        (
            "table_truncated",
            "table 三 (table 0 in section 3) ends after row denied_third_party "
            f"(row denied_third_party cut after 2 of 7 cells); missing: {missing}",
        )
    ]


def test_t3_short_row_is_not_kept_when_the_source_goes_on() -> None:
    rows = html_t3_2019(SEED_T3)[: 3 + 8]
    rows[-1] = rows[-1][:3]
    result = map_tables([(3, html_grid(rows, truncated=False))])
    assert "denied_third_party" not in {c.row for c in result.applications}
    assert codes(result) == ["t3_row_shape", "table_truncated"]


def test_t3_missing_middle_rows_are_named() -> None:
    text = "\n".join(x for x in SEED_T3.strip().splitlines() if "重复申请" not in x)
    result = map_tables([(3, text_grid(text))])
    assert [(w.code, w.message) for w in result.warnings] == [
        ("t3_rows_missing", "table 三 (table 0 in section 3): missing rows: rejected_duplicate")
    ]


def test_t3_html_header_in_another_order_is_mapped_by_header_and_warned() -> None:
    header: list[list[Cell]] = [
        [("项目", 3, 3), ("申请人情况", 1, 7)],
        [("总计", 2, 1), ("自然人", 2, 1), ("法人或其他组织", 1, 5)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    body: list[list[Cell]] = [
        [("一、本年新收政府信息公开申请数量", 1, 3), "3", "2", "1", "0", "0", "0", "0"],
    ]
    result = map_tables([(3, html_grid(header + body))])
    assert t3_values(result) == {
        ("new_received", "natural_person"): 2,
        ("new_received", "commercial_enterprise"): 1,
        ("new_received", "research_institution"): 0,
        ("new_received", "social_welfare_org"): 0,
        ("new_received", "legal_service_org"): 0,
        ("new_received", "other_org"): 0,
        ("new_received", "total"): 3,
    }
    assert codes(result)[0] == "t3_header_order"


def test_t3_split_over_two_grids_maps_as_one() -> None:
    lines = SEED_T3.strip().splitlines()
    first, second = "\n".join(lines[:12]), "\n".join(lines[12:])
    result = map_tables([(3, text_grid(first)), (3, text_grid(second))])
    assert_seed_t3(result)
    assert result.warnings == []


def assert_seed_t3(result: TableResult) -> None:
    assert t3_values(result) == {
        (row, a): SEED_T3_NONZERO.get((row, a), 0)
        for row in keys.T3_ROWS_2019
        for a in keys.APPLICANTS
    }


# ---------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------


def html_t2_2021() -> list[list[Cell]]:
    return [
        [("第二十条第（一）项", 1, 4)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "2"],
        ["行政规范性文件", "3", "1", "25"],
        [("第二十条第（五）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政许可", ("1,234", 1, 3)],
        [("第二十条第（六）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政处罚", ("56", 1, 3)],
        ["行政强制", ("&nbsp;", 1, 3)],
        [("第二十条第（八）项", 1, 4)],
        ["信息内容", ("本年收费金额（单位：万元）", 1, 3)],
        ["行政事业性收费", ("24.5", 1, 3)],
    ]


T2_2021_EXPECTED = [
    ("20.1", "regulations", "issued", 0, None, "number"),
    ("20.1", "regulations", "repealed", 0, None, "number"),
    ("20.1", "regulations", "in_force", 2, None, "number"),
    ("20.1", "normative_documents", "issued", 3, None, "number"),
    ("20.1", "normative_documents", "repealed", 1, None, "number"),
    ("20.1", "normative_documents", "in_force", 25, None, "number"),
    ("20.5", "licensing", "decisions", 1234, None, "number"),
    ("20.6", "penalty", "decisions", 56, None, "number"),
    ("20.6", "coercion", "decisions", None, None, "blank"),
    ("20.8", "fees", "fee_amount", 24.5, "万元", "number"),
]


def t2_rows(result: TableResult) -> list[tuple[object, ...]]:
    return [(c.clause, c.item, c.metric, c.value, c.unit, c.kind) for c in result.active_disclosure]


def test_2021_t2_html_maps_by_header_text_with_fee_unit() -> None:
    result = map_tables([(2, html_grid(html_t2_2021()))])
    assert t2_rows(result) == T2_2021_EXPECTED
    assert result.format_votes == {"2019": 0, "2021": 5}
    assert result.warnings == []


def test_2021_t2_split_into_one_grid_per_clause_maps_as_one() -> None:
    rows = html_t2_2021()
    starts = [0, 4, 7, 11, len(rows)]
    grids = [(2, html_grid(rows[a:b])) for a, b in pairwise(starts)]
    result = map_tables(grids)
    assert t2_rows(result) == T2_2021_EXPECTED
    assert [t.role for t in result.raw_tables] == ["t2"] * 4
    assert result.warnings == []


def test_2021_t2_text_rendering_with_typos_and_units_in_cells() -> None:
    text = """
第二十条第（一）项 | | |
信息内容 | 本年发件数 | 本年废止件数 | 现行有效件
规章 | 0 | 0 | 0
规范性文件 | 1 | 0 | 7
第二十条第（八）项 | | |
信息内容 | 本年收费金额（单位：万元） | |
行政事业性收费 | 251000元 | |
"""
    result = map_tables([(2, text_grid(text))])
    assert t2_rows(result) == [
        ("20.1", "regulations", "issued", 0, None, "number"),
        ("20.1", "regulations", "repealed", 0, None, "number"),
        ("20.1", "regulations", "in_force", 0, None, "number"),
        ("20.1", "normative_documents", "issued", 1, None, "number"),
        ("20.1", "normative_documents", "repealed", 0, None, "number"),
        ("20.1", "normative_documents", "in_force", 7, None, "number"),
        ("20.8", "fees", "fee_amount", 251000, "元", "number"),  # the cell's own unit wins
    ]


def test_t2_ambiguous_header_without_any_format_evidence_is_not_guessed() -> None:
    text = """
第二十条第（一）项 | | |
信息内容 | 本年新 | 本年新 | 本年
规章 | 1 | 2 | 3
"""
    result = map_tables([(2, text_grid(text))])
    assert result.active_disclosure == []
    assert codes(result) == ["t2_header_ambiguous"] * 3


def test_t2_truncated_header_uses_the_format_of_its_own_block() -> None:
    text = """
第二十条第(一)项 | | |
信息内容 | 本年制 | 本年废 | 现行有效件数
规章 | 1 | 2 | 3
"""
    result = map_tables([(2, text_grid(text))])
    assert [(c.metric, c.value) for c in result.active_disclosure] == [
        ("issued", 1),
        ("repealed", 2),
        ("in_force", 3),
    ]


def test_item_labels_alone_make_a_t2_only_under_section_two() -> None:
    grid = Grid.from_rows([["规范性文件", "12"], ["行政许可", "3"]])
    elsewhere = map_tables([(1, grid)])
    assert elsewhere.raw_tables[0].role == "other"
    assert elsewhere.active_disclosure == []
    assert map_tables([(2, grid)]).raw_tables[0].role == "t2"


def test_t2_2019_metrics_never_become_2021_keys() -> None:
    # A 2021 page still printing the 2019 table 二: the header text decides.
    result = map_tables([(2, text_grid(SEED_T2)), (3, Grid.from_rows(text_t3_2021()))])
    metrics = {c.metric for c in result.active_disclosure}
    assert metrics.isdisjoint({"issued", "repealed", "in_force", "fee_amount"})
    assert ("normative_documents", "total_published") in {
        (c.item, c.metric) for c in result.active_disclosure
    }


# ---------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------


def review_values(result: TableResult) -> list[int | float | None]:
    return [c.value for c in result.reviews]


def test_t4_html_with_three_header_rows() -> None:
    header: list[list[Cell]] = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(o, 2, 1) for o in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")],
         ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ]  # fmt: skip
    data: list[Cell] = [str(i) for i in range(15)]
    result = map_tables([(4, html_grid([*header, data]))])
    assert [(c.proceeding, c.outcome, c.value) for c in result.reviews][:6] == [
        ("admin_review", "upheld", 0),
        ("admin_review", "corrected", 1),
        ("admin_review", "other", 2),
        ("admin_review", "pending", 3),
        ("admin_review", "total", 4),
        ("litigation_direct", "upheld", 5),
    ]
    assert result.reviews[-1].proceeding == "litigation_after_review"
    assert result.reviews[-1].value == 14
    assert result.raw_tables[0].role == "t4"


def test_t4_headerless_grid_in_section_four() -> None:
    result = map_tables([(4, Grid.from_rows([[str(i) for i in range(15)] + [""]]))])
    assert result.raw_tables[0].role == "t4"
    assert review_values(result) == list(range(15))
    assert result.warnings == []


def test_t4_text_row_narrower_than_its_table_with_an_empty_cell_is_kept_raw() -> None:
    """Fifteen cells, one empty, in a text row narrower than its header rows: a row cut
    short after a spacer column, or a whole row with an empty value. Kept raw; a row as
    wide as its table, or without an empty cell, is read."""
    header = ["行政复议", "", "", "", "", "", "行政诉讼", *[""] * 9]
    short = ["1", "", "0", "1", "0", "2", *["0"] * 8, "1"]
    cut = map_tables([(4, Grid.from_rows([header, short], columns=True))])
    assert cut.reviews == []
    assert [w.code for w in cut.warnings] == ["t4_row_shape"]
    assert "nothing says which" in cut.warnings[0].message
    whole = map_tables([(4, Grid.from_rows([header, [*short, ""]], columns=True))])
    assert review_values(whole)[:3] == [1, None, 0]
    full = map_tables([(4, Grid.from_rows([header, [*"1001200000000001"][:15]], columns=True))])
    assert len(full.reviews) == 15


def test_t4_row_the_page_is_cut_in_with_an_empty_cell_is_kept_raw() -> None:
    """The same doubt when the row is as wide as its table but is the one a pipe text
    ends in (no closing ``|``): its empty cell may be a spacer and its last cell gone."""
    header = "| 行政复议 | | | | | | 行政诉讼 | | | | | | | | |"
    row = "| 1 | | 0 | 1 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1"
    (grid,) = [b.grid for b in text_to_blocks(f"{header}\n{row}") if isinstance(b, TableBlock)]
    assert grid.truncated
    cut = map_tables([(4, grid)])
    assert cut.reviews == []
    assert [w.code for w in cut.warnings] == ["t4_row_shape"]
    (whole,) = [b.grid for b in text_to_blocks(f"{header}\n{row} |") if isinstance(b, TableBlock)]
    assert review_values(map_tables([(4, whole)]))[:3] == [1, None, 0]


def test_t4_bare_line_of_fifteen_numbers() -> None:
    for line in (
        " ".join(["0"] * 15),
        "\u3000".join(["0"] * 15),
        "\t".join(["0"] * 15),
        " | ".join(["0"] * 15),
        "0　0　0 0 0 0 0 0 0 0 0 0 0 0 1",
    ):
        result = map_tables([], [(4, "一是加强培训。"), (4, line)])
        assert len(result.reviews) == 15, line
        assert review_values(result)[:14] == [0] * 14


def test_t4_bare_line_prefers_section_four_and_ignores_other_sections() -> None:
    line = " ".join(["1"] * 15)
    other = " ".join(["2"] * 15)
    assert map_tables([], [(5, line)]).reviews == []
    assert review_values(map_tables([], [(None, other), (4, line)])) == [1] * 15
    assert review_values(map_tables([], [(None, other)])) == [2] * 15
    assert map_tables([], [(4, " ".join(["1"] * 14))]).reviews == []


def test_t4_header_grid_then_loose_line() -> None:
    header = "\n".join(SEED_T4.strip().splitlines()[:3])
    result = map_tables([(4, text_grid(header))], [(4, " ".join(["0"] * 14 + ["3"]))])
    assert review_values(result) == [0] * 14 + [3]


def test_t4_row_of_fourteen_is_kept_raw() -> None:
    text = "\n".join(SEED_T4.strip().splitlines()[:3]) + "\n" + " | ".join(["0"] * 14)
    result = map_tables([(4, text_grid(text))])
    assert result.reviews == []
    assert [(w.code, w.message) for w in result.warnings] == [
        (
            "t4_row_shape",
            "table 0 in section 4: table 四 data row has 14 value cells, expected 15; kept raw",
        )
    ]


# ---------------------------------------------------------------------------
# Roles, raw tables, unmapped grids, and never raising
# ---------------------------------------------------------------------------


def test_unrecognised_grid_in_a_table_section_is_warned_and_kept() -> None:
    grid = Grid.from_rows([["序号", "事项"], ["1", "培训"]])
    result = map_tables([(3, grid), (1, grid), (None, grid)])
    assert [t.role for t in result.raw_tables] == ["other"] * 3
    assert result.raw_tables[0].rows == [["序号", "事项"], ["1", "培训"]]
    assert [(w.code, w.message) for w in result.warnings] == [
        ("table_unmapped", "table 0 in section 3: 2×2, not recognised; raw grid kept")
    ]


def test_t3_looking_grid_with_nothing_mappable_is_warned() -> None:
    grid = Grid.from_rows([["申请人情况", "说明"], ["备注", "见正文"]])
    result = map_tables([(3, grid)])
    assert result.raw_tables[0].role == "t3"
    assert codes(result) == ["table_unmapped"]
    assert result.warnings[0].message == (
        "table 0 in section 3: 2×2, looks like t3, no rows mapped; raw grid kept"
    )


def test_degenerate_grids_do_not_raise() -> None:
    big_blank = Grid.from_rows([[""] * 500 for _ in range(500)])
    big_zero = Grid.from_rows([["规章", *["0"] * 499] for _ in range(500)])
    for grid in (Grid([]), Grid.from_rows([[]]), Grid.from_rows([["x"]]), big_blank, big_zero):
        for section in (None, 2, 3, 4):
            result = map_tables([(section, grid)], [(section, "")])
            assert "table_error" not in codes(result)
            assert len(result.raw_tables) == 1


FRAGMENTS = [
    "", " ", "0", "1", "12", "-3", "+5", "24.5万元", "/", "—", "无", "&nbsp;", "本年新",
    "信息内容", "第二十条第（一）项", "第二十条第(五)项", "规章", "规范性文件", "行政许可",
    "行政处罚", "行政事业性收费", "政府集中采购", "本年制发件数", "上一年项目数量", "本年增/减",
    "本年收费金额（单位：万元）", "申请人情况", "自然人", "商业企业", "其他", "总计",
    "一、本年新收政府信息公开申请数量", "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密",
    "（六）其他处理", "3.其他", "（七）总计", "四、结转下年度继续办理", "行政复议", "行政诉讼",
    "结果维持", "复议后起诉", "0(无)", "abc",
]  # fmt: skip

cells = st.sampled_from(FRAGMENTS)
sections = st.sampled_from([None, 1, 2, 3, 4, 5, 6])


@st.composite
def html_grids(draw: st.DrawFn) -> Grid:
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(cells, st.tuples(cells, st.integers(1, 3), st.integers(1, 3))),
                max_size=12,
            ),
            max_size=10,
        )
    )
    return html_grid(rows, truncated=draw(st.booleans()))


@st.composite
def text_grids(draw: st.DrawFn) -> Grid:
    rows = draw(st.lists(st.lists(cells, max_size=18), max_size=30))
    return Grid.from_rows(rows, truncated=draw(st.booleans()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(sections, st.one_of(html_grids(), text_grids())), max_size=5),
    st.lists(st.tuples(sections, st.text(alphabet="0123 　|/x", max_size=40)), max_size=3),
)
def test_random_grids_never_raise(
    tables: list[tuple[int | None, Grid]], lines: list[tuple[int | None, str]]
) -> None:
    result = map_tables(tables, lines)
    assert "table_error" not in codes(result)
    assert [t.index for t in result.raw_tables] == list(range(len(tables)))
    assert {c.applicant for c in result.applications} <= set(keys.APPLICANTS)
    per_row = Counter(c.row for c in result.applications)
    assert all(n == 7 for n in per_row.values()) or any(g.truncated for _, g in tables)
    assert len(result.reviews) in (0, 15)
    for w in result.warnings:
        assert "\n" not in w.message
    run_report_checks(report_of(result))


def test_a_header_row_of_row_words_sets_no_group_for_the_rows_below() -> None:
    """A converter's header (| 项目 | 本年新收件数 | … | 不予公开 | …) above a table 三 part:
    its 不予公开 must not turn the 3.其他 below into 3.危及“三安全一稳定”."""
    grid = text_grid(
        """
        项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |
        3. 其他 | 142 | 1 | 0 | 0 | 0 | 0 | 143 |
        (七)总计 | 710 | 3 | 0 | 0 | 5 | 0 | 718 |
        """
    )
    result = map_tables([(3, grid)])
    values = t3_values(result)
    assert ("denied_three_safeties", "total") not in values
    assert values[("total_processed", "total")] == 718
    assert "t3_row_unmatched" in codes(result)  # 3.其他 without its group: kept raw


def test_a_row_of_numbers_without_a_label_is_kept_raw_and_says_so() -> None:
    grid = text_grid(
        """
        一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
        | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
        二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
        """
    )
    result = map_tables([(3, grid)])
    [unmatched] = [w.message for w in result.warnings if w.code == "t3_row_unmatched"]
    assert unmatched == "table 0 in section 3: row 2 has 7 number(s) but no label; kept raw"
    assert t3_values(result)[("carried_over", "total")] == 0


def test_blanks_are_dropped_from_the_ends_of_a_row_only_when_one_way_is_left() -> None:
    assert end_trims(["", "", "1", "2"], 2) == [["1", "2"]]
    assert end_trims(["1", "2", " "], 2) == [["1", "2"]]
    assert end_trims(["", "1", "2", ""], 3) == [["", "1", "2"], ["1", "2", ""]]
    assert end_trims(["", "", ""], 2) == [["", ""]]  # every way reads the same
    assert end_trims(["1", "", "2"], 2) == []  # a blank inside is no padding


def test_a_value_before_a_run_of_bare_pipes_is_not_placed() -> None:
    """``一、本年新收… | 0 | ||||||||``: one value, and merged-cell padding that proves
    no position (it may be the 总计): the row is kept raw, not read as 自然人 = 0."""
    rows = ["一、本年新收政府信息公开申请数量 | 0 | ||||||||",
            "二、上年结转政府信息公开申请数量 | 0 | ||||||||"]  # fmt: skip
    text = "\n".join([*SEED_T3.strip().splitlines()[:3], *rows])
    (table,) = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    result = map_tables([(3, table)])
    assert result.applications == []
    assert codes(result).count("t3_row_shape") == 2


def test_a_table_two_header_cut_off_above_places_only_matching_rows() -> None:
    """``| | 处理决定数量 |`` is the end of a header whose first columns were cut off:
    a row of four values under its one column is kept raw, not read from the left."""
    text = "| | 处理决定数量 |\n| 行政处罚 | 15 | -1 | | 23 |\n| 行政强制 | 4 |\n"
    (table,) = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    result = map_tables([(2, table)])
    assert [(c.item, c.metric, c.value) for c in result.active_disclosure] == [
        ("coercion", "decisions", 4)
    ]
    assert codes(result) == ["t2_row_shape"]


def test_a_table_two_header_cut_off_above_is_no_header() -> None:
    """``本年增/减 | 处理决定数量 | |``: the first words of a header were cut off above
    (no template prints these two columns alone). Its columns would put a row's first
    value under 本年增/减; without it, a row is placed only when it has the template's
    three values, and a row cut short is kept raw."""
    text = (
        "本年增/减 | 处理决定数量 | |\n行政许可 | 1 | 0 | 0 | |\n行政处罚 | 25 | - |\n"
        "第二十条第(六)项\n上一年项目数量 | 本年增/减 | 处理决定数量 | |\n行政强制 | 4 | 1 | 2 | |\n"
    )
    grids = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    result = map_tables([(2, grid) for grid in grids])
    assert [(c.item, c.metric, c.value) for c in result.active_disclosure] == [
        ("licensing", "prev_year_count", 1),
        ("licensing", "change", 0),
        ("licensing", "decisions", 0),
        ("coercion", "prev_year_count", 4),
        ("coercion", "change", 1),
        ("coercion", "decisions", 2),
    ]
    assert codes(result) == ["t2_row_shape"]


def test_a_text_row_the_page_is_cut_in_places_nothing_it_cannot_prove() -> None:
    """A pipe table the text ends in, its last row not closed by a ``|``: numbers after
    empty cells may sit after the label's padding, and a row of one value may have lost
    the padding that placed it; both are kept raw. HTML's cut rows keep their leading
    cells (each one a cell)."""
    head = SEED_T3.strip().splitlines()[:3]
    for cut_row in (
        "| 一、本年新收政府信息公开申请数量 | | | 26 | 5 | 0 | 0 | 1   ",
        "| 一、本年新收政府信息公开申请数量 | 0 ",
    ):
        (table,) = [b.grid for b in text_to_blocks("\n".join([*head, cut_row])) if isinstance(b, TableBlock)]
        assert table.truncated
        result = map_tables([(3, table)])
        assert result.applications == [], cut_row
        assert "t3_row_shape" in codes(result)
    closed = "| 一、本年新收政府信息公开申请数量 | 26 | 5 | 0 | 0 | 1 | 0 | 32 |"
    (table,) = [b.grid for b in text_to_blocks("\n".join([*head, closed])) if isinstance(b, TableBlock)]
    assert not table.truncated
    assert [c.value for c in map_tables([(3, table)]).applications] == [26, 5, 0, 0, 1, 0, 32]


def test_a_headerless_table_two_row_cut_after_an_empty_cell_is_kept_raw() -> None:
    """``| 行政事业性收费 | | 4`` ending the text: the empty cell may be a spacer column
    and the row cut before its second value, so 4 is not placed as 本年增/减."""
    text = "| 其他对外管理服务事项 | 3 | 0 | 5 |\n| 行政事业性收费 | | 4   "  # 2019's rows
    (table,) = [b.grid for b in text_to_blocks(text) if isinstance(b, TableBlock)]
    result = map_tables([(2, table)])
    assert [c.item for c in result.active_disclosure if c.item == "fees"] == []
    assert "t2_row_shape" in codes(result)
    whole = map_tables([(2, Grid.from_rows([["其他对外管理服务事项", "3", "0", "5"],
                                            ["行政事业性收费", "", "4"]], columns=True))])
    assert [(c.metric, c.value) for c in whole.active_disclosure if c.item == "fees"] == [
        ("prev_year_count", None), ("change", 4)
    ]  # the same row closed by the table's end, not by a cut: its cells are its own


def test_table_three_cut_at_page_breaks_reads_as_one_table() -> None:
    # a PDF's table 三 in three pieces: the last two name too few rows to be a table 三 on
    # their own, and the third's "3.其他" is a row of the group the second piece ends in
    rows = text_t3_2021()
    cut_a = next(i for i, r in enumerate(rows) if "3.补正后申请内容仍不明确" in r)
    cut_b = next(i for i, r in enumerate(rows) if r[0] == "3.其他")
    pieces = [rows[:cut_a], rows[cut_a:cut_b], rows[cut_b:]]
    result = map_tables([(3, Grid.from_rows(p, columns=True)) for p in pieces])
    assert t3_values(result) == expected_2021()
    assert [t.role for t in result.raw_tables] == ["t3", "t3", "t3"]
    assert codes(result) == []


def test_a_lone_table_piece_needing_a_group_from_elsewhere_stays_unread() -> None:
    # the same last piece after a table 二: nothing says which group its 3.其他 is in
    rows = text_t3_2021()
    cut_b = next(i for i, r in enumerate(rows) if r[0] == "3.其他")
    t2 = text_grid(SEED_T2)
    result = map_tables([(2, t2), (3, Grid.from_rows(rows[cut_b:], columns=True))])
    assert result.raw_tables[1].role == "other"
    assert result.applications == []


def test_a_row_named_by_its_own_words_puts_the_rows_after_it_in_its_group() -> None:
    # a piece whose first row names 缴纳费用 (其他处理), then "3.其他": other_misc, not the
    # third row of the group the piece before ended in (不予处理: rejected_publication)
    rows = text_t3_2021()
    cut = next(i for i, r in enumerate(rows) if "2.申请人逾期未按收费通知" in r[0])
    first = [r for r in rows[:cut] if r[0] != "(六)其他处理"]
    result = map_tables([(3, Grid.from_rows(first, columns=True)),
                         (3, Grid.from_rows(rows[cut:], columns=True))])  # fmt: skip
    values = t3_values(result)
    assert values["other_misc", "total"] == expected_2021()["other_misc", "total"]
    assert ("rejected_publication", "total") not in values or values[
        "rejected_publication", "total"
    ] == expected_2021()["rejected_publication", "total"]


def test_a_header_repeated_over_a_table_piece_is_no_total_row() -> None:
    header = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]
    rows = text_t3_2021()
    cut = next(i for i, r in enumerate(rows) if "3.补正后申请内容仍不明确" in r)
    pieces = [rows[:cut], [header, *rows[cut:]]]
    result = map_tables([(3, Grid.from_rows(p, columns=True)) for p in pieces])
    assert "t3_duplicate_row" not in codes(result)
    assert t3_values(result)["total_processed", "total"] == expected_2021()[
        "total_processed", "total"
    ]


def test_a_grid_row_with_empty_cells_at_both_ends_is_placed_by_its_total() -> None:
    """A PDF's ruled table 三 cut at a page break, its 总计 column empty: in the piece
    after the break a label merged over two columns leaves an empty cell before the
    values. Only one way of dropping the empty cells lets the numbers add up to no more
    than the 总计 above them (counts are never negative)."""
    header = ["申请人情况", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
              "其他", "总计"]  # fmt: skip
    before = [
        header,
        ["一、本年新收政府信息公开申请数量", "", "", "96", "24", "0", "2", "4", "1", ""],
        ["二、上年结转政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", ""],
        ["三、本年度办理结果", "（一）予以公开", "", "35", "12", "0", "2", "3", "1", ""],
    ]
    after = [
        ["", "（六）其他处理", "", "4", "1", "0", "0", "0", "0", ""],
        ["", "（七）总计", "", "92", "23", "0", "2", "4", "1", ""],
    ]
    result = map_tables([(3, Grid.from_rows(before)), (3, Grid.from_rows(after))])
    got: dict[str, list[int | float | None]] = {}
    for cell in result.applications:
        got.setdefault(cell.row, []).append(cell.value)
    assert got["other_handling"] == [4, 1, 0, 0, 0, 0, None]
    assert got["total_processed"] == [92, 23, 0, 2, 4, 1, None]
    assert {c.note for c in result.applications if c.row == "total_processed"} == {
        "placed_by_sums"
    }
    by_sums = [w.message for w in result.warnings if w.code == "t3_row_by_sums"]
    assert len(by_sums) == 5 and "row total_processed" in by_sums[-1]
    # with every cell of its row printed, a row needs no sums
    whole = map_tables([(3, Grid.from_rows([header, [*before[1][:-1], "103"]]))])
    assert {c.note for c in whole.applications} == {None}


def test_what_the_text_reader_says_of_rows_no_reader_placed_reaches_the_report() -> None:
    from report_harvester.models import Warning
    from report_harvester.parse.stream_tables import StreamTables
    from report_harvester.parse.tables import prefer_stream

    said = [
        Warning(code="t3_row_ambiguous", message="table 三 row granted: …; left blank (raw: 1 2)"),
        Warning(code="t4_row_ambiguous", message="table 四 row values: …; left blank (raw: 0 0 0)"),
    ]
    result = TableResult()  # no grid on the page (a PDF without rulings)
    prefer_stream(result, StreamTables(warnings=list(said)))
    assert [w.code for w in result.warnings] == ["t3_row_ambiguous", "t4_row_ambiguous"]


def test_a_merged_labels_empty_slots_never_make_up_a_clipped_rows_count() -> None:
    # a PDF's table cut at the page edge: five of seven value columns are left, and the
    # label cell spanning three columns leaves two empty slots before the numbers
    rows = [
        ["（本列数据的勾稽关系为：…）", "", "", "申请人情况", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", ""],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服"],
        ["一、本年新收政府信息公开申请数量", "", "", "10", "1", "0", "0", "0"],
        ["三、本年度办理结果", "（一）予以公开", "", "5", "1", "0", "0", "0"],
    ]
    result = map_tables([(3, Grid.from_rows(rows, columns=True))])
    assert result.applications == []
    assert [w.code for w in result.warnings].count("t3_row_shape") == 2
