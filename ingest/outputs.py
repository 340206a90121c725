"""Where each record goes and how it gets there: one JSON file per source, written whole.

`plan_outputs` names every target before anything is parsed, from the list of sources
alone, so a name never depends on which files happened to fail or on the worker count.
`write_record` writes a temporary file beside the target and renames it over the
target, so a reader (or a rerun after Ctrl-C) never sees half a record.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Renamed:
    """A source whose stem an earlier source already took, and the name it got instead."""

    source: Path
    first: Path  # the earlier source that has <stem>.json
    target: Path


@dataclass(frozen=True, slots=True)
class OutputPlan:
    targets: dict[Path, Path]  # source → its JSON file
    renamed: tuple[Renamed, ...]


def plan_outputs(sources: Sequence[Path], out_dir: Path) -> OutputPlan:
    """<stem>.json for the first source of each stem; <stem>.<ext>.json for later ones.

    Folders of provincial documents often hold the same letter twice (KH_57.docx and
    the KH_57.pdf it was printed to) or the same name in two folders; the later one gets
    its suffix in its name, then a counter, and is listed in `renamed` so the user is told.
    """
    targets: dict[Path, Path] = {}
    renamed: list[Renamed] = []
    # Folded, because two names that differ only in case are one file on macOS and Windows.
    owners: dict[str, Path] = {}
    for source in sources:
        name = f"{source.stem}.json"
        if name.casefold() in owners:
            first = owners[name.casefold()]
            name = _free_name(source, owners)
            renamed.append(Renamed(source, first, out_dir / name))
        owners[name.casefold()] = source
        targets[source] = out_dir / name
    return OutputPlan(targets, tuple(renamed))


def _free_name(source: Path, owners: dict[str, Path]) -> str:
    ext = source.suffix.lstrip(".")
    base = f"{source.stem}.{ext}" if ext else source.stem
    name, counter = f"{base}.json", 2
    while name.casefold() in owners:
        name, counter = f"{base}.{counter}.json", counter + 1
    return name


def dump_record(record: dict[str, Any]) -> str:
    # Keys in the order to_json writes them (the contract's first), Vietnamese as printed.
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_record(record: dict[str, Any], target: Path) -> None:
    """Write the record to `target` atomically; raises OSError naming nothing but the cause."""
    # A name of our own rather than mkstemp's: mkstemp creates the file 0600, and the
    # record would keep those permissions after the rename. The pid keeps two chidao runs
    # writing into one folder apart; "x" refuses to reuse a stale temporary file.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # left by a killed run of a process that had this pid
    try:
        with temporary.open("x", encoding="utf-8") as handle:
            handle.write(dump_record(record))
        # No fsync: os.replace already makes the file appear whole or not at all, and a
        # record lost to a power cut is remade by rerunning; an fsync per file would cost
        # more than the parse on a batch of small letters.
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
