"""URL canonicalisation and host rules.

A canonical URL has a lower-case scheme and host, no default port, no fragment,
a path without ``.``/``..`` segments (``/`` when empty) and its query string exactly
as the link wrote it: portals that read parameters in order (``?uid=5&pageNum=2``)
answer 404 to a reordered query. ``url_key`` sorts the parameters, so that one page
reached through differently written links is fetched once.
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# characters left as they are when re-quoting a path (already-encoded %XX stays)
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def canonical_url(url: str, base: str | None = None) -> str:
    """``url`` (resolved against ``base``) in canonical form; raises ValueError if not http(s)."""
    if base is not None:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in URL: {url!r}") from None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if netloc == host else f"[{host}]:{port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and not path.endswith("/"):
        path += "/"
    path = quote(path, safe=_PATH_SAFE)
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def url_key(url: str) -> str:
    """The de-duplication key of a canonical URL: its query parameters sorted."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted(pairs), doseq=True) if pairs else parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def try_canonical(url: str, base: str | None = None) -> str | None:
    """``canonical_url`` or None for links that are not http(s) (mailto:, javascript:, …)."""
    try:
        return canonical_url(url, base)
    except ValueError:
        return None


def netloc_of(url: str) -> str:
    """The host (with a non-default port) of a canonical URL: the unit of politeness."""
    return urlsplit(url).netloc


def host_allowed(url: str, allowed: list[str]) -> bool:
    """Whether ``url`` is on one of ``allowed``.

    An entry with a port (``127.0.0.1:8001``) matches that host and port only; one
    without (``www.example.gov.cn``) matches the host on its default port, over http
    or https; ``*.example.gov.cn`` matches any sub-domain on a default port.
    """
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    host = (parts.hostname or "").lower()
    default_port = ":" not in netloc.rsplit("]", 1)[-1]
    for entry in allowed:
        if ":" in entry.rsplit("]", 1)[-1]:
            if netloc == entry:
                return True
        elif default_port and (
            host == entry or (entry.startswith("*.") and host.endswith(entry[1:]))
        ):
            return True
    return False


def directory_of(url: str) -> str:
    """The URL of the directory holding ``url`` (``…/zfxxgknb/index.html`` → ``…/zfxxgknb/``)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def under(url: str, directory: str) -> bool:
    """Whether ``url`` lies inside ``directory`` (a URL ending in ``/``)."""
    return url.startswith(directory)
