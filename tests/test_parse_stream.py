"""The stream reader on renderings we write ourselves, modelled on the real ones: one cell
per line or paragraph, lone pipes, Markdown rows, broken header words, page footers,
traditional characters, digits run together, blanks dropped, a duplicated row."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_harvester import keys, parse_text
from report_harvester.parse.stream_tables import read_stream_tables

LABELS_2021 = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "(一)予以公开"),
    ("partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied_three_safeties", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"),
    ("denied_process_info", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_admin_query", "8.属于行政查询事项"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("rejected_petition", "1.信访举报投诉类申请"),
    ("rejected_duplicate", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_excessive", "4.无正当理由大量反复申请"),
    ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
    ("total_processed", "(七)总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
GROUPS = {"granted": "三、本年度办理结果", "denied_state_secret": "(三)不予公开",
          "unavailable_not_held": "(四)无法提供", "rejected_petition": "(五)不予处理",
          "other_no_correction": "(六)其他处理"}
HEADER = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
          "法律服务机构", "其他"]
T4 = "四、政府信息公开行政复议、行政诉讼情况"
T4_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
             "未经复议直接起诉", "复议后起诉"]


def values() -> dict[str, list[int]]:
    """A consistent table: 12 received = 5 granted + 2 partly + 1 + 3 + 1, 0 carried."""
    rows = {key: [0] * 7 for key, _ in LABELS_2021}
    def put(key: str, natural: int, commercial: int = 0) -> None:
        rows[key] = [natural, commercial, 0, 0, 0, 0, natural + commercial]
    put("new_received", 10, 2)
    put("granted", 4, 1)
    put("partially_granted", 2)
    put("denied_third_party", 1)
    put("unavailable_not_held", 2, 1)
    put("rejected_duplicate", 1)
    put("total_processed", 10, 2)
    return rows


def rows_text(style: str, rows: dict[str, list[int]]) -> list[str]:
    """The table 三 part of a rendering in ``style``, as lines."""
    out: list[str] = []
    for key, label in LABELS_2021:
        cells = [GROUPS[key]] if key in GROUPS else []
        cells += [label, *map(str, rows[key])]
        if style == "line":
            out += cells
        elif style == "paragraph":
            for c in cells:
                out += [c, ""]
        elif style == "trailing-pipe":
            out += [f"{c} |" for c in cells] + ["||"]
        elif style == "markdown":
            out.append("| " + " | ".join(cells) + " |")
    return out


def page(style: str, rows: dict[str, list[int]] | None = None, t4: str = "0 " * 15) -> str:
    rows = rows or values()
    head = ["某某局2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", *HEADER]
    return "\n".join([*head, *rows_text(style, rows), T4, *T4_HEADER, t4.strip(),
                      "五、存在的主要问题及改进情况", "无。"])


def read(text: str) -> dict[str, list[int | float | None]]:
    result = read_stream_tables(text)
    out: dict[str, list[int | float | None]] = {}
    for cell in result.applications:
        out.setdefault(cell.row, []).append(cell.value)
    return out


def expected() -> dict[str, list[int | float | None]]:
    return {k: list(v) for k, v in values().items()}


def test_one_cell_per_line_per_paragraph_pipes_and_markdown() -> None:
    for style in ("line", "paragraph", "trailing-pipe", "markdown"):
        assert read(page(style)) == expected(), style


def test_format_and_table_four_come_with_it() -> None:
    result = read_stream_tables(page("line", t4="0 0 0 0 0 1 0 0 0 1 0 0 0 0 0"))
    assert result.format_votes == {"2019": 0, "2021": 1}
    assert [c.value for c in result.reviews] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_header_words_broken_over_lines_and_page_footers_change_nothing() -> None:
    text = page("line").replace("商业企业", "商业\n企业").replace("科研机构", "科研\n机构")
    lines = text.split("\n")
    lines.insert(lines.index("(二)部分公开(区分处理的,只计这一情形,不计其他情形)"), "— 3 —")
    assert read("\n".join(lines)) == expected()
    assert read("\r\n".join(lines)) == expected()  # Windows line ends
    assert read("\n".join(lines).replace(" ", "\u00a0")) == expected()  # no-break spaces


def test_traditional_characters_and_mirror_pinyin() -> None:
    text = page("line").replace("数", "數(shù)").replace("处理", "處理").replace("开", "開")
    assert read(text) == expected()


def test_an_unplaceable_table_two_row_is_kept_blank_with_its_warning() -> None:
    t2 = ["二、主动公开政府信息情况", "第二十条第(八)项", "信息内容", "上一年项目数量", "本年增/减",
          "行政事业性收费", "4"]  # two cells, one number: which one is not proven
    lines = page("line").split("\n")
    report = parse_text("\n".join([lines[0], *t2, *lines[1:]]))
    fees = [(c.metric, c.value, c.kind) for c in report.active_disclosure if c.item == "fees"]
    assert fees == [("prev_year_count", None, "blank"), ("change", None, "blank")]
    assert "t2_row_ambiguous" in report.warning_codes()
    assert "no_tables" not in report.warning_codes()  # the stream read tables 二, 三 and 四


def test_the_pipe_closing_a_label_cell_is_not_a_blank_cell() -> None:
    """A trailing-pipe rendering (one ``cell |`` per line) cut after two of a row's three
    values: the ``|`` after the label closes it, so the two values are not placed."""
    head = ["二、主动公开政府信息情况 |", "第二十条第(五)项 |", "|||", "信息内容 |", "上一年项目数量 |",
            "本年增/减 |", "处理决定数量 |"]
    whole = [*head, "行政许可 |", "16 |", "+3 |", "19 |"]
    cut = [*head, "行政许可 |", "16 |", "+3 |"]
    values = {n: [c.value for c in read_stream_tables("\n".join(lines)).active_disclosure]
              for n, lines in (("whole", whole), ("cut", cut))}
    assert values == {"whole": [16, 3, 19], "cut": [None, None, None]}


def test_a_text_ending_in_a_header_word_is_read() -> None:
    """其他 as the very last characters (a page cut there) once indexed past the end."""
    got = read("1.属于国家秘密 0 0 0 0 0 0 0\n其他")
    assert got["denied_state_secret"] == [0] * 7


def test_digits_run_together_are_split_only_where_the_sums_allow_one_cut() -> None:
    text = page("line")
    glued = text.replace("一、本年新收政府信息公开申请数量\n10\n2\n0\n0\n0\n0\n12",
                         "一、本年新收政府信息公开申请数量1020000 12")
    result = read_stream_tables(glued)
    row = [c for c in result.applications if c.row == "new_received"]
    assert [c.value for c in row] == [10, 2, 0, 0, 0, 0, 12]
    assert {c.note for c in row} == {"split_by_sums"}
    assert any(w.code == "t3_split_by_sums" for w in result.warnings)
    spaced = glued.replace("申请数量1020000", "申 请 数 量1020000")  # spaces inside the label
    assert [c.value for c in read_stream_tables(spaced).applications[:7]] == [10, 2, 0, 0, 0, 0, 12]


def test_several_cuts_fitting_the_sums_leave_the_row_blank_with_a_warning() -> None:
    text = page("line").replace("1.本机关不掌握相关政府信息\n2\n1\n0\n0\n0\n0\n3",
                                "1.本机关不掌握相关政府信息1111 4")  # 1+1+1+1? 11+…? many cuts
    result = read_stream_tables(text)
    row = [c.value for c in result.applications if c.row == "unavailable_not_held"]
    assert row == [None] * 7
    [warning] = [w for w in result.warnings if "unavailable_not_held" in w.message]
    assert warning.code == "t3_row_ambiguous"


def test_blanks_dropped_leave_the_row_blank_and_say_so() -> None:
    text = page("line").replace("(一)予以公开\n4\n1\n0\n0\n0\n0\n5", "(一)予以公开\n4\n1\n5")
    result = read_stream_tables(text)
    assert [c.value for c in result.applications if c.row == "granted"] == [None] * 7
    [warning] = [w for w in result.warnings if w.code == "t3_row_ambiguous"]
    assert warning.message == (
        "table 三 row granted: fewer values than cells and nothing proves their positions;"
        " left blank (raw: 4 1 5)"
    )


def test_numbers_with_blanks_dropped_are_never_cut_into_digits() -> None:
    # 13 + 0 + 0 + 0 is not 15, but 1|3|0|0|0|1|5 adds up: the sums must not turn a row
    # whose blanks were dropped into a row whose digits ran together
    text = page("line").replace("(一)予以公开\n4\n1\n0\n0\n0\n0\n5", "(一)予以公开\n13\n0\n0\n0\n15")
    result = read_stream_tables(text)
    assert [c.value for c in result.applications if c.row == "granted"] == [None] * 7
    [warning] = [w for w in result.warnings if w.code == "t3_row_ambiguous"]
    assert "(raw: 13 0 0 0 15)" in warning.message


def test_a_pipe_for_every_cell_proves_blank_positions() -> None:
    text = page("markdown").replace("| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                                    "| 二、上年结转政府信息公开申请数量 | | | | | | | 0 |")
    assert read(text)["carried_over"] == [None, None, None, None, None, None, 0]


def test_a_duplicated_row_is_read_once() -> None:
    lines = page("line").split("\n")
    at = lines.index("2.重复申请")
    lines[at + 8 : at + 8] = lines[at : at + 8]
    assert read("\n".join(lines)) == expected()


def test_a_table_cut_off_after_three_rows_still_gives_its_rows_and_format() -> None:
    text = page("line")
    text = text[: text.index("(二)部分公开")]
    result = read_stream_tables(text)
    assert sorted({c.row for c in result.applications}) == ["carried_over", "granted",
                                                            "new_received"]


def test_the_last_row_of_a_table_split_over_pages_is_read_alone() -> None:
    """A page of a flip-book that starts with table 三's last row, then section 四."""
    text = "第 9 页\n四、结转下年度继续办理 3 0 0 1 0 0 4\n" + T4 + "\n本年度未发生行政复议。"
    got = read(text)
    assert got == {"carried_forward": [3, 0, 0, 1, 0, 0, 4]}


