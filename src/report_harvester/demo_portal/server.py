"""A tiny multi-host web server for the demo, the tests and the benchmark.

Each virtual host listens on its own ephemeral port of 127.0.0.1, served by a
``ThreadingHTTPServer`` in a daemon thread of this process. A host maps paths to
``Reply`` objects (or functions of the ``Request`` returning one), logs every
request with its arrival time, answers conditional requests (ETag and
Last-Modified → 304), and can delay, fail or cut a reply short (a TCP reset
mid-body). ``{{host:NAME}}`` in a body is replaced by that host's
``127.0.0.1:PORT``, so pages can link across hosts.

``demo_portal()`` serves the demo sites that ``build`` writes (fictional 明湖区, 清河区).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from .build import build

FIXED_LAST_MODIFIED = "Mon, 15 Jan 2024 08:00:00 GMT"
_PLACEHOLDER = re.compile(rb"\{\{host:([A-Za-z0-9_-]+)\}\}")
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xml": "application/xml",
}


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the server saw it."""

    host: str
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-cased names
    time: float  # time.monotonic() at arrival


@dataclass(slots=True)
class Reply:
    """What to answer. ``reset_after``: send that many body bytes, then reset the connection."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    reset_after: int | None = None
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    chunked: bool = False  # no Content-Length: send the body in chunks
    trickle: float = 0.0  # seconds between body bytes (a server sending 1 byte at a time)


Route = Reply | Callable[[Request], Reply]


class VirtualHost:
    """One site: routes, a request log and an optional latency for every reply."""

    def __init__(
        self, name: str, routes: dict[str, Route] | None = None, *, latency: float = 0.0
    ) -> None:
        self.name = name
        self.routes: dict[str, Route] = dict(routes or {})
        self.latency = latency
        self.requests: list[Request] = []
        self.finished: list[tuple[Request, float]] = []  # (request, monotonic time it ended)
        self._lock = threading.Lock()
        self.port = 0

    def add(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def paths(self) -> list[str]:
        """Paths requested so far, in arrival order."""
        with self._lock:
            return [r.path for r in self.requests]

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _finish(self, request: Request) -> None:
        with self._lock:
            self.finished.append((request, time.monotonic()))

    def busy(self) -> list[tuple[float, float]]:
        """(arrival, end) of every answered request, in arrival order."""
        with self._lock:
            return sorted((r.time, end) for r, end in self.finished)

    def resolve(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            route = self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                         {"Content-Type": "text/html"}, conditional=False)
        return route(request) if callable(route) else route


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HostServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        vhost = self.server.vhost
        request = Request(
            vhost.name,
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            time.monotonic(),
        )
        vhost._log(request)
        try:
            self._reply(vhost, request, head=head)
        finally:
            vhost._finish(request)

    def _reply(self, vhost: VirtualHost, request: Request, *, head: bool) -> None:
        reply = vhost.resolve(request)
        wait = vhost.latency + reply.delay
        if wait > 0:
            time.sleep(wait)
        body = self.server.portal.expand(reply.body)
        headers = {"Content-Type": "text/html", **reply.headers}
        status = reply.status
        if status == 200 and reply.conditional:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", FIXED_LAST_MODIFIED)
            inm = request.headers.get("if-none-match")
            ims = request.headers.get("if-modified-since")
            if (inm is not None and inm == headers["ETag"]) or (
                inm is None and ims is not None and ims == headers["Last-Modified"]
            ):
                status, body = 304, b""
                headers.pop("Content-Type", None)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if reply.chunked and status != 304:
            self.send_header("Transfer-Encoding", "chunked")
        elif status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head or status == 304:
            return
        if reply.chunked:
            for i in range(0, len(body), 65536):
                piece = body[i : i + 65536]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if reply.trickle > 0:
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                time.sleep(reply.trickle)
            return
        if reply.reset_after is not None:
            self.wfile.write(body[: reply.reset_after])
            self.wfile.flush()
            self._reset()
            return
        self.wfile.write(body)

    def _reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0, then close)."""
        self.close_connection = True
        sock = self.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(sock.detach())


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, vhost: VirtualHost, portal: Portal, bind: str) -> None:
        self.vhost = vhost
        self.portal = portal
        super().__init__((bind, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that hung up, or a deliberate reset: nothing to report

    def shutdown_request(self, request: Any) -> None:
        if request.fileno() == -1:  # detached by a deliberate reset
            return
        super().shutdown_request(request)


class Portal:
    """Several virtual hosts on 127.0.0.1, started and stopped together.

    ``public``: host name → the address (``www.minghu.test``) the portal's pages and
    URLs use instead of ``127.0.0.1:PORT``; ``transport()`` then routes requests for
    those addresses to the local ports, so URLs stay the same from one run to the next.
    """

    def __init__(
        self,
        hosts: Iterable[VirtualHost],
        *,
        bind: str = "127.0.0.1",
        public: dict[str, str] | None = None,
    ) -> None:
        self.hosts = {h.name: h for h in hosts}
        self.bind = bind
        self.public = dict(public or {})
        self._servers: list[_HostServer] = []
        self._threads: list[threading.Thread] = []
        self._expansions: dict[bytes, bytes] = {}

    def start(self) -> Portal:
        for vhost in self.hosts.values():
            server = _HostServer(vhost, self, self.bind)
            vhost.port = server.server_address[1]
            self._servers.append(server)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"portal-{vhost.name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        self._expansions = {
            name.encode(): self.public_netloc(name).encode() for name in self.hosts
        }
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Portal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def netloc(self, name: str) -> str:
        """``127.0.0.1:PORT`` of host ``name``."""
        return f"{self.bind}:{self.hosts[name].port}"

    def public_netloc(self, name: str) -> str:
        """The address pages and URLs use for host ``name``."""
        return self.public.get(name) or self.netloc(name)

    def url(self, name: str, path: str = "/") -> str:
        """An absolute URL on host ``name`` (its public address)."""
        return f"http://{self.public_netloc(name)}{path}"

    def transport(self) -> httpx.AsyncBaseTransport:
        """A new httpx transport sending requests for the public addresses to the local ports."""
        return PortalTransport({self.public_netloc(n): self.netloc(n) for n in self.hosts})

    def urls(self) -> list[str]:
        return [self.url(name) for name in self.hosts]

    def expand(self, body: bytes) -> bytes:
        """Replace ``{{host:NAME}}`` placeholders with the hosts' addresses."""
        if b"{{host:" not in body:
            return body
        return _PLACEHOLDER.sub(lambda m: self._expansions.get(m.group(1), m.group(0)), body)


class PortalTransport(httpx.AsyncBaseTransport):
    """Routes ``public host → 127.0.0.1:PORT`` (the Host header keeps the public name)."""

    def __init__(self, routes: dict[str, str]) -> None:
        self._routes = routes
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        netloc = request.url.netloc.decode("ascii")
        local = self._routes.get(netloc)
        if local is not None:
            host, port = local.rsplit(":", 1)
            request.url = request.url.copy_with(host=host, port=int(port))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


# -- the bundled demo ---------------------------------------------------------------------------

# host name → charset sent in Content-Type for HTML (None: leave it to <meta charset>)
DEMO_HOSTS: dict[str, str | None] = {"minghu": "utf-8", "jyj": None, "qinghe": "utf-8"}
# stable public names (the .test TLD is reserved: they never resolve to anything else)
DEMO_NAMES = {"minghu": "www.minghu.test", "jyj": "jyj.minghu.test", "qinghe": "www.qinghe.test"}
DEMO_DELAY = 0.05


def site_routes(root: Path, charset: str | None) -> dict[str, Route]:
    """Every file under ``root`` as a route (``dir/index.html`` also as ``dir/``)."""
    routes: dict[str, Route] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = "/" + path.relative_to(root).as_posix()
        data = path.read_bytes()
        ctype = _TYPES.get(path.suffix.lower(), "application/octet-stream")
        if ctype == "text/html" and charset and _is_utf8(data):
            ctype += f"; charset={charset}"
        reply = Reply(200, data, {"Content-Type": ctype})
        routes[rel] = reply
        if rel.endswith("/index.html"):
            routes[rel[: -len("index.html")]] = reply
    return routes


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def demo_hosts(latency: float = 0.0) -> list[VirtualHost]:
    """The demo sites as virtual hosts, written afresh by ``build`` (about 10 ms) and
    held in memory, so no generated pages need to ship with the package."""
    hosts = []
    with tempfile.TemporaryDirectory(prefix="report-harvester-demo-") as tmp:
        root = Path(tmp)
        build(root)
        for name, charset in DEMO_HOSTS.items():
            routes = site_routes(root / name, charset)
            # Hanweb-style paging: the list is one path, the page a query parameter
            routes.update(_query_pages(root / name))
            hosts.append(VirtualHost(name, routes, latency=latency))
    return hosts


def _query_pages(root: Path) -> dict[str, Route]:
    """``…/index.html?pageNum=N`` served from ``…/page-N.html`` files, where present."""
    routes: dict[str, Route] = {}
    for page in root.rglob("page-*.html"):
        n = page.stem.split("-", 1)[1]
        base = "/" + page.parent.relative_to(root).as_posix() + "/index.html"
        routes[f"{base}?pageNum={n}"] = Reply(200, page.read_bytes(), {"Content-Type": "text/html"})
    return routes


@contextmanager
def demo_portal() -> Iterator[Portal]:
    """The demo portal, running for the duration of the ``with`` block."""
    portal = Portal(demo_hosts(), public=DEMO_NAMES)
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()


def demo_sources_toml(portal: Portal, *, delay: float = DEMO_DELAY) -> str:
    """A sources file for the running demo portal."""
    return f"""\
# Written by `report-harvester demo` for its portal on 127.0.0.1.
[harvest]
user_agent = "report-harvester-demo/0.1"
delay = {delay}
per_host = 1
concurrency = 8
timeout = 10
retries = 2
backoff = 0.1

[[source]]
id = "minghu"
name = "明湖区人民政府(示范)"
start_urls = ["{portal.url("minghu", "/xxgk/zfxxgknb/index.html")}"]

[[source]]
id = "minghu-jyj"
name = "明湖区教育局(示范)"
start_urls = ["{portal.url("jyj", "/col/col2001/index.html")}"]

[[source]]
id = "qinghe"
name = "清河区人民政府(示范)"
start_urls = ["{portal.url("qinghe", "/zwgk/xxgknb/")}"]
"""
