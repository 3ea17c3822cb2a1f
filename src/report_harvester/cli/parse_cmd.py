"""``report-harvester parse``: saved pages → records (JSON lines, a summary, or the store)."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import click

from ..errors import HarvesterError
from ..fetch.budget import BudgetExceeded, BudgetPool
from ..models import ParseFailure, ParseOutcome, Report
from ..parse.pipeline import HTML_SUFFIXES, TEXT_SUFFIXES, failure, read_and_parse
from ..store.db import Store
from .app import DEFAULT_DB, cli

INPUT_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | {".pdf", ".docx", ".doc", ".wps"}
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))  # each may use PARSE_MEGABYTES


@cli.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per input, one per line."
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Also store every input and its records in this SQLite file (e.g. {DEFAULT_DB}).",
)
@click.option("--org", default=None, help="Issuing body to record when the page does not name it.")
@click.option(
    "--timeout",
    "seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds one input may take to parse (in a child process, with a memory cap too);"
    " then it is reported as parse_timeout and the run goes on.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Parser processes working at once; results are printed in input order.",
)
def parse_command(
    paths: tuple[Path, ...],
    as_json: bool,
    db_path: Path | None,
    org: str | None,
    seconds: float,
    workers: int,
) -> None:
    """Parse saved report pages (HTML in any encoding, or text renderings).

    Folders are walked recursively for .html/.htm/.shtml/.txt/.md/.pdf/.docx files. An
    input that cannot be parsed is reported on one line and the run goes on;
    the exit status is 1 when any input failed.

    \b
    Example:
      report-harvester parse saved/雁峰区2020.html
      report-harvester parse saved/ --json > reports.jsonl
      report-harvester parse saved/ --db db/reports.db
    """
    inputs = list(_walk(paths))
    if not inputs:
        names = ", ".join(str(p) for p in paths)
        raise click.ClickException(
            f"no page files (.html .htm .shtml .txt .md .pdf …) under {names}"
        )
    store = _open_store(db_path) if db_path else None
    pool = BudgetPool(workers, seconds=seconds, megabytes=PARSE_MEGABYTES)
    try:
        failed = asyncio.run(_parse_inputs(pool, inputs, org, store, as_json))
    finally:
        pool.close()
        if store is not None:
            store.close()
    if failed:
        raise SystemExit(1)


PARSE_MEGABYTES = 2048


async def _parse_inputs(
    pool: BudgetPool, inputs: list[Path], org: str | None, store: Store | None, as_json: bool
) -> int:
    """Parse, store and print every input in order; the number that failed.

    One event loop for the whole run: the pool's workers parse the next inputs while
    this one is stored and printed. (An event loop per input also cost milliseconds
    each: Python 3.11's ``asyncio.run`` formats its finished task, a whole report.)
    """
    failed = 0
    window = 2 * pool.size  # inputs parsed ahead, in order
    ahead: deque[tuple[Path, asyncio.Task[tuple[ParseOutcome, bytes]]]] = deque()
    queue = iter(inputs)
    try:
        while True:
            for path in itertools.islice(queue, window - len(ahead)):
                ahead.append((path, asyncio.create_task(_parse_within_budget(pool, path, org))))
            if not ahead:
                return failed
            path, task = ahead.popleft()
            outcome, body = await task
            stored = ""
            if store is not None:
                try:
                    result = store.ingest(outcome, body, path=str(path), org=org)
                    stored = f" [{result.status}]"
                except (HarvesterError, OSError) as exc:
                    failed += 1
                    click.echo(f"{path}: not stored: {exc}", err=True)
            if isinstance(outcome, ParseFailure):
                failed += 1
            if as_json:
                click.echo(outcome.model_dump_json(exclude_none=False))
            else:
                click.echo(summarise(path, outcome) + stored)
    finally:
        for _, task in ahead:
            task.cancel()


def _read_and_parse(path: Path, org: str | None) -> tuple[bool, str, bytes]:
    """``read_and_parse`` as the child process hands it back: whether it is a report, its
    JSON and the bytes read. JSON crosses the pipe several times quicker than a pickled
    report, whose every record is rebuilt in Python."""
    outcome, data = read_and_parse(path, org=org)
    return isinstance(outcome, Report), outcome.model_dump_json(), data


async def _parse_within_budget(
    pool: BudgetPool, path: Path, org: str | None
) -> tuple[ParseOutcome, bytes]:
    """``read_and_parse`` in the pool's child process; over time or memory, a failure."""
    try:
        is_report, text, data = await pool.run(_read_and_parse, path, org)
    except BudgetExceeded as exc:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        return failure(data, exc.code, str(exc), path=str(path)), data
    except RuntimeError as exc:
        return failure(b"", "internal", f"parser error: {exc}", path=str(path)), b""
    record = Report if is_report else ParseFailure
    return record.model_validate_json(text), data


def summarise(path: Path, outcome: ParseOutcome) -> str:
    """One line a person can read: what the page is and what was extracted."""
    if isinstance(outcome, ParseFailure):
        return f"{path}: FAILED ({outcome.error.code}): {outcome.error.message}"
    return f"{path}: {_describe(outcome)}"


def _describe(report: Report) -> str:
    head = " ".join(
        x
        for x in (
            report.org or "(org unknown)",
            str(report.year or "(year unknown)"),
            f"format {report.format}",
            report.kind,
        )
        if x
    )
    statuses = [c.status for c in report.checks]
    checks = (
        f"checks {statuses.count('pass')} pass, {statuses.count('fail')} fail, "
        f"{statuses.count('not_assessable')} n/a"
        if statuses
        else "no checks"
    )
    counts = (
        f"t2 {len(report.active_disclosure)}, t3 {len(report.applications)}, "
        f"t4 {len(report.reviews)} cells"
    )
    warn = (
        f"; warnings: {', '.join(sorted(set(report.warning_codes())))}" if report.warnings else ""
    )
    return f"{head}; {len(report.sections)} sections; {counts}; {checks}{warn}"


def _walk(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    candidate = Path(root) / name
                    if candidate.suffix.lower() in INPUT_SUFFIXES:
                        yield candidate
        else:
            yield path


def _open_store(db_path: Path) -> Store:
    try:
        return Store.open(db_path, verify=True)
    except HarvesterError as exc:
        raise click.ClickException(str(exc)) from exc
