"""The sources file: TOML → validated ``SourcesConfig``; every error names its line.

Settings precedence is defaults < ``[harvest]`` in the file < command-line flags
(``HarvestSettings.merged``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import SourcesError
from .urls import canonical_url, host_allowed, netloc_of

DEFAULT_USER_AGENT = "report-harvester/0.1 (+https://github.com/report-harvester)"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HarvestSettings(_Strict):
    """How politely and how hard to crawl; the ``[harvest]`` table."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = Field(1.0, ge=0)  # seconds between request starts to one host
    per_host: int = Field(1, ge=1, le=16)  # requests in flight per host
    concurrency: int = Field(16, ge=1, le=256)  # requests in flight overall
    timeout: float = Field(30.0, gt=0)  # seconds: connect, read, write, pool
    deadline: float = Field(120.0, gt=0)  # seconds for one whole request, body included
    retries: int = Field(4, ge=0, le=20)  # retries after the first attempt
    backoff: float = Field(1.0, ge=0)  # first retry wait (seconds); doubles, plus jitter
    max_backoff: float = Field(60.0, ge=0)  # cap on one exponential wait
    max_retry_after: float = Field(120.0, ge=0)  # cap on a server's Retry-After
    max_bytes: int = Field(10_000_000, ge=1024)  # bodies larger than this are refused
    attachment_max_bytes: int = Field(30_000_000, ge=1024)  # the same for PDF/DOCX reports
    max_redirects: int = Field(5, ge=0, le=20)
    max_depth: int = Field(2, ge=0, le=10)  # sub-column levels followed below a start URL
    parse_workers: int = Field(2, ge=0, le=64)  # parser processes (0 means 1)
    parse_timeout: float = Field(60.0, gt=0)  # seconds one page may take to parse
    parse_memory_mb: int = Field(2048, ge=256)  # address space of a parser process

    @field_validator("user_agent")
    @classmethod
    def _ua(cls, value: str) -> str:
        if not value.strip() or any(c in value for c in "\r\n"):
            raise ValueError("must be a non-empty single line")
        return value.strip()

    def merged(self, overrides: Mapping[str, Any]) -> HarvestSettings:
        """These settings with ``overrides`` (command-line flags; None values ignored)
        applied and re-validated; raises ``SourcesError`` with a line per bad flag."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return HarvestSettings.model_validate(data)
        except ValidationError as exc:
            raise SourcesError(
                "\n".join(
                    f"--{str(err['loc'][0]).replace('_', '-')} {err['input']}: {_message(err)}"
                    for err in exc.errors()
                )
            ) from None


class Source(_Strict):
    """One portal column (or several) to harvest; a ``[[source]]`` table."""

    id: str
    name: str = ""
    org: str | None = None  # issuing body to assume when a page does not name one
    start_urls: list[str]
    allowed_hosts: list[str] = Field(default_factory=list)  # default: hosts of start_urls
    max_list_pages: int = Field(50, ge=1, le=10_000)
    attachment_hosts: list[str] = Field(default_factory=list)  # more hosts, for files only
    include: str | None = None  # replaces the built-in report-title pattern (text or URL)
    exclude: str | None = None  # added to the built-in exclusions (text or URL)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be letters, digits, '-', '_' or '.', e.g. 'yanfeng'")
        return value

    @field_validator("start_urls")
    @classmethod
    def _start_urls(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one URL")
        out = []
        for url in value:
            parts = urlsplit(url.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
            out.append(canonical_url(url.strip()))
        return out

    @field_validator("allowed_hosts", "attachment_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        out = []
        for host in value:
            h = host.strip().lower()
            if not h or "/" in h or " " in h:
                raise ValueError(f"{host!r} is not a host name (e.g. 'www.example.gov.cn')")
            out.append(h)
        return out

    @field_validator("include", "exclude")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _default_hosts(self) -> Source:
        if not self.allowed_hosts:
            hosts = list(dict.fromkeys(netloc_of(u) for u in self.start_urls))
            object.__setattr__(self, "allowed_hosts", hosts)
        for url in self.start_urls:
            if not host_allowed(url, self.allowed_hosts):
                raise ValueError(f"start URL {url} is not on allowed_hosts")
        return self


class SourcesConfig(_Strict):
    """The whole file: settings and sources."""

    harvest: HarvestSettings = Field(default_factory=HarvestSettings)
    source: list[Source]

    @model_validator(mode="after")
    def _unique_ids(self) -> SourcesConfig:
        seen: set[str] = set()
        for s in self.source:
            if s.id in seen:
                raise ValueError(f"duplicate source id {s.id!r}")
            seen.add(s.id)
        return self

    def select(self, ids: Sequence[str]) -> list[Source]:
        """The sources named by ``ids`` (all when empty); unknown ids raise SourcesError."""
        if not ids:
            return list(self.source)
        known = {s.id: s for s in self.source}
        missing = [i for i in ids if i not in known]
        if missing:
            raise SourcesError(
                f"unknown source {', '.join(map(repr, missing))} (known: {', '.join(known)})"
            )
        return [known[i] for i in dict.fromkeys(ids)]


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file; raise ``SourcesError`` naming file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{p}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{p}: cannot read: {exc}") from None
    return parse_sources(text, name=str(p))


def parse_sources(text: str, *, name: str = "sources.toml") -> SourcesConfig:
    """Validate the TOML ``text``; errors read ``name:LINE: source 'id': field: problem``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = m.group(1) if m else str(max(1, len(text.splitlines())))
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
        raise SourcesError(f"{name}:{line}: invalid TOML: {msg}") from None
    if "source" not in data:
        raise SourcesError(f"{name}:1: no [[source]] tables: nothing to harvest")
    if not isinstance(data.get("source"), list):
        line = _find_line(text, None, None, "source")
        raise SourcesError(f"{name}:{line}: 'source' must be [[source]] tables")
    try:
        return SourcesConfig.model_validate(data)
    except ValidationError as exc:  # every mistake, a line each
        lines = [_describe(err, data, text, name) for err in exc.errors()]
        raise SourcesError("\n".join(sorted(set(lines), key=_line_number))) from None


