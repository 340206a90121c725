"""The questions: `chidao who`, `cascade`, `lineage`, `org`, `due`, `findings`, `search`.

Each command asks one question of queries/ and prints its rows: a readable table by
default, the rows as JSON with --json (stdout holds nothing else). The embedded store
(the default) is built from the library (every record, every curated correction) and the
goal catalog (graph/catalog plus any --catalog folders). With `--store neo4j`, or when
NEO4J_URI is set, the question is asked of that Neo4j instead (what `chidao sync` wrote
there), through the question's Cypher twin; the answers are the same (tests/test_parity.py).
A question that names nothing (an unknown goal, ref or organisation) exits 1 with one line
on stderr saying what was looked for.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]


def _example(*lines: str) -> str:
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


STORES = ("embedded", "neo4j")
# Rows `chidao who` prints unless asked for more: a broad goal's whole answer is every task
# below it (tens of thousands at national scale), which no one reads in a terminal; the
# explorer and `chidao export tasks` give the whole table.
WHO_ROWS = 200


def default_store(environ: Mapping[str, str]) -> str:
    """Neo4j when NEO4J_URI names one, else the embedded store: as the README says."""
    return "neo4j" if environ.get("NEO4J_URI") else "embedded"


def _shared(command: F) -> F:
    """--data, --catalog, --store and --json: every question takes them."""
    options = [
        click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                     help="Library folder (default: $CHIDAO_DATA, else $XDG_DATA_HOME/chidao, "
                          "else ~/.local/share/chidao)."),
        click.option("--catalog", "catalogs", multiple=True, metavar="DIR",
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Another folder of goal catalog YAML files (repeatable), besides graph/catalog."),
        click.option("--store", "store_name", type=click.Choice(STORES), default=None,
                     help="Where to ask: the embedded store built from the library, or the Neo4j of "
                          "$NEO4J_URI (filled by `chidao sync`). Default: neo4j when NEO4J_URI is set."),
        click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON, and nothing else."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _store(data: Path | None, catalogs: Sequence[Path]) -> Any:
    """The embedded store of the library's graph: the model `chidao sync` writes to Neo4j."""
    from cli_stores import load_model
    from graph.store_embedded import EmbeddedStore

    return EmbeddedStore.from_model(load_model(data, tuple(catalogs)), consume=True)


def _run(question: str, data: Path | None, catalogs: Sequence[Path], store_name: str | None = None,
         **params: Any) -> list[dict[str, Any]]:
    from queries import QUERIES, QueryError

    if (store_name or default_store(os.environ)) == "neo4j":
        return _run_on_neo4j(question, params)
    store = _store(data, catalogs)
    try:
        return QUERIES[question].run(store, **params)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc


