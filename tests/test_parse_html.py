"""HTML page → PageContent: container, blocks, title, meta, images, attachments, truncation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_harvester.parse.grid import Grid, PageContent, Paragraph, TableBlock
from report_harvester.parse.html import CONTAINER_SELECTORS, extract_page

URL = "http://www.yanfeng.gov.cn/zwgk/zfxxgknb/202101/t20210120_1.html"
NAV = (
    '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a>'
    '<a href="/hdjl/">互动交流</a></div>'
)
BREADCRUMB = '<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>'
FOOTER = '<div class="footer">主办单位：某区人民政府办公室 网站标识码 4304060001</div>'
CONTENT = (
    "<p>一、总体情况</p><p>本年度报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。</p>"
)
CONTENT_PARAGRAPHS = [
    "一、总体情况",
    "本年度报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
]


def doc(body: str, head: str = "<title>某区人民政府</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def paragraphs(page: PageContent) -> list[str]:
    return [b.text for b in page.blocks if isinstance(b, Paragraph)]


def grids(page: PageContent) -> list[Grid]:
    return [b.grid for b in page.blocks if isinstance(b, TableBlock)]


def opening(selector: str) -> tuple[str, str]:
    if selector.startswith("."):
        return f'<div class="{selector[1:]}">', "</div>"
    if selector.startswith("#"):
        return f'<div id="{selector[1:]}">', "</div>"
    return f"<{selector}>", f"</{selector}>"


# -- container -------------------------------------------------------------------------------


@pytest.mark.parametrize("selector", CONTAINER_SELECTORS)
def test_each_container_selector(selector: str) -> None:
    """Text outside the matched container (nav, sidebar text, footer) is not content."""
    start, end = opening(selector)
    side = "<div><p>热点新闻：全区召开安全生产工作会议，部署下一阶段重点任务。</p></div>"
    page = extract_page(doc(NAV + BREADCRUMB + side + start + CONTENT + end + FOOTER), URL)
    assert paragraphs(page) == CONTENT_PARAGRAPHS


def test_selectors_are_tried_in_order_not_by_document_position() -> None:
    body = '<div id="content"><p>栏目说明文字，不是报告正文内容。</p></div>'
    body += f'<div class="TRS_Editor">{CONTENT}</div>'
    assert paragraphs(extract_page(doc(body))) == CONTENT_PARAGRAPHS


def test_a_match_without_real_text_is_skipped() -> None:
    body = '<div class="TRS_Editor"> &nbsp; </div>' + f'<div id="zoom">{CONTENT}</div>'
    assert paragraphs(extract_page(doc(body))) == CONTENT_PARAGRAPHS


def test_a_match_counts_the_text_of_all_its_nodes() -> None:
    """Ten characters make content, however many elements they are spread over."""
    nine = '<div class="TRS_Editor"><span>一二</span> <b>三四五</b>\n<i>六七八九</i></div>'
    ten = nine.replace("六七八九", "六七八九十")
    zoom = f'<div id="zoom">{CONTENT}</div>'
    assert paragraphs(extract_page(doc(nine + zoom))) == CONTENT_PARAGRAPHS
    assert paragraphs(extract_page(doc(ten + zoom))) == ["一二 三四五六七八九十"]


def test_image_only_cms_container_counts_images() -> None:
    body = NAV + '<div class="TRS_Editor"><img src="1.jpg"><img src="2.jpg"></div>' + FOOTER
    page = extract_page(doc(body))
    assert (page.blocks, page.image_count) == ([], 2)


def test_density_fallback_drops_nav_sidebar_and_footer() -> None:
    sidebar = (
        '<div class="left">'
        + "".join(f'<a href="/list/{i}.html">相关年报链接第{i}条</a>' for i in range(12))
        + "</div>"
    )
    article = (
        '<div class="main"><div class="wrap">' + sidebar + '<div class="article">'
        '<h2>某区民政局2020年政府信息公开工作年度报告</h2><div class="text">'
        + CONTENT
        + "<p>二、主动公开政府信息情况</p>"
        + "<table><tr><td>信息内容</td><td>本年新<br>制作数量</td></tr>"
        + "<tr><td>规章</td><td>0</td></tr></table>"
        + "</div></div></div></div>"
    )
    page = extract_page(doc(NAV + BREADCRUMB + article + FOOTER), URL)
    assert paragraphs(page) == [
        "某区民政局2020年政府信息公开工作年度报告",
        *CONTENT_PARAGRAPHS,
        "二、主动公开政府信息情况",
    ]
    assert [g.texts() for g in grids(page)] == [[["信息内容", "本年新制作数量"], ["规章", "0"]]]
    text = " ".join(paragraphs(page))
    for absent in ("首页", "当前位置", "主办单位", "相关年报链接"):
        assert absent not in text


def test_density_descends_while_a_child_keeps_85_percent_of_the_best_score() -> None:
    """Scores 100 > 90 > 81 > 73: the descent stops at 90, the last block ≥ 0.85 × 100.
    (Measured against the current block instead, it would run on down to 73.)"""
    body = (
        "<div><p>"
        + "甲" * 10
        + "</p><div><p>"
        + "乙" * 9
        + "</p><div><p>"
        + "丙" * 8
        + "</p><div><p>"
        + "丁" * 73
        + "</p></div></div></div></div>"
    )
    assert paragraphs(extract_page(doc(body))) == ["乙" * 9, "丙" * 8, "丁" * 73]


def test_density_fallback_uses_body_when_text_sits_directly_in_it() -> None:
    page = extract_page(doc("<p>第一段文字内容较长。</p><div><a href='/'>首页</a></div>第二行"))
    assert paragraphs(page) == ["第一段文字内容较长。", "首页", "第二行"]


def test_scripts_and_styles_are_not_text() -> None:
    body = f'<div class="TRS_Editor"><script>var a="x";</script><style>p{{}}</style>{CONTENT}'
    body += "<noscript>请启用脚本</noscript><iframe src='x'></iframe></div>"
    assert paragraphs(extract_page(doc(body))) == CONTENT_PARAGRAPHS


# -- blocks ----------------------------------------------------------------------------------


def test_inline_elements_do_not_break_a_heading() -> None:
    body = (
        '<div class="TRS_Editor"><p><strong>一、</strong>总体情况</p>'
        '<p><span style="font-family:宋体"><b>（一）</b></span><font>全面</font>部署工作。</p>'
        "<p>第一行<br>第二行<br/><br>第三行</p><div>块<div>内块</div>尾</div>"
        "<ul><li>甲</li><li>乙</li></ul><h3>标题</h3></div>"
    )
    assert paragraphs(extract_page(doc(body))) == [
        "一、总体情况",
        "（一）全面部署工作。",
        "第一行",
        "第二行",
        "第三行",
        "块",
        "内块",
        "尾",
        "甲",
        "乙",
        "标题",
    ]


def test_word_wrapped_source_lines_join_without_spaces() -> None:
    body = (
        '<div class="TRS_Editor"><p class=MsoNormal><span lang=EN-US>2020</span><span\n'
        "style='font-family:宋体'>年，我区的政府信息公开工作在深化政府\r\n信息公开内容方面"
        "取得了新的进展。<o:p></o:p></span></p></div>"
    )
    assert paragraphs(extract_page(doc(body))) == [
        "2020年，我区的政府信息公开工作在深化政府信息公开内容方面取得了新的进展。"
    ]


WORD_TABLE = (
    '<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style="border-collapse:'
    'collapse"><tr><td nowrap colspan=4 style="width:426.1pt"><p align="center">'
    "<span>第二十条第（一）项</span></p></td></tr>"
    '<tr><td nowrap style="width:100pt"><p align="center">信息内容</p></td>'
    '<td nowrap style="width:80pt"><p align="center">本年新<br>制作数量</p></td>'
    '<td nowrap style="width:80pt"><p align="center">本年新<br>\r\n公开数量</p></td>'
    '<td nowrap style="width:80pt"><p align="center">对外公开总数量</p></td></tr>'
    '<tr><td nowrap><p align="center">规章</p></td><td nowrap><p align="center">&nbsp;</p></td>'
    '<td nowrap><p align="center">0</p></td><td nowrap><p align="center">'
    "<span lang=EN-US>1<o:p></o:p></span></p></td></tr></table>"
)


def test_word_paste_table() -> None:
    body = (
        f'<div class="TRS_Editor"><p>二、主动公开政府信息情况</p>{WORD_TABLE}<p>三、收到</p></div>'
    )
    page = extract_page(doc(body))
    assert [type(b).__name__ for b in page.blocks] == ["Paragraph", "TableBlock", "Paragraph"]
    (grid,) = grids(page)
    assert grid.spans is True
    assert grid.texts() == [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "", "0", "1"],
    ]
    assert grid.truncated is False


def test_layout_tables_around_a_data_table() -> None:
    body = (
        "<table width=1000><tr><td width=200><p>左栏说明</p></td><td>"
        "<table><tr><td><p>一、总体情况</p></td></tr></table>"  # a one-cell frame: text
        "<p>二、主动公开</p>" + WORD_TABLE + "</td></tr>"
        "<tr><td colspan=2>版权所有</td></tr></table>"
    )
    page = extract_page(doc(f'<div id="zoom">{body}</div>'))
    assert [type(b).__name__ for b in page.blocks] == [
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "TableBlock",
        "Paragraph",
    ]
    assert paragraphs(page) == ["左栏说明", "一、总体情况", "二、主动公开", "版权所有"]
    assert grids(page)[0].texts()[2] == ["规章", "", "0", "1"]


def test_navigation_inside_a_container_is_removed() -> None:
    body = f'<div id="zoom">{NAV}{BREADCRUMB}{CONTENT}{FOOTER}</div>'
    assert paragraphs(extract_page(doc(body))) == CONTENT_PARAGRAPHS


def test_caption_becomes_a_paragraph_before_its_table() -> None:
    body = (
        '<div id="zoom"><table><caption>表一</caption><tr><td>a</td><td>b</td></tr></table></div>'
    )
    page = extract_page(doc(body))
    assert paragraphs(page) == ["表一"]
    assert grids(page)[0].texts() == [["a", "b"]]


# -- title and meta --------------------------------------------------------------------------


def test_meta_article_title_wins_and_meta_is_collected() -> None:
    head = (
        "<title>首页</title>"
        '<meta name="ArticleTitle" content=" 某区2020年政府信息公开工作年度报告 ">'
        '<meta name="PubDate" content="2021-01-20 10:00"><meta name="ContentSource" content="区政府办">'
        '<meta name="Keywords" content="年报"><meta name="description" content="描述">'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge"><meta charset="utf-8">'
    )
    page = extract_page(doc(f"<h1>另一个报告</h1><div id='zoom'>{CONTENT}</div>", head))
    assert page.title == "某区2020年政府信息公开工作年度报告"
    assert page.meta == {
        "articletitle": "某区2020年政府信息公开工作年度报告",
        "pubdate": "2021-01-20 10:00",
        "contentsource": "区政府办",
        "keywords": "年报",
        "description": "描述",
    }


def test_meta_outside_head_is_read_when_head_has_none() -> None:
    """A CMS that prints its <meta> tags inside the body: the page is searched then."""
    body = f'<meta name="ArticleTitle" content="某区2020年年度报告"><div id="zoom">{CONTENT}</div>'
    page = extract_page(doc(body))
    assert page.meta == {"articletitle": "某区2020年年度报告"}
    assert page.title == "某区2020年年度报告"


def test_heading_naming_a_report_beats_the_title_tag() -> None:
    body = (
        "<h1>某区人民政府</h1><div class='left'><h2>政府信息公开年度报告</h2></div>"
        '<div class="title">某区教育局2020年政府信息公开\n  工作年度报告</div>'
        f'<div class="TRS_Editor">{CONTENT}</div>'
    )
    page = extract_page(doc(body, "<title>教育局年报_某区人民政府</title>"))
    assert page.title == "某区教育局2020年政府信息公开工作年度报告"


def test_heading_inside_the_container_comes_first() -> None:
    body = (
        '<div class="title">栏目：年度报告</div>'
        f'<div id="zoom"><h2>《2020年年度报告》解读</h2>{CONTENT}</div>'
    )
    assert extract_page(doc(body)).title == "《2020年年度报告》解读"


def test_nearest_heading_above_the_container_beats_farther_and_later_ones() -> None:
    body = (
        "<div><h2>栏目：年度报告</h2></div>"
        "<div><div><h1>某区2020年政府信息公开工作年度报告</h1></div></div>"
        f'<div><div id="zoom">{CONTENT}</div></div>'
        "<h2>相关报告</h2>"
    )
    assert extract_page(doc(body)).title == "某区2020年政府信息公开工作年度报告"
    below_only = f'<div id="zoom">{CONTENT}</div><div><h2>相关报告</h2><h2>其他报告</h2></div>'
    assert extract_page(doc(below_only)).title == "相关报告"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("某区2020年政府信息公开工作年度报告 - 某区人民政府", "某区2020年政府信息公开工作年度报告"),
        ("某区人民政府_政府信息公开_2020年年报", "2020年年报"),
        ("首页 | 某区  2020年\n年度报告", "某区 2020年年度报告"),
        ("通知公告—某区人民政府", "通知公告"),
        ("   ", None),
    ],
)
def test_title_tag_without_site_suffix(title: str, expected: str | None) -> None:
    page = extract_page(doc(f"<div id='zoom'>{CONTENT}</div>", f"<title>{title}</title>"))
    assert page.title == expected


def test_no_title_at_all() -> None:
    assert extract_page("<p>正文</p>").title is None


# -- images, attachments ---------------------------------------------------------------------


def test_image_count_is_inside_the_container_only() -> None:
    body = '<img src="logo.png">' + f'<div class="TRS_Editor">{CONTENT}<img src="1.jpg">'
    body += '<p><img src="2.jpg"></p></div><img src="footer.png">'
    assert extract_page(doc(body)).image_count == 2


def test_attachments_absolute_deduplicated_container_first() -> None:
    body = (
        '<div class="links"><a href="/files/guide.doc">办事指南</a></div>'
        f'<div class="TRS_Editor">{CONTENT}'
        '<p>附件：<a href="./P020210120.pdf?t=1#page=2">1.年报全文.pdf</a></p>'
        '<p><a href="P020210120.pdf?t=1#page=2">重复链接</a></p>'
        '<p><a href="http://other.gov.cn/x/TABLE.XLSX">统计表</a></p>'
        '<p><a href="/files/a.docx" title="附件二"></a></p>'
        '<p><a href="report.html">正文页面</a><a href="/download.jsp?f=a.pdf">下载</a></p>'
        "</div>"
    )
    page = extract_page(doc(body), URL)
    assert page.attachments == [
        (
            "http://www.yanfeng.gov.cn/zwgk/zfxxgknb/202101/P020210120.pdf?t=1#page=2",
            "1.年报全文.pdf",
        ),
        ("http://other.gov.cn/x/TABLE.XLSX", "统计表"),
        ("http://www.yanfeng.gov.cn/files/a.docx", "附件二"),
        ("http://www.yanfeng.gov.cn/files/guide.doc", "办事指南"),
    ]


def test_attachments_without_url_stay_relative() -> None:
    page = extract_page(
        doc('<div id="zoom">正文内容十个字以上的文字<a href="a.wps">文件</a></div>')
    )
    assert page.attachments == [("a.wps", "文件")]


# -- truncation and garbage ------------------------------------------------------------------


def test_page_cut_inside_a_table_is_truncated() -> None:
    html = doc(f'<div class="TRS_Editor">{CONTENT}{WORD_TABLE}</div>')
    cut = html[: html.index("规章")] + "规章</p></td><td>"
    page = extract_page(cut)
    assert page.truncated is True
    (grid,) = grids(page)
    assert grid.truncated is True
    assert grid.texts()[-1] == ["规章", "", "", ""]


def test_complete_page_and_page_cut_outside_tables_are_not_truncated() -> None:
    html = doc(f'<div class="TRS_Editor">{CONTENT}{WORD_TABLE}<p>三、收到</p></div>')
    assert extract_page(html).truncated is False
    cut = html[: html.index("<p>三、收到")]
    page = extract_page(cut)
    assert page.truncated is False
    assert grids(page)[0].truncated is False


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", []),
        ("<<<>>>", ["<<<>>>"]),
        ("</table>", []),
        ("<table><tr><td rowspan=abc", []),
        ("\x00\ud800<p>a</p>", ["\ufffd", "a"]),
    ],
)
def test_garbage_input_never_raises(html: str, expected: list[str]) -> None:
    page = extract_page(html)
    assert isinstance(page, PageContent)
    assert paragraphs(page) == expected


def test_deep_nesting_does_not_recurse() -> None:
    html = "<div>" * 20000 + "正文内容在最深处的文字" + "</div>" * 20000
    assert paragraphs(extract_page(html)) == ["正文内容在最深处的文字"]


# -- property --------------------------------------------------------------------------------

SOUP = st.sampled_from(
    [
        "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=2>",
        '<td rowspan="3">', '<td rowspan="99999">', '<td colspan="abc">', '<td rowspan="-3">',
        "<tbody>", "<caption>", "<br>", "<p>", "</p>", "<div>", "</div>",
        '<div class="TRS_Editor">', '<div id="zoom">', '<div class="nav">', "<nav>",
        '<a href="x.pdf">', '<a href="http://[::1">', "</a>", "<img>", "<span>", "</span>",
        "<html>", "</html>", "<body>", "<!--", "-->", "<script>", "</script>", "&nbsp;",
        '<meta name="ArticleTitle" content="', "<title>", "</title>", "<h1>", "年度报告",
        "一、总体情况", "0", "\r\n", "<o:p>", "<![if !supportLists]>", "<table><tr><td>",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(SOUP, st.text(max_size=12)), max_size=40))
def test_any_tag_soup_gives_a_page_with_rectangular_grids(parts: list[str]) -> None:
    page = extract_page("".join(parts), URL)
    assert isinstance(page, PageContent)
    for grid in grids(page):
        assert grid.rows, "empty tables are not emitted"
        assert {len(row) for row in grid.rows} == {grid.width}
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                assert grid.rows[cell.row][cell.col] is cell
                assert cell.row <= r and cell.col <= c
    for block in page.blocks:
        if isinstance(block, Paragraph):
            assert block.text and block.text == block.text.strip()


def test_a_title_meta_or_link_inside_a_cell_adds_no_text() -> None:
    """A Word paste can leave <meta>, <link> or even <title> inside the body's tables:
    none of them is cell text (a <title> there holds text, which is read past)."""
    page = extract_page(
        "<html><body><div class='TRS_Editor'><p>正文</p><table>"
        "<tr><td><meta name='x' content='9'>规章</td><td><link rel='x'>0</td></tr>"
        "<tr><td><title>标题 99</title>行政许可</td><td>12</td></tr>"
        "<tr><td>行政处罚</td><td><title>99</title></td></tr>"
        "</table></div></body></html>"
    )
    (table,) = [b for b in page.blocks if isinstance(b, TableBlock)]
    assert table.grid.texts() == [["规章", "0"], ["行政许可", "12"], ["行政处罚", ""]]
