"""GraphModel → the rows Neo4j is written with, shared by `chidao sync` and the exports.

One place decides what a node or relationship looks like in Neo4j, so that a graph synced
with the driver, bulk-imported from CSV or loaded from the Cypher script is the same graph:

- a node's properties are its record's fields (graph/model.py), plus `chidao_sync` (the id
  of the sync that last wrote it) and what the Cypher twins of queries/ look things up by,
  computed here with the same Python functions the embedded store uses, so both stores
  agree on them: `search_text` on every node (the words of store_embedded.searchable_text
  as the embedded search index splits them; the fulltext index covers it),
  `ref_key` on documents (identity.ref_key of the ref), `name_keys` on organisations (the
  folded name and aliases), `due_date` and `due_basis` on tasks (store_embedded.due_date),
  and on documents the build's findings about them (`finding_codes`, and `findings`: each
  finding as JSON text, since Neo4j holds no maps);
- a relationship's properties are the edge's, plus `rel_key` (its identity, for MERGE) and
  `chidao_sync`.

Nulls are not stored (Neo4j has no null properties); lists of strings stay lists; anything
Neo4j cannot hold as a property (a map, a list with nulls or of mixed types) is stored as
its JSON text. Readers put the record back together with `node_record`.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from typing import Any

from ingest.fold import fold_key

from .identity import ref_key
from .model import (
    DOCUMENT,
    GOAL,
    LABELS,
    ORGANIZATION,
    REL_TYPES,
    TASK,
    DocumentNode,
    Edge,
    GoalNode,
    GraphModel,
    OrganizationNode,
    TaskNode,
)
from .store_embedded import due_date, searchable_text
from .trace import quick_fold

_WORD = re.compile(r"[a-z0-9]+")  # as store_embedded and queries/search.py split words

SYNC_PROPERTY = "chidao_sync"
SEARCH_PROPERTY = "search_text"
REL_KEY = "rel_key"
# Written on top of the model's own properties, per label; readers drop them again.
EXTRA_NODE_PROPERTIES: dict[str, tuple[str, ...]] = {
    DOCUMENT: (SEARCH_PROPERTY, "ref_key", "finding_codes", "findings", SYNC_PROPERTY),
    TASK: (SEARCH_PROPERTY, "due_date", "due_basis", SYNC_PROPERTY),
    ORGANIZATION: (SEARCH_PROPERTY, "name_keys", SYNC_PROPERTY),
    GOAL: (SEARCH_PROPERTY, SYNC_PROPERTY),
}
EXTRA_REL_PROPERTIES = (REL_KEY, SYNC_PROPERTY)

RECORDS = {DOCUMENT: DocumentNode, TASK: TaskNode, ORGANIZATION: OrganizationNode, GOAL: GoalNode}


@dataclass(frozen=True, slots=True, order=True)
class RelGroup:
    """Relationships written by one statement: one type between two labels."""

    type: str
    start: str
    end: str


def storable(value: Any) -> Any:
    """`value` as Neo4j can hold it: primitives and homogeneous lists as they are, the rest as JSON."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = list(value)
        kinds = {type(item) for item in items}
        if not items or (len(kinds) == 1 and kinds <= {bool, int, float, str}):
            return items
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def search_words(text: str) -> list[str]:
    """The words the embedded store's search index files `text` under (store_embedded._search_index)."""
    return _WORD.findall(quick_fold(text))


def search_text(label: str, props: dict[str, Any]) -> str:
    """Those words of the node's searchable text, one space apart: on such a text Lucene's
    standard tokenizer finds exactly these words, so the fulltext index finds what the
    embedded word index finds."""
    return " ".join(search_words(searchable_text({**props, "label": label})))


def derived_properties(label: str, props: dict[str, Any]) -> dict[str, Any]:
    """What the Cypher twins look up by, beside the record's own fields (None: not stored)."""
    out: dict[str, Any] = {SEARCH_PROPERTY: search_text(label, props)}
    if label == DOCUMENT:
        out["ref_key"] = ref_key(props["ref"]) if props.get("ref") else None
    elif label == TASK:
        due = due_date(props)
        out["due_date"], out["due_basis"] = due if due else (None, None)
    elif label == ORGANIZATION:
        out["name_keys"] = sorted({fold_key(name) for name in (props["name"], *props.get("aliases", ()))})
    return out


