"""List pages → report links, pagination, sub-columns, attachments; year filters."""

from __future__ import annotations

from report_harvester.fetch.discover import (
    Link,
    LinkRules,
    ListPage,
    attachment_links,
    older_than,
    parse_list_page,
    title_year,
    url_year,
)

BASE = "http://www.hy.gov.cn/xxgk/zfxxgknb/index.html"
HOSTS = ["www.hy.gov.cn", "bm.hy.gov.cn"]


def links(*pairs: tuple[str, str], extra: str = "") -> str:
    items = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in pairs)
    return f"<html><body><ul>{items}</ul>{extra}</body></html>"


def read(
    html: str, url: str = BASE, rules: LinkRules | None = None, column: str | None = None
) -> ListPage:
    return parse_list_page(
        html, url, rules=rules or LinkRules(), allowed_hosts=HOSTS, column=column
    )


def test_reports_are_chosen_by_title() -> None:
    html = links(
        ("./202201/t20220125_1.html", "雁峰区人民政府2021年政府信息公开工作年度报告"),
        ("./202201/t20220126_2.html", "《2021年政府信息公开工作年度报告》解读"),
        ("./202201/t20220127_3.html", "图解：2021年政府信息公开年报"),
        ("./202112/t20211220_4.html", "关于做好政府信息公开工作年度报告编制工作的通知"),
        ("./202203/t20220301_5.html", "雁峰区2021年法治政府建设年度报告"),
        ("./202203/t20220302_6.html", "2021年国民经济和社会发展统计公报"),
        ("./202101/t20210120_7.html", "区财政局2020年信息公开年报"),
        ("http://mirror.example.com/a.html", "雁峰区2021年政府信息公开工作年度报告"),
    )
    page = read(html)
    assert [link.url for link in page.reports] == [
        "http://www.hy.gov.cn/xxgk/zfxxgknb/202201/t20220125_1.html",
        "http://www.hy.gov.cn/xxgk/zfxxgknb/202101/t20210120_7.html",
    ]


def test_title_attribute_completes_truncated_text() -> None:
    html = (
        '<a href="a.html" title="雁峰区教育局2021年政府信息公开工作年度报告">雁峰区教育局2021年...</a>'
    )
    page = read(html)
    assert [r.text for r in page.reports] == ["雁峰区教育局2021年政府信息公开工作年度报告"]


def test_source_include_replaces_and_exclude_adds() -> None:
    html = links(
        ("a.html", "2021年度报告"),
        ("b.html", "2021年政府信息公开工作年度报告（图片版）"),
        ("c.html", "2020年年报"),
    )
    default = read(html)
    assert [r.url.rsplit("/", 1)[1] for r in default.reports] == ["b.html"]
    custom = read(html, rules=LinkRules(include="年度报告|年报", exclude="图片版"))
    assert [r.url.rsplit("/", 1)[1] for r in custom.reports] == ["a.html", "c.html"]


def test_trs_create_page_html() -> None:
    html = links(("./t1.html", "2021年政府信息公开工作年度报告")) + (
        '<script>createPageHTML(4, 0, "index", "html");</script>'
    )
    assert read(html).pages == [
        "http://www.hy.gov.cn/xxgk/zfxxgknb/index_1.html",
        "http://www.hy.gov.cn/xxgk/zfxxgknb/index_2.html",
        "http://www.hy.gov.cn/xxgk/zfxxgknb/index_3.html",
    ]


def test_trs_newer_call_and_count_page() -> None:
    newer = "<script>createPageHTML('page_div',3, 1,'list', 'shtml', 60);</script>"
    page = read(newer, url="http://www.hy.gov.cn/col/list_1.shtml")
    assert page.pages == [
        "http://www.hy.gov.cn/col/list.shtml",
        "http://www.hy.gov.cn/col/list_2.shtml",
    ]
    count = "<script>var countPage = 3//共多少页\nvar currentPage = 0;</script>"
    assert read(count).pages == [
        "http://www.hy.gov.cn/xxgk/zfxxgknb/index_1.html",
        "http://www.hy.gov.cn/xxgk/zfxxgknb/index_2.html",
    ]


