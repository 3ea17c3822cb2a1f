"""Command-line interface: the only layer that talks to the terminal."""

from __future__ import annotations

import sys

from . import harvest_cmd, parse_cmd, store_cmds
from .app import cli

__all__ = ["cli", "harvest_cmd", "main", "parse_cmd", "store_cmds"]


def main() -> None:
    """Console-script entry point: usage errors exit 2, failures 1."""
    sys.exit(cli.main(prog_name="report-harvester", standalone_mode=True))