def test_a_lone_row_phrase_in_prose_or_short_of_cells_is_no_table() -> None:
    for text in (
        "本年度予以公开 12 件,部分公开 3 件。",
        "四、结转下年度继续办理 3 0 0 1 0 4",  # six numbers: not a whole row
        "四、结转下年度继续办理 3 0 0 1 0 0 4 件",  # a word after the numbers: prose
        "(七)总计 3 0 0 1 0 0 4",  # 总计 alone is also a column header
    ):
        assert read_stream_tables(text).applications == [], text


def displaced(rows: dict[str, list[int]]) -> list[str]:
    """Markdown whose converter printed two row labels rows too early, leaving their
    values behind as bare lines of seven (as a PDF-to-Markdown conversion does)."""
    lines = page("markdown", rows).split("\n")
    moved = {"rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
             "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理"}
    for key, label in moved.items():
        at = next(i for i, line in enumerate(lines) if label[:8] in line)
        lines[at] = "| " + " | ".join(map(str, rows[key])) + " |"
        early = next(i for i, line in enumerate(lines) if "(四)无法提供" in line)
        lines.insert(early, label)
    return lines


def test_values_left_behind_by_labels_printed_out_of_place_are_placed_in_template_order() -> None:
    rows = values()
    rows["rejected_confirmation"] = [1, 0, 0, 0, 0, 0, 1]
    rows["other_no_correction"] = [3, 1, 0, 0, 0, 0, 4]
    rows["new_received"] = rows["total_processed"] = [14, 3, 0, 0, 0, 0, 17]
    text = "\n".join(displaced(rows))
    got = read(text)
    assert got["rejected_confirmation"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["other_no_correction"] == [3, 1, 0, 0, 0, 0, 4]
    assert got["rejected_excessive"] == rows["rejected_excessive"]
    assert {w.code for w in read_stream_tables(text).warnings} == {"t3_row_displaced"}
    report = parse_text(text)  # merged with the grid reader, the table adds up
    assert report.application("other_no_correction", "total").value == 4  # type: ignore[union-attr]
    assert {c.status for c in report.checks if c.check.startswith("t3.")} == {"pass"}
    assert "t3_rows_missing" not in report.warning_codes()  # the grid's list is redone
    without = "\n".join(line for line in text.split("\n") if "3.其他" not in line)
    [missing] = [w for w in parse_text(without).warnings if w.code == "t3_rows_missing"]
    assert missing.message.endswith("missing rows: other_misc")


def test_leftover_lines_that_do_not_match_the_missing_rows_stay_unplaced() -> None:
    rows = values()
    lines = displaced(rows)
    extra = next(i for i, line in enumerate(lines) if "4.无正当理由大量反复申请" in line)
    lines.insert(extra + 1, "| 9 | 0 | 0 | 0 | 0 | 0 | 9 |")  # a third line for two rows
    got = read("\n".join(lines))
    assert "rejected_confirmation" not in got and "other_no_correction" not in got
    # the row before them is printed whole on its own framed line: that line is its row
    assert got["rejected_excessive"] == rows["rejected_excessive"]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["line", "paragraph", "markdown"]))
