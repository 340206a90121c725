"""The stores' subcommands: `chidao sync` (the library → Neo4j) and `chidao export` for Neo4j.

Registered on the group by cli.py. The graph is built from the library exactly as the
embedded store builds it, so Neo4j holds the same graph the other commands answer from.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph.library import Library, LibraryError, data_dir
from graph.model import GraphModel

# graph.store_neo4j.DEFAULT_BATCH (tests/test_cli.py checks they agree). That module loads the
# neo4j driver, about a second: it is imported by the commands that talk to Neo4j, not by
# `chidao` itself, so that `chidao parse` or `chidao ingest` do not wait for it.
DEFAULT_BATCH = 1000


def _example(*lines: str) -> str:
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _data_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--data and --catalog, as the questions take them (cli_queries.py)."""
    command = click.option("--catalog", "catalogs", multiple=True, metavar="DIR",
                           type=click.Path(exists=True, file_okay=False, path_type=Path),
                           help="Another folder of goal catalog YAML files (repeatable), besides graph/catalog.")(command)
    return click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                        help="Library folder (default: $CHIDAO_DATA, else $XDG_DATA_HOME/chidao, "
                             "else ~/.local/share/chidao).")(command)


def _batch_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--batch", "batch", type=click.IntRange(min=1), default=DEFAULT_BATCH,
                        show_default=True, metavar="N",
                        help="Rows per UNWIND … MERGE transaction.")(command)


def load_model(data: Path | None, catalogs: tuple[Path, ...] = ()) -> GraphModel:
    """The graph of the library at `data`, built as the questions' embedded store builds it."""
    from graph.build import build_graph
    from graph.goals import CatalogError, load_catalog

    try:
        catalog = load_catalog(catalogs)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        with Library.open(data_dir(data), create=False) as library:
            return build_graph(library.records(), catalog, library.corrections())
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc


def _connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--uri", help="Bolt URI (default: $NEO4J_URI), e.g. neo4j+s://xxxx.databases.neo4j.io."),
        click.option("--user", help="User name (default: $NEO4J_USER, else neo4j)."),
        click.option("--password", help="Password (default: $NEO4J_PASSWORD; prefer the variable, "
                                        "a password on the command line ends up in the shell history)."),
        click.option("--database", help="Database (default: $NEO4J_DATABASE, else the server's default)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command(epilog=_example("chidao sync --data ~/chidao-data",
                               "chidao sync --uri neo4j://localhost:7687 --database chidao --batch 500"))
@_data_option
@_batch_option
@_connection_options
@click.option("--json", "as_json", is_flag=True, help="Print the sync report as JSON, and nothing else.")
def sync(data: Path | None, catalogs: tuple[Path, ...], batch: int, uri: str | None, user: str | None,
         password: str | None, database: str | None, as_json: bool) -> None:
    """Copy the library's graph into Neo4j: a server, a cluster or Aura.

    Connects with NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE (or the
    options), creates the constraints and the fulltext index if they are missing, MERGEs
    every node and relationship in batches, then deletes what an earlier sync wrote and
    the library no longer holds. Running it again changes nothing; nodes chidao did not
    write are left alone.
    """
    from graph.store_neo4j import Neo4jStore, Neo4jStoreError

    model = load_model(data, catalogs)
    try:
        with Neo4jStore.from_env(uri=uri, user=user, password=password, database=database) as store:
            store.verify()
            report = store.sync(model, batch_size=batch)
    except Neo4jStoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"synced to {store.uri}")
        for line in report.lines():
            click.echo(line)


@click.group(epilog=_example("chidao export neo4j-import out/neo4j", "chidao export cypher out/graph.cypher"))
def export() -> None:
    """Write the graph (or part of it) to files for other tools."""


@click.command("neo4j-import", epilog=_example("chidao export neo4j-import out/neo4j --data ~/chidao-data"))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_data_option
def export_neo4j_import(directory: Path, data: Path | None, catalogs: tuple[Path, ...]) -> None:
    """CSV files for `neo4j-admin database import full`, the offline bulk importer.

    Writes DIRECTORY/nodes/<Label>.csv (one ID space per label: `key:ID(Label)`),
    DIRECTORY/relationships/<TYPE>.<Start>.<End>.csv, import.args (the importer's
    options) and schema.cypher (constraints and fulltext index, to run once the
    database is up). Prints the command to run.
    """
    from graph.export_neo4j import write_import_csv

    model = load_model(data, catalogs)
    try:
        files = write_import_csv(model, directory)
    except OSError as exc:
        raise click.ClickException(f"{directory}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"{sum(files.nodes.values())} nodes in {len(files.node_files)} files, "
               f"{sum(files.relationships.values())} relationships in {len(files.relationship_files)} files "
               f"→ {directory}/")
    click.echo("Load into a stopped server (the database is replaced), from inside that folder:")
    click.echo("  neo4j-admin database import full neo4j --overwrite-destination "
               + " ".join(files.import_args(Path("."))))
    click.echo("  (or: neo4j-admin @import.args --overwrite-destination)")
    click.echo("then start Neo4j and run schema.cypher: cypher-shell -f schema.cypher")


@click.command("cypher", epilog=_example("chidao export cypher out/graph.cypher",
                                         "chidao export cypher out/graph.cypher --batch 200"))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_data_option
@_batch_option
def export_cypher(file: Path, data: Path | None, catalogs: tuple[Path, ...], batch: int) -> None:
    """An idempotent Cypher script that makes a database hold the graph.

    Constraints IF NOT EXISTS, then `:param {rows: [...]}` lines each followed by an
    UNWIND … MERGE statement, then the deletion of what an earlier load wrote and the
    graph no longer holds. Run it with `cypher-shell -f FILE`, as often as you like.
    """
    from graph.export_neo4j import write_cypher_script

    model = load_model(data, catalogs)
    try:
        statements = write_cypher_script(model, file, batch_size=batch)
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"{statements} statements → {file}")
    click.echo(f"run: cypher-shell -a $NEO4J_URI -u $NEO4J_USER -d neo4j -f {file}")


export.add_command(export_neo4j_import)
export.add_command(export_cypher)


def register(group: click.Group) -> None:
    """Add this area's commands to `group`."""
    import cli_exports  # export cascade, export tasks: diagrams and task tables (issue 5)

    cli_exports.register(export)
    group.add_command(sync)
    existing = group.commands.get("export")
    if isinstance(existing, click.Group):  # another area's exports: join them
        for command in export.commands.values():
            existing.add_command(command)
    else:
        group.add_command(export)
