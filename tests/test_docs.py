"""The manual in docs/ documents every command and option of kg."""

from __future__ import annotations

import re

import click
import pytest
from helpers import ROOT

from kg.cli import cli

DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))
SELF_EVIDENT = {"-h", "--help", "--version"}


def _commands(group: click.Group, prefix: str = "kg") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += _commands(command, path)
    return found


COMMANDS = _commands(cli)


def test_every_command_is_found() -> None:
    assert {"kg build", "kg cache info", "kg query", "kg serve"} <= {path for path, _ in COMMANDS}


@pytest.mark.parametrize("path,command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_and_option_is_documented(path: str, command: click.Command) -> None:
    assert path in DOCS, f"{path} is not documented in docs/"
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        for opt in [*param.opts, *param.secondary_opts]:
            if opt in SELF_EVIDENT:
                continue
            assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", DOCS), f"{path} {opt} is not documented in docs/"
