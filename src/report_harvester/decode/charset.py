"""bytes → str for web pages: BOM > HTTP header > <meta> > detection. (STUB: helper fills in)"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str  # the Python codec actually used, e.g. "gb18030", "utf-8"
    method: str  # "bom", "http", "meta", "detected", "fallback"
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "fallback")
