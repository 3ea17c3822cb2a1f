"""Commands ``harvest`` (portals → store) and ``demo`` (a bundled portal on 127.0.0.1)."""

from __future__ import annotations

import logging
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..errors import HarvesterError, StoreError
from ..fetch.crawl import HarvestOptions, run_harvest
from ..fetch.progress import LiveProgress, PlainProgress, Progress, print_summary
from ..fetch.sources import Source, load_sources
from ..fetch.stats import HarvestSummary
from .app import DEFAULT_DB, cli

DEMO_DB = "db/demo.db"


def _progress(verbose: bool, plain: bool) -> Progress:
    if not plain and sys.stderr.isatty():
        return LiveProgress(Console(stderr=True), verbose=verbose)
    return PlainProgress(sys.stderr, verbose=verbose)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("report_harvester")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.ERROR)
    logger.propagate = False


def _interrupt_on_sigterm() -> None:
    """Treat SIGTERM (cron's ``timeout``, systemd, ``kill``) like Ctrl-C: the run is
    closed as aborted and the database left consistent, instead of dying mid-run."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _fail(exc: HarvesterError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _run(
    sources: list[Source],
    settings: Any,
    options: HarvestOptions,
    *,
    verbose: bool,
    plain: bool,
) -> HarvestSummary:
    _setup_logging(verbose)
    _interrupt_on_sigterm()
    parent = options.db_path.parent
    try:
        if not options.dry_run:
            parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create directory {parent}: {exc.strerror}") from None
    summary = run_harvest(sources, settings, options, _progress(verbose, plain))
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(soft_wrap=True, width=120)
    print_summary(summary, console)
    return summary


@cli.command("harvest")
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("sources.toml"),
    show_default=True,
    help="The sources file (TOML).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(DEFAULT_DB),
    show_default=True,
    help="SQLite database to write.",
)
@click.option(
    "--source", "source_ids", multiple=True, metavar="ID", help="Only this source (repeatable)."
)
@click.option("--since", type=int, metavar="YEAR", help="Skip reports for years before YEAR.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Walk the list pages and print the reports that would be fetched. No report is"
    " fetched, and nothing is written: no database, no lock file.",
)
@click.option("--delay", type=float, help="Seconds between requests to one host.")
@click.option("--per-host", type=int, help="Requests in flight per host.")
@click.option("--concurrency", type=int, help="Requests in flight overall.")
@click.option("--timeout", type=float, help="Seconds before a request times out.")
@click.option("--retries", type=int, help="Retries after a failed attempt.")
@click.option("--user-agent", help="User-Agent header (and robots.txt name).")
@click.option(
    "--max-time",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the whole run after SECONDS (status timed_out, exit 1); the next run goes on.",
)
@click.option("--plain", is_flag=True, help="Log lines instead of the live display.")
@click.option("-v", "--verbose", is_flag=True, help="Report every page and retry.")
def harvest_command(
    sources_path: Path,
    db_path: Path,
    source_ids: tuple[str, ...],
    since: int | None,
    dry_run: bool,
    delay: float | None,
    per_host: int | None,
    concurrency: int | None,
    timeout: float | None,
    retries: int | None,
    user_agent: str | None,
    max_time: float | None,
    plain: bool,
    verbose: bool,
) -> None:
    """Find, fetch, parse and store the annual reports of the configured portals.

    Settings come from the defaults, then the [harvest] table of the sources
    file, then these flags. Incremental: unchanged reports cost a 304. Safe to
    kill: the next run finishes the job. robots.txt is obeyed (unreachable:
    the host is skipped); a host that blocks us is left alone for the run.
    Exit status: 0 all went well, 1 some pages failed (listed in the summary)
    or another harvest holds the database, 2 bad sources file.

    \b
    Example:
      report-harvester harvest --sources sources.toml --db db/reports.db
      report-harvester harvest --source yanfeng --dry-run
      report-harvester harvest --since 2021 -v
      report-harvester harvest --max-time 3000   # under cron: never overlap the next run
    """
    try:
        config = load_sources(sources_path)
        sources = config.select(source_ids)
        settings = config.harvest.merged(
            {
                "delay": delay,
                "per_host": per_host,
                "concurrency": concurrency,
                "timeout": timeout,
                "retries": retries,
                "user_agent": user_agent,
            }
        )
        options = HarvestOptions(
            db_path=db_path, since=since, dry_run=dry_run, max_time=max_time
        )
        summary = _run(sources, settings, options, verbose=verbose, plain=plain)
    except HarvesterError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("interrupted: run the same command again to continue", err=True)
        sys.exit(130)
    sys.exit(summary.exit_code)


@cli.command("demo")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(DEMO_DB),
    show_default=True,
    help="SQLite database to write.",
)
@click.option("--plain", is_flag=True, help="Log lines instead of the live display.")
@click.option("-v", "--verbose", is_flag=True, help="Report every page.")
def demo_command(db_path: Path, plain: bool, verbose: bool) -> None:
    """Harvest a bundled fixture portal served on 127.0.0.1 (no internet needed).

    Starts a few small portal sites on local ports, writes a sources file for
    them, harvests them into the database and prints how to browse the result.
    Running it again shows an incremental run (unchanged pages cost a 304).

    \b
    Example:
      report-harvester demo
      report-harvester serve --db db/demo.db
    """
    from ..demo_portal.server import demo_portal, demo_sources_toml

    try:
        with demo_portal() as portal, tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sources.toml"
            path.write_text(demo_sources_toml(portal), encoding="utf-8")
            click.echo(f"demo portal: {', '.join(portal.urls())}  (sources file: {path})")
            config = load_sources(path)
            options = HarvestOptions(db_path=db_path, trust_env=False, transport=portal.transport)
            summary = _run(config.source, config.harvest, options, verbose=verbose, plain=plain)
    except HarvesterError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    click.echo(f"\nBrowse it: report-harvester serve --db {db_path}")
    sys.exit(summary.exit_code)
