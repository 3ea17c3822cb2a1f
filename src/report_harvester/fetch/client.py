"""HTTP clients of a harvest: httpx.AsyncClient with our headers and limits (one per host)."""

from __future__ import annotations

import ssl

import httpx

from .sources import HarvestSettings

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS context all clients of a run share (costly to build)."""
    return httpx.create_ssl_context()


def make_client(
    settings: HarvestSettings,
    *,
    trust_env: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: ssl.SSLContext | bool = True,
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
        # one client per host (fetcher.py); the crawler limits requests in flight itself
        limits=httpx.Limits(
            max_connections=settings.per_host,
            max_keepalive_connections=settings.per_host,
            keepalive_expiry=30.0,
        ),
        trust_env=trust_env,
        transport=transport,
        verify=verify,
    )
