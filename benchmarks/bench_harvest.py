"""Harvest throughput against politeness: 40 hosts × 50 reports on 127.0.0.1.

Every response is delayed 50 ms; the crawler runs with delay = 0.2 s and
per_host = 1, so no host can serve faster than one request per 0.2 s. The ideal
run time is therefore max over hosts of (requests to the host × max(delay,
latency)), and the figure that matters is achieved / ideal pages per second.

The portal runs in a child process (40 ThreadingHTTPServers, one per port), so
the crawler's process is measured alone; report pages are full 2021-format
reports (about 60 KB, Word-paste tables) from the demo portal's generator, so
parsing and storing cost what they cost.

    .venv/bin/python benchmarks/bench_harvest.py [--hosts 40] [--reports 50] [--rss-pages 5000]

Then, in a fresh process, a harvest of ``--rss-pages`` reports (100 per host, same
portal) for the peak RSS of the crawler process and of its largest parser process
(0 skips it). Prints pages/second, the ideal, the peak RSS figures, and last
``achieved/ideal = X.XX``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

PER_PAGE = 20
LATENCY = 0.05
DELAY = 0.2


def _serve(conn: Connection, hosts: int, reports: int, latency: float) -> None:
    """Child process: build and serve the portal; answer 'counts' and 'stop'."""
    from report_harvester.demo_portal.build import Spec, report_page
    from report_harvester.demo_portal.server import Portal, Reply, VirtualHost

    html = {"Content-Type": "text/html; charset=utf-8"}
    bodies = [
        report_page(Spec("x", f"/r/{i}.html", f"第{i}号单位", 2021, "2022-01-20", seed=i))
        for i in range(reports)
    ]
    pages = -(-reports // PER_PAGE)
    vhosts = []
    for h in range(hosts):
        vhost = VirtualHost(f"h{h}", latency=latency)
        for p in range(pages):
            items = "".join(
                f'<li><a href="/r/{i}.html">第{i}号单位2021年政府信息公开工作年度报告</a></li>'
                for i in range(p * PER_PAGE, min(reports, (p + 1) * PER_PAGE))
            )
            pager = f'<script>createPageHTML({pages}, {p}, "index", "html");</script>'
            doc = f'<html><head><meta charset="utf-8"></head><body><ul>{items}</ul>{pager}'
            name = "index.html" if p == 0 else f"index_{p}.html"
            vhost.add(f"/col/{name}", Reply(200, (doc + "</body></html>").encode(), html))
        for i in range(reports):
            vhost.add(f"/r/{i}.html", Reply(200, bodies[i], html))
        vhost.add("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /admin/\n",
                                       {"Content-Type": "text/plain"}))
        vhosts.append(vhost)
    portal = Portal(vhosts).start()
    conn.send([portal.url(v.name, "/col/index.html") for v in vhosts])
    while True:
        message = conn.recv()
        if message == "counts":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send(({v.name: len(v.requests) for v in vhosts}, usage.ru_utime + usage.ru_stime))
        elif message == "stop":
            portal.stop()
            conn.send("stopped")
            return


def _machine_busy() -> float | None:
    """CPU seconds all processors spent busy since boot (Linux), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(f) for f in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def _peak_rss(conn: Connection, reports: int, workers: int) -> None:
    """Child process: harvest ``reports`` reports; send (own peak MB, largest parser MB)."""
    from report_harvester.fetch.crawl import HarvestOptions, run_harvest
    from report_harvester.fetch.sources import HarvestSettings, Source

    hosts = max(1, reports // 100)
    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(theirs, hosts, reports // hosts, 0.0))
    server.start()
    try:
        urls: list[str] = ours.recv()
        sources = [Source(id=f"h{i}", start_urls=[url]) for i, url in enumerate(urls)]
        settings = HarvestSettings(
            delay=0.0, per_host=1, concurrency=16, timeout=30, retries=2, parse_workers=workers
        )
        with tempfile.TemporaryDirectory() as tmp:
            options = HarvestOptions(db_path=Path(tmp) / "rss.db", trust_env=False)
            summary = run_harvest(sources, settings, options)
    finally:
        ours.send("stop")
        ours.recv()
        server.join(timeout=10)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parser = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    conn.send((own, parser, summary.totals().fetched))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument(
        "--parse-workers", type=int, default=None,
        help="parser processes (default: the number of CPUs)",
    )
    parser.add_argument("--rss-pages", type=int, default=5000)
    args = parser.parse_args()

    from report_harvester.fetch.crawl import HarvestOptions, run_harvest
    from report_harvester.fetch.sources import HarvestSettings, Source

    workers = args.parse_workers if args.parse_workers is not None else (os.cpu_count() or 1)
    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(theirs, args.hosts, args.reports, LATENCY))
    server.start()
    try:
        start_urls: list[str] = ours.recv()
        sources = [
            Source(id=f"h{i}", start_urls=[url]) for i, url in enumerate(start_urls)
        ]
        settings = HarvestSettings(
            delay=DELAY, per_host=1, concurrency=16, timeout=30, retries=2,
            user_agent="report-harvester-bench/0.1",
            parse_workers=workers,
        )
        with tempfile.TemporaryDirectory() as tmp:
            options = HarvestOptions(db_path=Path(tmp) / "bench.db", trust_env=False)
            busy0 = _machine_busy()
            t0 = time.perf_counter()
            summary = run_harvest(sources, settings, options)
            elapsed = time.perf_counter() - t0
            busy1 = _machine_busy()
        ours.send("counts")
        counts, server_cpu = ours.recv()
    finally:
        ours.send("stop")
        ours.recv()
        server.join(timeout=10)

    totals = summary.totals()
    pages = sum(counts.values())
    busiest = max(counts.values())
    ideal_seconds = busiest * max(DELAY, LATENCY)
    achieved = pages / elapsed
    ideal = pages / ideal_seconds
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(f"hosts {args.hosts} x reports {args.reports}: {pages} requests"
          f" (busiest host {busiest}), delay {DELAY}s, latency {LATENCY * 1000:.0f} ms, per_host 1,"
          f" {workers} parser process(es) on {os.cpu_count()} CPU(s)")
    print(f"stored: {totals.fetched} reports new, {totals.failed} failed, {totals.blocked} blocked;"
          f" run status {summary.status}")
    print(f"elapsed {elapsed:.2f}s; ideal {ideal_seconds:.2f}s; CPU: crawler process {cpu:.1f}s,"
          f" portal server {server_cpu:.1f}s")
    if busy0 is not None and busy1 is not None:
        cpus = os.cpu_count() or 1
        print(f"machine CPU busy during the run: {busy1 - busy0:.1f}s of {elapsed * cpus:.1f}s"
              f" ({cpus} CPUs; includes the parser processes and anything else running)")
    print(f"pages/second: achieved {achieved:.1f}, politeness-bound ideal {ideal:.1f}")
    print(f"peak RSS {rss_mb:.0f} MB (the crawler process; parser processes are separate)")
    if args.rss_pages > 0:
        ours, theirs = ctx.Pipe()
        child = ctx.Process(target=_peak_rss, args=(theirs, args.rss_pages, workers))
        child.start()
        own, largest, stored = ours.recv()
        child.join()
        print(f"peak RSS of a {stored}-report harvest: crawler process {own:.0f} MB, largest"
              f" child process (a parser, or the portal server) {largest:.0f} MB")
    print(f"achieved/ideal = {achieved / ideal:.2f}")
    return 0 if summary.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
