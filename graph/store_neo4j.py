"""The Neo4j store: the graph model synced to a Neo4j server, cluster or Aura database.

Writes (`ensure_schema`, `sync`) run in managed transactions (`session.execute_write`), so the
driver retries what a cluster reports as transient (a leader switch, a deadlock) and routes
them to the leader. Reads run through `driver.execute_query` with `database_` and read
routing, so a cluster serves them from a follower. Both use the driver's execute_query
bookmark manager: a read that follows a sync sees it, on any member of a cluster.

Labels and relationship types are written literally into the Cypher, and only from the
constants of graph/model.py (checked before they are formatted in); every value goes in as
a `$parameter`. Nodes and relationships are written with `UNWIND $rows AS row MERGE …` in
batches, after the uniqueness constraints exist, so MERGE is an index lookup.

A sync leaves the database equal to the model: everything it writes carries the sync's id
in `chidao_sync`; what carries an older id afterwards left the library and is deleted.
Nodes without a `chidao_sync` were not written by chidao and are never touched. A sync is
several transactions, not one: a reader during a sync may see part old, part new, and a
failed sync is mended by the next one.
"""
from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    RoutingControl,
    Session,
)
from neo4j.exceptions import DriverError, Neo4jError

from ingest.errors import ChidaoError

from .model import DOCUMENT, LABELS, REL_TYPES, TASK, GraphModel
from .neo4j_rows import (
    REL_KEY,
    SEARCH_PROPERTY,
    SYNC_PROPERTY,
    RelGroup,
    batches,
    node_rows,
    orphan_findings,
    relationship_rows,
)

FULLTEXT_INDEX = "chidao_search"
# Not standard-folding: Lucene's ASCII folding turns Vietnamese words (tổ, thể, nợ) into
# English stop words (to, the, no), which its stop filter then drops. The text is folded in
# Python (search_text) before it gets here.
FULLTEXT_ANALYZER = "standard-no-stop-words"
DEFAULT_BATCH = 1000
ENV_VARS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")


class Neo4jStoreError(ChidaoError):
    """Neo4j cannot be reached or refused a request; the message names the URI and the reason."""


def _label(name: str) -> str:
    if name not in LABELS:
        raise ValueError(f"not a graph/model.py label: {name!r}")
    return name


def _rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise ValueError(f"not a graph/model.py relationship type: {name!r}")
    return name


def schema_statements() -> dict[str, str]:
    """The schema by name, idempotent: a uniqueness constraint on `key` per label, range indexes
    on what the questions look up by, the fulltext index."""
    statements = {
        f"chidao_{label.lower()}_key": f"CREATE CONSTRAINT chidao_{label.lower()}_key IF NOT EXISTS "
                                       f"FOR (n:{_label(label)}) REQUIRE n.key IS UNIQUE"
        for label in LABELS
    }
    # What the Cypher twins look up by (graph/neo4j_rows.py derives these properties).
    for name, label, prop in (("chidao_document_ref", DOCUMENT, "ref_key"),
                              ("chidao_document_path", DOCUMENT, "source_path"),
                              ("chidao_task_due", TASK, "due_date")):
        statements[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{_label(label)}) ON (n.{prop})"
    statements[FULLTEXT_INDEX] = (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        f"FOR (n:{'|'.join(_label(label) for label in LABELS)}) ON EACH [n.{SEARCH_PROPERTY}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}"
    )
    return statements


def constraint_statements() -> list[str]:
    return list(schema_statements().values())


def merge_nodes_query(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:{_label(label)} {{key: row.key}}) SET n = row"


def merge_relationships_query(group: RelGroup) -> str:
    # SET r = row.props, not +=: a property the model dropped is dropped here too.
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{_label(group.start)} {{key: row.source}}) "
        f"MATCH (b:{_label(group.end)} {{key: row.target}}) "
        f"MERGE (a)-[r:{_rel_type(group.type)} {{{REL_KEY}: row.props.{REL_KEY}}}]->(b) "
        f"SET r = row.props"
    )


# Only chidao writes chidao_sync, so the property alone says what is chidao's: one statement
# for every type and one for every label, not one each (each distinct statement costs a
# compilation on a cold server). A node or relationship without it was not written by
# chidao and is never deleted.
DELETE_STALE_RELATIONSHIPS = (
    f"MATCH ()-[r]->() WHERE r.{SYNC_PROPERTY} IS NOT NULL AND r.{SYNC_PROPERTY} <> $sync "
    f"WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
)
DELETE_STALE_NODES = (
    f"MATCH (n) WHERE n.{SYNC_PROPERTY} IS NOT NULL AND n.{SYNC_PROPERTY} <> $sync "
    f"WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
)


