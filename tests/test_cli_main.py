"""The console entry point: no traceback ever reaches a user."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from report_harvester import PARSER_VERSION
from report_harvester import cli as cli_module
from report_harvester.errors import SourcesError


def _raise(exc: BaseException):  # type: ignore[no-untyped-def]
    def main(*args: object, **kwargs: object) -> None:
        raise exc

    return main


def test_unexpected_exception_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_module.cli, "main", _raise(KeyError("boom")))
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: internal error KeyError: 'boom' (this is a bug")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_harvester_error_keeps_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_module.cli, "main", _raise(SourcesError("sources.toml:3: bad")))
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "Error: sources.toml:3: bad\n"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "report_harvester", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == f"report-harvester, version {PARSER_VERSION}\n"


def test_the_parser_version_is_the_package_version() -> None:
    """``reparse`` picks the documents an older parser read by this version: it moves with
    every release of the package (pyproject.toml), never one without the other."""
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == PARSER_VERSION


def test_every_command_loads_without_posix_only_modules() -> None:
    """Windows has no fcntl: loading the CLI must not need it (the lock is filelock's)."""
    code = (
        "import sys, warnings; warnings.simplefilter('ignore');"
        " sys.modules['fcntl'] = None; sys.modules['resource'] = None;"
        " from report_harvester.cli import cli; from click.testing import CliRunner;"
        " r = CliRunner().invoke(cli, ['harvest', '--help']); print(r.exit_code)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.stdout.strip(), done.stderr) == ("0", "")