def test_reflowing_lines_and_padding_pipes_never_changes_a_value(rng: random.Random,
                                                                 style: str) -> None:
    lines = page(style).split("\n")
    out: list[str] = []
    for line in lines:
        if rng.random() < 0.2:
            out += ["", line, ""]  # extra paragraph breaks
        elif style == "markdown" and rng.random() < 0.3:
            out.append(line.replace(" |", "  |  ") + (" ||" if rng.random() < 0.5 else ""))
        else:
            out.append(line)
    assert read("\n".join(out)) == expected()


def test_every_row_key_is_a_canonical_key() -> None:
    rows = {c.row for c in read_stream_tables(page("line")).applications}
    assert rows <= set(keys.T3_ROWS_2021)


def test_empty_header_cells_of_table_four_are_not_values() -> None:
    """A Markdown or ASCII grid header row under merged cells starts with five empty
    cells; they are header, not the first proceeding's values (which would shift every
    value one cell to the right)."""
    numbers = "| 3 | 1 | 0 | 2 |  | 2 | 0 | 1 | 1 |  | 1 | 0 | 0 | 0 |  |"
    ruling = "+------+------+------+"
    t4 = [
        "| 行政复议 | 行政诉讼 |",
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |",
        "|  |  |  |  |  | " + " | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + " |",
        numbers,
    ]
    head = ["某某局2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", *HEADER]
    tail = ["五、存在的主要问题及改进情况", "无。"]
    expected_t4 = [3, 1, 0, 2, None, 2, 0, 1, 1, None, 1, 0, 0, 0, None]
    for lines in (t4, [x for line in t4 for x in (ruling, line)] + [ruling]):
        text = "\n".join([*head, *rows_text("markdown", values()), T4, *lines, *tail])
        result = read_stream_tables(text)
        assert [c.value for c in result.reviews] == expected_t4


