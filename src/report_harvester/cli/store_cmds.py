"""Commands: store_cmds (placeholder until implemented)."""

from __future__ import annotations

from .app import cli  # noqa: F401
