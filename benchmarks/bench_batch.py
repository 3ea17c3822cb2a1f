"""Time ``report-harvester parse`` on a folder against parsing the same files in one process.

    .venv/bin/python benchmarks/bench_batch.py [--files 1000] [--workers N]

The folder holds ``--files`` copies of the 40 KB bench page
(fixtures/bench/report_2021_40k.html), each its own file. Printed:

(a) the baseline: ``parse_file`` on every file, one after another, in this process;
(b) ``report-harvester parse FOLDER --json`` (child processes within a time and memory
    budget, ``--workers`` at once, output in input order), from the command's start to
    its end, its interpreter start included, and the same command on one file (what a
    run costs before its first page).

The last line is ``cli/sequential = X.XX``: the batch's time over the baseline's (below
1.0, the workers more than pay for their processes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report_harvester import parse_file

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "bench" / "report_2021_40k.html"
CLI = Path(sys.executable).with_name("report-harvester")


def run_cli(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(CLI), "parse", *args, "--json"], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"report-harvester parse failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=1000, help="copies of the page")
    parser.add_argument("--workers", type=int, default=None, help="the command's --workers")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        files = [folder / f"report-{i:05d}.html" for i in range(args.files)]
        for path in files:
            shutil.copyfile(PAGE, path)
        for path in files[:10]:  # warm the parser's caches as a long run has them
            parse_file(path)
        start = time.perf_counter()
        for path in files:
            parse_file(path)
        sequential = time.perf_counter() - start
        workers = ["--workers", str(args.workers)] if args.workers else []
        one = run_cli([str(files[0]), *workers])
        batch = run_cli([str(folder), *workers])
    print(f"files: {args.files} copies of {PAGE.name}; cores: {os.cpu_count()}")
    print(f"(a) parse_file, one after another:   {sequential:7.2f} s"
          f" ({sequential / args.files * 1e3:.2f} ms a file)")
    print(f"(b) report-harvester parse FOLDER:   {batch:7.2f} s"
          f" ({batch / args.files * 1e3:.2f} ms a file; one file alone {one:.2f} s)")
    print(f"cli/sequential = {batch / sequential:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
