"""The Neo4j test harness itself: a node round trip, the fulltext analyzer, the bulk importer."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import pytest
from neo4j_server import Neo4jServer

pytestmark = pytest.mark.neo4j


def test_node_round_trip(neo4j_driver) -> None:
    key = f"harness-{uuid.uuid4()}"
    try:
        neo4j_driver.execute_query("CREATE (:HarnessProbe {key: $key, x: 1})", key=key)
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (n:HarnessProbe {key: $key}) RETURN n.x AS x, labels(n) AS labels", key=key
        )
        assert [(r["x"], r["labels"]) for r in records] == [(1, ["HarnessProbe"])]
    finally:
        neo4j_driver.execute_query("MATCH (n:HarnessProbe {key: $key}) DELETE n", key=key)


@pytest.mark.parametrize("analyzer", ["standard-no-stop-words", "unicode_whitespace"])
def test_analyzer_keeps_english_stop_words(neo4j_driver, analyzer: str) -> None:
    stopwords = {
        r["analyzer"]: r["stopwords"]
        for r in neo4j_driver.execute_query(
            "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords"
        ).records
    }
    assert stopwords[analyzer] == []
    assert {"to", "the", "no"} <= set(stopwords["standard"])  # why not 'standard'

    suffix = uuid.uuid4().hex[:8]
    label, index = f"HarnessDoc_{suffix}", f"harness_text_{suffix}"
    neo4j_driver.execute_query(
        f"CREATE FULLTEXT INDEX {index} FOR (n:{label}) ON EACH [n.text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: $analyzer, `fulltext.eventually_consistent`: false}}",
        analyzer=analyzer,
    )
    try:
        neo4j_driver.execute_query("CALL db.awaitIndex($index, 60)", index=index)
        neo4j_driver.execute_query(f"CREATE (:{label} {{text: 'giao cho sở to the no'}})")
        for word in ("to", "the", "no", "sở"):
            hits = neo4j_driver.execute_query(
                "CALL db.index.fulltext.queryNodes($index, $word) YIELD node RETURN count(node) AS n",
                index=index,
                word=word,
            ).records
            assert hits[0]["n"] == 1, word
    finally:
        neo4j_driver.execute_query(f"DROP INDEX {index} IF EXISTS")
        neo4j_driver.execute_query(f"MATCH (n:{label}) DELETE n")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.mark.slow
def test_offline_bulk_import(neo4j_home: Path) -> None:
    """neo4j-admin database import full into a server of its own, stopped, then started again."""
    from neo4j import GraphDatabase

    server = Neo4jServer(neo4j_home)
    try:
        server.start()
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            driver.execute_query("CREATE (:Old)")
        server.stop(keep_data=True)

        nodes, rels = server.import_dir / "nodes.csv", server.import_dir / "rels.csv"
        _write_csv(nodes, ["key:ID", "name", ":LABEL"], [["a", "Ủy ban", "Org"], ["b", "Sở Y tế", "Org"]])
        _write_csv(rels, [":START_ID", ":END_ID", ":TYPE"], [["a", "b", "ASSIGNS"]])
        # The database name first: --nodes/--relationships would take a trailing "neo4j" as a file.
        result = server.admin(
            "database", "import", "full", "neo4j", "--overwrite-destination",
            f"--nodes={nodes}", f"--relationships={rels}",
        )
        assert "IMPORT DONE" in result.stdout

        server.start()
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            counts = driver.execute_query(
                "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
            ).records[0]
            names = driver.execute_query("MATCH (n:Org) RETURN n.name AS name ORDER BY n.key").records
        assert (counts["nodes"], counts["rels"]) == (2, 1)  # the :Old node is gone
        assert [r["name"] for r in names] == ["Ủy ban", "Sở Y tế"]
    finally:
        server.stop()
