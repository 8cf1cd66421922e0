"""The Lambda's requirements.txt and pyproject.toml agree; every CLI command has its own --help."""

from __future__ import annotations

import re
import tomllib

import pytest

from replydesk.cli import build_parser, main
from tests.conftest import REPO


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ]", r.strip(), maxsplit=1)[0].lower() for r in requirements if r.strip()}


def test_lambda_requirements_match_the_runtime_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [line for line in (REPO / "functions" / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    # boto3 is provided by the Lambda runtime and deliberately not bundled.
    assert _names(lines) == _names(project["dependencies"]) - {"boto3"}


def _commands() -> list[list[str]]:
    parser = build_parser()
    found = []
    for action in parser._subparsers._group_actions:  # argparse offers no public way to walk subcommands
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            found.extend([[name, child] for child in nested[0].choices] if nested else [[name]])
    return found


def test_every_documented_command_exists() -> None:
    assert {" ".join(c) for c in _commands()} >= {
        "parse", "trim", "classify", "train", "demo", "export", "campaigns sync", "targets import", "review"}


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: replydesk " + " ".join(command) in capsys.readouterr().out
