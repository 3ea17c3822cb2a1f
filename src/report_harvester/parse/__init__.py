"""Parsing: saved pages (HTML bytes or text renderings) → ``Report`` records."""

from __future__ import annotations

from .pipeline import parse_bytes, parse_file, parse_html, parse_text

__all__ = ["parse_bytes", "parse_file", "parse_html", "parse_text"]
