"""Cell text → Value. (STUB: helper fills in)"""

from __future__ import annotations

from ..models import Value


def parse_value(raw: str) -> Value:
    return Value(raw=raw, kind="blank" if not raw.strip() else "text")