COUNT_QUERY = " UNION ALL ".join(
    [f"MATCH (n:{_label(label)}) RETURN 'node' AS kind, '{label}' AS name, count(n) AS count"
     for label in LABELS]
    + [f"MATCH ()-[r:{_rel_type(rel)}]->() RETURN 'relationship' AS kind, '{rel}' AS name, count(r) AS count"
       for rel in REL_TYPES]
)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync wrote and deleted, and how fast."""

    sync_id: str
    database: str | None
    nodes: dict[str, int]  # written, per label
    relationships: dict[str, int]  # written, per type
    deleted_nodes: int
    deleted_relationships: int
    skipped_edges: int  # edges whose end is not a node of the model
    seconds: float
    batch_size: int = DEFAULT_BATCH
    skipped: list[str] = field(default_factory=list)  # a few of them, for the message
    unplaced_findings: int = 0  # findings about a document the model does not hold: not stored

    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"sync_id": self.sync_id, "database": self.database, "nodes": self.nodes,
                "relationships": self.relationships, "deleted_nodes": self.deleted_nodes,
                "deleted_relationships": self.deleted_relationships, "skipped_edges": self.skipped_edges,
                "skipped": self.skipped, "unplaced_findings": self.unplaced_findings, "rows": self.rows, "seconds": round(self.seconds, 3),
                "rows_per_second": round(self.rows_per_second, 1), "batch_size": self.batch_size}

    def lines(self) -> list[str]:
        nodes = ", ".join(f"{label} {n}" for label, n in self.nodes.items())
        rels = ", ".join(f"{rel} {n}" for rel, n in self.relationships.items() if n)
        out = [f"nodes: {sum(self.nodes.values())} ({nodes})",
               f"relationships: {sum(self.relationships.values())} ({rels or 'none'})",
               (f"deleted: {self.deleted_nodes} nodes, {self.deleted_relationships} relationships "
                f"no longer in the library"),
               (f"{self.rows} rows in {self.seconds:.2f} s ({self.rows_per_second:.0f} rows/s, "
                f"batches of {self.batch_size}) into database {self.database or '(default)'}")]
        if self.unplaced_findings:
            out.append(f"{self.unplaced_findings} findings are about documents not in the graph: not stored")
        if self.skipped_edges:
            out.append(f"skipped {self.skipped_edges} edges whose end is not in the graph: "
                       + "; ".join(self.skipped))
        return out


def _write(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return tx.run(query, params).data()


class Neo4jStore:
    """The graph in a Neo4j database: `sync` writes a GraphModel, `run` answers a question."""

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None = None,
                 **driver_config: Any) -> None:
        self.uri = uri
        self.database = database or None
        # A graph without, say, SUBTASK_OF yet is normal: no warning for each query naming it.
        driver_config.setdefault("notifications_disabled_classifications",
                                 [NotificationDisabledClassification.UNRECOGNIZED])
        try:
            self.driver: Driver = GraphDatabase.driver(uri, auth=auth, **driver_config)
        except (DriverError, ValueError) as exc:  # a malformed URI, an unknown scheme
            raise Neo4jStoreError(f"{uri}: {exc}") from exc

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: str | None) -> Self:
        """A store from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE.

        `overrides` (uri, user, password, database) win over the environment where not None,
        as command-line options do. No user and no password means no authentication.
        """
        env = os.environ if environ is None else environ
        uri = overrides.get("uri") or env.get("NEO4J_URI")
        if not uri:
            raise Neo4jStoreError(
                "no Neo4j to connect to: set NEO4J_URI (e.g. neo4j+s://xxxx.databases.neo4j.io for "
                "Aura, neo4j://host:7687 for a server or cluster) or pass --uri")
        user = overrides.get("user") or env.get("NEO4J_USER")
        password = overrides.get("password") or env.get("NEO4J_PASSWORD")
        auth = (user or "neo4j", password or "") if (user or password) else None
        database = overrides.get("database") or env.get("NEO4J_DATABASE") or None
        return cls(uri, auth, database)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _session(self) -> Session:
        # The same bookmark manager as execute_query: reads after a sync see what it wrote.
        return self.driver.session(database=self.database,
                                   bookmark_manager=self.driver.execute_query_bookmark_manager)

    def _fail(self, exc: Exception) -> Neo4jStoreError:
        where = f"{self.uri} (database {self.database})" if self.database else self.uri
        return Neo4jStoreError(f"{where}: {getattr(exc, 'message', None) or exc}")

    def verify(self) -> None:
        """Raise Neo4jStoreError, naming the URI and the reason, unless Neo4j answers."""
        try:
            self.driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query on a reader of the cluster; rows as dicts."""
        try:
            return self.driver.execute_query(  # type: ignore[call-overload]
                query, params or {}, database_=self.database, routing_=RoutingControl.READ,
                result_transformer_=lambda result: result.data())
        except (DriverError, Neo4jError) as exc:
            raise self._fail(exc) from exc

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write query in a managed transaction (retried on transient errors)."""
        try:
            with self._session() as session:
                return session.execute_write(_write, query, params or {})
        except (DriverError, Neo4jError) as exc:
            raise self._fail(exc) from exc

    # -- schema -------------------------------------------------------------------------

    def ensure_schema(self, timeout: float = 300) -> None:
        """Create the constraints and the fulltext index unless they exist; wait until online.

        One read when everything is there already. A fulltext index of the same name over
        other labels or properties, or with another analyzer (an older chidao's), is dropped
        and made again.
        """
        present = {row["name"]: row for row in self.read(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options, state "
            "WHERE name STARTS WITH 'chidao_' RETURN name, type, labelsOrTypes, properties, options, state")}
        index = present.get(FULLTEXT_INDEX)
        if index is not None:
            analyzer = (index.get("options") or {}).get("indexConfig", {}).get("fulltext.analyzer")
            if (sorted(index["labelsOrTypes"]) != sorted(LABELS) or index["properties"] != [SEARCH_PROPERTY]
                    or analyzer != FULLTEXT_ANALYZER):
                self.write(f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS")
                del present[FULLTEXT_INDEX]
        # A uniqueness constraint is backed by a range index of the same name.
        missing = [statement for name, statement in schema_statements().items() if name not in present]
        for statement in missing:
            self.write(statement)
        if missing or any(row["state"] != "ONLINE" for row in present.values()):
            self.write("CALL db.awaitIndexes($seconds)", {"seconds": int(timeout)})

    # -- sync ---------------------------------------------------------------------------

    def sync(self, model: GraphModel, batch_size: int = DEFAULT_BATCH) -> SyncReport:
        """Make the database hold exactly `model`: MERGE everything, then delete what left it."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        began = time.perf_counter()
        self.ensure_schema()
        sync_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"
        nodes = node_rows(model, sync_id)
        groups, skipped = relationship_rows(model, sync_id)
        written_nodes = {label: 0 for label in LABELS}
        written_rels = {rel: 0 for rel in REL_TYPES}
        for label, rows in nodes.items():
            query = merge_nodes_query(label)
            for batch in batches(rows, batch_size):
                self.write(query, {"rows": batch})
                written_nodes[label] += len(batch)
        for group, rows in groups.items():
            query = merge_relationships_query(group)
            for batch in batches(rows, batch_size):
                self.write(query, {"rows": batch})
                written_rels[group.type] += len(batch)
        deleted_rels = self._delete_all(DELETE_STALE_RELATIONSHIPS, sync_id, batch_size)
        deleted_nodes = self._delete_all(DELETE_STALE_NODES, sync_id, batch_size)
        return SyncReport(sync_id, self.database, written_nodes, written_rels, deleted_nodes, deleted_rels,
                          len(skipped), time.perf_counter() - began, batch_size,
                          [f"{e.type} {e.source} → {e.target}" for e in skipped[:5]],
                          len(orphan_findings(model)))

    def _delete_all(self, query: str, sync_id: str, batch_size: int) -> int:
        total = 0
        while True:
            deleted = self.write(query, {"sync": sync_id, "limit": batch_size})[0]["deleted"]
            total += deleted
            if deleted < batch_size:
                return total

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type, as the database holds them now."""
        nodes = dict.fromkeys(LABELS, 0)
        rels = dict.fromkeys(REL_TYPES, 0)
        for row in self.read(COUNT_QUERY):
            (nodes if row["kind"] == "node" else rels)[row["name"]] = row["count"]
        return nodes, rels

    # -- questions ----------------------------------------------------------------------

    def run(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Answer question `name` (queries/<name>.cypher) with the rows queries/<name>.py gives.

        `params` are those of queries/<name>.run (positional-only `name`, since org's is `name=`).
        """
        from .neo4j_questions import run_question

        return run_question(self, name, params)
