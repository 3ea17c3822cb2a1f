"""Title, org, year, date, kind and format decisions (parse.metadata)."""

from __future__ import annotations

import pytest

from report_harvester import parse_text
from report_harvester.parse.metadata import (
    PageFacts,
    decide_format,
    decide_kind,
    decide_year,
    find_org,
    find_published,
    find_title,
    org_from_title,
    year_from_period,
    year_from_title,
)


@pytest.mark.parametrize(
    ("title", "org"),
    [
        ("某某区财政局2022年政府信息公开工作年度报告", "某某区财政局"),
        ("关于某某县人民政府2021年度政府信息公开工作年度报告", "某某县人民政府"),
        ("某某镇人民政府二〇二〇年政府信息公开工作年度报告", "某某镇人民政府"),
        ("2022年某某区教育局政府信息公开工作年度报告", "某某区教育局"),
        ("某某区卫健局政府信息公开工作年度报告（2022年）", "某某区卫健局"),
        ("政府信息公开工作年度报告", None),
        ("关于做好2022年度政府信息公开工作年度报告编制发布工作的通知", None),
        ("中华人民共和国政府信息公开工作年度报告格式", None),  # the template: no body
        # a mirror's pinyin after characters is no part of the name
        ("深圳市龍崗區(qū)2022年政府信息公開工作年度報告", "深圳市龍崗區"),
        ("2020年报_松源县审计局", "松源县审计局"),  # a flip-book's name: year book _ body
        ("2020年报_年度报告", None),
        (None, None),
    ],
)
def test_org_from_title(title: str | None, org: str | None) -> None:
    assert org_from_title(title) == org


@pytest.mark.parametrize(
    ("title", "text", "year", "codes"),
    [
        ("某局2022年政府信息公开工作年度报告", "", 2022, []),
        ("某镇二〇二〇年政府信息公开工作年度报告", "", 2020, []),
        (None, "本年度报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。", 2020, []),
        (None, "统计期限自 2019 年 1 月 1 日起至 2019 年 12 月 31 日止", 2019, []),
        (None, "数据统计期限为201911日起至20191231日止。", 2019, []),
        (None, "2021年，我局……2021年……2020年", 2021, []),
        (
            "某局2016年政府信息公开工作年度报告",
            "统计期限自2021年1月1日起至2021年12月31日止",
            2016,
            ["year_conflict"],
        ),
        (None, "无年份", None, []),
    ],
)
def test_decide_year(title: str | None, text: str, year: int | None, codes: list[str]) -> None:
    got, warnings = decide_year(title, text)
    assert got == year
    assert [w.code for w in warnings] == codes


def test_year_from_period_full_width_digits() -> None:
    assert year_from_period("自２０２２年１月１日起至２０２２年１２月３１日止") == 2022


def test_year_from_period_past_an_earlier_year_end_and_across_line_breaks() -> None:
    text = (
        "截至2021年12月31日，本机关共有网站1个。" + "说明" * 100 + "\n本报告统计期限自2022年1月\n"
        "1日起至 2022 年 1 2 月\n31 日止。"
    )
    assert year_from_period(text) == 2022
    assert year_from_period("截至2021年12月31日，共收到申请3件。") is None


def test_find_title_skips_breadcrumbs_and_explanations() -> None:
    lines = [
        "首页 > 政务公开 > 政府信息公开年度报告",
        "编制说明:本年度报告根据……编制",
        "# 某局2022年政府信息公开工作年度报告",
        "一、总体情况",
    ]
    assert find_title(None, lines) == "某局2022年政府信息公开工作年度报告"
    assert find_title("HTML 标题", lines) == "HTML 标题"
    assert find_title(None, ["一、总体情况", "正文。"]) is None


def test_find_title_looks_past_a_markdown_renderings_menu() -> None:
    # html2text / markdownify: the logo, a menu of links and the breadcrumb come first
    chrome = ["![鹤鸣区人民政府](/images/logo.png)", "搜索"]
    menu = [f"  * [栏目{n}](/{n}/)" for n in range(6)]
    title = "## 关于《鹤鸣区人民政府2022年政府信息公开工作年度报告》的解读"
    lines = [*chrome, *menu, "您当前所在位置：[首页](/) » [信息公开](/zwgk/)", title, "正文。"]
    assert find_title(None, lines) == title.lstrip("# ")
    # lynx: a search box and a menu of short bullet items
    lynx = ["鹤鸣区人民政府", "____________________ (BUTTON) 搜索", *(f"* 栏目{n}" for n in range(5)),
            "您当前所在位置：首页 » 信息公开", title.lstrip("# "), "正文。"]  # fmt: skip
    assert find_title(None, lynx) == title.lstrip("# ")
    # eight lines of text that are not links still end the search
    assert find_title(None, [*chrome, *(f"第{n}行文字" for n in range(7)), title]) is None


