"""The click group every command registers on, and the process entry point."""

from __future__ import annotations

import click

from ..models import PARSER_VERSION

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_DB = "db/reports.db"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(PARSER_VERSION, prog_name="report-harvester")
def cli() -> None:
    """Harvest, parse and store China's open-government annual reports as data.

    \b
    Start here:
      report-harvester demo                 harvest a bundled portal on 127.0.0.1
      report-harvester serve --db db/demo.db
    """
