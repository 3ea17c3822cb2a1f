"""report_harvester: China's open-government annual reports as data."""

from __future__ import annotations

from .models import (
    PARSER_VERSION,
    ApplicationCell,
    CheckResult,
    DisclosureCell,
    ParseFailure,
    ParseOutcome,
    Report,
    ReviewCell,
    Section,
    Value,
)
from .parse import parse_bytes, parse_file, parse_html, parse_text

__version__ = PARSER_VERSION

__all__ = [
    "PARSER_VERSION",
    "ApplicationCell",
    "CheckResult",
    "DisclosureCell",
    "ParseFailure",
    "ParseOutcome",
    "Report",
    "ReviewCell",
    "Section",
    "Value",
    "__version__",
    "parse_bytes",
    "parse_file",
    "parse_html",
    "parse_text",
]
