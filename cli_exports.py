"""`chidao export cascade` and `chidao export tasks`: a cascade diagram or a task table, as a file.

Registered on the `export` group by cli_stores.py. The store is built as the questions
build it (cli_queries._store); the file is written whole or not at all (a temporary file
beside it, then os.replace), to --out, else to <target>.<suffix> in the current folder.
"""
from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cli_queries import _store
from cli_stores import _data_option as _library_options  # the same --data and --catalog as sync

F = Callable[..., Any]


def _example(*lines: str) -> str:
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _out_option(command: F) -> F:
    return click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                        help="File to write (default: the target's name with the format's suffix, "
                             "in the current folder; '-' for stdout).")(command)


def default_name(target: str, suffix: str) -> str:
    """57-NQ/TW → 57-NQ-TW.svg: letters (Vietnamese ones too), digits, '.', '-' and '_' kept."""
    stem = re.sub(r"[^\w.-]+", "-", target, flags=re.UNICODE).strip("-.") or "chidao"
    return stem + suffix


def write_atomically(data: bytes, target: Path) -> None:
    """`data` to `target`, whole or not at all: a reader never sees half a file, and a
    failed export leaves the earlier file in place."""
    # A name of our own beside the target (same filesystem, so os.replace is a rename);
    # mkstemp would leave the file 0600 after the rename.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _emit(data: bytes, out: Path | None, target: str, suffix: str, what: str) -> None:
    if out is not None and str(out) == "-":
        click.echo(data, nl=False)  # bytes go to the binary stdout as they are
        return
    path = out or Path(default_name(target, suffix))
    try:
        write_atomically(data, path)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"{what} → {path}")


@click.command("cascade", epilog=_example("chidao export cascade 57.SOL.1 --format svg",
                                          "chidao export cascade 57-NQ/TW --format png --collapse level --out 57.png",
                                          "chidao export cascade 69-CTr/TU --format mermaid --depth 2"))
@click.argument("target")
@click.option("--format", "fmt", required=True, metavar="FMT",
              type=click.Choice(["svg", "png", "pdf", "dot", "mermaid", "graphml", "json"]),
              help="svg, png, pdf (drawn by Graphviz's dot), dot, mermaid, graphml or json (node-link).")
@_out_option
@click.option("--depth", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Citation steps below a document (a goal's documents are all drawn, as `chidao cascade` lists them).")
@click.option("--max-children", type=click.IntRange(min=1), default=12, show_default=True, metavar="N",
              help="Items drawn in each list (documents, tasks, units); the rest become one 'còn N mục nữa' node.")
@click.option("--max-tasks", type=click.IntRange(min=0), default=60, show_default=True, metavar="N",
              help="Tasks drawn in the whole diagram, the top documents' first; the rest are counted.")
@click.option("--collapse", type=click.Choice(["level", "unit"]),
              help="One node per level, or per issuing unit, instead of each document.")
@click.option("--expand", "expand", multiple=True, metavar="KEY",
              help="Open a collapsed or capped node by its key (repeatable), e.g. level:province, more:<key>.")
@_library_options
def export_cascade(target: str, fmt: str, out: Path | None, depth: int, max_children: int, max_tasks: int,
                   collapse: str | None, expand: tuple[str, ...], data: Path | None,
                   catalogs: tuple[Path, ...]) -> None:
    """The cascade below a goal (GOAL id) or a document (REF, key or source path) as a
    diagram: the goal or document, the documents below it by level, their tasks, and
    the units that lead (solid line) or support (dashed) each task. Big lists end in a
    'còn N mục nữa' node (at most --max-children documents per list and per citation
    step, --max-tasks tasks in all); --collapse folds documents by level or by issuing unit."""
    from exports import ExportError
    from exports.cascade_graph import build_cascade_graph
    from exports.formats import SUFFIXES, render_cascade
    from queries import QueryError

    store = _store(data, catalogs)
    try:
        graph = build_cascade_graph(store, target, depth=depth, max_children=max_children, max_tasks=max_tasks,
                                    collapse=collapse, expand=expand)
        rendered = render_cascade(graph, fmt)
    except (QueryError, ExportError) as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(rendered, out, target, SUFFIXES[fmt], f"{len(graph.nodes)} nodes, {len(graph.edges)} edges")


@click.command("tasks", epilog=_example("chidao export tasks 57.SOL.1 --format xlsx",
                                        "chidao export tasks 95/KH-UBND --format csv --out 95-KH-UBND.csv"))
@click.argument("target")
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "xlsx"]),
              help="csv (UTF-8 with BOM, for Excel) or xlsx (one sheet per goal, dates as dates).")
@_out_option
@_library_options
def export_tasks(target: str, fmt: str, out: Path | None, data: Path | None, catalogs: tuple[Path, ...]) -> None:
    """Who must do what by when, as a table: for a goal (GOAL id) or a central document
    (REF), the tasks serving its goals; for any other document, its own tasks. One row
    per task and unit: unit, role, task, deadline, document, issuer, goal, how linked."""
    from exports.formats import SUFFIXES
    from exports.tables import task_sheets, to_csv, to_xlsx
    from queries import QueryError

    store = _store(data, catalogs)
    try:
        sheets = task_sheets(store, target)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = next(iter(sheets.values()))
    rendered = to_xlsx(sheets) if fmt == "xlsx" else to_csv(rows)
    _emit(rendered, out, target, SUFFIXES[fmt], f"{len(rows)} rows")


def register(group: click.Group) -> None:
    """Add the cascade and task exports to the `export` group."""
    group.add_command(export_cascade)
    group.add_command(export_tasks)
