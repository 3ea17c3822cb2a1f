"""Whole harvests over real sockets into a real Store.

A portal of three hosts: ``a`` (TRS, UTF-8, createPageHTML paging, a GBK department
sub-column, robots.txt with Disallow and Crawl-delay), ``b`` (GBK without a header
charset, ``?page=N`` with 下一页, a last page that repeats) and ``c`` (faults).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal_server import (
    Portal,
    Reply,
    VirtualHost,
    fast_settings,
    harvest,
    list_page,
    report_page,
    rows,
    sequence,
    source,
)
from report_harvester.errors import HarvestLockedError
from report_harvester.fetch.lock import HarvestLock
from report_harvester.fetch.sources import Source

T21 = "雁峰区人民政府2021年政府信息公开工作年度报告"
T20 = "雁峰区人民政府2020年政府信息公开工作年度报告"
T19 = "雁峰区人民政府2019年政府信息公开工作年度报告"
TCZ = "雁峰区财政局2021年政府信息公开工作年度报告"
TB = ["雁峰区教育局2021年政府信息公开工作年度报告", "雁峰区教育局2020年政府信息公开工作年度报告",
      "雁峰区教育局2019年政府信息公开工作年度报告"]
HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}
HTML = {"Content-Type": "text/html"}


def trs(n: int, cur: int) -> str:
    return f'<script>createPageHTML({n}, {cur}, "index", "html");</script>'


def host_a() -> VirtualHost:
    a = VirtualHost("a")
    a.add("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.05\n",
                               {"Content-Type": "text/plain"}))
    a.add("/col/index.html", Reply(200, list_page(
        [("./2022/t20220125_1.html", T21), ("/private/t20230101_9.html", T21 + "（草稿）"),
         ("./2022/t20220126_2.html", f"《{T21}》解读"), ("czj/index.html", "区财政局")],
        pager=trs(3, 0)), HTML_UTF8))
    a.add("/col/index_1.html", Reply(200, list_page(
        [("./2021/t20210125_3.html", T20)], pager=trs(3, 1)), HTML_UTF8))
    a.add("/col/index_2.html", Reply(200, list_page(
        [("./2020/t20200125_4.html", T19)], pager=trs(3, 2)), HTML_UTF8))
    a.add("/col/czj/index.html", Reply(200, list_page(
        [("./t20220110_5.html", TCZ)], pager="<script>var countPage = 1;</script>",
        charset="gb2312"), HTML))
    a.add("/col/2022/t20220125_1.html", Reply(200, report_page(T21), HTML_UTF8))
    a.add("/col/2021/t20210125_3.html", Reply(200, report_page(T20), HTML_UTF8))
    a.add("/col/2020/t20200125_4.html", Reply(200, report_page(T19), HTML_UTF8))
    a.add("/col/czj/t20220110_5.html",
          Reply(200, report_page(TCZ, charset="gb2312", extra="<p>联系人：王昇</p>"), HTML))
    return a


def host_b() -> VirtualHost:
    b = VirtualHost("b")

    def pager(n: int) -> str:
        return f'<a href="list.jsp?page={n - 1}">上一页</a><a href="list.jsp?page={n + 1}">下一页</a>'

    first = list_page([("/art/2022/1/1/art_1.html", TB[0])], pager=pager(1), charset="gbk")
    second = list_page([("/art/2021/1/1/art_2.html", TB[1]), ("/art/2020/1/1/art_3.html", TB[2])],
                       pager=pager(2), charset="gbk")
    b.add("/list.jsp", Reply(200, first, HTML))
    b.add("/list.jsp?page=1", Reply(200, first, HTML))
    b.add("/list.jsp?page=2", Reply(200, second, HTML))
    b.add("/list.jsp?page=3", Reply(200, second, HTML))  # past the end: page 2 again
    for i, title in enumerate(TB, 1):
        year = 2023 - i
        b.add(f"/art/{year}/1/1/art_{i}.html", Reply(200, report_page(title, charset="gbk"), HTML))
    return b


@pytest.fixture
def portal() -> Iterator[Portal]:
    with Portal([host_a(), host_b(), VirtualHost("c")]) as p:
        yield p


def a_and_b(portal: Portal) -> list[Source]:
    return [source("a", portal.url("a", "/col/index.html")),
            source("b", portal.url("b", "/list.jsp"))]


def test_harvest_walks_pagination_sub_columns_and_encodings(portal: Portal, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    summary = harvest(a_and_b(portal), db)
    a, b = portal.url("a"), portal.url("b")
    assert summary.exit_code == 0 and summary.status == "ok"
    assert sorted(r[0] for r in rows(db, "SELECT url FROM documents")) == sorted([
        f"{a}col/2022/t20220125_1.html", f"{a}col/2021/t20210125_3.html",
        f"{a}col/2020/t20200125_4.html", f"{a}col/czj/t20220110_5.html",
        f"{b}art/2022/1/1/art_1.html", f"{b}art/2021/1/1/art_2.html", f"{b}art/2020/1/1/art_3.html",
    ])
    # GBK pages (declared gb2312, one with a GBK-only character) decode: the titles are right
    titles = dict(rows(db, "SELECT url, title FROM reports"))
    assert titles[f"{a}col/czj/t20220110_5.html"] == TCZ
    assert titles[f"{b}art/2022/1/1/art_1.html"] == TB[0]
    sa, sb = summary.stats["a"], summary.stats["b"]
    assert (sa.list_pages, sa.found, sa.fetched, sa.skipped) == (4, 5, 4, 1)
    assert (sb.list_pages, sb.found, sb.fetched) == (3, 3, 3)
    # the 解读 page is never requested; robots.txt denies /private/
    assert all("t20220126_2" not in p for p in portal.hosts["a"].paths())
    assert all(not p.startswith("/private/") for p in portal.hosts["a"].paths())
    assert rows(db, "SELECT outcome FROM fetches WHERE url LIKE '%/private/%'") == [
        ("robots_denied",)
    ]
    # ?page=N walk: page 3 repeats page 2, so page 4 is never asked for
    assert sorted(p for p in portal.hosts["b"].paths() if p.startswith("/list")) == [
        "/list.jsp", "/list.jsp?page=2", "/list.jsp?page=3"
    ]


def test_parsing_in_worker_processes_stores_the_same(portal: Portal, tmp_path: Path) -> None:
    threads, processes = tmp_path / "threads.db", tmp_path / "processes.db"
    harvest(a_and_b(portal), threads)
    summary = harvest(a_and_b(portal), processes, settings=fast_settings(parse_workers=2))
    assert (summary.exit_code, summary.totals().fetched) == (0, 7)
    query = "SELECT locator, sha256 FROM documents ORDER BY 1"
    assert rows(processes, query) == rows(threads, query)
    query = "SELECT url, title, format, kind FROM reports ORDER BY 1"
    assert rows(processes, query) == rows(threads, query)


def test_robots_crawl_delay_spaces_requests(portal: Portal, tmp_path: Path) -> None:
    robots = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.25\n"
    portal.hosts["a"].add("/robots.txt", Reply(200, robots, {"Content-Type": "text/plain"}))
    harvest([source("a", portal.url("a", "/col/index.html"))], tmp_path / "r.db")
    requests = portal.hosts["a"].requests
    assert requests[0].path == "/robots.txt"
    starts = [r.time for r in requests]
    assert len(starts) == 9  # robots + 4 list pages + 4 reports
    # Starts are 0.25 s apart (settings say 0); the first request (robots.txt) also
    # opened the connection. An arrival the busy machine delays shortens the gap after it
    # by as much: each gap is held to half the delay (a burst would be ~1 ms), all seven
    # together to the whole of it.
    spacing = [later - earlier for earlier, later in itertools.pairwise(starts[1:])]
    assert all(g >= 0.125 for g in spacing), spacing
    assert sum(spacing) >= 7 * 0.25 - 0.1, spacing


def test_every_request_is_logged_and_the_run_counted(portal: Portal, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    summary = harvest(a_and_b(portal), db)
    assert rows(db, "SELECT kind, outcome, count(*) FROM fetches GROUP BY 1, 2 ORDER BY 1, 2") == [
        ("list", "fetched", 7),
        ("report", "fetched", 7),
        ("report", "robots_denied", 1),
        ("robots", "fetched", 2),
    ]
    [(status, fetched, new, failed)] = rows(
        db, "SELECT status, fetched, new, failed FROM harvest_runs WHERE id = ?", summary.run_id
    )
    assert (status, fetched, new, failed) == ("ok", 7, 7, 0)


def test_second_run_gets_304s_and_a_changed_page_is_a_new_version(
    portal: Portal, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    harvest(a_and_b(portal), db)
    changed = report_page(T19, extra="<p>更正：第三部分数据有误，已更正。</p>")
    portal.hosts["a"].add("/col/2020/t20200125_4.html", Reply(200, changed, HTML_UTF8))
    second = harvest(a_and_b(portal), db)
    assert second.exit_code == 0
    totals = second.totals()
    assert (totals.not_modified, totals.unchanged, totals.new_version, totals.new) == (6, 6, 1, 0)
    outcomes = rows(db, "SELECT outcome, status, count(*) FROM fetches WHERE run_id = ?"
                        " AND kind = 'report' GROUP BY 1, 2 ORDER BY 1", second.run_id)
    assert outcomes == [("fetched", 200, 1), ("not_modified", 304, 6), ("robots_denied", None, 1)]
    reqs = portal.hosts["a"].requests_for("/col/2021/t20210125_3.html")
    assert "if-none-match" in reqs[1].headers
    assert rows(db, "SELECT count(*) FROM documents") == [(8,)]
    assert rows(db, "SELECT count(*) FROM reports WHERE current = 1") == [(7,)]


@pytest.mark.parametrize(
    "blocked",
    [
        Reply(412, b"", HTML),
        Reply(200, b"<html><script>document.cookie='__jsl_clearance=1';location.reload()</script>",
              HTML),
        Reply(202, b"<html><script>var arg1='3B2F';</script></html>", HTML),
    ],
    ids=["412", "200-challenge", "202-script"],
)
def test_blocked_host_is_recorded_and_backed_off(
    portal: Portal, tmp_path: Path, blocked: Reply
) -> None:
    c = portal.hosts["c"]
    c.add("/list.html", Reply(200, list_page(
        [(f"/r{i}.html", f"{2022 - i}年政府信息公开工作年度报告") for i in range(3)]), HTML_UTF8))
    c.add("/r0.html", blocked)
    for i in (1, 2):
        c.add(f"/r{i}.html", Reply(200, report_page("x"), HTML_UTF8))
    db = tmp_path / "r.db"
    summary = harvest([source("c", portal.url("c", "/list.html"))], db)
    assert summary.exit_code == 1
    stats = summary.stats["c"]
    assert (stats.blocked, stats.skipped, stats.fetched) == (1, 2, 0)
    assert [(p.url, p.outcome) for p in summary.problems] == [(portal.url("c", "/r0.html"), "blocked")]
    assert c.paths() == ["/robots.txt", "/list.html", "/r0.html"]  # nothing after the block
    assert rows(db, "SELECT outcome, count(*) FROM fetches WHERE kind = 'report' GROUP BY 1") == [
        ("blocked", 1), ("skipped", 2)
    ]
    assert rows(db, "SELECT count(*) FROM documents") == [(0,)]


def test_soft_404_and_offhost_redirect_are_failures(portal: Portal, tmp_path: Path) -> None:
    c = portal.hosts["c"]
    c.add("/list.html", Reply(200, list_page(
        [("/gone.html", "2021年政府信息公开工作年度报告"),
         ("/moved.html", "2020年政府信息公开工作年度报告")]), HTML_UTF8))
    c.add("/gone.html", Reply(200, "<h1>抱歉，您访问的页面不存在</h1>".encode(), HTML_UTF8))
    c.add("/moved.html", Reply(302, headers={"Location": portal.url("b", "/art/2022/1/1/art_1.html")}))
    summary = harvest([source("c", portal.url("c", "/list.html"))], tmp_path / "r.db")
    assert summary.exit_code == 1
    assert sorted((p.url.rsplit("/", 1)[1], p.outcome) for p in summary.problems) == [
        ("gone.html", "soft_404"), ("moved.html", "offhost_redirect")
    ]
    assert portal.hosts["b"].requests == []


def test_robots_unavailable_means_the_host_is_not_crawled(portal: Portal, tmp_path: Path) -> None:
    c = portal.hosts["c"]
    c.add("/robots.txt", Reply(503))
    c.add("/list.html", Reply(200, list_page([]), HTML_UTF8))
    summary = harvest([source("c", portal.url("c", "/list.html"))], tmp_path / "r.db",
                      settings=fast_settings(retries=1))
    assert c.paths() == ["/robots.txt", "/robots.txt"]
    assert [(p.kind, p.outcome) for p in summary.problems] == [("robots", "failed")]
    assert (summary.stats["c"].skipped, summary.stats["c"].list_pages) == (1, 0)
    assert summary.exit_code == 1


def test_failed_list_page_and_retry_to_success(portal: Portal, tmp_path: Path) -> None:
    c = portal.hosts["c"]
    c.add("/list.html", sequence(Reply(503), Reply(200, list_page(
        [("/r.html", "2021年政府信息公开工作年度报告")]), HTML_UTF8)))
    c.add("/r.html", sequence(Reply(500), Reply(500), Reply(200, report_page("x"), HTML_UTF8)))
    db = tmp_path / "r.db"
    summary = harvest([source("c", portal.url("c", "/list.html"))], db)
    assert summary.exit_code == 0
    assert rows(db, "SELECT kind, attempts, outcome FROM fetches WHERE kind != 'robots'"
                    " ORDER BY id") == [("list", 2, "fetched"), ("report", 3, "fetched")]


def test_dry_run_fetches_lists_only(portal: Portal, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    summary = harvest(a_and_b(portal), db, dry_run=True)
    assert summary.dry_run and summary.exit_code == 0
    assert len(summary.would_fetch) == 7  # robots.txt denies the eighth
    assert (summary.stats["a"].found, summary.stats["a"].fetched) == (5, 0)
    assert list(tmp_path.iterdir()) == []  # no database, no lock file
    assert not any(p.startswith("/art/") for p in portal.hosts["b"].paths())


def test_since_leaves_older_reports_out(portal: Portal, tmp_path: Path) -> None:
    summary = harvest(a_and_b(portal), tmp_path / "r.db", since=2021)
    assert (summary.stats["a"].found, summary.stats["a"].too_old) == (3, 2)
    assert (summary.stats["b"].found, summary.stats["b"].too_old) == (1, 2)
    assert "/col/2020/t20200125_4.html" not in portal.hosts["a"].paths()


def test_max_list_pages_caps_the_walk(portal: Portal, tmp_path: Path) -> None:
    src = source("a", portal.url("a", "/col/index.html"), max_list_pages=2)
    summary = harvest([src], tmp_path / "r.db")
    assert summary.stats["a"].list_pages == 2
    assert [p for p in portal.hosts["a"].paths() if "index" in p] == [
        "/col/index.html", "/col/index_1.html"
    ]


def test_attachment_links_are_recorded_not_fetched(portal: Portal, tmp_path: Path) -> None:
    c = portal.hosts["c"]
    c.add("/list.html", Reply(200, list_page([("/r.html", "2021年政府信息公开工作年度报告")]),
                              HTML_UTF8))
    c.add("/r.html", Reply(200, report_page("x", extra='<a href="/f/P0201.pdf">附件.pdf</a>'),
                           HTML_UTF8))
    db = tmp_path / "r.db"
    harvest([source("c", portal.url("c", "/list.html"))], db)
    assert rows(db, "SELECT url, outcome, attempts FROM fetches WHERE kind = 'attachment'") == [
        (portal.url("c", "/f/P0201.pdf"), "skipped", 0)
    ]
    assert "/f/P0201.pdf" not in c.paths()


def test_a_second_harvest_on_the_same_db_is_refused(portal: Portal, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with HarvestLock(db), pytest.raises(HarvestLockedError) as info:
        harvest(a_and_b(portal), db)
    message = str(info.value)
    assert message.startswith(f"another harvest (pid {__import__('os').getpid()}) is running on {db}")
    assert " since 20" in message
    assert portal.hosts["a"].requests == []
    harvest(a_and_b(portal), db)  # the lock is gone with its holder


def test_a_symlinked_path_shares_the_lock(portal: Portal, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    link = tmp_path / "link.db"
    link.symlink_to(db)
    with HarvestLock(db), pytest.raises(HarvestLockedError):
        harvest(a_and_b(portal), link)
    assert portal.hosts["a"].requests == []