def test_the_padding_before_the_next_label_belongs_to_that_row() -> None:
    """``| | 2.其他…`` opens the next row: its empty cell is no value of the row before,
    and a row printed whole on its own framed line keeps its seven cells even when the
    page is cut inside the next row."""
    rows = values()
    lines = rows_text("markdown", rows)
    at = next(i for i, line in enumerate(lines) if "(三)不予公开" in line)
    lines[at] = "| (三)不予公开 | 1.属于国家秘密 | | | | | | | 0 |"
    lines[at + 1] = "| | 2.其他法律行政法规禁止公开 | | | | | | | 0 |"
    for cut in (len(lines), at + 2):  # the whole table, and a page cut after the row
        text = "\n".join(["三、收到和处理政府信息公开申请情况", *HEADER, *lines[:cut],
                          "| | 3.危及" if cut < len(lines) else ""])
        read_rows = read(text)
        assert read_rows["denied_state_secret"] == [None] * 6 + [0], cut
        assert read_rows["denied_prohibited_by_law"] == [None] * 6 + [0], cut


def test_table_four_alone_is_read_under_its_own_header() -> None:
    """A page fragment, or a report whose table 三 is a picture: table 四's header words
    before its values make it a table; 行政复议 opening a sentence does not."""
    numbers = "1 0 0 0 1 2 0 0 0 2 0 0 0 0 0"
    result = read_stream_tables("\n".join([T4, *T4_HEADER, numbers, "五、存在的主要问题及改进情况"]))
    assert [c.value for c in result.reviews] == [int(n) for n in numbers.split()]
    prose = f"{T4}\n本机关被申请行政复议1件，结果维持1件，被提起行政诉讼0件。\n五、存在的主要问题"
    assert read_stream_tables(prose).reviews == []


def test_a_row_the_stream_reads_is_not_also_reported_kept_raw() -> None:
    lines = rows_text("markdown", values())
    at = next(i for i, line in enumerate(lines) if "本年新收" in line)
    lines[at : at + 1] = ["| 一、本年新收政府信息公开申请数量 | 10 | 2 | 0 |", "| 0 | 0 | 0 | 12 |"]
    report = parse_text("\n".join(["三、收到和处理政府信息公开申请情况", *HEADER, *lines]))
    assert [c.value for c in report.applications if c.row == "new_received"] == [10, 2, 0, 0, 0, 0, 12]
    assert not [w for w in report.warnings if "new_received" in w.message]


def test_a_row_number_cut_off_at_the_end_is_no_value() -> None:
    """A page cut inside the next label (``7.``) leaves its number: not the row's 总计."""
    lines = rows_text("line", values())
    at = lines.index("6.属于四类过程性信息")
    text = "\n".join(["三、收到和处理政府信息公开申请情况", *HEADER, *lines[: at + 7], "7."])
    assert read(text)["denied_process_info"] == [None] * 7  # six values for seven cells


@pytest.mark.parametrize("ending", ["75.", "75. |", "| 75.\n\n"])
def test_a_decimal_cut_after_its_point_is_no_value(ending: str) -> None:
    """A page cut inside ``75.9260`` leaves ``75.``: neither 75 nor 7 (a value, then the
    next row's number ``5.``) is known, so the cell stays blank."""
    t2 = "\n".join(
        ["二、主动公开政府信息情况", "第二十条第(八)项", "信息内容", "本年收费金额(单位:万元)",
         "行政事业性收费", ending]
    )  # fmt: skip
    assert [(c.raw, c.value) for c in read_stream_tables(t2).active_disclosure] == [("", None)]
    whole = t2.replace(ending, "75.9260")
    assert [c.value for c in read_stream_tables(whole).active_disclosure] == [75.926]


