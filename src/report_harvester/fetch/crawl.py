"""The harvest: walk list pages, fetch reports, parse and store them, log every request.

Scheduling: every host has a priority queue (list pages before reports, so a
host's queue fills early) served by ``per_host`` workers; each request goes
through the host's gate (politeness.py). A run ends when no job is left.

Safety: report ingestion is idempotent per (url, sha256), so re-walking after a
kill stores nothing twice; the run row of a killed run is marked aborted by the
next run (``abort_stale_runs``); one harvest per database (lock.py).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ..errors import HarvesterError
from ..models import HttpMeta
from ..store.db import FetchLog
from .budget import BudgetExceeded
from .classify import classify
from .discover import Link, LinkRules, older_than
from .fetcher import Fetcher, FetchResult, utc_now
from .lock import HarvestLock
from .politeness import Politeness
from .progress import Progress, QuietProgress
from .robots import ROBOTS_MAX_BYTES, Robots
from .sink import DrySink, StoreSink
from .sources import HarvestSettings, Source
from .stats import PROBLEM_OUTCOMES, HarvestSummary, Problem, SourceStats
from .urls import directory_of, host_allowed, netloc_of, url_key

log = logging.getLogger("report_harvester.fetch")

LIST, REPORT = 0, 1  # job priorities: list pages first
REPORT_FILE = re.compile(r"\.(pdf|docx?|wps)$", re.I)  # attachments that are the report


@dataclass(slots=True)
class HarvestOptions:
    """How to run (beyond the sources file's settings)."""

    db_path: Path
    since: int | None = None
    dry_run: bool = False
    max_time: float | None = None  # seconds for the whole run; then it stops as timed_out
    trust_env: bool = True  # honour proxy environment variables
    # makes an httpx transport to use instead of the network (the demo's portal)
    transport: Callable[[], httpx.AsyncBaseTransport] | None = None


@dataclass(slots=True)
class _SourceRun:
    source: Source
    stats: SourceStats
    rules: LinkRules
    list_pages: int = 0  # list jobs queued (against max_list_pages)
    capped: bool = False
    signatures: dict[str, set[frozenset[str]]] = field(default_factory=dict)  # column → pages


@dataclass(order=True, slots=True)
class _Job:
    priority: int
    seq: int
    kind: str = field(compare=False)  # list, report, attachment
    url: str = field(compare=False)
    src: _SourceRun = field(compare=False)
    depth: int = field(compare=False, default=0)
    column: str = field(compare=False, default="")
    text: str = field(compare=False, default="")
    parent: str = field(compare=False, default="")  # an attachment's page


class Crawler:
    """One harvest over some sources, writing to a ``StoreSink``."""

    def __init__(
        self,
        sources: Sequence[Source],
        settings: HarvestSettings,
        sink: StoreSink,
        *,
        options: HarvestOptions,
        progress: Progress | None = None,
    ) -> None:
        self.sources = list(sources)
        self.settings = settings
        self.sink = sink
        self.options = options
        self.progress = progress or QuietProgress()
        self.runs = {
            s.id: _SourceRun(s, SourceStats(), LinkRules(s.include, s.exclude)) for s in sources
        }
        self.problems: list[Problem] = []
        self.would_fetch: list[tuple[str, str, str]] = []
        self.run_id: int | None = None
        self._seq = itertools.count()
        self._seen: set[str] = set()
        self._queues: dict[str, asyncio.PriorityQueue[_Job]] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._pending = 0
        self._done = asyncio.Event()
        self._fatal: HarvesterError | None = None
        self._robots: dict[str, asyncio.Task[Robots]] = {}
        self._attachments: set[str] = set()
        self.politeness = Politeness(
            delay=settings.delay, per_host=settings.per_host, concurrency=settings.concurrency
        )
        self.fetcher: Fetcher | None = None

    # -- the run ------------------------------------------------------------------------------

    async def run(self) -> HarvestSummary:
        """Harvest every source; always closes the run row (unless the process is killed)."""
        started = time.monotonic()
        aborted = await self.sink.open()
        if aborted:
            self.progress.note(None, f"marked {aborted} interrupted earlier run(s) as aborted")
        status = "failed"
        try:
            self.run_id = await self.sink.start_run(
                [s.id for s in self.sources], self.options.dry_run
            )
            self.progress.start({k: r.stats for k, r in self.runs.items()})
            async with Fetcher(
                self.politeness,
                self.settings,
                trust_env=self.options.trust_env,
                transport=self.options.transport,
            ) as fetcher:
                self.fetcher = fetcher
                for src in self.runs.values():
                    for url in src.source.start_urls:
                        self._enqueue(src, LIST, url, depth=0, column=directory_of(url))
                timed_out = False
                try:
                    if self._pending:
                        async with asyncio.timeout(self.options.max_time):
                            await self._done.wait()
                except TimeoutError:
                    timed_out = True
                    self.progress.note(
                        None,
                        f"--max-time {self.options.max_time:g}s reached: stopping; the next run"
                        " goes on from here",
                        problem=True,
                    )
                finally:
                    for worker in self._workers:
                        worker.cancel()
                    await asyncio.gather(*self._workers, return_exceptions=True)
                if self._fatal is not None:
                    raise self._fatal
            status = "timed_out" if timed_out else self._status()
        except (asyncio.CancelledError, KeyboardInterrupt):
            status = "aborted"  # Ctrl-C: the next run takes over where this one stopped
            raise
        finally:
            self.progress.stop()
            summary = HarvestSummary(
                run_id=self.run_id,
                status=status,
                dry_run=self.options.dry_run,
                stats={k: r.stats for k, r in self.runs.items()},
                problems=self.problems,
                would_fetch=self.would_fetch,
                elapsed=time.monotonic() - started,
            )
            try:
                if self.run_id is not None:
                    await asyncio.shield(
                        self.sink.finish_run(self.run_id, status, summary.counters())
                    )
            finally:
                await asyncio.shield(self.sink.close())
        return summary

    def _status(self) -> str:
        if not self.problems:
            return "ok"
        good = sum(
            r.stats.list_pages + r.stats.fetched + r.stats.unchanged for r in self.runs.values()
        )
        return "partial" if good else "failed"

    # -- queues -------------------------------------------------------------------------------

    def _enqueue(
        self,
        src: _SourceRun,
        priority: int,
        url: str,
        *,
        depth: int,
        column: str,
        text: str = "",
        parent: str = "",
    ) -> bool:
        key = url_key(url)
        if key in self._seen:
            return False
        if priority == LIST:
            if src.list_pages >= src.source.max_list_pages:
                if not src.capped:
                    src.capped = True
                    self.progress.note(
                        src.source.id,
                        f"max_list_pages ({src.source.max_list_pages}) reached;"
                        f" not following {url}",
                    )
                return False
            src.list_pages += 1
        self._seen.add(key)
        kind = "list" if priority == LIST else "attachment" if parent else "report"
        job = _Job(priority, next(self._seq), kind, url, src, depth, column, text, parent)
        host = netloc_of(url)
        queue = self._queues.get(host)
        if queue is None:
            queue = asyncio.PriorityQueue()
            self._queues[host] = queue
            for _ in range(self.settings.per_host):
                self._workers.append(asyncio.create_task(self._worker(queue)))
        self._pending += 1
        queue.put_nowait(job)
        return True

    async def _worker(self, queue: asyncio.PriorityQueue[_Job]) -> None:
        while True:
            job = await queue.get()
            try:
                if job.kind == "list":
                    await self._list_job(job)
                else:  # report pages and report files alike
                    await self._report_job(job)
            except HarvesterError as exc:  # the store failed: stop the run
                self._fatal = exc
                self._done.set()
            except Exception as exc:  # a bug must not hang the run: record and go on
                log.exception("internal error on %s", job.url)
                await self._record(job, FetchResult(job.url, "failed", error=f"internal: {exc!r}"))
            finally:
                self._pending -= 1
                if self._pending == 0:
                    self._done.set()

    # -- robots.txt ---------------------------------------------------------------------------

    async def _robots_check(self, url: str, src: _SourceRun) -> str | None:
        host = netloc_of(url)
        task = self._robots.get(host)
        if task is None:
            task = asyncio.create_task(self._load_robots(url, src))
            self._robots[host] = task
        robots = await task
        if robots.allowed(url, self.settings.user_agent):
            return None
        return robots.note or "disallowed by robots.txt"

    async def _load_robots(self, url: str, src: _SourceRun) -> Robots:
        assert self.fetcher is not None
        host = netloc_of(url)
        robots_url = url.split("://", 1)[0] + "://" + host + "/robots.txt"
        res = await self.fetcher.fetch(
            robots_url,
            allowed_hosts=[host, *src.source.allowed_hosts],
            keep_first=ROBOTS_MAX_BYTES,
        )
        gate = self.politeness.gate(host)
        verdict = classify(res.status or 0, res.headers, res.body) if res.status else "ok"
        if res.outcome == "ok" and verdict == "blocked":
            robots = Robots.disallow_all(f"robots.txt answered a challenge (HTTP {res.status})")
            gate.block(f"challenge at {robots_url}")
            res.outcome = "blocked"
        elif res.outcome == "ok":
            robots = Robots.parse(res.body.decode("utf-8", errors="replace"))
        elif res.outcome == "failed" and res.status is not None and 400 <= res.status < 500:
            robots = Robots.allow_all(f"robots.txt: HTTP {res.status}")
            res.outcome = "fetched"  # a missing robots.txt is not a failure
        elif res.outcome == "offhost_redirect":
            robots = Robots.allow_all(f"robots.txt: {res.error}")
        else:
            robots = Robots.disallow_all(f"robots.txt unavailable ({res.error}); host not crawled")
        delay = robots.crawl_delay(self.settings.user_agent)
        if delay is not None and delay > gate.interval:
            gate.raise_interval(delay)
            self.progress.note(src.source.id, f"{host}: robots.txt Crawl-delay {delay:g}s")
        if res.outcome == "ok":
            res.outcome = "fetched"
        await self._log(res, "robots", src)
        if res.outcome in ("failed", "blocked"):
            self._problem(src, "robots", res)
        return robots

    # -- list pages ---------------------------------------------------------------------------

    async def _fetch(self, job: _Job, headers: dict[str, str] | None = None) -> FetchResult:
        assert self.fetcher is not None
        src = job.src

        async def robots(url: str) -> str | None:
            return await self._robots_check(url, src)

        if job.kind == "attachment":  # a file: its own size cap, and its own hosts too
            return await self.fetcher.fetch(
                job.url,
                allowed_hosts=[*src.source.allowed_hosts, *src.source.attachment_hosts],
                headers=headers,
                robots=robots,
                max_bytes=self.settings.attachment_max_bytes,
            )
        return await self.fetcher.fetch(
            job.url, allowed_hosts=src.source.allowed_hosts, headers=headers, robots=robots
        )

    def _check_blocked(self, job: _Job, res: FetchResult) -> None:
        """Turn a 200 challenge / soft 404 into its outcome; back off a blocking host."""
        if res.outcome == "ok" or (res.outcome == "failed" and res.status in (412, 202)):
            verdict = classify(res.status or 0, res.headers, res.body)
            if verdict == "blocked":
                res.outcome = "blocked"
                res.error = f"HTTP {res.status}: challenge or block page"
                reason = f"blocked at {res.final_url or res.url} (HTTP {res.status})"
                self.politeness.gate(netloc_of(res.final_url or res.url)).block(reason)
                self.progress.note(
                    job.src.source.id,
                    f"{netloc_of(res.final_url or res.url)} is blocking us: backing off this host"
                    " for the rest of the run",
                    problem=True,
                )
            elif verdict == "soft_404" and res.outcome == "ok":
                res.outcome, res.error = "soft_404", "page says it does not exist (HTTP 200)"

    async def _list_job(self, job: _Job) -> None:
        src = job.src
        res = await self._fetch(job)
        self._check_blocked(job, res)
        if res.outcome != "ok":
            await self._record(job, res)
            return
        res.outcome = "fetched"
        src.stats.list_pages += 1
        base = res.final_url or job.url
        try:
            page = await self.sink.read_list(
                res.body,
                base,
                res.content_type,
                src.rules,
                src.source.allowed_hosts,
                job.column,
                src.source.max_list_pages,
            )
        except (BudgetExceeded, RuntimeError) as exc:
            src.stats.list_pages -= 1
            res.outcome, res.error = "failed", f"{getattr(exc, 'code', 'internal')}: {exc}"
            await self._record(job, res)
            return
        await self._log(res, "list", src)
        signature = frozenset(url_key(link.url) for link in page.reports)
        seen = src.signatures.setdefault(job.column, set())
        repeated = bool(signature) and signature in seen
        seen.add(signature)
        new_reports = 0
        for link in page.reports:
            if self.options.since is not None and older_than(link, self.options.since):
                if url_key(link.url) not in self._seen:
                    self._seen.add(url_key(link.url))
                    src.stats.too_old += 1
                continue
            queued = self._enqueue(
                src, REPORT, link.url, depth=job.depth, column=job.column, text=link.text
            )
            if queued:
                src.stats.found += 1
                new_reports += 1
        for link in page.attachments:  # a list that links the report file itself
            await self._attachment(src, link, base, fetch=True)
        followed = 0
        if repeated:
            self.progress.note(
                src.source.id, f"{job.url} repeats an earlier page: stop paging", verbose=True
            )
        elif signature or page.subcolumns:
            for url in page.pages:
                followed += self._enqueue(src, LIST, url, depth=job.depth, column=job.column)
            if job.depth < self.settings.max_depth:
                for link in page.subcolumns:
                    followed += self._enqueue(
                        src, LIST, link.url, depth=job.depth + 1, column=directory_of(link.url)
                    )
        self.progress.note(
            src.source.id,
            f"list {job.url}: {len(page.reports)} reports ({new_reports} new to this run),"
            f" {followed} more list pages",
            verbose=True,
        )

    # -- reports ------------------------------------------------------------------------------

    async def _report_job(self, job: _Job) -> None:
        src = job.src
        if self.options.dry_run:
            denied = await self._robots_check(job.url, src)
            if denied is not None:
                res = FetchResult(job.url, "robots_denied", error=denied, fetched_at=utc_now())
                await self._record(job, res)
                return
            src.stats.skipped += 1
            self.would_fetch.append((src.source.id, job.url, job.text))
            self.progress.note(src.source.id, f"would fetch {job.url}  {job.text}", verbose=True)
            return
        headers = await self.sink.conditional_headers(job.url)
        res = await self._fetch(job, headers)
        self._check_blocked(job, res)
        meta = self._meta(job.url, res, job.parent) if res.status is not None else None
        if res.outcome == "not_modified" and meta is not None:
            if headers:
                await self.sink.mark_unchanged(job.url, meta)
                src.stats.unchanged += 1
                src.stats.not_modified += 1
                await self._log(res, job.kind, src)
                self.progress.note(src.source.id, f"unchanged (304) {job.url}", verbose=True)
                return
            res.outcome, res.error = "failed", "HTTP 304 to an unconditional request"
        if res.outcome != "ok" or meta is None:
            await self._record(job, res)
            return
        done = await self.sink.process_report(
            res.body, url=job.url, http=meta, source_id=src.source.id, org=src.source.org
        )
        if done.status == "unchanged":
            res.outcome = "unchanged"
            src.stats.unchanged += 1
        else:
            res.outcome = "fetched"
            if done.status in ("new", "new_version"):
                src.stats.fetched += 1
                setattr(src.stats, done.status, getattr(src.stats, done.status) + 1)
            else:  # the parser could not read it; the bytes are stored all the same
                src.stats.fetched += 1
                src.stats.parse_failed += 1
                res.error = f"not parsed: {done.parse_error}"
        await self._log(res, job.kind, src, document_id=done.document_id)
        what = {"new": "new", "new_version": "changed", "unchanged": "unchanged"}.get(
            done.status, "stored, not parsed:"
        )
        self.progress.note(
            src.source.id,
            f"{what} {job.url}  {job.text}".rstrip(),
            verbose=done.status == "unchanged",
            problem=done.status == "failed",
        )
        # a page that only links its report (or shows it as images) gets the file fetched;
        # a page with its own tables keeps them: never two reports for one publication
        fetch = done.kind in ("attachment_only", "image_only")
        for link in done.attachments:
            await self._attachment(src, link, job.url, fetch=fetch)

    async def _attachment(self, src: _SourceRun, link: Link, page_url: str, *, fetch: bool) -> None:
        key = url_key(link.url)
        if key in self._attachments or key in self._seen:
            return
        hosts = [*src.source.allowed_hosts, *src.source.attachment_hosts]
        wanted = fetch and REPORT_FILE.search(urlsplit(link.url).path) is not None
        if wanted and host_allowed(link.url, hosts):
            if self._enqueue(src, REPORT, link.url, depth=0, column="", text=link.text,
                             parent=page_url):
                src.stats.found += 1
            return
        self._attachments.add(key)
        src.stats.attachments += 1
        entry = FetchLog(
            url=link.url,
            source_id=src.source.id,
            kind="attachment",
            status=None,
            outcome="skipped",
            error=(
                f"attachment on a host not allowed for files (linked from {page_url})"
                if wanted
                else f"attachment not fetched (linked from {page_url})"
            ),
            attempts=0,
            fetched_at=utc_now(),
        )
        await self._log_entry(entry)

    # -- recording ----------------------------------------------------------------------------

    @staticmethod
    def _meta(url: str, res: FetchResult, page_url: str = "") -> HttpMeta:
        return HttpMeta(
            page_url=page_url or None,
            url=url,
            final_url=res.final_url or url,
            status=res.status or 0,
            headers=res.headers,
            etag=res.headers.get("etag"),
            last_modified=res.headers.get("last-modified"),
            content_type=res.headers.get("content-type"),
            fetched_at=res.fetched_at,
        )

    async def _record(self, job: _Job, res: FetchResult) -> None:
        """Count and log a page that was not read (failed, blocked, skipped, …)."""
        stats = job.src.stats
        if res.outcome == "blocked":
            stats.blocked += 1
        elif res.outcome in ("robots_denied", "skipped"):
            stats.skipped += 1
        else:
            stats.failed += 1
        await self._log(res, job.kind, job.src)
        if res.outcome in PROBLEM_OUTCOMES:
            self._problem(job.src, job.kind, res)
        else:
            self.progress.note(
                job.src.source.id, f"{res.outcome} {job.url}: {res.error}", verbose=True
            )

    def _problem(self, src: _SourceRun, kind: str, res: FetchResult) -> None:
        self.problems.append(Problem(src.source.id, kind, res.url, res.outcome, res.error))
        self.progress.note(
            src.source.id, f"{kind} {res.url}: {res.outcome}: {res.error}", problem=True
        )

    async def _log(
        self, res: FetchResult, kind: str, src: _SourceRun, document_id: int | None = None
    ) -> None:
        src.stats.requests += res.attempts
        entry = FetchLog(
            url=res.url,
            source_id=src.source.id,
            kind=kind,
            status=res.status,
            outcome=res.outcome,
            error=res.error,
            attempts=res.attempts,
            bytes=len(res.body),
            elapsed_ms=res.elapsed_ms,
            document_id=document_id,
            fetched_at=res.fetched_at or utc_now(),
        )
        await self._log_entry(entry)

    async def _log_entry(self, entry: FetchLog) -> None:
        assert self.run_id is not None
        await self.sink.log_fetch(self.run_id, entry)


def run_harvest(
    sources: Sequence[Source],
    settings: HarvestSettings,
    options: HarvestOptions,
    progress: Progress | None = None,
) -> HarvestSummary:
    """Lock the database, harvest ``sources`` into it and return the summary.

    Raises ``HarvestLockedError`` when another harvest holds the database, and the
    ``StoreError`` family when it cannot be opened or written.
    """
    # a dry run leaves no database and no lock file behind: it only shows what would be fetched
    lock: AbstractContextManager[object] = (
        nullcontext() if options.dry_run else HarvestLock(options.db_path)
    )
    with lock:
        sink = (DrySink if options.dry_run else StoreSink)(
            options.db_path,
            parse_workers=settings.parse_workers,
            parse_seconds=settings.parse_timeout,
            parse_megabytes=settings.parse_memory_mb,
        )
        crawler = Crawler(sources, settings, sink, options=options, progress=progress)
        return asyncio.run(crawler.run())