@pytest.mark.parametrize(
    ("meta", "lines", "iso"),
    [
        ({"pubdate": "2023-01-28 10:00"}, [], "2023-01-28"),
        ({}, ["发布时间：2023/1/9", "正文"], "2023-01-09"),
        ({}, ["正文。", "某某区财政局", "2023年1月28日"], "2023-01-28"),
        ({}, ["正文。", "二〇二三年一月二十日"], "2023-01-20"),
        ({}, ["正文。", "2023年13月40日"], None),
        ({}, ["正文没有日期。"], None),
    ],
)
def test_find_published(meta: dict[str, str], lines: list[str], iso: str | None) -> None:
    assert find_published(meta, lines) == iso


def test_published_from_an_info_bar_outside_the_content() -> None:
    """A 发布时间 in the page chrome (outside the content container) still counts."""
    page = '<div class="info">发布时间：<span>2023-01-16</span> 来源：某局</div><div id="zoom">正文</div>'
    assert find_published({}, ["正文"], page) == "2023-01-16"


def test_non_reports_never_get_a_format_from_headings() -> None:
    """An interpretation with 依申请公开 headings is not a pre-2019 report."""
    facts = _facts(pre2019_headings=True, mapped_tables=0)
    assert decide_format(facts, "interpretation") == ("unknown", [])
    assert decide_format(facts, "report") == ("pre2019", [])


def _facts(**kw: object) -> PageFacts:
    base: dict[str, object] = dict(
        title=None,
        text_length=5000,
        section_count=6,
        mapped_tables=3,
        image_count=0,
        attachment_count=0,
        format_votes={},
        pre2019_headings=False,
        year=2022,
    )
    base.update(kw)
    return PageFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "kind", "codes"),
    [
        (_facts(title="某局2022年政府信息公开工作年度报告"), "report", []),
        (
            _facts(title="关于《某局2022年政府信息公开工作年度报告》的解读"),
            "interpretation",
            ["not_a_report"],
        ),
        (
            _facts(title="一图读懂某区2022年政府信息公开年报", mapped_tables=0),
            "interpretation",
            ["not_a_report"],
        ),
        (
            _facts(title="某区2022年法治政府建设年度报告", mapped_tables=0),
            "other_report",
            ["not_a_report"],
        ),
        (
            _facts(
                title="关于做好2022年政府信息公开工作年度报告编制工作的通知",
                mapped_tables=0,
                section_count=0,
            ),
            "notice",
            ["not_a_report"],
        ),
        (
            _facts(
                title="某局2022年政府信息公开工作年度报告",
                text_length=30,
                section_count=0,
                mapped_tables=0,
                image_count=4,
            ),
            "image_only",
            ["image_only"],
        ),
        (
            _facts(
                title="某局2022年政府信息公开工作年度报告",
                text_length=30,
                section_count=0,
                mapped_tables=0,
                attachment_count=1,
            ),
            "attachment_only",
            ["attachment_only"],
        ),
        (
            _facts(title="网站首页", text_length=30, section_count=0, mapped_tables=0),
            "unknown",
            ["not_a_report"],
        ),
        (
            _facts(title="中华人民共和国政府信息公开工作年度报告格式", section_count=6),
            "unknown",
            ["not_a_report"],
        ),
    ],
)
def test_decide_kind(facts: PageFacts, kind: str, codes: list[str]) -> None:
    got, warnings = decide_kind(facts)
    assert got == kind
    assert [w.code for w in warnings] == codes


@pytest.mark.parametrize(
    ("facts", "fmt", "codes"),
    [
        (_facts(format_votes={"2021": 5}), "2021", []),
        (_facts(format_votes={"2019": 4}), "2019", []),
        (_facts(format_votes={"2019": 4, "2021": 1}), "2019", ["format_mixed"]),
        # a tie (a 2023 report keeping 2019's single （六）其他处理 row): the year's format
        (_facts(format_votes={"2019": 1, "2021": 1}, year=2023), "2021", ["format_mixed"]),
        (_facts(format_votes={"2019": 1, "2021": 1}, year=2020), "2019", ["format_mixed"]),
        (_facts(pre2019_headings=True), "pre2019", []),
        (_facts(year=2016), "pre2019", []),
        (_facts(year=2016, section_count=0), "pre2019", ["format_from_year"]),
        (_facts(year=2020, section_count=0), "2019", ["format_from_year"]),
        (_facts(year=2022, section_count=0), "2021", ["format_from_year"]),
        (_facts(year=None), "unknown", []),
    ],
)
def test_decide_format(facts: PageFacts, fmt: str, codes: list[str]) -> None:
    got, warnings = decide_format(facts)
    assert got == fmt
    assert [w.code for w in warnings] == codes


