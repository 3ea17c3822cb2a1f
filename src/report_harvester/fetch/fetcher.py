"""One URL → one ``FetchResult``: politeness, retries, size cap, checked redirects.

Never raises for a network or HTTP problem: every ending is an ``outcome``
(ok, not_modified, failed, too_large, offhost_redirect, robots_denied, skipped).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from .client import make_client, tls_context
from .politeness import HostGate, Politeness
from .retry import (
    BodyTooLarge,
    DeadlineExceeded,
    RetryableStatus,
    describe,
    parse_retry_after,
    retryable,
    retrying,
)
from .sources import HarvestSettings
from .urls import host_allowed, netloc_of, try_canonical

log = logging.getLogger("report_harvester.fetch")

RobotsCheck = Callable[[str], Awaitable[str | None]]  # url → None if allowed, else the reason


def utc_now() -> str:
    """The current time as ISO 8601 UTC, seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(slots=True)
class FetchResult:
    """What happened to one URL (after any redirects)."""

    url: str
    outcome: str  # ok, not_modified, failed, too_large, offhost_redirect, robots_denied, skipped
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    attempts: int = 0
    elapsed_ms: int = 0
    fetched_at: str = ""

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(slots=True)
class _Raw:
    status: int
    headers: dict[str, str]
    body: bytes


