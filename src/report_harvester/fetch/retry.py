"""When and how long to retry one request (tenacity).

Retried: timeouts (a request's total deadline too), connection errors (refused,
reset, closed mid-body), 429 and 5xx answers. Not retried: other 4xx, oversized
bodies, bad URLs, host names that do not resolve. The wait is exponential with
jitter; a Retry-After header (seconds or HTTP-date) wins, capped at
``max_retry_after``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from .sources import HarvestSettings

log = logging.getLogger("report_harvester.fetch")


class RetryableStatus(Exception):
    """A 429 or 5xx answer; carries what the caller needs if retries run out."""

    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.url = url
        self.status = status
        self.retry_after = retry_after


class DeadlineExceeded(httpx.TimeoutException):
    """A request (connect, headers and body) outlived its total deadline: a trickling server."""


class BodyTooLarge(Exception):
    """The body is larger than the configured cap; reading stopped."""

    def __init__(self, url: str, limit: int, declared: int | None = None) -> None:
        size = f"declares {declared} bytes" if declared is not None else f"exceeds {limit} bytes"
        super().__init__(f"body {size} (limit {limit})")
        self.url = url


def name_not_resolved(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a failed DNS lookup (the host name does not resolve)."""
    seen: BaseException | None = exc
    for _ in range(8):  # httpx → httpcore → socket.gaierror
        if seen is None:
            return False
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retryable(exc: BaseException) -> bool:
    """Whether another attempt may help: not for a name that does not resolve, which
    seconds of back-off will not change (and the system resolver already retried)."""
    if name_not_resolved(exc):
        return False
    return isinstance(
        exc,
        RetryableStatus | httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError,
    )


def describe(exc: BaseException) -> str:
    """A short reason for a log line or the ``fetches.error`` column."""
    if isinstance(exc, RetryableStatus | BodyTooLarge):
        return str(exc)
    name = type(exc).__name__
    text = str(exc).strip()
    if name_not_resolved(exc):
        return f"host name does not resolve ({text})"
    return f"{name}: {text}" if text and text != name else name


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return max(0.0, (when - current).total_seconds())


class _Wait:
    """Retry-After when the server gave one (capped), else exponential backoff with jitter."""

    def __init__(self, settings: HarvestSettings) -> None:
        self._cap = settings.max_retry_after
        self._base = settings.backoff
        self._max = settings.max_backoff

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
            return min(exc.retry_after, self._cap)
        exponential: float = self._base * 2.0 ** (state.attempt_number - 1)
        return min(self._max, exponential) + random.uniform(0, self._base)


def retrying(
    settings: HarvestSettings, url: str, on_retry: Callable[[str, int, float], None] | None = None
) -> AsyncRetrying:
    """The tenacity policy for one URL; ``on_retry(reason, attempt, wait)`` before each sleep."""

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        reason = describe(exc) if exc else "?"
        attempt = state.attempt_number
        log.info("retrying %s in %.1fs after attempt %d: %s", url, wait, attempt, reason)
        if on_retry is not None:
            on_retry(reason, state.attempt_number, wait)

    return AsyncRetrying(
        stop=stop_after_attempt(settings.retries + 1),
        wait=_Wait(settings),
        retry=retry_if_exception(retryable),
        before_sleep=before_sleep,
        reraise=True,
    )
