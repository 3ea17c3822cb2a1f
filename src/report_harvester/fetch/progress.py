"""What a user sees while a harvest runs, and the summary at the end.

On a terminal: a live table per source (list pages, reports found, fetched,
unchanged, failed, blocked) with problems printed above it. Otherwise (cron,
pipes): plain log lines, one per event worth knowing; ``-v`` adds every page.
"""

from __future__ import annotations

import sys
import time
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.table import Table

from .stats import HarvestSummary, SourceStats

COLUMNS: tuple[tuple[str, str], ...] = (
    ("list_pages", "list pages"),
    ("found", "reports found"),
    ("fetched", "fetched"),
    ("unchanged", "unchanged"),
    ("failed", "failed"),
    ("blocked", "blocked"),
    ("skipped", "skipped"),
)


class Progress:
    """Base display: remembers the stats; subclasses show them."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self.stats: dict[str, SourceStats] = {}

    def start(self, stats: dict[str, SourceStats]) -> None:
        """The run has begun; ``stats`` is updated in place as it goes."""
        self.stats = stats

    def note(
        self, source_id: str | None, message: str, *, verbose: bool = False, problem: bool = False
    ) -> None:
        """An event; ``verbose`` ones are shown with -v only, ``problem`` ones always."""

    def stop(self) -> None:
        """The run is over (called once, also after an error)."""


class QuietProgress(Progress):
    """Shows nothing (library use, tests)."""


class PlainProgress(Progress):
    """One line per event, for logs and cron mail."""

    def __init__(self, stream: IO[str] | None = None, *, verbose: bool = False) -> None:
        super().__init__(verbose=verbose)
        self.stream = stream or sys.stderr
        self._t0 = time.monotonic()

    def note(
        self, source_id: str | None, message: str, *, verbose: bool = False, problem: bool = False
    ) -> None:
        if verbose and not self.verbose and not problem:
            return
        prefix = f"[{source_id}] " if source_id else ""
        mark = "! " if problem else ""
        elapsed = time.monotonic() - self._t0
        print(f"{elapsed:7.1f}s {mark}{prefix}{message}", file=self.stream, flush=True)


class LiveProgress(Progress):
    """A rich live table, refreshed a few times a second, problems printed above it."""

    def __init__(self, console: Console | None = None, *, verbose: bool = False) -> None:
        super().__init__(verbose=verbose)
        self.console = console or Console(stderr=True)
        self._live: Live | None = None

    def start(self, stats: dict[str, SourceStats]) -> None:
        super().start(stats)
        self._live = Live(
            get_renderable=self._table,
            console=self.console,
            refresh_per_second=4,
            transient=True,
        )
        self._live.start()

    def _table(self) -> Table:
        return stats_table(self.stats, title="harvesting…")

    def note(
        self, source_id: str | None, message: str, *, verbose: bool = False, problem: bool = False
    ) -> None:
        if verbose and not self.verbose and not problem:
            return
        prefix = f"[{source_id}] " if source_id else ""
        style = "bold red" if problem else "dim"
        self.console.print(f"{prefix}{message}", style=style, markup=False, highlight=False)

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def stats_table(stats: dict[str, SourceStats], *, title: str | None = None) -> Table:
    """Per-source counters as a rich table (with a total row when several sources)."""
    table = Table(title=title, title_justify="left")
    table.add_column("source")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    for sid, s in stats.items():
        table.add_row(sid, *(str(getattr(s, name)) for name, _ in COLUMNS))
    if len(stats) > 1:
        total = SourceStats()
        for s in stats.values():
            for name, _ in COLUMNS:
                setattr(total, name, getattr(total, name) + getattr(s, name))
        table.add_row("total", *(str(getattr(total, n)) for n, _ in COLUMNS), style="bold")
    return table


def print_summary(summary: HarvestSummary, console: Console) -> None:
    """The end-of-run summary: counters, problems, and what a dry run would fetch."""
    if summary.dry_run:
        console.print(f"dry run: {len(summary.would_fetch)} report(s) would be fetched")
        for sid, url, text in summary.would_fetch:
            console.print(f"  [{sid}] {url}  {text}", markup=False, highlight=False)
    run = "dry run" if summary.dry_run else f"harvest run {summary.run_id}"
    title = f"{run}: {summary.status} in {summary.elapsed:.1f}s"
    console.print(stats_table(summary.stats, title=title))
    totals = summary.totals()
    extra = []
    if totals.too_old:
        extra.append(f"{totals.too_old} older report link(s) left out by --since")
    if totals.attachments:
        extra.append(f"{totals.attachments} attachment link(s) recorded, not fetched")
    if totals.parse_failed:
        extra.append(f"{totals.parse_failed} report page(s) stored but not parsed")
    extra.append(f"{totals.requests} HTTP request(s)")
    console.print("; ".join(extra), markup=False, highlight=False)
    if summary.problems:
        console.print(f"{len(summary.problems)} page(s) failed:", style="bold red")
        for p in summary.problems:
            console.print(
                f"  [{p.source_id}] {p.kind} {p.url}: {p.outcome}: {p.error}",
                markup=False,
                highlight=False,
            )
