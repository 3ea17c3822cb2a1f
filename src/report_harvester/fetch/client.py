"""The one HTTP client of a harvest: httpx.AsyncClient with our headers and limits."""

from __future__ import annotations

import httpx

from .sources import HarvestSettings

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def make_client(
    settings: HarvestSettings,
    *,
    trust_env: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient that never follows redirects itself (the fetcher checks each hop).

    ``trust_env=False`` ignores proxy variables; ``transport`` replaces the network
    (the demo routes its portal's host names to 127.0.0.1 ports).
    """
    return httpx.AsyncClient(
        headers={
            "User-Agent": settings.user_agent,
            "Accept": ACCEPT,
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
        },
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,
        limits=httpx.Limits(
            max_connections=settings.concurrency,
            max_keepalive_connections=settings.concurrency,
            keepalive_expiry=30.0,
        ),
        trust_env=trust_env,
        transport=transport,
    )