def node_rows(model: GraphModel, sync_id: str | None) -> dict[str, list[dict[str, Any]]]:
    """The rows to MERGE, per label (in LABELS order), each a full property map."""
    findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in model.findings:
        findings[finding["doc_key"]].append(finding)
    rows: dict[str, list[dict[str, Any]]] = {label: [] for label in LABELS}
    for label, key, props in model.nodes():
        row = {name: storable(value) for name, value in props.items()}
        row.update(derived_properties(label, props))
        if label == DOCUMENT and key in findings:
            row["finding_codes"] = [str(f["code"]) for f in findings[key]]
            row["findings"] = [json.dumps(f, ensure_ascii=False, sort_keys=True, default=str)
                               for f in findings[key]]
        if sync_id is not None:
            row[SYNC_PROPERTY] = sync_id
        rows[label].append(row)
    return rows


def orphan_findings(model: GraphModel) -> list[dict[str, Any]]:
    """Findings about a document the model does not hold: Neo4j has nowhere to keep them."""
    return [f for f in model.findings if f.get("doc_key") not in model.documents]


def node_labels(model: GraphModel) -> dict[str, str]:
    """key → label; a key in two tables keeps the first label (the embedded store has one node)."""
    labels: dict[str, str] = {}
    for label, key, _props in model.nodes():
        labels.setdefault(key, label)
    return labels


def rel_key(edge_type: str, source: str, target: str, ordinal: int) -> str:
    """A relationship's identity: its type and ends, and which of several parallel ones it is."""
    text = json.dumps([edge_type, source, target, ordinal], ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


def relationship_rows(model: GraphModel, sync_id: str | None
                      ) -> tuple[dict[RelGroup, list[dict[str, Any]]], list[Edge]]:
    """Rows per (type, start label, end label), and the edges skipped for want of an end node.

    Parallel edges of one type between the same two nodes are kept apart by an ordinal
    taken in the order of their properties, so rel_key does not depend on the order of
    model.edges and a re-sync of the same model writes the same keys.
    """
    labels = node_labels(model)
    parallel: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    skipped: list[Edge] = []
    for edge in model.edges:
        if edge.type not in REL_TYPES:
            raise ValueError(f"edge {edge.source} → {edge.target}: unknown relationship type {edge.type!r}")
        if edge.source not in labels or edge.target not in labels:
            skipped.append(edge)
            continue
        parallel[(edge.type, edge.source, edge.target)].append(edge)
    rows: dict[RelGroup, list[dict[str, Any]]] = defaultdict(list)
    for (edge_type, source, target), edges in parallel.items():
        group = RelGroup(edge_type, labels[source], labels[target])
        ordered = sorted(edges, key=lambda e: _canonical(e.props()))
        for ordinal, edge in enumerate(ordered):
            props = {name: storable(value) for name, value in edge.props().items()}
            props[REL_KEY] = rel_key(edge_type, source, target, ordinal)
            if sync_id is not None:
                props[SYNC_PROPERTY] = sync_id
            rows[group].append({"source": source, "target": target, "props": props})
    return dict(sorted(rows.items())), skipped


def _canonical(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, default=str)


def model_counts(model: GraphModel) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, as a sync or an import writes them."""
    nodes = {label: len(rows) for label, rows in node_rows(model, None).items()}
    groups, _skipped = relationship_rows(model, None)
    rels = dict.fromkeys(REL_TYPES, 0)
    for group, rows in groups.items():
        rels[group.type] += len(rows)
    return nodes, rels


def node_record(label: str, props: dict[str, Any]) -> dict[str, Any]:
    """A stored node's properties back as its record's fields, in the record's order.

    Fields Neo4j did not store (nulls; a CSV import leaves out empty lists too) come back
    as the record's default, so both stores give the same dict.
    """
    record: dict[str, Any] = {}
    for f in fields(RECORDS[label]):
        if f.name in props and props[f.name] is not None:
            record[f.name] = props[f.name]
        elif f.default is not MISSING:
            default = f.default
            record[f.name] = list(default) if isinstance(default, tuple) else default
        else:
            record[f.name] = None
    return record


def edge_props(props: dict[str, Any]) -> dict[str, Any]:
    """A stored relationship's properties without the ones chidao adds."""
    return {name: value for name, value in props.items() if name not in EXTRA_REL_PROPERTIES}


def batches(rows: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