def _run_on_neo4j(question: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    # Imported here: the driver costs start-up time that embedded questions never need.
    from graph.neo4j_questions import run_question
    from graph.store_neo4j import Neo4jStore, Neo4jStoreError
    from queries import QueryError

    try:
        with Neo4jStore.from_env() as store:
            store.verify()
            return run_question(store, question, params)
    except (Neo4jStoreError, QueryError) as exc:
        raise click.ClickException(str(exc)) from exc


def _emit(rows: list[dict[str, Any]], as_json: bool, table: Callable[[list[dict[str, Any]]], None]) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo("nothing found")
    else:
        table(rows)


def _cut(text: Any, width: int) -> str:
    if isinstance(text, list):
        text = "; ".join(map(str, text))
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(rows: list[dict[str, Any]], spec: Sequence[tuple[str, str, int]]) -> None:
    """A table: (header, key, width) per column; the last column takes what is left."""
    widths = [min(w, max([len(h)] + [len(_cut(r.get(k), w)) for r in rows])) for h, k, w in spec]
    click.echo("  ".join(h.ljust(w) for (h, _, _), w in zip(spec, widths, strict=True)).rstrip())
    for row in rows:
        click.echo("  ".join(_cut(row.get(k), w).ljust(w) for (_, k, _), w in zip(spec, widths, strict=True)).rstrip())


# -- who ---------------------------------------------------------------------------------
@click.command(epilog=_example("chidao who 57.SOL.1", "chidao who 57-NQ/TW --role lead --json"))
@click.argument("target")
@click.option("--method", type=click.Choice(["explicit", "inherited", "topical", "curated"]),
              help="Only links made this way.")
@click.option("--role", type=click.Choice(["lead", "support"]), help="Only organisations in this role.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", default=WHO_ROWS, show_default=True,
              help="At most N rows, the first in the answer's order; stderr says when there are more.")
@click.option("--all", "all_rows", is_flag=True, help="Every row (a broad goal has tens of thousands).")
@_shared
def who(target: str, method: str | None, role: str | None, limit: int, all_rows: bool, data: Path | None,
        catalogs: tuple[Path, ...], store_name: str | None, as_json: bool) -> None:
    """Who implements a goal (GOAL id such as 57.SOL.5), or every goal a central document
    sets (its REF): organisations, their role, their tasks, deadlines, and why each task
    is linked to the goal. Rows come goal by goal, the tasks serving the goal itself first,
    then those of the goals below it."""
    # one row more than shown tells whether the answer was cut, without building it whole
    asked = None if all_rows else limit + 1
    rows = _run("who", data, catalogs, store_name, target=target, method=method, role=role, limit=asked)
    if asked is not None and len(rows) > limit:
        rows = rows[:limit]
        click.echo(f"first {limit} rows shown; more with --limit N or --all", err=True)
    _emit(rows, as_json, lambda rs: _columns(rs, [
        ("goal", "served_goal", 16), ("organisation", "organization", 44), ("role", "role", 7),
        ("due", "due", 10), ("document", "doc_ref", 18), ("how", "method", 9), ("task", "task_text", 70)]))


# -- cascade -----------------------------------------------------------------------------
@click.command(epilog=_example("chidao cascade 69-CTr/TU --depth 2", "chidao cascade 57.SOL.1 --json"))
@click.argument("target")
@click.option("--depth", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Citation steps (or goal levels) below the target.")
@click.option("--max-children", type=click.IntRange(min=0), default=50, show_default=True, metavar="N",
              help="Documents listed under one document (or level); the rest are counted.")
@click.option("--max-tasks", type=click.IntRange(min=0), default=5, show_default=True, metavar="N",
              help="Tasks listed under one document; the rest are counted.")
@click.option("--relation", "relations", multiple=True,
              type=click.Choice(["implements", "based_on", "amends", "replaces", "repeals", "guides", "attaches",
                                 "mentions"]),
              help="Citation relations followed down (repeatable; default implements and based_on).")
@_shared
def cascade(target: str, depth: int, max_children: int, max_tasks: int, relations: tuple[str, ...],
            data: Path | None, catalogs: tuple[Path, ...], store_name: str | None, as_json: bool) -> None:
    """The documents and tasks below a document (REF, key or source path) or a goal, by level."""
    params: dict[str, Any] = {"target": target, "depth": depth, "max_children": max_children, "max_tasks": max_tasks}
    if relations:
        params["relations"] = relations
    rows = _run("cascade", data, catalogs, store_name, **params)
    _emit(rows, as_json, _print_cascade)


def _print_cascade(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        indent = "  " * (row["depth"] or 0)
        if row["row"] == "more":
            click.echo(f"{indent}… {row['more']} more")
        elif row["row"] == "task":
            due = f" [{row['date']}]" if row["date"] else ""
            click.echo(f"{indent}- {_cut(row['label'], 100)}{due}")
        elif row["row"] == "goal":
            click.echo(f"{indent}{row['key']}  {_cut(row['label'], 90)}")
        else:
            how = f" ({row['relation']})" if row["relation"] else ""
            stub = " [cited only]" if row["is_stub"] else ""
            click.echo(f"{indent}{row['label']}{how}  {row['level'] or '?'}  {row['date'] or ''}"
                       f"  {row['tasks']} tasks{stub}")


# -- lineage -----------------------------------------------------------------------------
@click.command(epilog=_example("chidao lineage 591-CV/TU", "chidao lineage corpus/seeds/001_bd32b1ea4bdd5c5a.txt --json"))
@click.argument("target")
@_shared
def lineage(target: str, data: Path | None, catalogs: tuple[Path, ...], store_name: str | None,
            as_json: bool) -> None:
    """The chain above a document (REF, key or source FILE) or a TASK key, up to the
    central documents and the goals they set."""
    rows = _run("lineage", data, catalogs, store_name, target=target)
    _emit(rows, as_json, _print_lineage)


def _print_lineage(rows: list[dict[str, Any]]) -> None:
    current = None
    for row in rows:
        if row["path"] != current:
            current = row["path"]
            click.echo(f"path {current + 1}:")
        arrow = f"  ─{row['relation']}→ " if row["step"] else "  "
        inferred = " (inferred)" if row["is_inferred"] else ""
        what = row["key"] if row["kind"] == "goal" else ""
        click.echo(f"{arrow}{what} {_cut(row['label'], 90)}{inferred}".rstrip())


# -- org -----------------------------------------------------------------------------------
@click.command(epilog=_example("chidao org 'Sở Khoa học và Công nghệ tỉnh Lạng Sơn'", "chidao org 'so noi vu' --json"))
@click.argument("name")
@click.option("--role", type=click.Choice(["lead", "support"]), help="Only tasks in this role.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N rows.")
@_shared
def org(name: str, role: str | None, limit: int | None, data: Path | None, catalogs: tuple[Path, ...],
        store_name: str | None, as_json: bool) -> None:
    """What one organisation must do, by deadline; NAME is matched without regard to
    diacritics or case, and a part of a name matches every organisation holding it."""
    rows = _run("org", data, catalogs, store_name, name=name, role=role, limit=limit)
    _emit(rows, as_json, lambda rs: _columns(rs, [
        ("due", "due", 10), ("organisation", "organization", 40), ("role", "role", 7), ("document", "doc_ref", 18),
        ("goals", "goals", 14), ("task", "text", 70)]))


# -- due -----------------------------------------------------------------------------------
@click.command(epilog=_example("chidao due --as-of 2026-01-10 --within 14", "chidao due --overdue --json"))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]), metavar="DATE",
              help="The day to count from (YYYY-MM-DD or DD/MM/YYYY; default: today).")