def _line_number(described: str) -> tuple[int, str]:
    number = described.split(":", 2)[1] if described.count(":") >= 2 else ""
    return (int(number) if number.isdigit() else 0, described)


def _message(err: Any) -> str:
    return str(err["msg"]).removeprefix("Value error, ")


def _describe(err: Any, data: dict[str, Any], text: str, name: str) -> str:
    loc = tuple(err["loc"])
    msg = _message(err)
    table, index, key = None, None, None
    where = ""
    if loc and loc[0] == "source" and len(loc) >= 2 and isinstance(loc[1], int):
        table, index = "source", loc[1]
        key = str(loc[2]) if len(loc) >= 3 else None
        sources = data.get("source") or []
        sid = sources[index].get("id") if index < len(sources) and isinstance(
            sources[index], dict
        ) else None
        where = f"source {sid!r}: " if sid else f"source #{index + 1}: "
        rest = [str(x) for x in loc[2:]]
    elif loc and loc[0] == "harvest":
        table = "harvest"
        key = str(loc[1]) if len(loc) >= 2 else None
        where = "[harvest]: "
        rest = [str(x) for x in loc[1:]]
    else:
        rest = [str(x) for x in loc]
    if err["type"] == "extra_forbidden":
        msg = "unknown setting"
    field = ".".join(rest)
    line = _find_line(text, table, index, key)
    return f"{name}:{line}: {where}{field + ': ' if field else ''}{msg}"


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?")


def _find_line(text: str, table: str | None, index: int | None, key: str | None) -> int:
    """Best-effort line number of ``key`` in ``[table]`` / the index-th ``[[table]]``."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    if table is not None:
        count = -1
        found = None
        for i, line in enumerate(lines):
            m = _HEADER.match(line)
            if not m:
                continue
            if found is not None:
                end = i
                break
            if m.group(2) == table:
                count += 1
                if index is None or count == index:
                    found = i
        if found is None:
            return 1
        start = found
    if key is not None:
        pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in _range(start, end):
            if pat.match(lines[i]):
                return i + 1
    return start + 1


def _range(start: int, end: int) -> Iterable[int]:
    return range(start, end)
