"""graph/export_neo4j.py: the CSV bulk import and the Cypher script give the model's graph.

The CSV test imports offline with the real neo4j-admin (a server of its own, since it is
stopped for the import: stop(keep_data=True) → admin(database import full) → start). The
script test plays the script twice through the driver on the session's server.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from neo4j_server import Neo4jServer, Neo4jUnavailable, ensure_neo4j_jars
from sample_graph import sample_model
from test_store_neo4j import clear_chidao_labels, small_model, stored_nodes

from graph.export_neo4j import (
    cypher_literal,
    cypher_script,
    parse_cypher_literal,
    run_cypher_script,
    script_commands,
    write_cypher_script,
    write_import_csv,
)
from graph.model import GraphModel
from graph.neo4j_rows import edge_props, model_counts, node_record, relationship_rows
from graph.store_neo4j import Neo4jStore


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    """Edge properties as any loader keeps them: no nulls, and (CSV) no empty lists."""
    return {k: v for k, v in edge_props(props).items() if v is not None and v != []}


def stored_edges(store: Neo4jStore) -> list[tuple[str, str, str, dict[str, Any]]]:
    rows = store.read("MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS p")
    return sorted((row["a"], row["t"], row["b"], _plain(row["p"])) for row in rows)


def expected_edges(model: GraphModel) -> list[tuple[str, str, str, dict[str, Any]]]:
    groups, _ = relationship_rows(model, None)
    return sorted((row["source"], group.type, row["target"], _plain(row["props"]))
                  for group, rows in groups.items() for row in rows)


def assert_holds(store: Neo4jStore, model: GraphModel) -> None:
    """Same counts per label and type, same node records, same relationships and properties."""
    assert store.counts() == model_counts(model)
    stored = stored_nodes(store)
    for label, key, props in model.nodes():
        assert node_record(label, stored[(label, key)]) == props, (label, key)
    assert stored_edges(store) == expected_edges(model)


# -- neo4j-admin import ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def import_server(request: pytest.FixtureRequest) -> Iterator[Neo4jServer]:
    """A server of this module's own, stopped for each import (bulk_import starts it again).

    The importer works on a local store, so it needs the local jars even when NEO4J_URI
    names a server for the other tests; with NEO4J_URI set and no Java this test alone
    skips (a remote server cannot be bulk-imported into from here), CI or not.
    """
    if os.environ.get("NEO4J_URI"):
        try:
            home = ensure_neo4j_jars().parent
        except Neo4jUnavailable as exc:
            pytest.skip(f"neo4j-admin import needs a local Neo4j: {exc}")
    else:
        home = request.getfixturevalue("neo4j_home")
    server = Neo4jServer(home)
    try:
        yield server
    finally:
        server.stop()


def bulk_import(server: Neo4jServer, model: GraphModel, directory: Path) -> Neo4jStore:
    files = write_import_csv(model, directory)
    server.stop(keep_data=True)
    result = server.admin("database", "import", "full", "neo4j", *files.import_args(),
                          "--overwrite-destination", heap="1g")
    assert "IMPORT DONE" in result.stdout, result.stdout[-3000:]
    server.start()
    return Neo4jStore(server.uri, None)


def with_awkward_values(model: GraphModel) -> GraphModel:
    """`model` plus small_model under keys of its own: quotes, commas, line breaks and
    backslashes in text, ';' in a list item (so another array delimiter is chosen), keys with
    commas, and an empty string that must stay one."""
    small = small_model()
    first = next(iter(small.tasks))
    small.tasks[first] = replace(small.tasks[first], heading="")

    def key(k: str | None) -> str | None:
        return None if k is None else f"test, {k}"

    for table, target in ((small.documents, model.documents), (small.tasks, model.tasks),
                          (small.organizations, model.organizations), (small.goals, model.goals)):
        for node in table.values():
            changes = {name: key(getattr(node, name)) for name in ("key", "doc_key", "parent")
                       if hasattr(node, name)}
            target[key(node.key)] = replace(node, **changes)
    model.edges += [replace(e, source=key(e.source), target=key(e.target)) for e in small.edges]
    return model


@pytest.mark.neo4j
@pytest.mark.slow
def test_bulk_import_gives_the_model_and_a_sync_on_top_changes_nothing(import_server: Neo4jServer,
                                                                       tmp_path: Path) -> None:
    model = with_awkward_values(sample_model())
    with bulk_import(import_server, model, tmp_path / "import") as store:
        assert_holds(store, model)
        task = next(k for k in model.tasks if k.startswith("test, ") and model.tasks[k].heading == "")
        assert stored_nodes(store)[("Task", task)]["heading"] == ""
        # The imported graph carries chidao_sync and rel_key: a sync MERGEs onto it, duplicating nothing.
        report = store.sync(model)
        assert report.deleted_nodes == report.deleted_relationships == 0
        assert_holds(store, model)
    # Over a database that was served and synced: --overwrite-destination replaces it.
    smaller = sample_model()
    with bulk_import(import_server, smaller, tmp_path / "again") as store:
        assert_holds(store, smaller)


def test_import_files_and_options(tmp_path: Path) -> None:
    model = small_model()
    files = write_import_csv(model, tmp_path)
    assert files.array_delimiter == "|"  # an alias holds ';'
    header = (tmp_path / "nodes" / "Document.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("key:ID(Document),") and header.endswith(",:LABEL")
    assert "year:long" in header and "is_stub:boolean" in header
    org = (tmp_path / "nodes" / "Organization.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "aliases:string[]" in org
    serves = (tmp_path / "relationships" / "SERVES.Task.Goal.csv").read_text(encoding="utf-8").splitlines()[0]
    assert serves.startswith(":START_ID(Task),:END_ID(Goal),:TYPE,") and "score:double" in serves
    args = (tmp_path / "import.args").read_text(encoding="utf-8").split()
    assert args[:4] == ["database", "import", "full", "neo4j"]  # the name before the file options
    assert args[4:] == files.import_args(Path("."))
    assert "CREATE CONSTRAINT" in (tmp_path / "schema.cypher").read_text(encoding="utf-8")


# -- the Cypher script ----------------------------------------------------------------------

@pytest.fixture
def store(neo4j_uri: str, neo4j_auth: tuple[str, str] | None) -> Iterator[Neo4jStore]:
    with Neo4jStore(neo4j_uri, neo4j_auth) as store:
        clear_chidao_labels(store)
        yield store


@pytest.mark.neo4j
def test_cypher_script_run_twice_gives_the_model_each_time(store: Neo4jStore, neo4j_driver: Driver,
                                                           tmp_path: Path) -> None:
    model = sample_model()
    script = tmp_path / "graph.cypher"
    statements = write_cypher_script(model, script, batch_size=300)
    assert run_cypher_script(neo4j_driver, script) == statements
    assert_holds(store, model)
    assert run_cypher_script(neo4j_driver, script) == statements
    assert_holds(store, model)


@pytest.mark.neo4j
def test_cypher_script_replaces_a_synced_graph_and_removes_what_left(store: Neo4jStore, neo4j_driver: Driver,
                                                                     tmp_path: Path) -> None:
    store.sync(small_model())
    smaller = small_model()
    smaller.documents.pop(next(k for k, d in smaller.documents.items() if d.is_stub))
    script = tmp_path / "small.cypher"
    write_cypher_script(smaller, script)
    run_cypher_script(neo4j_driver, script)
    assert_holds(store, smaller)


TRICKY = [
    "plain", "", "it's", 'say "hi"', "back\\slash", "\\'", "line\nbreak\r\n", "tab\there", "\u2028sep",
    "ctrl\x01\x1f\x7f", "Ủy ban nhân dân tỉnh Lạng Sơn", "emoji 🎯", "$rows", "//not a comment", "end;",
    "`tick`", "\\u0041",
]


@pytest.mark.neo4j
@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_cypher_literals_read_back_as_the_same_value(neo4j_driver: Driver, text: str) -> None:
    value = {"s": text, "list": [text, "x"], "n": 3, "f": 0.1, "b": False, "none": None, "weird key`": text}
    record = neo4j_driver.execute_query(f"RETURN {cypher_literal(value)} AS v").records[0]
    assert record["v"] == value


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_the_script_runner_reads_literals_as_the_server_does(text: str) -> None:
    value = {"s": text, "list": [text, "x"], "n": -3, "f": 1e-05, "b": True, "none": None, "weird key`": [{}]}
    assert parse_cypher_literal(cypher_literal(value)) == value
    assert parse_cypher_literal('{a: "dq \\"x\\"", B: TRUE, c: NULL, d: .5}') == {"a": 'dq "x"', "B": True,
                                                                                   "c": None, "d": 0.5}
    with pytest.raises(ValueError):
        parse_cypher_literal("{a: toUpper('x')}")


def test_literals_that_cannot_be_written() -> None:
    with pytest.raises(ValueError):
        cypher_literal(math.nan)
    with pytest.raises(TypeError):
        cypher_literal(object())


def test_script_is_one_command_a_line() -> None:
    lines = list(cypher_script(small_model(), batch_size=2))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    commands = list(script_commands(lines))
    kinds = [kind for kind, _ in commands]
    assert kinds.count("param") == sum(1 for line in lines if line.startswith(":param"))
    # every MERGE statement has its rows set just before it
    for i, (kind, text) in enumerate(commands):
        if text.startswith("UNWIND $rows"):
            assert commands[i - 1][0] == "param" and commands[i - 1][1].startswith("{rows: [")


# -- the commands (the library is stubbed: these test the plumbing, the rest is tested above) --

@pytest.fixture
def small_library(monkeypatch: pytest.MonkeyPatch) -> GraphModel:
    import cli_stores

    model = small_model()
    monkeypatch.setattr(cli_stores, "load_model", lambda data, catalogs=(): model)
    return model


def test_cli_exports(small_library: GraphModel, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import chidao

    runner = CliRunner()
    result = runner.invoke(chidao, ["export", "neo4j-import", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full neo4j --overwrite-destination --nodes=" in result.output
    assert (tmp_path / "csv" / "nodes" / "Task.csv").is_file() and (tmp_path / "csv" / "import.args").is_file()
    result = runner.invoke(chidao, ["export", "cypher", str(tmp_path / "graph.cypher"), "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.cypher").read_text(encoding="utf-8").count("UNWIND $rows") > 5


def test_cli_sync_without_a_neo4j_says_what_to_set(small_library: GraphModel,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cli import chidao

    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(chidao, ["sync"])
    assert result.exit_code == 1 and "NEO4J_URI" in result.output
    result = CliRunner().invoke(chidao, ["sync", "--uri", "bolt://127.0.0.1:1"])
    assert result.exit_code == 1 and "127.0.0.1:1" in result.output


@pytest.mark.neo4j
def test_cli_sync_prints_the_report(small_library: GraphModel, store: Neo4jStore, neo4j_uri: str,
                                    neo4j_auth: tuple[str, str] | None) -> None:
    import json

    from click.testing import CliRunner

    from cli import chidao

    auth = ["--user", neo4j_auth[0], "--password", neo4j_auth[1]] if neo4j_auth else []
    result = CliRunner().invoke(chidao, ["sync", "--uri", neo4j_uri, *auth, "--batch", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    nodes, rels = model_counts(small_library)
    assert report["nodes"] == nodes and report["relationships"] == rels and report["batch_size"] == 3
    assert store.counts() == (nodes, rels)
    result = CliRunner().invoke(chidao, ["sync", "--uri", neo4j_uri, *auth])
    assert result.exit_code == 0 and "deleted: 0 nodes, 0 relationships" in result.output