@click.option("--within", type=click.IntRange(min=0), default=30, show_default=True, metavar="DAYS",
              help="List what falls due from DATE to DATE + DAYS.")
@click.option("--overdue", is_flag=True, help="List what fell due before DATE instead.")
@click.option("--org", "org_name", metavar="NAME", help="Only tasks this organisation leads or supports.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N rows.")
@_shared
def due(as_of: Any, within: int, overdue: bool, org_name: str | None, limit: int | None, data: Path | None,
        catalogs: tuple[Path, ...], store_name: str | None, as_json: bool) -> None:
    """What falls due soon, or is overdue, as of a date."""
    day = as_of.date() if as_of else date.today()  # the edge reads the clock; the query never does
    rows = _run("due", data, catalogs, store_name, as_of=day, within=within, overdue=overdue, org=org_name, limit=limit)
    _emit(rows, as_json, lambda rs: _columns(rs, [("due", "due", 10), ("days", "days", 5), ("document", "doc_ref", 18),
                                                 ("lead", "leads", 40), ("task", "text", 70)]))


# -- findings ------------------------------------------------------------------------------
@click.command(epilog=_example("chidao findings", "chidao findings --code deadline_before_issue --json"))
@click.option("--code", metavar="CODE", help="Only findings of this kind (deadline_before_issue, "
                                              "unresolved_citation, no_tasks, …).")
@click.option("--doc", metavar="REF", help="Only findings about this document (ref, key or source path).")
@_shared
def findings(code: str | None, doc: str | None, data: Path | None, catalogs: tuple[Path, ...],
             store_name: str | None, as_json: bool) -> None:
    """Data-quality findings: deadlines before the issue date, citations that resolve to
    nothing, documents with no tasks, conflicting metadata, probable duplicates."""
    rows = _run("findings", data, catalogs, store_name, code=code, doc=doc)
    _emit(rows, as_json, lambda rs: _columns(rs, [
        ("finding", "code", 22), ("document", "ref", 18), ("file", "source_path", 40), ("what", "message", 90)]))


# -- search --------------------------------------------------------------------------------
@click.command(epilog=_example("chidao search 'trung tam tin hoc'", "chidao search 'uy ban' --kind organization --json"))
@click.argument("text")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["organization", "document", "task"]),
              help="Only these kinds (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, metavar="N",
              help="At most N results.")
@_shared
def search(text: str, kinds: tuple[str, ...], limit: int, data: Path | None, catalogs: tuple[Path, ...],
           store_name: str | None, as_json: bool) -> None:
    """Search organisations, documents and tasks without regard to diacritics;
    matches with the diacritics as typed come first."""
    rows = _run("search", data, catalogs, store_name, text=text, kinds=kinds or None, limit=limit)
    _emit(rows, as_json, lambda rs: _columns(rs, [
        ("kind", "kind", 12), ("match", "match", 6), ("document", "ref", 18), ("found", "label", 100)]))


def register(group: click.Group) -> None:
    """Add this area's commands to `group`."""
    for command in (who, cascade, lineage, org, due, findings, search):
        group.add_command(command)
