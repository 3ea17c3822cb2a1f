"""Time the PDF reader against pdfplumber's own table extraction of the same pages.

    .venv/bin/python benchmarks/bench_pdf.py [--pdf FILE] [--runs 7]

FILE defaults to the real report in ../shared/real (a 5-page district report with
ruled tables). Printed, as medians over ``--runs`` runs (timed in alternating blocks,
as bench_parse times):

(a) ``parse_bytes`` end to end (tables, prose, metadata, table mapping, checks);
(b) the floor: ``pdfplumber.open`` and ``page.extract_tables()`` on every page,
    with no meaning attached.

The last line is ``pdf/floor = X.XX`` (the issue's target: X ≤ 1.5).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pdfplumber
from bench_parse import paired_median_ms  # the same timing as bench_parse

from report_harvester import Report, parse_bytes

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "real" / "pdf-hzq2023_working.pdf"


def floor(data: bytes) -> list[object]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_tables() for page in pdf.pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        print(f"no PDF at {args.pdf}: pass one with --pdf")
        return 1
    data = args.pdf.read_bytes()
    report = parse_bytes(data, path=str(args.pdf))
    if not isinstance(report, Report):
        print(f"the PDF did not parse: {report!r:.200}")
        return 1
    cells = len(report.applications) + len(report.reviews) + len(report.active_disclosure)
    print(f"pdf: {args.pdf.name}, {len(data) / 1024:.0f} KB; {cells} cells, format {report.format}")
    ours, base = paired_median_ms(
        lambda: parse_bytes(data, path=str(args.pdf)), lambda: floor(data), args.runs, warmup=1
    )
    print(f"(a) parse_bytes end to end:         {ours:8.1f} ms (median of {args.runs})")
    print(f"(b) floor, pdfplumber extract_tables: {base:6.1f} ms (median of {args.runs})")
    print(f"pdf/floor = {ours / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
