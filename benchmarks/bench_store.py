"""Time storing parsed reports against parsing them.

    .venv/bin/python benchmarks/bench_store.py [--n 2000] [--input PATH]

Input: the seed report (a text rendering; ``$REPORT_HARVESTER_SHARED/seeds`` or
``<repo>/../shared/seeds``), else the seed-like fixture
``fixtures/pages/05-2021-text-pipes.txt``; or any page given with ``--input``.

1. parse: the median time of ``parse_bytes`` on that input (many calls).
2. store: the input parsed once, then ``--n`` copies ingested into a new
   database file, each with its own URL and bytes (so each is a new document),
   one transaction per document as in real use; the median time per ingest.

Prints reports per second and bytes of database per report; the last line is
``ingest/parse = X.XX`` (median store time over median parse time; target ≤ 1.0).
The store runs in WAL mode with ``synchronous = NORMAL``: a commit survives a
crash of the process, not necessarily of the OS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from report_harvester.models import Report
from report_harvester.parse import parse_bytes
from report_harvester.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_5f8ff69f44e0fe1c.txt"
FALLBACK = REPO / "fixtures" / "pages" / "05-2021-text-pipes.txt"


def default_input() -> Path:
    roots = (
        [Path(os.environ["REPORT_HARVESTER_SHARED"])]
        if "REPORT_HARVESTER_SHARED" in os.environ
        else []
    )
    roots.append(REPO.parent / "shared")
    for root in roots:
        if (root / "seeds" / SEED_NAME).is_file():
            return root / "seeds" / SEED_NAME
    return FALLBACK


def median_ms(samples_ns: list[int]) -> float:
    return statistics.median(samples_ns) / 1e6


def time_parse(data: bytes, name: str, runs: int) -> float:
    """Median milliseconds of one ``parse_bytes`` call."""
    for _ in range(10):
        parse_bytes(data, path=name)
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        parse_bytes(data, path=name)
        samples.append(time.perf_counter_ns() - start)
    return median_ms(samples)


def time_store(report: Report, data: bytes, n: int, db: Path) -> tuple[list[int], float]:
    """Per-ingest nanoseconds, and the wall time of the whole loop in seconds."""
    bodies = [data + f"\n<!-- copy {i} -->\n".encode() for i in range(n)]
    urls = [f"http://www.example.gov.cn/zfxxgknb/2021/t2021_{i}.html" for i in range(n)]
    samples = []
    with Store.open(db) as store:
        wall = time.perf_counter()
        for body, url in zip(bodies, urls, strict=True):
            start = time.perf_counter_ns()
            result = store.ingest(report, body, url=url)
            samples.append(time.perf_counter_ns() - start)
            if result.status != "new":
                raise SystemExit(f"unexpected ingest status {result.status} for {url}")
        wall = time.perf_counter() - wall
    return samples, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=2000, help="reports to ingest")
    parser.add_argument("--runs", type=int, default=200, help="timed parse runs")
    parser.add_argument("--input", type=Path, default=None, help="page to parse and store")
    args = parser.parse_args(argv)
    page: Path = args.input or default_input()
    data = page.read_bytes()
    report = parse_bytes(data, path=str(page))
    if not isinstance(report, Report):
        print(f"{page}: the parser could not read it ({report.error.message})", file=sys.stderr)
        return 1
    parse = time_parse(data, str(page), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        samples, wall = time_store(report, data, args.n, db)
        size = db.stat().st_size
    store = median_ms(samples)
    rows = len(report.applications) + len(report.active_disclosure) + len(report.reviews)
    print(f"input: {page.name} ({len(data):,} bytes; format {report.format}, {rows} cells,")
    print(f"       {len(report.checks)} checks, {len(report.sections)} top-level sections)")
    print(f"parse:  median {parse:.3f} ms per report ({args.runs} runs)")
    print(f"ingest: median {store:.3f} ms per report, mean {statistics.mean(samples) / 1e6:.3f} ms")
    print(f"ingested {args.n} reports in {wall:.2f} s: {args.n / wall:,.0f} reports/second")
    print(f"database: {size:,} bytes, {size / args.n:,.0f} bytes per report")
    print(f"ingest/parse = {store / parse:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