def test_next_last_and_numbered_links_with_query_pages() -> None:
    url = "http://www.hy.gov.cn/col/col1229/index.html?uid=7&pageNum=1"
    html = links(("/art/2022/1/10/art_1.html", "2021年政府信息公开工作年度报告")) + (
        '<div class="pager"><a href="?uid=7&pageNum=1">首页</a>'
        '<a href="?uid=7&pageNum=0">上一页</a><span>1</span>'
        '<a href="?uid=7&pageNum=2">2</a><a href="?uid=7&pageNum=3">3</a>'
        '<a href="?uid=7&pageNum=2">下一页</a><a href="?uid=7&pageNum=9">尾页</a></div>'
    )
    assert read(html, url=url).pages == [
        "http://www.hy.gov.cn/col/col1229/index.html?uid=7&pageNum=2",
        "http://www.hy.gov.cn/col/col1229/index.html?uid=7&pageNum=3",
        "http://www.hy.gov.cn/col/col1229/index.html?uid=7&pageNum=9",
    ]


def test_next_link_to_a_static_page() -> None:
    html = '<a href="index_1.html">下一页</a><a href="/index.html">首页</a>'
    assert read(html).pages == ["http://www.hy.gov.cn/xxgk/zfxxgknb/index_1.html"]


def test_sub_columns_departments_towns_years() -> None:
    html = links(
        ("czj/index.html", "区财政局"),
        ("2021/", "2021年"),
        ("http://bm.hy.gov.cn/col/col9/index.html", "区教育局"),
        ("http://www.hy.gov.cn/col/col10/index.html", "湖滨街道"),
        ("http://www.hy.gov.cn/col/col11/index.html", "政策文件"),  # elsewhere, not a name
        ("http://other.gov.cn/col/col12/index.html", "区卫健局"),  # not an allowed host
        ("/index.html", "首页"),
        ("/index.html", "雁峰区人民政府"),  # the site's home page is no sub-column
        ("/xxgk/", "政务公开"),
        ("czj/202201/t20220101_1.html", "区财政局关于某事的通告"),  # not list-like
    )
    page = read(html)
    assert [(s.url, s.text) for s in page.subcolumns] == [
        ("http://www.hy.gov.cn/xxgk/zfxxgknb/czj/index.html", "区财政局"),
        ("http://www.hy.gov.cn/xxgk/zfxxgknb/2021/", "2021年"),
        ("http://bm.hy.gov.cn/col/col9/index.html", "区教育局"),
        ("http://www.hy.gov.cn/col/col10/index.html", "湖滨街道"),
    ]
    assert page.reports == []


def test_attachments_on_list_and_report_pages() -> None:
    html = links(
        ("/up/P0201.pdf", "区政府2021年政府信息公开工作年度报告.pdf"),
        ("/up/P0202.doc", "申请表.doc"),
    )
    page = read(html)
    assert page.attachments == [
        Link("http://www.hy.gov.cn/up/P0201.pdf", "区政府2021年政府信息公开工作年度报告.pdf")
    ]
    report = (
        '<div class="TRS_Editor"><p>附件：<a href="./P020220118.pdf">报告.pdf</a>'
        '<a href="/module/download/downfile.jsp?filename=a.wps&id=3">报告.wps</a>'
        '<a href="./P020220118.pdf#page=2">同一个</a><a href="/other.html">相关</a></p></div>'
    )
    assert [a.url for a in attachment_links(report, "http://www.hy.gov.cn/a/t1.html")] == [
        "http://www.hy.gov.cn/a/P020220118.pdf",
        "http://www.hy.gov.cn/module/download/downfile.jsp?filename=a.wps&id=3",
    ]


def test_years_for_since() -> None:
    assert title_year("雁峰区2020年政府信息公开工作年度报告") == 2020
    assert title_year("政府信息公开工作年度报告") is None
    assert url_year("http://x/xxgk/202101/t20210128_901.html") == 2021
    assert url_year("http://x/art/2019/1/10/art_1_2.html") == 2019
    assert url_year("http://x/col/col1/index.html") is None
    since = 2021
    assert older_than(Link("http://x/202201/t20220101_1.html", "2020年政府信息公开年报"), since)
    assert not older_than(Link("http://x/202201/t20220101_1.html", "2021年政府信息公开年报"), since)
    # no year in the title: a URL published in 2021 may hold the 2020 or 2021 report: keep it
    assert not older_than(Link("http://x/202101/t20210101_1.html", "政府信息公开年报"), since)
    assert older_than(Link("http://x/202001/t20200101_1.html", "政府信息公开年报"), since)