def _headers(response: httpx.Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


class Fetcher:
    """Fetches URLs for one run; owns one HTTP client per host, shares the host gates.

    One client per host keeps each connection pool tiny: httpcore looks at every
    pooled connection on every request, which with one pool for many hosts costs
    more CPU than the requests themselves.
    """

    def __init__(
        self,
        politeness: Politeness,
        settings: HarvestSettings,
        *,
        trust_env: bool = True,
        transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.politeness = politeness
        self.settings = settings
        self._trust_env = trust_env
        self._transport = transport  # makes a transport per client instead of the network
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._tls: ssl.SSLContext | None = None

    def client(self, netloc: str) -> httpx.AsyncClient:
        """The client for ``netloc`` (created on first use)."""
        client = self._clients.get(netloc)
        if client is None:
            transport = self._transport() if self._transport is not None else None
            if self._tls is None:
                self._tls = tls_context()
            client = make_client(
                self.settings, trust_env=self._trust_env, transport=transport, verify=self._tls
            )
            self._clients[netloc] = client
        return client

    async def aclose(self) -> None:
        """Close every client (and its connections)."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def fetch(
        self,
        url: str,
        *,
        allowed_hosts: list[str],
        headers: Mapping[str, str] | None = None,
        robots: RobotsCheck | None = None,
        keep_first: int | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects only within ``allowed_hosts``.

        ``keep_first``: read at most that many bytes of the body and keep them (a
        robots.txt is parsed from its first 512 KiB) instead of refusing a body over
        the size cap. ``max_bytes``: this request's size cap (attachments have their own).
        """
        started = time.monotonic()
        result = FetchResult(url=url, outcome="failed", final_url=url, fetched_at=utc_now())
        current = url
        hops = 0
        while True:
            if robots is not None:
                denied = await robots(current)
                if denied is not None:
                    result.outcome, result.error = "robots_denied", denied
                    break
            gate = self.politeness.gate(netloc_of(current))
            if gate.blocked is not None:
                result.outcome, result.error = "skipped", f"host backed off: {gate.blocked}"
                break
            limit = keep_first or max_bytes or self.settings.max_bytes
            raw = await self._get(current, gate, headers or {}, result, (limit, bool(keep_first)))
            if raw is None:
                break
            result.status, result.headers, result.final_url = raw.status, raw.headers, current
            location = raw.headers.get("location")
            if raw.status in (301, 302, 303, 307, 308) and location:
                target = try_canonical(location, base=current)
                hops += 1
                if target is None:
                    result.outcome, result.error = "failed", f"bad redirect to {location!r}"
                    break
                if not host_allowed(target, allowed_hosts):
                    result.outcome, result.error = "offhost_redirect", f"redirect to {target}"
                    result.final_url = target
                    break
                if hops > self.settings.max_redirects:
                    result.outcome, result.error = "failed", "too many redirects"
                    break
                current = target
                continue
            result.body = raw.body
            if raw.status == 304:
                result.outcome = "not_modified"
            elif 200 <= raw.status < 300:
                result.outcome = "ok"
            else:
                result.outcome, result.error = "failed", f"HTTP {raw.status}"
            break
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    async def _get(
        self,
        url: str,
        gate: HostGate,
        headers: Mapping[str, str],
        result: FetchResult,
        cap: tuple[int, bool],
    ) -> _Raw | None:
        """One request with retries; None (and ``result`` filled in) when it failed."""
        attempts = 0

        def pause_host(reason: str, attempt: int, wait: float) -> None:
            gate.pause(wait)  # the back-off holds every request to the host, not only this one

        try:
            async for attempt in retrying(self.settings, url, on_retry=pause_host):
                with attempt:
                    attempts += 1
                    return await self._once(url, gate, headers, cap)
        except BodyTooLarge as exc:
            result.outcome, result.error = "too_large", str(exc)
        except RetryableStatus as exc:
            result.status = exc.status
            result.outcome, result.error = "failed", self._gave_up(url, attempts, exc)
        except (httpx.HTTPError, OSError) as exc:
            result.outcome = "failed"
            result.error = self._gave_up(url, attempts, exc) if retryable(exc) else describe(exc)
        finally:
            result.attempts += attempts
        return None

    @staticmethod
    def _gave_up(url: str, attempts: int, exc: BaseException) -> str:
        reason = describe(exc)
        log.warning("gave up on %s after %d attempts: %s", url, attempts, reason)
        return f"gave up after {attempts} attempts: {reason}"

    async def _once(
        self, url: str, gate: HostGate, headers: Mapping[str, str], cap: tuple[int, bool]
    ) -> _Raw:
        """One attempt within the request deadline; a failed one backs the host off.

        After a timeout the host is left alone at least as long as the attempt took
        (the server may still be answering it), after other retryable failures for
        the host's interval, counted from the failure.
        """
        deadline = self.settings.deadline
        async with gate.slot() as on_wire:

            async def trace(event: str, info: Mapping[str, object]) -> None:
                if event.endswith("send_request_headers.started"):
                    on_wire()

            started = time.monotonic()
            try:
                async with (
                    asyncio.timeout(deadline),
                    self.client(gate.netloc).stream(
                        "GET", url, headers=dict(headers), extensions={"trace": trace}
                    ) as response,
                ):
                    return await self._read(url, gate, response, cap)
            except TimeoutError:
                gate.pause(max(gate.interval, time.monotonic() - started))
                raise DeadlineExceeded(f"no complete answer within {deadline:g}s") from None
            except httpx.TimeoutException:
                gate.pause(max(gate.interval, time.monotonic() - started))
                raise
            except (RetryableStatus, httpx.TransportError):
                gate.pause(gate.interval)
                raise

    async def _read(
        self, url: str, gate: HostGate, response: httpx.Response, cap: tuple[int, bool]
    ) -> _Raw:
        """The answer, its body read up to ``cap`` = (bytes, keep the first bytes instead
        of refusing a larger body)."""
        limit, truncate = cap
        status = response.status_code
        head = _headers(response)
        if status == 429 or 500 <= status < 600:
            retry_after = parse_retry_after(head.get("retry-after"))
            if retry_after is not None:
                gate.pause(min(retry_after, self.settings.max_retry_after))
            raise RetryableStatus(url, status, retry_after)
        declared = head.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and not truncate:
            raise BodyTooLarge(url, limit, int(declared))
        chunks: list[bytes] = []
        size = 0
        if status not in (204, 304) and not (300 <= status < 400):
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    if not truncate:
                        raise BodyTooLarge(url, limit)
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                chunks.append(chunk)
        return _Raw(status, head, b"".join(chunks))