def test_a_framed_row_the_text_ends_in_is_not_proven_whole() -> None:
    """``| 二、上年结转… | | | 5 | 1 | 0 | 0 | 0 |`` as the text's last line may be cut
    after any ``|`` (its last two cells gone): the two empty cells first may be the
    label's padding, so the row is left blank, not read as ``, , 5, 1, 0, 0, 0``."""
    lines = rows_text("markdown", values())
    at = next(i for i, line in enumerate(lines) if "上年结转" in line)
    lines[at] = "| 二、上年结转政府信息公开申请数量 | | | 5 | 1 | 0 | 0 | 0 |"
    head = ["三、收到和处理政府信息公开申请情况", *HEADER]
    assert read("\n".join([*head, *lines[: at + 1]]))["carried_over"] == [None] * 7
    whole = read("\n".join([*head, *lines[: at + 1], lines[at + 1]]))
    assert whole["carried_over"] == [None, None, 5, 1, 0, 0, 0]


def test_table_four_cut_in_its_row_with_an_empty_cell_is_not_placed() -> None:
    """The text ends right after fifteen cells of table 四's row, one of them empty: an
    empty spacer column and a row cut short, or a whole row with an empty value; the
    cells stay blank with a warning. Followed by more text, the row is whole."""
    row = "| 1 | | 0 | 1 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |"
    head = [T4, "| " + " | ".join(T4_HEADER) + " |"]
    cut = read_stream_tables("\n".join([*head, row]))
    assert cut.reviews == []
    assert [w.code for w in cut.warnings] == ["t4_row_ambiguous"]
    whole = read_stream_tables("\n".join([*head, row, "五、存在的主要问题及改进情况"]))
    assert [c.value for c in whole.reviews][:3] == [1, None, 0]


def spaced_t3(rows: dict[str, list[int | None]], shift: dict[str, int] | None = None) -> str:
    """Table 三 printed in columns of spaces, numbers right-aligned under the header
    words, an empty cell printing nothing; ``shift`` moves a row's values right."""
    words = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    label_width = 40
    header = " " * label_width + "".join(f"{w:>8}" for w in words)
    lines = ["三、收到和处理政府信息公开申请情况", header]
    for key, label in LABELS_2021:
        printed = "".join(f"{'' if v is None else v:>8}" for v in rows[key])
        lines.append(f"{label:<{label_width}}" + " " * (shift or {}).get(key, 0) + printed)
    return "\n".join([*lines, T4, *T4_HEADER, "0 " * 15, "五、存在的主要问题及改进情况"])


def test_a_space_aligned_table_places_a_row_with_empty_cells_by_its_columns() -> None:
    """``一、本年新收…  10      12``: two values for seven cells, each printed in the
    column the whole rows print their values in (``pdftotext -layout``, ``w3m -dump``)."""
    rows: dict[str, list[int | None]] = dict(values())
    rows["new_received"] = [10, None, None, None, None, None, 12]
    rows["carried_over"] = [None, 2, None, None, None, None, None]
    result = read_stream_tables(spaced_t3(rows))
    got = {c.row: c for c in result.applications if c.row == "new_received"}
    assert read(spaced_t3(rows))["new_received"] == [10, None, None, None, None, None, 12]
    assert read(spaced_t3(rows))["carried_over"] == [None, 2, None, None, None, None, None]
    assert got["new_received"].note == "aligned_by_columns"
    assert not [w for w in result.warnings if "new_received" in w.message]


def test_a_space_aligned_table_whose_rows_do_not_line_up_places_nothing_by_columns() -> None:
    """One row printed a character to the right: the table's columns prove nothing, and
    rows with empty cells stay blank with their warning."""
    rows: dict[str, list[int | None]] = dict(values())
    rows["new_received"] = [10, None, None, None, None, None, 12]
    text = spaced_t3(rows, shift={"granted": 1})
    assert read(text)["new_received"] == [None] * 7
    assert "t3_row_ambiguous" in {w.code for w in read_stream_tables(text).warnings}


def test_a_space_aligned_row_on_the_texts_last_line_is_not_placed() -> None:
    """The text ends in that row's line: a page cut there may have dropped its last
    cells, so its empty columns prove nothing."""
    rows: dict[str, list[int | None]] = dict(values())
    rows["carried_forward"] = [3, None, None, None, None, None, 3]
    whole = spaced_t3(rows)
    cut = whole[: whole.index(T4) - 1]  # the text ends with the carried_forward line
    assert read(cut)["carried_forward"] == [None] * 7
    assert read(whole)["carried_forward"] == [3, None, None, None, None, None, 3]


