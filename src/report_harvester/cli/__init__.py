"""Command-line interface: the only layer that talks to the terminal."""

from __future__ import annotations

import sys

import click

from ..errors import HarvesterError
from . import harvest_cmd, parse_cmd, store_cmds
from .app import cli

__all__ = ["cli", "harvest_cmd", "main", "parse_cmd", "store_cmds"]


def main() -> None:
    """Console-script entry point: usage errors exit 2, failures 1, never a traceback."""
    try:
        cli.main(prog_name="report-harvester", standalone_mode=True)
    except SystemExit:
        raise
    except HarvesterError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        click.echo(
            f"Error: internal error {type(exc).__name__}: {exc} "
            "(this is a bug in report-harvester; please report it with the command you ran)",
            err=True,
        )
        sys.exit(1)
