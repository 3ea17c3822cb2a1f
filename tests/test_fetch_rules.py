"""Pure rules of the crawler: URLs, robots.txt, block/soft-404 verdicts, Retry-After."""

from __future__ import annotations

import email.utils

import pytest
from tenacity import RetryCallState

from report_harvester.fetch.classify import classify, is_challenge
from report_harvester.fetch.retry import RetryableStatus, _Wait, parse_retry_after, retryable
from report_harvester.fetch.robots import Robots
from report_harvester.fetch.sources import HarvestSettings
from report_harvester.fetch.urls import (
    canonical_url,
    directory_of,
    host_allowed,
    try_canonical,
    url_key,
)

# -- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://WWW.Example.GOV.cn:80/a/./b/../c.html#frag", "http://www.example.gov.cn/a/c.html"),
        ("https://x.gov.cn:443", "https://x.gov.cn/"),
        ("https://x.gov.cn:8443/col/", "https://x.gov.cn:8443/col/"),
        ("http://x.gov.cn/list.jsp?b=2&a=1&page=3", "http://x.gov.cn/list.jsp?b=2&a=1&page=3"),
        ("http://x.gov.cn/l.jsp?uid=5&pageNum=2#top", "http://x.gov.cn/l.jsp?uid=5&pageNum=2"),
        ("http://x.gov.cn/报告.html", "http://x.gov.cn/%E6%8A%A5%E5%91%8A.html"),
        ("http://x.gov.cn/a%20b.html", "http://x.gov.cn/a%20b.html"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


def test_url_key_ignores_parameter_order_only() -> None:
    assert url_key("http://x.gov.cn/l.jsp?uid=5&pageNum=2") == url_key(
        "http://x.gov.cn/l.jsp?pageNum=2&uid=5"
    )
    assert url_key("http://x.gov.cn/l.jsp?uid=5") != url_key("http://x.gov.cn/l.jsp?uid=6")
    assert url_key("http://x.gov.cn/a.html") == "http://x.gov.cn/a.html"


def test_relative_links_and_non_http() -> None:
    base = "http://x.gov.cn/xxgk/zfxxgknb/index.html"
    assert canonical_url("index_1.html", base) == "http://x.gov.cn/xxgk/zfxxgknb/index_1.html"
    assert canonical_url("../art/1.html", base) == "http://x.gov.cn/xxgk/art/1.html"
    assert canonical_url("?page=2", base) == "http://x.gov.cn/xxgk/zfxxgknb/index.html?page=2"
    assert try_canonical("javascript:void(0)", base) is None
    assert try_canonical("mailto:a@b.cn", base) is None
    assert directory_of(base) == "http://x.gov.cn/xxgk/zfxxgknb/"


def test_host_allowed() -> None:
    hosts = ["www.example.gov.cn", "127.0.0.1:8001", "*.hy.gov.cn"]
    assert host_allowed("https://www.example.gov.cn/a", hosts)
    assert host_allowed("http://www.example.gov.cn/a", hosts)
    assert not host_allowed("http://www.example.gov.cn:8080/a", hosts)
    assert host_allowed("http://127.0.0.1:8001/a", hosts)
    assert not host_allowed("http://127.0.0.1:8002/a", hosts)
    assert host_allowed("http://yf.hy.gov.cn/a", hosts)
    assert not host_allowed("http://evilhy.gov.cn/a", hosts)
    assert not host_allowed("http://mirror.example.com/a", hosts)


# -- robots.txt ---------------------------------------------------------------------------------

ROBOTS = """\
User-agent: BadBot
Disallow: /

User-agent: report-harvester
Disallow: /xxgk/private/
Allow: /xxgk/private/public.html
Disallow: /*.pdf$
Crawl-delay: 2.5

User-agent: *
Disallow: /search
Crawl-delay: 10
"""


def test_robots_group_for_our_agent_and_longest_match() -> None:
    robots = Robots.parse(ROBOTS)
    ua = "report-harvester/0.1 (+mailto:a@b.cn)"
    assert robots.allowed("http://x/xxgk/index.html", ua)
    assert not robots.allowed("http://x/xxgk/private/a.html", ua)
    assert robots.allowed("http://x/xxgk/private/public.html", ua)
    assert not robots.allowed("http://x/files/r.pdf", ua)
    assert robots.allowed("http://x/files/r.pdf?download=1", ua)
    assert robots.allowed("http://x/search", ua)  # only the * group says so
    assert robots.crawl_delay(ua) == 2.5


def test_robots_falls_back_to_star_group() -> None:
    robots = Robots.parse(ROBOTS)
    assert not robots.allowed("http://x/search?q=1", "OtherBot/1.0")
    assert robots.crawl_delay("OtherBot/1.0") == 10.0
    assert not robots.allowed("http://x/anything", "BadBot/2")
    assert robots.allowed("http://x/robots.txt", "BadBot/2")


def test_robots_policies() -> None:
    assert Robots.allow_all().allowed("http://x/a", "ua")
    denied = Robots.disallow_all("robots.txt unavailable (HTTP 503)")
    assert not denied.allowed("http://x/a", "ua")
    assert Robots.parse("User-agent: *\nDisallow:\n").allowed("http://x/a", "ua")
    assert Robots.parse("").crawl_delay("ua") is None


# -- verdicts -----------------------------------------------------------------------------------


def test_classify_blocks_and_challenges() -> None:
    assert classify(412, {}, b"") == "blocked"
    assert classify(202, {}, b"<html><script>var x=1;</script></html>") == "blocked"
    jsl = b"<script>document.cookie=('__jsl_clearance=1');location.href=location.pathname</script>"
    assert classify(200, {}, jsl) == "blocked"
    assert classify(200, {}, b"<html><script>var arg1='AB'; acw_sc__v2</script></html>") == "blocked"
    assert classify(200, {}, "<p>请开启JavaScript并刷新该页</p>".encode()) == "blocked"
    assert classify(200, {}, b"<noscript>Please enable JavaScript</noscript>") == "blocked"
    assert classify(200, {"set-cookie": "__jsl_clearance_s=1; path=/"}, b"x" * 50000) == "blocked"


def test_classify_soft_404_and_real_pages() -> None:
    assert classify(200, {}, "<h1>对不起，您访问的页面不存在！</h1>".encode()) == "soft_404"
    assert classify(200, {}, "<h1>页面不存在</h1>".encode("gb18030")) == "soft_404"
    big = ("<p>正文</p>" * 3000 + "<noscript>请开启JavaScript</noscript>").encode()
    assert classify(200, {}, big) == "ok"  # a long real page with a <noscript> notice
    long_404 = ("<p>报告正文</p>" * 2000 + "页面不存在").encode()
    assert classify(200, {}, long_404) == "ok"
    assert classify(404, {}, b"not found") == "ok"  # a real 404 is the fetcher's business
    assert not is_challenge("<html><body>2021年政府信息公开工作年度报告</body></html>".encode(), {})


# -- Retry-After and what is retried -------------------------------------------------------------


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == 30.0
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


def _state_with(exc: BaseException, attempt: int = 1) -> RetryCallState:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempt
    state.set_exception((type(exc), exc, None))
    return state


def test_wait_prefers_retry_after_capped() -> None:
    wait = _Wait(HarvestSettings(backoff=0.5, max_backoff=4, max_retry_after=120))
    assert wait(_state_with(RetryableStatus("u", 429, 3.0))) == 3.0
    assert wait(_state_with(RetryableStatus("u", 503, 3600.0))) == 120.0
    backoff = wait(_state_with(RetryableStatus("u", 503, None), attempt=3))
    assert 2.0 <= backoff <= 2.5  # 0.5 * 2**2 plus up to 0.5 of jitter


def test_what_is_retried() -> None:
    import httpx

    assert retryable(RetryableStatus("u", 503, None))
    assert retryable(httpx.ReadTimeout("slow"))
    assert retryable(httpx.ConnectError("refused"))
    assert retryable(httpx.RemoteProtocolError("peer closed connection"))
    assert not retryable(httpx.UnsupportedProtocol("ftp"))
    assert not retryable(ValueError("x"))
