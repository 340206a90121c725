"""The `chidao` subcommands of one area, registered on the group by cli.py."""
from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this area's commands to `group`."""
