"""Orchestration: input → decode → blocks → sections/metadata/tables → checks → Report."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..models import ErrorInfo, ParseFailure, ParseOutcome, Report, SourceInfo


def _source(data: bytes, path: str | None, url: str | None) -> SourceInfo:
    return SourceInfo(path=path, url=url, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def parse_html(html: bytes | str, url: str | None = None, *, org: str | None = None) -> Report:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return Report(source=_source(data, None, url))


def parse_text(text: str, *, org: str | None = None) -> Report:
    return Report(source=_source(text.encode("utf-8"), None, None))


def parse_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    http_charset: str | None = None,
    org: str | None = None,
) -> ParseOutcome:
    if not data:
        return ParseFailure(source=_source(data, path, url), error=ErrorInfo(code="empty", message="empty"))
    return parse_html(data, url, org=org)


def parse_file(path: str | Path, *, org: str | None = None) -> ParseOutcome:
    p = Path(path)
    return parse_bytes(p.read_bytes(), path=str(p), org=org)
