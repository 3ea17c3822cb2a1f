"""Docs can't drift: every command has help with an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from report_harvester.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = sorted(cli.commands)


def test_the_commands_the_issues_promise_exist() -> None:
    assert {"parse", "reparse", "check", "serve", "harvest", "demo"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_command(name: str) -> None:
    assert f"report-harvester {name}" in README.read_text(encoding="utf-8")


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(cli, ["parse"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output
