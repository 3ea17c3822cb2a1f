"""Test helpers: small portals on 127.0.0.1 (real sockets) and pages written for them.

Built on the package's own server (report_harvester.demo_portal.server): one
ThreadingHTTPServer per virtual host, each on an ephemeral port, with a request log
(arrival times from time.monotonic) for asserting order and spacing.
"""

from __future__ import annotations

import html
import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from report_harvester.demo_portal.server import Portal, Reply, Request, Route, VirtualHost
from report_harvester.fetch.crawl import HarvestOptions, run_harvest
from report_harvester.fetch.sources import HarvestSettings, Source
from report_harvester.fetch.stats import HarvestSummary

__all__ = [
    "Portal",
    "Reply",
    "Request",
    "VirtualHost",
    "fast_settings",
    "harvest",
    "list_page",
    "page",
    "report_page",
    "rows",
    "sequence",
]

FAST = {
    "delay": 0.0,
    "per_host": 1,
    "concurrency": 8,
    "timeout": 2.0,
    "retries": 2,
    "backoff": 0.01,
    "max_backoff": 0.05,
    "user_agent": "report-harvester-test/0.1",
}


def fast_settings(**overrides: object) -> HarvestSettings:
    """Settings for tests: no politeness delay, tiny backoff, short timeout."""
    return HarvestSettings.model_validate({**FAST, **overrides})


def page(title: str, body: str, *, charset: str = "utf-8") -> bytes:
    """An HTML page declaring ``charset`` in <meta>, encoded in it (gb2312 → gb18030 bytes)."""
    codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    doc = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html;'
        f' charset={charset}"><title>{html.escape(title)}</title></head><body>{body}'
        "</body></html>"
    )
    return doc.encode(codec)


def list_page(
    links: Iterable[tuple[str, str]], *, pager: str = "", charset: str = "utf-8", extra: str = ""
) -> bytes:
    """A column page listing ``links`` = (href, text)."""
    items = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in links)
    return page("政府信息公开年报", f'<ul class="list">{items}</ul>{extra}{pager}', charset=charset)


def report_page(title: str, *, charset: str = "utf-8", extra: str = "") -> bytes:
    """A small report page: title and a statistics-period sentence."""
    body = (
        f'<h1>{html.escape(title)}</h1><div class="TRS_Editor"><p>本报告所列数据的统计期限自'
        f"2021年1月1日起至2021年12月31日止。</p><p>一、总体情况</p><p>内容。</p>{extra}</div>"
    )
    return page(title, body, charset=charset)


def sequence(*replies: Reply) -> Callable[[Request], Reply]:
    """A route answering ``replies`` in turn, the last one from then on (thread-safe)."""
    lock = threading.Lock()
    counter = itertools.count()

    def route(request: Request) -> Reply:
        with lock:
            n = next(counter)
        return replies[min(n, len(replies) - 1)]

    return route


def harvest(
    sources: list[Source],
    db: Path,
    *,
    settings: HarvestSettings | None = None,
    since: int | None = None,
    dry_run: bool = False,
    max_time: float | None = None,
) -> HarvestSummary:
    """Run a real harvest (real Store at ``db``) with quiet progress."""
    options = HarvestOptions(
        db_path=db, since=since, dry_run=dry_run, max_time=max_time, trust_env=False
    )
    return run_harvest(sources, settings or fast_settings(), options)


def rows(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """The rows a query gives on the database at ``db`` (a fresh connection)."""
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def source(sid: str, *start_urls: str, **kw: object) -> Source:
    """A Source for a test portal."""
    return Source.model_validate({"id": sid, "start_urls": list(start_urls), **kw})


Routes = dict[str, Route]