def test_table_two_values_with_a_space_between_are_never_cut_into_digits() -> None:
    """``行政处罚 12 0``: two printed values and a dropped blank, or three cells; a row
    of table 二 has no sums to tell, so ``12`` is not cut into 1 and 2 (nor ``000``
    on a page whose table 三 did not run together)."""
    t2 = "\n".join(
        ["二、主动公开政府信息情况", "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减",
         "处理决定数量", "行政处罚 12 0", "行政强制 000", "三、收到和处理政府信息公开申请情况"]
    )  # fmt: skip
    got = {(c.item, c.metric): c.value for c in read_stream_tables(t2).active_disclosure}
    assert [got[("penalty", m)] for m in ("prev_year_count", "change", "decisions")] == [None] * 3
    assert [got[("coercion", m)] for m in ("prev_year_count", "change", "decisions")] == [None] * 3


def test_a_space_aligned_table_two_row_is_placed_under_its_header_words() -> None:
    """``行政规范性文件      3                   12``: two values for three columns, each
    under the header word it shares an edge with; a block whose rows do not line up
    places nothing."""
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第(一)项",
        "信息内容          本年制发件数  本年废止件数  现行有效件数",
        "规章              0             0             0",
        "行政规范性文件    3                           12",
        "第二十条第(五)项",
    ]
    text = "\n".join([*lines, "三、收到和处理政府信息公开申请情况"])
    got = {(c.item, c.metric): c.value for c in read_stream_tables(text).active_disclosure}
    assert [got["normative_documents", m] for m in ("issued", "repealed", "in_force")] == [
        3, None, 12
    ]
    lines[3] = "规章               0             0             0"  # one space more
    text = "\n".join([*lines, "三、收到和处理政府信息公开申请情况"])
    got = {(c.item, c.metric): c.value for c in read_stream_tables(text).active_disclosure}
    assert got["normative_documents", "issued"] is None


def test_one_printed_number_in_table_two_is_cut_only_where_digits_ran_together() -> None:
    """``行政许可 │ 112 │`` read as one value for three cells is not 1, 1, 2: table 二
    has no sums, so its digits are cut only on a page whose table 三 rows were cut by
    their sums (an archive's flattening)."""
    t2 = ["二、主动公开政府信息情况", "第二十条第(五)项", "信息内容 上一年项目数量 本年增/减 处理决定数量",
          "行政许可 │ 112 │ +6 │"]  # fmt: skip
    alone = read_stream_tables("\n".join([*t2, "三、收到和处理政府信息公开申请情况"]))
    assert [c.value for c in alone.active_disclosure] == [None, None, None]
    flat = page("line").replace(
        "一、本年新收政府信息公开申请数量\n10\n2\n0\n0\n0\n0\n12",
        "一、本年新收政府信息公开申请数量1020000 12",
    )
    ran = read_stream_tables("\n".join([*t2[:3], "行政许可 112", flat]))
    assert [c.value for c in ran.active_disclosure] == [1, 1, 2]


def test_spaces_left_as_entities_read_as_spaces() -> None:
    """A text rendering that never decoded ``&nbsp;`` (every space written so) reads
    the same cells as the plain one."""
    text = page("markdown")
    assert read(text.replace(" ", "&nbsp;")) == read(text)
    assert read(text.replace(" ", "&amp;nbsp;")) == read(text)


# A 解读 of a report and a pre-2019 report, as a crawler's text gives them: their
# sentences name table rows and metrics, but hold no table.
INTERPRETATION_TEXT = """关于《青岚区人民政府2022年政府信息公开工作年度报告》的解读
二、依申请公开方面。全年共收到政府信息公开申请213件，上年结转9件，均在法定期限内予以答复，\
其中予以公开97件，部分公开18件，结转下年度继续办理7件。
三、复议诉讼方面。全年因政府信息公开工作被申请行政复议6件。
"""

PRE2019_TEXT = """青岚区人力资源和社会保障局2017年政府信息公开工作年度报告
一、概述
本报告由概述、主动公开政府信息情况、依申请公开政府信息情况等六部分组成。
二、主动公开政府信息情况
2017年，我局主动公开政府信息共计73条。
三、依申请公开政府信息情况
2017年，我局共受理政府信息公开申请5件。
四、政府信息公开的收费及减免情况
未收取任何费用。
五、因政府信息公开申请行政复议、提起行政诉讼的情况
未发生。
六、存在的主要问题及改进措施
下一步，我局将及时更新公开内容。
"""


