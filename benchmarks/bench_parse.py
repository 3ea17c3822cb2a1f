"""Time the parser on a realistic 40 KB report page against the floor of any HTML table reader.

    .venv/bin/python benchmarks/bench_parse.py [--runs 200]

The page (fixtures/bench/report_2021_40k.html) is a full 2021-format report
inside TRS portal chrome. Printed, as medians over ``--runs`` runs (each measurement and its floor in
alternating blocks of 20 runs, so that a shared machine's slow moments fall on both):

(a) ``parse_html`` end to end (decode, main content, sections, metadata,
    tables 二/三/四, values, checks);
(b) the floor: decode the bytes, ``LexborHTMLParser`` on the text, and read
    the text of every table cell;
(c) ``pandas.read_html`` on the same page, when pandas is installed;
(d) ``parse_text`` on a text rendering of the same page (its body text, one cell
    per line, as a crawler's HTML-to-text gives it) against that rendering's floor:
    reading the file and splitting it into lines.

The last line is ``parse/floor = X.XX`` (the issue's target: X ≤ 4.0).
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from report_harvester import Report, parse_html, parse_text

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "bench" / "report_2021_40k.html"


def median_ms(work: Callable[[], object], runs: int, warmup: int = 10) -> float:
    """Median wall time of ``work()`` in milliseconds."""
    for _ in range(warmup):
        work()
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        work()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1e6


def paired_median_ms(
    work: Callable[[], object], base: Callable[[], object], runs: int, warmup: int = 10
) -> tuple[float, float]:
    """Median wall times of ``work()`` and ``base()`` in milliseconds, measured in
    alternating blocks of ``BLOCK`` runs: a shared machine's slow spells fall on both,
    while each block still runs warm, as the one-after-another timing did."""
    for _ in range(warmup):
        work()
        base()
    times: tuple[list[int], list[int]] = ([], [])
    done = 0
    while done < runs:
        size = min(BLOCK, runs - done)
        for fn, out in ((work, times[0]), (base, times[1])):
            fn()  # the block's first run only warms the caches again
            for _ in range(size):
                start = time.perf_counter_ns()
                fn()
                out.append(time.perf_counter_ns() - start)
        done += size
    return statistics.median(times[0]) / 1e6, statistics.median(times[1]) / 1e6


BLOCK = 20


def floor(data: bytes) -> list[str]:
    """What any table reader must do at least: parse the HTML and read every cell's text."""
    tree = LexborHTMLParser(data.decode("utf-8"))
    return [td.text(deep=True) for td in tree.css("td")]


def rendering(data: bytes) -> str:
    """The page's body text, a cell or paragraph per line (a crawler's text rendering)."""
    body = LexborHTMLParser(data.decode("utf-8")).body
    text = body.text(separator="\n") if body is not None else ""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def text_floor(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per measurement")
    args = parser.parse_args(argv)
    data = PAGE.read_bytes()

    report = parse_html(data)
    if not isinstance(report, Report) or len(report.applications) != 25 * 7:
        print(f"the benchmark page did not parse to a full table 三: {report!r:.200}")
        return 1
    print(f"page: {PAGE.name}, {len(data) / 1024:.1f} KB, {len(floor(data))} cells")
    print(
        f"parse_html extracts {len(report.active_disclosure)} t2, {len(report.applications)} t3, "
        f"{len(report.reviews)} t4 cells and {len(report.checks)} checks"
    )

    parse_ms, floor_ms = paired_median_ms(lambda: parse_html(data), lambda: floor(data), args.runs)
    print(f"(a) parse_html end to end:            {parse_ms:8.3f} ms (median of {args.runs})")
    print(f"(b) floor, lexbor + every <td> text:  {floor_ms:8.3f} ms (median of {args.runs})")
    try:
        pd = importlib.import_module("pandas")
    except ImportError:
        print("(c) pandas.read_html: skipped, pandas is not installed")
    else:
        text = data.decode("utf-8")
        try:
            pandas_ms = median_ms(lambda: pd.read_html(io.StringIO(text)), args.runs, warmup=3)
        except ImportError as exc:  # read_html needs lxml or bs4+html5lib
            print(f"(c) pandas.read_html: skipped ({exc})")
        else:
            print(
                f"(c) pandas.read_html:                 {pandas_ms:8.3f} ms (median of {args.runs})"
            )
    text = rendering(data)
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "rendering.txt"
        saved.write_text(text, encoding="utf-8")
        read = parse_text(saved.read_text(encoding="utf-8"))
        if len(read.applications) != 25 * 7:
            print(f"the text rendering did not give a full table 三: {read!r:.200}")
            return 1
        text_ms, text_floor_ms = paired_median_ms(
            lambda: parse_text(saved.read_text(encoding="utf-8")),
            lambda: text_floor(saved),
            args.runs,
        )
    print(f"(d) parse_text on its text rendering:  {text_ms:8.3f} ms;"
          f" floor (read, split lines) {text_floor_ms:.3f} ms;"
          f" text/floor = {text_ms / text_floor_ms:.0f}")
    print(f"parse/floor = {parse_ms / floor_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
