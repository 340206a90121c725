"""graph/store_neo4j.py against a real Neo4j: schema, sync (MERGE, re-sync, deletion), reads.

The graph here is small and made by hand (`small_model`), so these tests do not depend on the
parser or the build; tests/test_parity.py does the same on the sample corpus. The server is
shared by the session: every test starts from a database without chidao's labels.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from neo4j import RoutingControl

from graph.model import (
    CITES,
    DOCUMENT,
    HAS_TASK,
    LABELS,
    LEAD,
    PART_OF,
    SERVES,
    SETS,
    SUPPORT,
    TASK,
    DocumentNode,
    Edge,
    GoalNode,
    GraphModel,
    OrganizationNode,
    TaskNode,
)
from graph.neo4j_rows import (
    SEARCH_PROPERTY,
    SYNC_PROPERTY,
    edge_props,
    model_counts,
    node_record,
    relationship_rows,
    storable,
)
from graph.store_neo4j import (
    FULLTEXT_ANALYZER,
    FULLTEXT_INDEX,
    Neo4jStore,
    Neo4jStoreError,
    merge_nodes_query,
)

CENTRAL = "57-nq/tw|2024|ban chap hanh trung uong"
PLAN = "118/kh-ubnd|2025|uy ban nhan dan tinh lang son"
LETTER = "591/cv-stc|2025|so tai chinh tinh lang son"


def small_model() -> GraphModel:
    """Two documents citing a central one, tasks with leads and goals, awkward values on purpose."""
    m = GraphModel()
    m.documents[CENTRAL] = DocumentNode(
        CENTRAL, "57-NQ/TW", "nghi_quyet", number="57", symbol="NQ/TW", issuer="Ban Chấp hành Trung ương",
        date="2024-12-22", year=2024, subject="Về đột phá phát triển khoa học, công nghệ",
        level="central", is_central=True)
    m.documents[PLAN] = DocumentNode(
        PLAN, "118/KH-UBND", "ke_hoach", number="118", symbol="KH-UBND", issuer="UBND tỉnh Lạng Sơn",
        date="2025-03", year=2025, subject="Triển khai \"Nghị quyết 57\" — tổ chức, 'thể chế'\nvà nợ đọng",
        level="province", province="Lạng Sơn", source_path="/corpus/b03 ubnd kh118.docx", sha256="ab" * 32)
    m.documents[LETTER] = DocumentNode(LETTER, "591/CV-STC", "cong_van", is_stub=True)
    for n, (text, deadline) in enumerate([("Tổ chức quán triệt Nghị quyết; báo cáo \\ kết quả", "2025-04-30"),
                                          ("Rà soát thể chế, xử lý nợ đọng", None)], start=1):
        key = f"{PLAN}#{n}"
        m.tasks[key] = TaskNode(key, PLAN, str(n), text, deadline=deadline, span_start=10 * n, span_end=10 * n + 9,
                                is_recurring=n == 2)
    m.organizations["so khoa hoc va cong nghe tinh lang son"] = OrganizationNode(
        "so khoa hoc va cong nghe tinh lang son", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn",
        aliases=("Sở KH&CN", "SKHCN; Lạng Sơn"), level="department", province="Lạng Sơn", branch="state")
    m.organizations["so tai chinh tinh lang son"] = OrganizationNode(
        "so tai chinh tinh lang son", "Sở Tài chính tỉnh Lạng Sơn", level="department")
    m.goals["57.SOL"] = GoalNode("57.SOL", "Nhiệm vụ, giải pháp", "solution_group", doc_key=CENTRAL)
    m.goals["57.SOL.1"] = GoalNode("57.SOL.1", "Nâng cao nhận thức", "solution", doc_key=CENTRAL,
                                   parent="57.SOL", keywords=("nhận thức", "quán triệt"), status="verified")
    m.edges += [
        Edge(PLAN, CENTRAL, CITES, (("relation", "implements"), ("relations", ("implements", "based_on")),
                                    ("span_start", 3), ("span_end", 12), ("resolved_by", "ref"))),
        Edge(LETTER, PLAN, CITES, (("relation", "mentions"), ("span_start", None))),
        Edge(PLAN, f"{PLAN}#1", HAS_TASK), Edge(PLAN, f"{PLAN}#2", HAS_TASK),
        Edge(f"{PLAN}#1", "so khoa hoc va cong nghe tinh lang son", LEAD, (("implicit", False),)),
        Edge(f"{PLAN}#1", "so tai chinh tinh lang son", SUPPORT),
        Edge(f"{PLAN}#2", "so tai chinh tinh lang son", LEAD, (("implicit", True),)),
        Edge(f"{PLAN}#1", "57.SOL.1", SERVES, (("score", 0.82), ("method", "topical"),
                                               ("evidence", ("quan triet", "nhan thuc")))),
        Edge(CENTRAL, "57.SOL", SETS), Edge(CENTRAL, "57.SOL.1", SETS), Edge("57.SOL.1", "57.SOL", PART_OF),
        Edge(f"{PLAN}#2", "nowhere", SUPPORT),  # an end the model does not hold: skipped, reported
    ]
    return m


def smaller_model() -> GraphModel:
    """small_model without the letter and the second task (and what hangs on them)."""
    m = small_model()
    del m.documents[LETTER]
    del m.tasks[f"{PLAN}#2"]
    m.edges = [e for e in m.edges if LETTER not in (e.source, e.target) and f"{PLAN}#2" not in (e.source, e.target)]
    return m


def clear_chidao_labels(store: Neo4jStore) -> None:
    store.write("MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels) DETACH DELETE n",
                {"labels": list(LABELS)})


@pytest.fixture
def store(neo4j_uri: str, neo4j_auth: tuple[str, str] | None):
    with Neo4jStore(neo4j_uri, neo4j_auth) as store:
        clear_chidao_labels(store)
        yield store


def stored_nodes(store: Neo4jStore) -> dict[tuple[str, str], dict[str, Any]]:
    rows = store.read("MATCH (n) WHERE n.key IS NOT NULL RETURN labels(n) AS labels, properties(n) AS props")
    return {(row["labels"][0], row["props"]["key"]): row["props"] for row in rows}


def stored_edges(store: Neo4jStore) -> list[tuple[str, str, str, dict[str, Any]]]:
    rows = store.read("MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS p")
    return sorted((row["a"], row["t"], row["b"], edge_props(row["p"])) for row in rows)


def expected_edges(model: GraphModel) -> list[tuple[str, str, str, dict[str, Any]]]:
    groups, _ = relationship_rows(model, None)
    # Neo4j stores no nulls: an edge property that is None is absent.
    return sorted((row["source"], group.type, row["target"],
                   {k: v for k, v in edge_props(row["props"]).items() if v is not None})
                  for group, rows in groups.items() for row in rows)


@pytest.mark.neo4j
def test_sync_writes_every_node_and_relationship_with_its_properties(store: Neo4jStore) -> None:
    model = small_model()
    report = store.sync(model)
    nodes, rels = model_counts(model)
    assert store.counts() == (nodes, rels)
    assert report.nodes == nodes and report.relationships == rels
    assert report.skipped_edges == 1 and "nowhere" in report.skipped[0]
    assert report.deleted_nodes == report.deleted_relationships == 0
    assert report.rows == sum(nodes.values()) + sum(rels.values()) and report.rows_per_second > 0
    stored = stored_nodes(store)
    for label, key, props in model.nodes():
        assert node_record(label, stored[(label, key)]) == props, key
        assert stored[(label, key)][SYNC_PROPERTY] == report.sync_id
    assert stored_edges(store) == expected_edges(model)


@pytest.mark.neo4j
def test_resync_creates_no_duplicates(store: Neo4jStore) -> None:
    model = small_model()
    store.sync(model)
    first = store.counts()
    for _ in range(2):
        report = store.sync(model)
        assert store.counts() == first
        assert report.deleted_nodes == report.deleted_relationships == 0
    assert stored_edges(store) == expected_edges(model)


@pytest.mark.neo4j
def test_sync_of_a_smaller_model_deletes_what_left_it(store: Neo4jStore) -> None:
    store.sync(small_model())
    smaller = smaller_model()
    report = store.sync(smaller)
    assert store.counts() == model_counts(smaller)
    assert report.deleted_nodes == 2
    assert (DOCUMENT, LETTER) not in stored_nodes(store)
    assert (TASK, f"{PLAN}#2") not in stored_nodes(store)
    assert stored_edges(store) == expected_edges(smaller)
    # …and an empty model empties chidao's part of the database.
    store.sync(GraphModel())
    assert store.counts() == ({label: 0 for label in LABELS}, model_counts(GraphModel())[1])


@pytest.mark.neo4j
def test_changed_and_dropped_properties_follow_the_model(store: Neo4jStore) -> None:
    store.sync(small_model())
    model = small_model()
    model.documents[PLAN] = replace(model.documents[PLAN], subject=None, signer="Nguyễn Văn A")
    model.edges = [Edge(e.source, e.target, e.type, (("score", 0.5), ("method", "curated")))
                   if e.type == SERVES else e for e in model.edges]
    store.sync(model)
    plan = stored_nodes(store)[(DOCUMENT, PLAN)]
    assert "subject" not in plan and plan["signer"] == "Nguyễn Văn A"
    serves = [e for e in stored_edges(store) if e[1] == SERVES]
    assert serves == [(f"{PLAN}#1", SERVES, "57.SOL.1", {"score": 0.5, "method": "curated"})]


@pytest.mark.neo4j
def test_batches_smaller_than_the_model_give_the_same_graph(store: Neo4jStore) -> None:
    model = small_model()
    report = store.sync(model, batch_size=2)
    assert report.batch_size == 2
    assert store.counts() == model_counts(model)
    assert stored_edges(store) == expected_edges(model)
    with pytest.raises(ValueError):
        store.sync(model, batch_size=0)


@pytest.mark.neo4j
def test_nodes_chidao_did_not_write_are_left_alone(store: Neo4jStore) -> None:
    store.write("CREATE (:Document {key: 'hand-made', note: 'not from chidao'})")
    store.sync(small_model())
    store.sync(smaller_model())
    assert (DOCUMENT, "hand-made") in stored_nodes(store)


@pytest.mark.neo4j
def test_schema_is_idempotent_and_uses_the_vietnamese_safe_analyzer(store: Neo4jStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    constraints = store.read("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type "
                             "WHERE name STARTS WITH 'chidao_' RETURN labelsOrTypes[0] AS label, properties, type")
    assert sorted(row["label"] for row in constraints) == sorted(LABELS)
    assert all(row["properties"] == ["key"] and row["type"] == "UNIQUENESS" for row in constraints)
    index = store.read("SHOW FULLTEXT INDEXES YIELD name, options, state WHERE name = $name "
                       "RETURN options, state", {"name": FULLTEXT_INDEX})
    assert index[0]["options"]["indexConfig"]["fulltext.analyzer"] == FULLTEXT_ANALYZER
    assert index[0]["state"] == "ONLINE"


@pytest.mark.neo4j
def test_an_index_made_with_another_analyzer_is_replaced(store: Neo4jStore) -> None:
    store.write(f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS")
    store.write(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} FOR (n:Document) ON EACH [n.{SEARCH_PROPERTY}] "
                "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}")
    store.ensure_schema()
    index = store.read(f"SHOW FULLTEXT INDEXES YIELD name, options, labelsOrTypes WHERE name = '{FULLTEXT_INDEX}' "
                       "RETURN options, labelsOrTypes")
    assert index[0]["options"]["indexConfig"]["fulltext.analyzer"] == FULLTEXT_ANALYZER
    assert sorted(index[0]["labelsOrTypes"]) == sorted(LABELS)


@pytest.mark.neo4j
@pytest.mark.parametrize("word", ["to chuc", "the che", "no dong"])
def test_fulltext_index_keeps_vietnamese_words_that_fold_to_english_stop_words(store: Neo4jStore,
                                                                              word: str) -> None:
    # tổ → "to", thể → "the", nợ → "no": standard-folding drops them as stop words.
    store.sync(small_model())
    rows = store.read("CALL db.index.fulltext.queryNodes($index, $query) YIELD node RETURN node.key AS key",
                      {"index": FULLTEXT_INDEX, "query": f'"{word}"'})
    assert rows, word


def test_labels_and_types_outside_the_model_never_reach_a_query() -> None:
    with pytest.raises(ValueError):
        merge_nodes_query("Document) DETACH DELETE (n")
    model = GraphModel()
    model.edges.append(Edge("a", "b", "CITES]->() DELETE r//"))
    with pytest.raises(ValueError):
        relationship_rows(model, None)


def test_values_neo4j_cannot_hold_are_stored_as_json() -> None:
    assert storable(("a", "b")) == ["a", "b"]
    assert storable([]) == []
    assert storable(["a", None]) == '["a", null]'
    assert storable({"b": 1, "a": "ạ"}) == '{"a": "ạ", "b": 1}'
    assert storable(0.5) == 0.5 and storable(True) is True


# -- no server needed ------------------------------------------------------------------------

class FakeDriver:
    """Records how the store calls the driver."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.execute_query_bookmark_manager = object()

    def execute_query(self, query: str, params: dict[str, Any], **kwargs: Any) -> list[dict[str, Any]]:
        self.calls.append({"query": query, "params": params, **kwargs})
        return []

    def close(self) -> None:
        pass


