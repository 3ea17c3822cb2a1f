"""Harvests against portals that are slow, broken or picky, over real sockets on 127.0.0.1.

Every test here stops by itself: a trickling server is cut off by the request deadline,
a stuck run by ``max_time``; nothing waits on a server to be kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portal_server import (
    Portal,
    Reply,
    Request,
    VirtualHost,
    fast_settings,
    harvest,
    list_page,
    page,
    report_page,
    rows,
    source,
)
from report_harvester.errors import StoreError

HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
TITLE = "某某区{}年政府信息公开工作年度报告"
NOT_FOUND = Reply(404, b"<html><body>404</body></html>", HTML_UTF8, conditional=False)


@pytest.fixture
def portal() -> Iterator[Portal]:
    with Portal([VirtualHost("p")]) as p:
        yield p


def test_query_parameters_go_out_in_the_order_the_link_gave(
    portal: Portal, tmp_path: Path
) -> None:
    """A portal that reads ``uid`` first answers 404 to a reordered query."""
    host = portal.hosts["p"]

    def pages(request: Request) -> Reply:
        query = request.path.partition("?")[2]
        if query == "uid=5&pageNum=1":
            return Reply(200, list_page(
                [("/r2022.html", TITLE.format(2022))],
                pager='<a href="list.jsp?uid=5&pageNum=2">下一页</a>'), HTML_UTF8)
        if query == "uid=5&pageNum=2":
            return Reply(200, list_page([("/r2021.html", TITLE.format(2021))]), HTML_UTF8)
        return NOT_FOUND

    host.add("/list.jsp", pages)
    for year in (2022, 2021):
        host.add(f"/r{year}.html", Reply(200, report_page(TITLE.format(year)), HTML_UTF8))
    db = tmp_path / "r.db"
    summary = harvest([source("p", portal.url("p", "/list.jsp?uid=5&pageNum=1"))], db)
    assert summary.exit_code == 0
    assert [p for p in host.paths() if p.startswith("/list")] == [
        "/list.jsp?uid=5&pageNum=1", "/list.jsp?uid=5&pageNum=2"
    ]
    assert sorted(r[0] for r in rows(db, "SELECT url FROM documents")) == [
        portal.url("p", "/r2021.html"), portal.url("p", "/r2022.html")
    ]


def test_max_time_stops_a_stuck_run_and_the_next_run_finishes(
    portal: Portal, tmp_path: Path
) -> None:
    host = portal.hosts["p"]
    host.add("/list.html", Reply(200, list_page(
        [(f"/r{y}.html", TITLE.format(y)) for y in (2022, 2021)]), HTML_UTF8))
    host.add("/r2022.html", Reply(200, report_page(TITLE.format(2022)), HTML_UTF8))
    host.add("/r2021.html", Reply(200, report_page(TITLE.format(2021)), HTML_UTF8, trickle=1.0))
    db = tmp_path / "r.db"
    src = [source("p", portal.url("p", "/list.html"))]
    settings = fast_settings(deadline=600, timeout=600)  # only max_time can end the trickle
    first = harvest(src, db, settings=settings, max_time=1.5)
    assert (first.status, first.exit_code) == ("timed_out", 1)
    assert rows(db, "SELECT status FROM harvest_runs") == [("timed_out",)]
    host.add("/r2021.html", Reply(200, report_page(TITLE.format(2021)), HTML_UTF8))
    second = harvest(src, db)
    assert (second.status, second.exit_code) == ("ok", 0)
    assert sorted(r[0] for r in rows(db, "SELECT url FROM documents")) == [
        portal.url("p", "/r2021.html"), portal.url("p", "/r2022.html")
    ]


def test_a_huge_robots_txt_is_obeyed_as_far_as_it_is_read(portal: Portal, tmp_path: Path) -> None:
    """10 MiB, over the size cap, starting with ``Disallow: /``: nothing may be crawled."""
    host = portal.hosts["p"]
    huge = b"User-agent: *\nDisallow: /\n" + b"# padding padding padding\n" * 400_000
    host.add("/robots.txt", Reply(200, huge, {"Content-Type": "text/plain"}))
    host.add("/list.html", Reply(200, list_page([("/r.html", TITLE.format(2022))]), HTML_UTF8))
    db = tmp_path / "r.db"
    summary = harvest([source("p", portal.url("p", "/list.html"))], db,
                      settings=fast_settings(max_bytes=1_000_000))
    assert host.paths() == ["/robots.txt"]
    assert summary.stats["p"].skipped == 1
    assert rows(db, "SELECT kind, outcome, bytes FROM fetches ORDER BY id") == [
        ("robots", "fetched", 512 * 1024), ("list", "robots_denied", 0)
    ]


def test_a_page_that_claims_fifty_million_list_pages_costs_only_the_cap(
    portal: Portal, tmp_path: Path
) -> None:
    host = portal.hosts["p"]
    pager = '<script>createPageHTML(50000000, 0, "index", "html");</script>'
    host.add("/col/index.html", Reply(200, list_page(
        [("/r.html", TITLE.format(2022))], pager=pager), HTML_UTF8))
    host.add("/r.html", Reply(200, report_page(TITLE.format(2022)), HTML_UTF8))
    src = source("p", portal.url("p", "/col/index.html"), max_list_pages=3)
    summary = harvest([src], tmp_path / "r.db")
    assert [p for p in host.paths() if p.startswith("/col/")] == [
        "/col/index.html", "/col/index_1.html", "/col/index_2.html"
    ]
    assert summary.stats["p"].fetched == 1


def test_a_page_that_takes_forever_to_parse_is_stored_unparsed_while_others_go_on(
    tmp_path: Path,
) -> None:
    deep = "<div>" * 100_000 + "政府信息公开工作年度报告" + "</div>" * 100_000
    with Portal([VirtualHost("p"), VirtualHost("q")]) as portal:
        p, q = portal.hosts["p"], portal.hosts["q"]
        p.add("/list.html", Reply(200, list_page([("/deep.html", TITLE.format(2022))]), HTML_UTF8))
        p.add("/deep.html", Reply(200, report_page(TITLE.format(2022), extra=deep), HTML_UTF8))
        q.add("/list.html", Reply(200, list_page(
            [(f"/r{y}.html", TITLE.format(y)) for y in range(2015, 2023)]), HTML_UTF8))
        for y in range(2015, 2023):
            q.add(f"/r{y}.html", Reply(200, report_page(TITLE.format(y)), HTML_UTF8))
        db = tmp_path / "r.db"
        settings = fast_settings(delay=0.25, parse_workers=2, parse_timeout=3)
        summary = harvest([source("p", portal.url("p", "/list.html")),
                           source("q", portal.url("q", "/list.html"))], db, settings=settings)
    assert summary.stats["q"].fetched == 8
    assert rows(db, "SELECT url, error_code FROM documents WHERE url LIKE '%deep%'") == [
        (portal.url("p", "/deep.html"), "parse_timeout")
    ]
    assert rows(db, "SELECT count(*) FROM reports WHERE url LIKE '%deep%'") == [(0,)]
    # q went on fetching (each report parsed before its next request) while the deep page
    # was being parsed
    deep = p.requests_for("/deep.html")[0].time
    assert len([r for r in q.requests if deep < r.time < deep + 3]) >= 3


def test_a_sources_org_reaches_the_document_so_reparse_keeps_it(
    portal: Portal, tmp_path: Path
) -> None:
    host = portal.hosts["p"]
    host.add("/list.html", Reply(200, list_page([("/r.html", TITLE.format(2022))]), HTML_UTF8))
    host.add("/r.html", Reply(200, report_page("2022年政府信息公开工作年度报告"), HTML_UTF8))
    db = tmp_path / "r.db"
    harvest([source("p", portal.url("p", "/list.html"), org="某某区财政局")], db)
    assert rows(db, "SELECT org_hint FROM documents") == [("某某区财政局",)]


def test_a_damaged_database_is_refused_before_anything_is_written(
    portal: Portal, tmp_path: Path
) -> None:
    host = portal.hosts["p"]
    host.add("/list.html", Reply(200, list_page(
        [(f"/r{y}.html", TITLE.format(y)) for y in range(2015, 2023)]), HTML_UTF8))
    for y in range(2015, 2023):
        host.add(f"/r{y}.html", Reply(200, report_page(TITLE.format(y)), HTML_UTF8))
    db = tmp_path / "r.db"
    src = [source("p", portal.url("p", "/list.html"))]
    harvest(src, db)
    [(page_size,)] = rows(db, "PRAGMA page_size")
    [(page_count,)] = rows(db, "PRAGMA page_count")
    data = bytearray(db.read_bytes())
    middle = page_count // 2
    data[middle * page_size : (middle + 2) * page_size] = b"\xa5" * (2 * page_size)
    db.write_bytes(bytes(data))
    requests = len(host.requests)
    with pytest.raises(StoreError) as info:
        harvest(src, db)
    assert str(info.value).startswith(f"database {db} is damaged (")
    assert db.read_bytes() == bytes(data)  # not a byte written, no run added
    assert len(host.requests) == requests  # and nothing fetched


def test_report_files_are_fetched_where_the_page_holds_only_a_link(
    portal: Portal, tmp_path: Path
) -> None:
    from test_parse_pdf import pdf

    host = portal.hosts["p"]
    pdf_type = {"Content-Type": "application/pdf"}
    host.add("/list.html", Reply(200, list_page([
        ("/att.html", TITLE.format(2022)),            # a page holding only a link to its file
        ("/files/r2021.pdf", TITLE.format(2021)),     # the list links the file itself
        ("/tables.html", TITLE.format(2020)),         # a page with its own text and a copy
        ("/files/big.pdf", TITLE.format(2019)),       # over the attachment size cap
    ]), HTML_UTF8))
    link = '<a href="/files/r2022.pdf">某某区2022年政府信息公开工作年度报告.pdf</a>'
    host.add("/att.html", Reply(200, page(TITLE.format(2022), link), HTML_UTF8))
    full = (PAGES / "09-2021-balance-fails.html").read_bytes().replace(
        b"</body>", '<a href="/files/r2020.pdf">年度报告.pdf</a></body>'.encode())
    host.add("/tables.html", Reply(200, full, {"Content-Type": "text/html"}))
    for name in ("r2022", "r2021", "r2020"):
        host.add(f"/files/{name}.pdf", Reply(200, pdf(b"BT /F1 12 Tf 20 100 Td (Hi) Tj ET"),
                                             pdf_type))
    host.add("/files/big.pdf", Reply(200, pdf(b"0 0 1 1 re f " * 200), pdf_type))
    db = tmp_path / "r.db"
    harvest([source("p", portal.url("p", "/list.html"))], db,
            settings=fast_settings(attachment_max_bytes=2048))
    assert rows(db, "SELECT url, page_url, error_code FROM documents WHERE url LIKE '%.pdf'"
                    " ORDER BY url") == [
        (portal.url("p", "/files/r2021.pdf"), portal.url("p", "/list.html"), None),
        (portal.url("p", "/files/r2022.pdf"), portal.url("p", "/att.html"), None),
    ]
    assert "/files/r2020.pdf" not in host.paths()  # the page's own report is kept
    assert rows(db, "SELECT url, outcome FROM fetches WHERE kind = 'attachment' ORDER BY url") == [
        (portal.url("p", "/files/big.pdf"), "too_large"),
        (portal.url("p", "/files/r2020.pdf"), "skipped"),
        (portal.url("p", "/files/r2021.pdf"), "fetched"),
        (portal.url("p", "/files/r2022.pdf"), "fetched"),
    ]


def test_an_old_word_report_file_is_fetched_and_read(portal: Portal, tmp_path: Path) -> None:
    """A list that links the report as a Word 97-2003 .doc: fetched like a PDF, and its
    tables read (every table 三 row of the fixture, 总计 left blank as printed)."""
    host = portal.hosts["p"]
    host.add("/list.html", Reply(200, list_page([("/files/r2019.doc", TITLE.format(2019))]),
                                 HTML_UTF8))  # fmt: skip
    host.add("/files/r2019.doc", Reply(200, (PAGES / "24-2019-word97-doc.doc").read_bytes(),
                                       {"Content-Type": "application/msword"}))  # fmt: skip
    db = tmp_path / "r.db"
    harvest([source("p", portal.url("p", "/list.html"))], db)
    assert rows(db, "SELECT url, encoding_method, error_code FROM documents") == [
        (portal.url("p", "/files/r2019.doc"), "doc", None)
    ]
    assert rows(db, "SELECT kind, format, year FROM reports") == [("report", "2019", 2019)]
    # 23 rows of 7 cells, the 总计 of each blank
    assert rows(db, "SELECT count(*), count(value) FROM applications") == [(161, 161 - 23)]


def test_a_report_file_on_another_host_needs_that_host_allowed_for_files(tmp_path: Path) -> None:
    from test_parse_pdf import pdf

    with Portal([VirtualHost("p"), VirtualHost("files")]) as portal:
        p, files = portal.hosts["p"], portal.hosts["files"]
        p.add("/list.html", Reply(200, list_page(
            [(portal.url("files", "/r2021.pdf"), TITLE.format(2021))]), HTML_UTF8))
        files.add("/r2021.pdf", Reply(200, pdf(b"BT /F1 12 Tf 20 100 Td (Hi) Tj ET"),
                                      {"Content-Type": "application/pdf"}))
        start = portal.url("p", "/list.html")
        refused = tmp_path / "refused.db"
        harvest([source("p", start)], refused)
        allowed = tmp_path / "allowed.db"
        harvest([source("p", start, attachment_hosts=[portal.netloc("files")])], allowed)
        assert [r.path for r in files.requests if r.path.endswith(".pdf")] == ["/r2021.pdf"]
    assert rows(refused, "SELECT count(*) FROM documents") == [(0,)]
    assert rows(allowed, "SELECT url, page_url FROM documents") == [
        (portal.url("files", "/r2021.pdf"), start)
    ]
