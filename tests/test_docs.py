"""Every CLI subcommand is in the README and has help that ends with an example.

As sqlite-utils' test_docs.py does: a command nobody can find, or whose help shows no
way to call it, is a command half-shipped.
"""
from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import chidao

README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = sorted(chidao.commands)


def test_there_are_commands() -> None:
    assert {"parse", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name: str) -> None:
    assert f"chidao {name}" in README.read_text(encoding="utf-8")


def help_lines(args: list[str]) -> list[str]:
    result = CliRunner().invoke(chidao, [*args, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize("args", [[], *([name] for name in COMMANDS)], ids=["chidao", *COMMANDS])
def test_help_ends_with_an_example(args: list[str]) -> None:
    lines = help_lines(args)
    assert "Example:" in lines, "\n".join(lines)
    example = lines[lines.index("Example:") + 1:]
    assert example and all(line.startswith("chidao ") for line in example), "\n".join(lines)
    # The example calls the command it documents.
    assert all(line.split()[1] in (args or COMMANDS) for line in example)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_summary(name: str) -> None:
    command = chidao.commands[name]
    assert isinstance(command, click.Command)
    assert command.get_short_help_str(limit=80).strip()
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"chidao {name} {param.opts[0]} has no help"
