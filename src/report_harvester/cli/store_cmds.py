"""Commands on the database: ``reparse``, ``check`` and ``serve``."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
from rich.progress import Progress, TaskID

from ..errors import HarvesterError
from ..store import CheckSummary, Store
from ..store.db import writable_location
from .app import DEFAULT_DB, cli

P = ParamSpec("P")
R = TypeVar("R")


class _InputFailure(click.ClickException):
    exit_code = 2


def _one_line_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Every ``HarvesterError`` → ``Error: <message>`` and its exit status, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except HarvesterError as exc:
            kind = _InputFailure if exc.exit_code == 2 else click.ClickException
            raise kind(str(exc)) from None

    return wrapper


def _db_option(func: Callable[P, R]) -> Callable[P, R]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help="The database file.",
    )(func)


class _Progress:
    """The reparse progress callback: a rich bar on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._step = 1
        self._next = 0

    def __call__(self, done: int, total: int) -> None:
        if self._tty:
            self._rich(done, total)
            return
        if done == 0:
            self._step = max(1, total // 10)
            self._next = self._step
            click.echo(f"reparse: {total} documents to re-parse", err=True)
        elif done >= self._next or done == total:
            click.echo(f"reparse: {done}/{total}", err=True)
            self._next = done + self._step

    def _rich(self, done: int, total: int) -> None:
        if self._bar is None or self._task is None:
            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("Re-parsing", total=total)
        self._bar.update(self._task, completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@cli.command()
@_db_option
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Re-parse every document, not only those read by another parser version.",
)
@_one_line_errors
def reparse(db_path: Path, everything: bool) -> None:
    """Re-parse stored documents with the installed parser, from their raw bytes.

    Picks the documents last read by a different parser version (every document
    with --all). No network is used. A document that now fails to parse keeps its
    previous report and records the error; cross-report checks are refreshed.

    \b
    Example:
      report-harvester reparse --db db/reports.db
      report-harvester reparse --db db/reports.db --all
    """
    progress = _Progress()
    try:
        with Store.open(db_path, create=False, verify=True) as store:
            summary = store.reparse(all=everything, progress=progress)
    finally:
        progress.close()
    if summary.selected == 0:
        click.echo(
            f"Nothing to re-parse: every document was read by parser {summary.parser_version}."
        )
        return
    click.echo(
        f"Re-parsed {summary.selected} documents with parser {summary.parser_version}:"
        f" {summary.reparsed} parsed, {summary.failed} failed"
        f" ({summary.kept_previous} kept their previous report)."
    )


def _print_summary(summary: CheckSummary) -> None:
    click.echo(
        f"Checked {summary.reports} current reports"
        f" ({summary.cross_results} cross-report results recomputed)."
    )
    statuses = ("pass", "fail", "not_assessable")
    checks = sorted({c for c, _, _ in summary.counts})
    if checks:
        width = max(len("check"), *(len(c) for c in checks))
        click.echo("")
        click.echo(f"{'check':<{width}}  " + "  ".join(f"{s:>14}" for s in statuses))
        for check in checks:
            counts = "  ".join(f"{summary.count(check, s):>14}" for s in statuses)
            click.echo(f"{check:<{width}}  {counts}")
    if summary.worst:
        click.echo("")
        click.echo("Reports with the most failures:")
        for o in summary.worst:
            year = "" if o.year is None else str(o.year)
            org = o.org or "(issuing body unknown)"
            click.echo(f"  {o.failures:>4}  #{o.report_id}  {org}  {year}  {o.locator}")
    click.echo("")
    click.echo(f"{summary.failed} failed checks.")


@cli.command()
@_db_option
@click.option("--strict", is_flag=True, help="Exit with status 1 when any check fails.")
@_one_line_errors
def check(db_path: Path, strict: bool) -> None:
    """Run the consistency checks over the database and summarise them.

    Recomputes the cross-report rules (cross_year.carry, t2.in_force: same body,
    consecutive years) over current reports, stores them beside the per-report
    results computed at parse time, and prints counts by check and status and the
    reports with the most failures. Checks flag, they never change data.

    \b
    Example:
      report-harvester check --db db/reports.db
      report-harvester check --db db/reports.db --strict
    """
    readonly = db_path.exists() and not writable_location(db_path)
    with Store.open(db_path, create=False, readonly=readonly) as store:
        summary = store.run_checks()
    _print_summary(summary)
    if not summary.stored:
        click.echo(
            f"{db_path} is read-only: the cross-report results were computed for this summary"
            " but not stored (storing them needs write access to the file and its folder).",
            err=True,
        )
    if strict and summary.failed:
        sys.exit(1)


@cli.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--open/--no-open",
    "open_browser",
    default=False,
    show_default=True,
    help="Open a web browser on the database page.",
)
@click.option(
    "--immutable",
    is_flag=True,
    help="Serve a snapshot that nothing writes (faster; Datasette's immutable mode). The"
    " default sees a harvest's writes as they are committed; a read-only copy is always"
    " served immutable.",
)
@click.option(
    "--metadata-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Only write the Datasette metadata JSON to this file, and exit.",
)
@_one_line_errors
def serve(
    db_path: Path,
    host: str,
    port: int,
    open_browser: bool,
    immutable: bool,
    metadata_out: Path | None,
) -> None:
    """Serve the database with Datasette (read-only), with the project's metadata.

    Tables, views and columns are described, source URLs are links, reports have
    facets (year, format, org, kind) and there are canned queries: reports failing
    checks, applications by year and applicant type, outcome shares per body,
    carry-over mismatches, and full-text search of sections.

    Safe while a harvest writes: pages show what is committed. A database whose
    file or folder cannot be written (a read-only copy) is served as an immutable
    snapshot; nothing here ever writes to it.

    \b
    Example:
      report-harvester serve --db db/reports.db
      report-harvester serve --db /mnt/archive/reports.db --immutable
      report-harvester serve --db db/reports.db --port 8002 --open
      report-harvester serve --db db/reports.db --metadata-out metadata.json
    """
    from ..store import datasette

    if metadata_out is not None:
        datasette.write_metadata(metadata_out, db_path.stem)
        click.echo(f"Wrote Datasette metadata for {db_path.stem!r} to {metadata_out}")
        return
    with Store.open(db_path, create=False, readonly=True):
        pass  # a one-line error now for a missing, damaged or too new database
    if not immutable and not writable_location(db_path):
        click.echo(f"{db_path} is read-only: serving it as an immutable snapshot.", err=True)
        immutable = True
    datasette.serve(db_path, host=host, port=port, open_browser=open_browser, immutable=immutable)