@pytest.mark.parametrize("database", [None, "chidao"])
def test_reads_go_to_readers_of_the_named_database(database: str | None) -> None:
    store = Neo4jStore("neo4j://example.invalid:7687", None, database)
    store.driver.close()
    store.driver = FakeDriver()  # type: ignore[assignment]
    store.read("RETURN $x", {"x": 1})
    (call,) = store.driver.calls
    assert call["routing_"] == RoutingControl.READ and call["database_"] == database
    assert call["params"] == {"x": 1}


def test_from_env_reads_the_four_variables() -> None:
    env = {"NEO4J_URI": "neo4j+s://abcd.databases.neo4j.io", "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": "secret", "NEO4J_DATABASE": "chidao"}
    with Neo4jStore.from_env(env) as store:
        assert store.uri == env["NEO4J_URI"] and store.database == "chidao"
    with Neo4jStore.from_env(env, uri="bolt://localhost:7687", database="other") as store:
        assert store.uri == "bolt://localhost:7687" and store.database == "other"
    with Neo4jStore.from_env({"NEO4J_URI": "bolt://localhost:7687"}) as store:
        assert store.database is None
    with pytest.raises(Neo4jStoreError, match="NEO4J_URI"):
        Neo4jStore.from_env({})
    with pytest.raises(Neo4jStoreError, match="nope://"):
        Neo4jStore("nope://host", None)


def test_an_unreachable_server_is_one_error_naming_the_uri() -> None:
    with (Neo4jStore("bolt://127.0.0.1:1", None, connection_timeout=1.0) as store,
          pytest.raises(Neo4jStoreError, match="127.0.0.1:1")):
        store.verify()