def test_rows_counted_in_a_sentence_are_no_table() -> None:
    report = parse_text(INTERPRETATION_TEXT)
    assert report.kind == "interpretation"
    assert report.applications == []
    assert "t3_row_ambiguous" not in report.warning_codes()
    # the same words as a table's rows (values in cells, no counting word) are read
    table = "\n".join(
        f"| {label} | 0 | 0 | 0 | 0 | 0 | 0 | {n} |"
        for label, n in (("二、上年结转政府信息公开申请数量", 9), ("（一）予以公开", 97),
                         ("（二）部分公开", 18), ("四、结转下年度继续办理", 7))
    )  # fmt: skip
    read = read_stream_tables(table)
    assert {c.row: c.value for c in read.applications if c.applicant == "total"} == {
        "carried_over": 9,
        "granted": 97,
        "partially_granted": 18,
        "carried_forward": 7,
    }


def test_a_metric_word_inside_a_sentence_casts_no_format_vote() -> None:
    # 更新公开内容 holds 新公开, a word of the 2019 table 二 header
    report = parse_text(PRE2019_TEXT)
    assert report.format == "pre2019"
    assert read_stream_tables(PRE2019_TEXT).format_votes == {"2019": 0, "2021": 0}
    # a header of two such words alone still tells the format (a table 二 cut off)
    header = PRE2019_TEXT.replace("共计73条。", "共计73条。\n信息内容 | 本年新制作数量 | 本年新公开数量")
    assert read_stream_tables(header).format_votes["2019"] == 1


def test_a_report_whose_only_table_is_portal_chrome_says_its_tables_are_missing() -> None:
    text = "某局2022年政府信息公开工作年度报告\n正文只有一句。\n网站地图 | 联系我们 | 免责声明\n"
    report = parse_text(text)
    assert report.kind == "report"
    (warning,) = [w for w in report.warnings if w.code == "no_tables"]
    assert warning.message.startswith("none of the page's 1 table(s) is table 二, 三 or 四")
    bare = parse_text("某局2022年政府信息公开工作年度报告\n正文只有一句。\n")
    assert [w.message for w in bare.warnings if w.code == "no_tables"] == [
        "no tables found on the page; tables 二, 三, 四 are missing"
    ]


def values_before_labels(rows: dict[str, list[int]], inline: set[str]) -> str:
    """Table 三 as a PDF-to-Markdown converter can print it (markitdown on a ruled PDF):
    a label's values on the Markdown row *above* its label line, except for the rows in
    ``inline``, printed on their label's own line."""
    out = ["某某局2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", *HEADER]
    for key, label in LABELS_2021:
        cells = " | ".join(map(str, rows[key]))
        if key in inline:
            out.append(f"| {label} | {cells} |")
        else:
            out += [f"|     | {cells} |", "| --- | " + "--- | " * 7, label]
    return "\n".join([*out, "五、存在的主要问题及改进情况", "无。"])


def test_values_printed_before_their_labels_are_matched_to_their_rows_in_order() -> None:
    rows = values()
    text = values_before_labels(rows, inline={"new_received", "granted"})
    result = read_stream_tables(text)
    assert read(text) == expected()
    assert [w.code for w in result.warnings] == ["t3_rows_in_order"]
    assert result.warnings[0].message.startswith(
        "table 三 row carried_over and 22 more to carried_forward: values printed apart"
    )
    # parse_text keeps the warning with the rows the stream read
    assert "t3_rows_in_order" in parse_text(text).warning_codes()
    notes = {c.row: c.note for c in result.applications}
    assert notes["granted"] is None and notes["partially_granted"] == "matched_in_order"
    # the same rows with each label before its values are read whole, with no note
    assert read(page("markdown")) == expected()


def test_values_out_of_step_with_a_line_missing_are_left_blank() -> None:
    rows = values()
    lines = values_before_labels(rows, inline={"new_received", "granted"}).split("\n")
    at = lines.index("1.属于国家秘密") - 2  # the values line printed above that label
    del lines[at]
    text = "\n".join(lines)
    result = read_stream_tables(text)
    got = read(text)
    for key, row in got.items():
        # every row is its own, or blank: none takes the values of the row before
        assert row in (rows[key], [None] * 7), key
    assert got["new_received"] == rows["new_received"] and got["granted"] == rows["granted"]
    assert got["partially_granted"] == [None] * 7
    assert any(
        w.code == "t3_row_ambiguous" and "out of step" in w.message for w in result.warnings
    )


def test_a_label_the_reader_misses_does_not_put_the_table_out_of_step() -> None:
    # one cell per line, one label unknown: its values run on after the row before it,
    # but no label is left without values, so the other rows are read as before
    text = page("line").replace("4.保护第三方合法权益", "4.某种新的情形")
    got = read(text)
    assert "denied_third_party" not in got
    assert got["denied_three_safeties"] == [None] * 7  # 14 values: left blank
    assert got["granted"] == expected()["granted"]
    assert got["unavailable_not_held"] == expected()["unavailable_not_held"]


