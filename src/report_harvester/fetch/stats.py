"""Counters of a harvest run, per source, and the problems worth listing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# outcomes of a page that count as a failure of the run (exit status 1)
PROBLEM_OUTCOMES = frozenset({"failed", "too_large", "soft_404", "offhost_redirect", "blocked"})


@dataclass(slots=True)
class SourceStats:
    """What happened for one source.

    Of the report links ``found``, each ends up fetched, unchanged, failed, blocked or
    skipped; ``failed`` and ``blocked`` also count list pages.
    """

    list_pages: int = 0  # list pages read
    found: int = 0  # report links to fetch (after --since)
    fetched: int = 0  # reports stored as new or changed
    unchanged: int = 0  # 304, or the same bytes as stored
    failed: int = 0  # report or list pages that could not be fetched
    blocked: int = 0  # answered with a block or a challenge
    skipped: int = 0  # not requested: robots.txt, host backed off, --dry-run
    too_old: int = 0  # report links left out by --since
    attachments: int = 0  # attachment links recorded, not fetched
    parse_failed: int = 0  # fetched, but the parser could not read them
    not_modified: int = 0  # of `unchanged`: 304 answers
    new: int = 0  # of `fetched`: first version of a URL
    new_version: int = 0  # of `fetched`: changed bytes at a known URL
    requests: int = 0  # HTTP requests made (attempts, redirects and robots.txt included)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Problem:
    """A page that failed, for the summary."""

    source_id: str
    kind: str  # list, report, robots
    url: str
    outcome: str
    error: str | None


@dataclass(slots=True)
class HarvestSummary:
    """The result of ``run_harvest``."""

    run_id: int | None
    status: str  # ok, partial, failed, timed_out (max_time reached), aborted
    dry_run: bool
    stats: dict[str, SourceStats]
    problems: list[Problem] = field(default_factory=list)
    would_fetch: list[tuple[str, str, str]] = field(default_factory=list)  # dry run: id, url, text
    elapsed: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when all went well, 1 when some pages failed or the run ran out of time."""
        return 1 if self.problems or self.status == "timed_out" else 0

    def totals(self) -> SourceStats:
        total = SourceStats()
        for s in self.stats.values():
            for name, value in s.as_dict().items():
                setattr(total, name, getattr(total, name) + value)
        return total

    def counters(self) -> dict[str, int]:
        """The run's counters as stored in ``harvest_runs``."""
        out = self.totals().as_dict()
        out["errors"] = len(self.problems)
        return out