@pytest.mark.parametrize(
    ("lines", "title", "org"),
    [
        (["标题: 平潭综合实验区2019年度政府信息公开工作年度报告", "发布时间: 2020-01-20 15:22",
          "发布机构: ", "原文链接: https://x.gov.cn/t1.htm"],
         "平潭综合实验区2019年度政府信息公开工作年度报告", "平潭综合实验区"),
        (["Page 9 - Page 9 - 松源县审计局2020年政府信息公开工作年度报告"],
         "松源县审计局2020年政府信息公开工作年度报告", "松源县审计局"),
        (["道县文广新局2013年度信息公开工作", "年度报告", "一、主动公开政府信息的情况:"],
         "道县文广新局2013年度信息公开工作年度报告", "道县文广新局"),
        (["松源县工业和信息化局", "政府信息公开工作年度报告", "一、总体情况"],
         "政府信息公开工作年度报告", "松源县工业和信息化局"),
        (["根据《条例》要求,特编制松源县地方志办公室2023年政府信息公开工作年度报告。",
          "一、总体情况"], None, "松源县地方志办公室"),
        (["索引号 11330-01 发布机构 松源县财政局", "公开日期 2024-01-20", "一、总体情况"], None,
         "松源县财政局"),
        (["二〇二三年政府信息公开工作年度报告", "一、总体情况", "正文……", "松源县档案馆",
          "2024年1月20日"], "二〇二三年政府信息公开工作年度报告", "松源县档案馆"),
        (["根据修订的《中华人民共和国政府信息公开条例》相关规定,结合我局工作,编制本报告。"],
         None, None),
        (["精品无码第一页一区二区", "當(dāng)前位置: 首頁 > 信息公開 > 信息公開年報",
          "松源縣龍崗區(qū)2022年政府信息公開工作年度報告", "根據(jù)《條例》"],
         "松源縣龍崗區(qū)2022年政府信息公開工作年度報告", "松源縣龍崗區"),
        (["本年度报告根据《条例》要求制作。全文包括 中华人民共和国政府信息公开工作年度报告格式>"
          "永安镇人民政府2024年政府信息公开总体情况,主动公开政府信息情况"], None, "永安镇人民政府"),
        (["2024年,全区2024年政府信息公开工作稳步推进。"], None, None),
        (["市人民政府办公室2025年政府信息公开工作年度报告",
          "根据《条例》要求,现公开松源市人民政府办公室2025年政府信息公开工作年度报告。"],
         "市人民政府办公室2025年政府信息公开工作年度报告", "松源市人民政府办公室"),
    ],
    ids=["archive-header", "flipbook-page", "title-two-lines", "org-above-title", "preamble",
         "cms-metadata", "signature", "no-name", "traditional-mirror", "name-before-year",
         "no-name-before-year", "title-without-place"],
)
def test_title_and_org_from_real_headers(lines: list[str], title: str | None,
                                         org: str | None) -> None:
    found = find_title(None, lines)
    assert found == title
    assert find_org(found, lines) == org


def test_a_title_in_chinese_numerals_gives_the_year() -> None:
    assert year_from_title("松源县档案馆二〇二三年政府信息公开工作年度报告") == 2023


def test_a_notice_without_its_title_is_a_notice() -> None:
    # trafilatura keeps a notice's body, not its title: 一、二、三、 look like sections
    text = "\n".join([
        "各乡镇人民政府、街道办事处，区直各单位：",
        "现就做好2022年度政府信息公开工作年度报告编制和发布工作通知如下：",
        "一、严格按照格式编制年度报告。", "二、各单位须于2023年1月31日前发布。",
        "三、区政府办公室将进行检查。", "鹤鸣区人民政府办公室", "2023年1月5日",
    ])  # fmt: skip
    report = parse_text(text)
    assert (report.kind, report.warning_codes()) == ("notice", ["not_a_report"])
    # a report whose preamble names the report is still a report
    report_text = text.replace("工作通知如下：", "工作，现将年度报告予以公布。")
    assert parse_text(report_text).kind == "report"