def test_a_table_two_row_never_takes_a_number_from_section_three() -> None:
    # pdftotext without -layout: the fee printed above its label, then section 三's
    # header, where a number stands before any table 三 row label
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）",
        "7730.28", "行政事业性收费", "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人",
        "总计", "21",
    ])  # fmt: skip
    fees = [c for c in read_stream_tables(text).active_disclosure if c.item == "fees"]
    assert [c.value for c in fees] in ([], [None])



def plain_values_before_labels(rows: dict[str, list[int]], inline: set[str]) -> list[str]:
    """Table 三 as pdfplumber's text gives it: a row's values on its label's line, or on
    the line above its label."""
    out: list[str] = []
    for key, label in LABELS_2021:
        numbers = " ".join(map(str, rows[key]))
        out += [f"{label} {numbers}"] if key in inline else [numbers, label]
    return out


def test_a_row_on_its_line_then_a_line_of_seven_puts_the_rows_out_of_step() -> None:
    rows = values()
    lines = plain_values_before_labels(rows, {"denied_admin_query"})
    at = next(i for i, line in enumerate(lines) if line.startswith("8.属于行政查询事项"))
    # the copy starts at that row and ends before the label two rows down
    got = read("\n".join(lines[at : at + 4]))
    assert got["denied_admin_query"] == rows["denied_admin_query"]
    assert got.get("unavailable_not_held", [None] * 7) in (
        rows["unavailable_not_held"], [None] * 7
    )


def test_a_line_of_seven_before_the_first_label_puts_the_rows_out_of_step() -> None:
    # a copy starting at a values line printed above its label: the lines after the
    # labels below are not theirs (each is the next label's)
    rows = values()
    lines = plain_values_before_labels(rows, {"denied_admin_query", "rejected_petition"})
    at = lines.index("1.本机关不掌握相关政府信息") - 1
    got = read("\n".join(lines[at : at + 5]))
    blank = [None] * 7
    assert got.get("unavailable_not_held", blank) in (rows["unavailable_not_held"], blank)
    assert got.get("unavailable_needs_creation", blank) in (
        rows["unavailable_needs_creation"], blank
    )
    # without that first line nothing tells the two orders apart: each label takes the
    # line after it (as in a rendering that prints values below their labels)
    assert read("\n".join(lines[at + 1 : at + 5]))["unavailable_not_held"] == rows[
        "unavailable_needs_creation"
    ]


def test_empty_cells_at_both_ends_are_placed_where_the_total_allows_one_way() -> None:
    # markdownify: a label merged over three columns is followed by two empty cells, and
    # the empty 总计 closes the row; dropping the first two or the last blank is the
    # question. Put first, the six numbers would make 1 the 总计 of 96 + 24 + 0 + 2 + 4.
    text = "\n".join([
        "| 一、本年新收政府信息公开申请数量 | | | 96 | 24 | 0 | 2 | 4 | 1 |  |",
        "| 二、上年结转政府信息公开申请数量 | | | 5 | 1 | 0 | 0 | 0 | 0 |  |",
        "| 三、本年度办理结果 | （一）予以公开 | | 0 | 0 | 0 | 0 | 0 | 0 |  |",
        "| （二）部分公开 | | 3 | 0 | 0 | 0 | 0 | 4 | 7 |",
        "",
        "五、存在的主要问题及改进情况",
    ])  # fmt: skip
    result = read_stream_tables(text)
    got = read(text)
    assert got["new_received"] == [96, 24, 0, 2, 4, 1, None]
    assert got["carried_over"] == [5, 1, 0, 0, 0, 0, None]
    # all zeros: 0 is the total of zeros either way, so nothing tells the ways apart
    assert got["granted"] == [None] * 7
    assert got["partially_granted"] == [3, 0, 0, 0, 0, 4, 7]
    notes = {c.row: c.note for c in result.applications if c.applicant == "natural_person"}
    assert notes["new_received"] == "placed_by_sums" and notes["partially_granted"] is None
    codes = [(w.code, w.message.split(":")[0]) for w in result.warnings]
    assert ("t3_row_by_sums", "table 三 row new_received") in codes
    assert ("t3_row_ambiguous", "table 三 row granted") in codes


def test_a_table_four_row_with_empty_ends_is_placed_by_its_totals() -> None:
    heading = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    header = " | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
    # fourteen values between two empty cells: the first cell empty, or the last? Put
    # first, 1 + 0 + 0 + 0 would stand above a 总计 of 0
    row = "| | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 2 | 0 | 0 | 0 | |"
    result = read_stream_tables(f"{heading}\n| {header} |\n{row}\n五、存在的主要问题")
    assert [c.value for c in result.reviews] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, None]
    assert {c.note for c in result.reviews} == {"placed_by_sums"}
    assert [w.code for w in result.warnings] == ["t4_row_by_sums"]
